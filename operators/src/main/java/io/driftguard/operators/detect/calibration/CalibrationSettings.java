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
 */
public record CalibrationSettings(
        double expectedRunLength,
        int historyCapacity,
        int minHistory,
        int referenceWindows,
        int settleWindows,
        int admissionLag,
        double tailFraction) {

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
    }

    /**
     * The defaults: budget 2000 windows, 1000 statistics of history, 30 before the first decision,
     * 4 reference windows, 6 settling windows, an admission lag of 3 windows, a tail fit on the top
     * 10 %.
     */
    public static CalibrationSettings defaults() {
        return new CalibrationSettings(DEFAULT_EXPECTED_RUN_LENGTH, 1000, 30, 4, 6, 3, 0.1);
    }

    /** The per-window false-alarm probability, {@code 1 / expectedRunLength}. */
    public double alpha() {
        return 1.0 / expectedRunLength;
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
                tailFraction);
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
                tailFraction);
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
                tailFraction);
    }
}
