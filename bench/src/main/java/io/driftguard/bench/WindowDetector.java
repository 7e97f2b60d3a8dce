package io.driftguard.bench;

/**
 * A drift detector that sees a stream one window at a time.
 *
 * <p>Implementations keep their own state; a fresh instance is made per stream.
 */
public interface WindowDetector {

    /** Short name for tables and JSON. */
    String name();

    /**
     * Reads the next window, {@code window[record][feature]}, and says whether it confirms a
     * change.
     */
    Decision onWindow(double[][] window);

    /**
     * A detector's verdict on one window.
     *
     * @param drift whether a change is flagged at this window
     * @param topFeature the feature judged most responsible, or -1 when unknown
     * @param changeOffset estimated record offset of the change inside this window, or -1
     */
    record Decision(boolean drift, int topFeature, int changeOffset) {
        /** No change. */
        public static final Decision NONE = new Decision(false, -1, -1);

        /** A change without attribution or position. */
        public static Decision fire() {
            return new Decision(true, -1, -1);
        }
    }
}
