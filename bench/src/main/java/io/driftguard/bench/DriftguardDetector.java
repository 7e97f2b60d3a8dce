package io.driftguard.bench;

import io.driftguard.operators.detect.PooledReferenceDetector;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.detect.calibration.KeyCalibration;

/**
 * driftguard's detector as the streaming job runs it: the benchmark feeds every window to a
 * {@link PooledReferenceDetector}, the class behind the job's {@code fixed} and {@code
 * seasonal:<period>} reference policies.
 *
 * <p>{@code fixed} pools {@link #REFERENCE_WINDOWS} windows (a key's first ones, and after each
 * confirmed change the ones that follow the calibration's settling windows) and keeps them until
 * the next confirmed change; {@code seasonal:P} compares each window with the window {@code P} windows
 * earlier. The most responsible feature is the one whose per-feature channel is most significant.
 */
public final class DriftguardDetector implements WindowDetector {

    /** Windows pooled into a fresh fixed reference. */
    public static final int REFERENCE_WINDOWS = PooledReferenceDetector.REFERENCE_WINDOWS;

    private final PooledReferenceDetector detector;

    /**
     * The calibration used by the benchmark: the defaults with budget {@code expectedRunLength}
     * and a reference of {@link #REFERENCE_WINDOWS} windows (after the default settling windows
     * when a change is confirmed).
     */
    public static CalibrationSettings settings(double expectedRunLength) {
        return PooledReferenceDetector.settings(expectedRunLength);
    }

    /** A detector with a fixed reference. */
    public DriftguardDetector(CalibrationSettings settings) {
        this(settings, 0);
    }

    /**
     * A detector with a fixed reference ({@code seasonWindows == 0}) or a seasonal one of period
     * {@code seasonWindows} windows.
     */
    public DriftguardDetector(CalibrationSettings settings, int seasonWindows) {
        if (seasonWindows < 0) {
            throw new IllegalArgumentException("season must be >= 0, got " + seasonWindows);
        }
        this.detector =
                seasonWindows > 0
                        ? PooledReferenceDetector.seasonal(settings, seasonWindows)
                        : PooledReferenceDetector.fixed(settings);
    }

    @Override
    public String name() {
        return "driftguard";
    }

    /** The calibration state (null before the first window). */
    KeyCalibration calibration() {
        return detector.calibration();
    }

    @Override
    public Decision onWindow(double[][] window) {
        PooledReferenceDetector.Verdict v = detector.onWindow(window);
        return v.drift() ? new Decision(true, v.topFeature(), -1) : Decision.NONE;
    }
}
