package io.driftguard.operators.detect.calibration;

/**
 * How a key's drift decisions are calibrated.
 *
 * <p>The false-alarm budget is an expected run length: with {@code expectedRunLength = L} a window
 * of a stationary key is flagged with probability at most about {@code 1 / L}, so that false alarms
 * arrive on average no more often than once per {@code L} monitored windows.
 *
 * @param expectedRunLength false-alarm budget, in windows between false alarms, at least 2
 * @param historyCapacity most past null statistics kept per channel
 * @param minHistory null statistics needed before the first decision, at least 10
 * @param referenceWindows windows pooled into a fresh reference
 * @param settleWindows windows skipped after a confirmed change before the new reference is taken,
 *     so that a gradual change is over before the reference moves on (one change, one alarm)
 * @param admissionLag windows a statistic waits before it enters the null history; a change found
 *     within that lag discards the waiting statistics, which may already belong to the change
 * @param tailFraction share of the history used to fit the exponential tail beyond the largest
 *     past statistics, in (0, 0.5]
 * @param cusumDrift the allowance {@code c} of the CUSUM on {@code -ln p} that accumulates the
 *     evidence of consecutive moderately small p-values, above 1
 * @param maxPending most statistics held back from the history while the CUSUM is above zero
 */
public record CalibrationSettings(
        double expectedRunLength,
        int historyCapacity,
        int minHistory,
        int referenceWindows,
        int settleWindows,
        int admissionLag,
        double tailFraction,
        double cusumDrift,
        int maxPending) {

    /** The default budget: one false alarm per 2000 monitored windows per key. */
    public static final double DEFAULT_EXPECTED_RUN_LENGTH = 2000.0;

    public CalibrationSettings {
        if (!(expectedRunLength >= 2.0) || Double.isInfinite(expectedRunLength)) {
            throw new IllegalArgumentException(
                    "expectedRunLength must be finite and at least 2, got " + expectedRunLength);
        }
        if (minHistory < 10) {
            throw new IllegalArgumentException("minHistory must be at least 10, got " + minHistory);
        }
        if (historyCapacity < minHistory) {
            throw new IllegalArgumentException(
                    "historyCapacity " + historyCapacity + " below minHistory " + minHistory);
        }
        if (referenceWindows < 1 || settleWindows < 0 || admissionLag < 0) {
            throw new IllegalArgumentException(
                    String.format(
                            "referenceWindows >= 1, settleWindows >= 0 and admissionLag >= 0"
                                    + " required, got %s, %s, %s",
                            referenceWindows, settleWindows, admissionLag));
        }
        if (!(tailFraction > 0.0 && tailFraction <= 0.5)) {
            throw new IllegalArgumentException(
                    "tailFraction must lie in (0, 0.5], got " + tailFraction);
        }
        if (!(cusumDrift > 1.0) || Double.isInfinite(cusumDrift)) {
            throw new IllegalArgumentException(
                    "cusumDrift must be finite and above 1, got " + cusumDrift);
        }
        if (maxPending < admissionLag) {
            throw new IllegalArgumentException(
                    "maxPending " + maxPending + " below admissionLag " + admissionLag);
        }
    }

    /**
     * The defaults: budget 2000 windows, 1000 statistics of history, 30 before the first decision,
     * 4 reference windows, 6 settling windows, an admission lag of 3 windows, a tail fit on the top
     * 25 %, a CUSUM allowance of 3 and at most 64 statistics held back.
     */
    public static CalibrationSettings defaults() {
        return new CalibrationSettings(DEFAULT_EXPECTED_RUN_LENGTH, 1000, 30, 4, 6, 3, 0.25, 3.0, 64);
    }

    /**
     * The single-window threshold on the combined p-value, {@code 1 / (2 expectedRunLength)}: half
     * the budget; the CUSUM gets the other half.
     */
    public double alpha() {
        return 0.5 / expectedRunLength;
    }

    /**
     * The CUSUM threshold {@code h = ln(2 expectedRunLength) / theta}, {@code theta} the positive
     * root of {@code exp(-theta c) = 1 - theta}: for increments {@code -ln p - c} with {@code p}
     * uniform (or stochastically larger), {@code exp(theta S)} is a supermartingale between
     * restarts, so the run length to a false alarm is at least about {@code exp(theta h) = 2
     * expectedRunLength}.
     */
    public double cusumThreshold() {
        double lo = 1e-9;
        double hi = 1.0 - 1e-12;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            // g(theta) = exp(-theta c) - (1 - theta): negative between 0 and the root, positive after
            if (Math.exp(-mid * cusumDrift) - (1 - mid) < 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double theta = (lo + hi) / 2;
        return Math.log(2 * expectedRunLength) / theta;
    }

    /** A copy with another false-alarm budget. */
    public CalibrationSettings withExpectedRunLength(double windows) {
        return new CalibrationSettings(
                windows,
                historyCapacity,
                minHistory,
                referenceWindows,
                settleWindows,
                admissionLag,
                tailFraction,
                cusumDrift,
                maxPending);
    }

    /** A copy with another number of reference and settling windows. */
    public CalibrationSettings withReference(int windows, int settle) {
        return new CalibrationSettings(
                expectedRunLength,
                historyCapacity,
                minHistory,
                windows,
                settle,
                admissionLag,
                tailFraction,
                cusumDrift,
                maxPending);
    }

    /** A copy with another history size before the first decision. */
    public CalibrationSettings withMinHistory(int windows) {
        return new CalibrationSettings(
                expectedRunLength,
                Math.max(historyCapacity, windows),
                windows,
                referenceWindows,
                settleWindows,
                admissionLag,
                tailFraction,
                cusumDrift,
                maxPending);
    }

    /** Writes the settings in a fixed layout, for the byte states that embed them. */
    public void writeTo(java.io.DataOutput out) throws java.io.IOException {
        out.writeDouble(expectedRunLength);
        out.writeInt(historyCapacity);
        out.writeInt(minHistory);
        out.writeInt(referenceWindows);
        out.writeInt(settleWindows);
        out.writeInt(admissionLag);
        out.writeDouble(tailFraction);
        out.writeDouble(cusumDrift);
        out.writeInt(maxPending);
    }

    /**
     * Reads settings written by {@link #writeTo}.
     *
     * @throws IllegalArgumentException when the values are out of range
     */
    public static CalibrationSettings readFrom(java.io.DataInput in) throws java.io.IOException {
        return new CalibrationSettings(
                in.readDouble(),
                in.readInt(),
                in.readInt(),
                in.readInt(),
                in.readInt(),
                in.readInt(),
                in.readDouble(),
                in.readDouble(),
                in.readInt());
    }
}
