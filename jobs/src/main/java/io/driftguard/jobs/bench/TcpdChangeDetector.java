package io.driftguard.jobs.bench;

import io.driftguard.operators.detect.calibration.CalibratedDecision;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.detect.calibration.KeyCalibration;
import io.driftguard.operators.stats.UnivariateTests;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * driftguard's calibrated decisions applied record by record to short series (TCPD), one
 * configuration for every series.
 *
 * <p>At record {@code t} the current window is the last {@value #WINDOW} records and the reference
 * the up to {@value #MAX_REFERENCE} records before it, since the last change. Per dimension the
 * statistic is the absolute difference of their means over its standard error, the noise scale
 * being the median absolute first difference of the reference / 0.954 (robust to level and slow
 * trend). The key's {@link KeyCalibration} decides, with a budget of {@value #EXPECTED_RUN_LENGTH}
 * records, {@value #MIN_HISTORY} statistics of history before the first decision and a reference
 * of {@value #MIN_REFERENCE} records (plus the window) rebuilt after each change. At an alarm the
 * change is placed at the split of the last {@value #WINDOW} records that maximises the weighted
 * squared mean difference against the reference; the next segment starts there.
 */
public final class TcpdChangeDetector {

    static final int WINDOW = 5;
    static final int MIN_REFERENCE = 10;
    static final int MAX_REFERENCE = 50;
    static final int MIN_HISTORY = 10;
    static final double EXPECTED_RUN_LENGTH = 500;

    /** The configuration, stated for reports. */
    public static String describe() {
        return String.format(
                "record-level: window %d, reference %d..%d records since the last change,"
                        + " mean-difference statistic per dimension, calibrated with budget %.0f"
                        + " records, %d statistics of history before the first decision",
                WINDOW, MIN_REFERENCE, MAX_REFERENCE, EXPECTED_RUN_LENGTH, MIN_HISTORY);
    }

    /** The 0-based change indices found in {@code x[record][dimension]}. */
    public int[] detect(double[][] x) {
        int n = x.length;
        if (n == 0) {
            return new int[0];
        }
        int d = x[0].length;
        CalibrationSettings settings =
                new CalibrationSettings(
                        EXPECTED_RUN_LENGTH,
                        1000,
                        MIN_HISTORY,
                        MIN_REFERENCE + WINDOW - 1,
                        0,
                        WINDOW,
                        0.25,
                        3.0,
                        64);
        KeyCalibration cal = KeyCalibration.create(settings, d);
        List<Integer> cps = new ArrayList<>();
        int start = 0;
        for (int t = 0; t < n; t++) {
            if (cal.buildingReference()) {
                cal.absorbReferenceWindow();
                continue;
            }
            int curStart = t - WINDOW + 1;
            int refStart = Math.max(start, curStart - MAX_REFERENCE);
            if (curStart - refStart < 2) {
                // the segment is too short yet (a change was placed late in the last window)
                continue;
            }
            double[] stats = new double[d];
            for (int f = 0; f < d; f++) {
                stats[f] = zStat(x, f, refStart, curStart, t + 1);
            }
            CalibratedDecision verdict = cal.decide(stats);
            if (verdict.drift()) {
                int cp = locate(x, refStart, curStart, t + 1);
                cps.add(cp);
                start = cp;
            }
        }
        return cps.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double zStat(double[][] x, int f, int refStart, int curStart, int end) {
        double scale = noiseScale(x, f, refStart, curStart);
        double diff = Math.abs(mean(x, f, curStart, end) - mean(x, f, refStart, curStart));
        double se = scale * Math.sqrt(1.0 / (end - curStart) + 1.0 / (curStart - refStart));
        return diff / se;
    }

    private static double noiseScale(double[][] x, int f, int from, int to) {
        int m = to - from;
        double[] diffs = new double[Math.max(0, m - 1)];
        for (int i = from + 1; i < to; i++) {
            diffs[i - from - 1] = Math.abs(x[i][f] - x[i - 1][f]);
        }
        double s = 0;
        if (diffs.length > 0) {
            Arrays.sort(diffs);
            s = UnivariateTests.quantileOfSorted(diffs, 0.5) / 0.954;
        }
        if (!(s > 0)) {
            double mean = mean(x, f, from, to);
            double sq = 0;
            for (int i = from; i < to; i++) {
                sq += (x[i][f] - mean) * (x[i][f] - mean);
            }
            s = Math.sqrt(sq / Math.max(1, m - 1));
        }
        if (!(s > 0)) {
            s = 1e-9 * Math.max(1.0, Math.abs(mean(x, f, from, to)));
        }
        return s;
    }

    private static int locate(double[][] x, int refStart, int curStart, int end) {
        int best = curStart;
        double bestScore = -1;
        for (int tau = curStart; tau < end; tau++) {
            double score = 0;
            int n1 = tau - refStart;
            int n2 = end - tau;
            for (int f = 0; f < x[0].length; f++) {
                double s = noiseScale(x, f, refStart, curStart);
                double diff = (mean(x, f, tau, end) - mean(x, f, refStart, tau)) / s;
                score += diff * diff * n1 * n2 / (double) (n1 + n2);
            }
            if (score > bestScore) {
                bestScore = score;
                best = tau;
            }
        }
        return best;
    }

    private static double mean(double[][] x, int f, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i][f];
        }
        return s / Math.max(1, to - from);
    }
}
