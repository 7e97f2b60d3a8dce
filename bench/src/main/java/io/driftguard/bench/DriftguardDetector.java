package io.driftguard.bench;

import io.driftguard.operators.detect.PairedReferenceDetector;
import io.driftguard.operators.detect.PooledReferenceDetector;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.sketch.SketchConfig;

/**
 * driftguard's detector as the streaming job runs it: the benchmark feeds every window to the
 * product's {@link io.driftguard.operators.detect.WindowDetector} for the reference policy, the
 * class behind the job's policy of that name.
 *
 * <ul>
 *   <li>{@code fixed} ({@link PooledReferenceDetector}) pools {@link #REFERENCE_WINDOWS} windows (a
 *       key's first ones, and after each confirmed change the ones that follow the calibration's
 *       settling windows) and keeps them until the next confirmed change; {@code seasonal:P}
 *       compares each window with the window {@code P} windows earlier. The most responsible
 *       feature is the one whose per-feature channel is most significant.
 *   <li>{@code previous} and {@code last-K} ({@link PairedReferenceDetector}) compare each window
 *       with the one before it, or the K before it merged, sampled as the job samples them (a
 *       reservoir of {@link SketchConfig#DEFAULT_RESERVOIR_SIZE} records per window).
 * </ul>
 */
public final class DriftguardDetector implements WindowDetector {

    /** Windows pooled into a fresh fixed reference. */
    public static final int REFERENCE_WINDOWS = PooledReferenceDetector.REFERENCE_WINDOWS;

    /** Second-stage permutations of the paired policies' test before calibration (the job's default). */
    static final int PERMUTATIONS = 200;

    private final java.util.function.IntFunction<io.driftguard.operators.detect.WindowDetector> create;
    private io.driftguard.operators.detect.WindowDetector detector;

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
        this.create = d -> seasonWindows > 0
                ? PooledReferenceDetector.seasonal(settings, seasonWindows)
                : PooledReferenceDetector.fixed(settings);
    }

    private DriftguardDetector(java.util.function.IntFunction<io.driftguard.operators.detect.WindowDetector> create) {
        this.create = create;
    }

    /**
     * A detector under {@code previous} ({@code windows == 1}) or {@code last-K}, with the job's
     * calibration for those policies (budget {@code expectedRunLength}); its sketches take the
     * stream's dimension from the first window.
     */
    public static DriftguardDetector paired(double expectedRunLength, int windows, long seed) {
        CalibrationSettings settings = CalibrationSettings.defaults().withExpectedRunLength(expectedRunLength);
        return new DriftguardDetector(d -> new PairedReferenceDetector(settings, SketchConfig.defaults(d, seed),
                windows, PERMUTATIONS, seed));
    }

    @Override
    public String name() {
        return "driftguard";
    }

    @Override
    public Decision onWindow(double[][] window) {
        if (detector == null) {
            detector = create.apply(window.length == 0 ? 0 : window[0].length);
        }
        io.driftguard.operators.detect.WindowDetector.Verdict v = detector.onWindow(window);
        return v.drift() ? new Decision(true, v.topFeature(), -1) : Decision.NONE;
    }
}
