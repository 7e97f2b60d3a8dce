package io.driftguard.bench;

import io.driftguard.operators.detect.WindowStatistics;
import io.driftguard.operators.detect.calibration.CalibratedDecision;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.detect.calibration.KeyCalibration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's detector as it was before it moved to operators, to check the move changed no decision. */
final class LegacyDriftguardDetector implements WindowDetector {

    private final CalibrationSettings settings;
    private final int season;
    private final List<double[][]> referenceWindows = new ArrayList<>();
    private final ArrayDeque<double[][]> seasonRing = new ArrayDeque<>();
    private KeyCalibration calibration;
    private WindowStatistics statistics;

    /** A detector with a fixed reference. */
    LegacyDriftguardDetector(CalibrationSettings settings) {
        this(settings, 0);
    }

    /**
     * A detector with a fixed reference ({@code seasonWindows == 0}) or a seasonal one of period
     * {@code seasonWindows} windows.
     */
    LegacyDriftguardDetector(CalibrationSettings settings, int seasonWindows) {
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
