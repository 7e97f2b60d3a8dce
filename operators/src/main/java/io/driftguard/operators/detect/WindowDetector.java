package io.driftguard.operators.detect;

/**
 * A drift detector that reads a key's stream one window at a time, in the spirit of MOA's
 * ChangeDetector: a window in, a verdict out, its state to and from bytes. Every reference policy
 * has one: {@link PooledReferenceDetector} for {@code fixed} and {@code seasonal:<period>}, {@link
 * PairedReferenceDetector} for {@code previous} and {@code last-K}. The streaming job decides with
 * the same classes (and keeps their state in Flink's), and {@code bench detect} runs them as they
 * are.
 */
public interface WindowDetector {

    /**
     * Reads the key's next window and decides it.
     *
     * @param rows the window's records (or a sample of them), {@code rows[record][feature]}, NaN
     *     for a missing value; kept by reference, not to be changed afterwards
     */
    Verdict onWindow(double[][] rows);

    /** The detector's state, version byte first; its class's {@code fromBytes} reads it back. */
    byte[] toBytes();

    /** A detector's verdict on one window: the statistics that decided, and how. */
    interface Verdict {

        /** Whether the window confirms a change. */
        boolean drift();

        /** Whether the key's own null history decided (else the test before calibration did). */
        boolean calibrated();

        /** The p-value of the decision, NaN for a window that was not decided. */
        double pValue();

        /**
         * How the p-value was computed: {@code calibrated} (against the key's null history),
         * {@code permutation} (a permutation test), {@code classifier} (the binomial test of a
         * classifier's held-out accuracy), or {@code none} (not decided).
         */
        String pValueKind();

        /** The feature judged most responsible for an alarm, or -1. */
        int topFeature();
    }
}
