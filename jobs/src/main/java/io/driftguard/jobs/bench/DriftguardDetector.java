package io.driftguard.jobs.bench;

import io.driftguard.operators.detect.WindowStatistics;
import io.driftguard.operators.detect.calibration.CalibratedDecision;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.detect.calibration.KeyCalibration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * driftguard's detector: every window's {@link WindowStatistics} against the key's reference,
 * decided by the key's {@link KeyCalibration}.
 *
 * <p>Two reference modes: {@code fixed} pools the last {@code referenceWindows} windows of the
 * reference phase (after the stream start or a confirmed change, once the change has settled) and
 * keeps them until the next confirmed change; {@code seasonal:P} compares each window with the
 * window {@code P} windows earlier, so that a season of {@code P} windows is not taken for drift.
 * The most responsible feature is the one whose per-feature channel is most significant.
 *
 * <p>The fixed reference pools {@link #REFERENCE_WINDOWS} windows, taken after the calibration's
 * settling windows. A window is compared with a reference estimated from {@code k} times as many
 * records, so the reference's own sampling error adds about {@code 1/k} to the variance of every
 * statistic of a window against it; that error is shared by all windows until the next change, so
 * it moves them together instead of averaging out, and the null history, gathered across
 * references, sees it only as extra spread. With {@code k = 8} it is an eighth of the window's
 * own error.
 */
public final class DriftguardDetector implements WindowDetector {

    /** Windows pooled into a fresh fixed reference. */
    public static final int REFERENCE_WINDOWS = 8;

    private final CalibrationSettings settings;
    private final int season;
    private final List<double[][]> referenceWindows = new ArrayList<>();
    private final ArrayDeque<double[][]> seasonRing = new ArrayDeque<>();
    private KeyCalibration calibration;
    private WindowStatistics statistics;

    /**
     * The calibration used by the benchmark: the defaults with budget {@code expectedRunLength}
     * and a reference of {@link #REFERENCE_WINDOWS} windows after the default settling windows.
     */
    public static CalibrationSettings settings(double expectedRunLength) {
        CalibrationSettings d = CalibrationSettings.defaults().withExpectedRunLength(expectedRunLength);
        return d.withReference(REFERENCE_WINDOWS, d.settleWindows());
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
        this.season = seasonWindows;
        this.settings = seasonWindows > 0
                ? settings.withReference(seasonWindows, settings.settleWindows())
                : settings;
    }

    @Override
    public String name() {
        return "driftguard";
    }

    /** The calibration state (null before the first window). */
    KeyCalibration calibration() {
        return calibration;
    }

    @Override
    public Decision onWindow(double[][] window) {
        int d = window[0].length;
        if (calibration == null) {
            calibration = KeyCalibration.create(settings, WindowStatistics.MULTIVARIATE_CHANNELS + 2 * d);
        }
        return season > 0 ? seasonal(window) : fixed(window);
    }

    private Decision fixed(double[][] window) {
        if (calibration.buildingReference()) {
            if (calibration.keepsReferenceWindow()) {
                referenceWindows.add(window);
            }
            calibration.absorbReferenceWindow();
            if (!calibration.buildingReference()) {
                statistics = new WindowStatistics(referenceWindows);
            }
            return Decision.NONE;
        }
        CalibratedDecision verdict = calibration.decide(statistics.statistics(window));
        if (!verdict.drift()) {
            return Decision.NONE;
        }
        referenceWindows.clear();
        statistics = null;
        return new Decision(true, topFeature(verdict, window[0].length), -1);
    }

    private Decision seasonal(double[][] window) {
        Decision out = Decision.NONE;
        if (calibration.buildingReference()) {
            calibration.absorbReferenceWindow();
        } else {
            WindowStatistics stats = new WindowStatistics(List.<double[][]>of(seasonRing.peekFirst()));
            CalibratedDecision verdict = calibration.decide(stats.statistics(window));
            if (verdict.drift()) {
                out = new Decision(true, topFeature(verdict, window[0].length), -1);
            }
        }
        seasonRing.addLast(window);
        while (seasonRing.size() > season) {
            seasonRing.removeFirst();
        }
        return out;
    }

    /** The feature whose most significant per-feature channel is the most significant. */
    private static int topFeature(CalibratedDecision verdict, int dims) {
        int top = verdict.rank(WindowStatistics.MULTIVARIATE_CHANNELS, 2 * dims)[0];
        return top % dims;
    }
}
