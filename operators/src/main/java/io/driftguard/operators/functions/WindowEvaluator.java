package io.driftguard.operators.functions;

import io.driftguard.operators.detect.ChangeBlocks;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.detect.FeatureScore;
import io.driftguard.operators.detect.MissingRate;
import io.driftguard.operators.detect.PairedReferenceDetector;
import io.driftguard.operators.detect.PooledReferenceDetector;
import io.driftguard.operators.detect.WindowStatistics;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.detect.calibration.KeyCalibration;
import io.driftguard.operators.sketch.MomentsSketch;
import io.driftguard.operators.sketch.ReservoirSketch;
import io.driftguard.operators.sketch.RffSketch;
import io.driftguard.operators.sketch.SplitMix64;
import io.driftguard.operators.sketch.WindowSketch;
import io.driftguard.operators.stats.MedianHeuristic;
import io.driftguard.operators.stats.MmdPermutationTest;
import io.driftguard.operators.stats.ProxyADistance;
import io.driftguard.operators.stats.ClassifierTest;
import io.driftguard.operators.stats.Meda;
import io.driftguard.operators.stats.UnivariateTests;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Compares a closed window with its reference, decides whether the key drifted and builds the
 * drift event: the statistics that decided, and descriptive figures named as such.
 *
 * <p>The decision is the key's {@link io.driftguard.operators.detect.WindowDetector}'s, the class
 * the detection benchmark runs: with the {@code fixed} and {@code seasonal} policies its {@link
 * PooledReferenceDetector} (the caller feeds it and passes its verdict), calibrated against the
 * key's null history once it has one, the early test before; with {@code previous} and {@code
 * last-K} {@link PairedReferenceDetector#decide} against the reference windows the caller keeps,
 * calibrated alike, the aggregated permutation test with a minimum effect before.
 *
 * <p>The event's p-value is the decision's: the calibrated one, a permutation test's where one
 * decided, else the classifier two-sample test's of the A-distance ({@link
 * io.driftguard.operators.stats.ClassifierTest}), which costs nothing more. A calibrated alarm also
 * gets the aggregated permutation p-value (descriptive). Descriptive figures: the proxy A-distance
 * (Fisher discriminant under {@code fixed} and {@code seasonal}, logistic regression otherwise),
 * per-feature KS distances on the reservoir samples, MEDA's mu, the nearest earlier window.
 *
 * <p>Missing values (NaN features): {@link WindowStatistics} treats them itself (missing bins,
 * imputation by the reference median in the kernel channels). Everything else computed on raw
 * rows here (the median heuristic, the permutation tests, the proxy A-distance, KS, MEDA's mu)
 * sees each missing value replaced by the reference sample's median of that feature's present
 * values; rows are copied only when a value is missing.
 *
 * <p>Cost per window of a calibrated {@code fixed} key at the defaults (reservoir 256, d = 8): its
 * decision (O(n h d) kernel sums, h = 256 herded reference rows), a closed-form A-distance O(n
 * d^2), the KS distances O(n d log n) and the nearest-window search O(H D) over H kept
 * embeddings of D Fourier features; permutations, O(B n^2 L), only for alarms and for the early
 * test of a large effect. Nothing per record.
 */
final class WindowEvaluator {

    private static final int MIN_CLASS_SAMPLES = 8;
    private static final int MAX_CLASSES = 20;

    private final DriftSettings settings;
    private final CalibrationSettings calibration;

    WindowEvaluator(DriftSettings settings) {
        this.settings = settings;
        this.calibration = CalibrationSettings.defaults().withExpectedRunLength(settings.expectedRunLength());
    }

    /**
     * The calibration of the {@code fixed} and {@code seasonal} policies' {@link
     * PooledReferenceDetector}: the benchmarked settings (8 pooled windows after 6 settling
     * windows) with the configured false-alarm budget.
     */
    CalibrationSettings pooledCalibration() {
        return PooledReferenceDetector.settings(settings.expectedRunLength());
    }

    /** Evaluation outcome. */
    record Result(DriftEvent event, boolean warmingUp) {}

    /** Median-heuristic bandwidth of one window's sample (raw units), for its Fourier features. */
    static double bandwidth(WindowSketch w, long seed) {
        double[][] rows = w.reservoir().rows();
        if (rows.length < 2) {
            return 1.0;
        }
        rows = WindowStatistics.impute(rows, WindowStatistics.presentMedians(rows));
        int half = rows.length / 2;
        return MedianHeuristic.sigma(
                Arrays.copyOfRange(rows, 0, half), Arrays.copyOfRange(rows, half, rows.length), seed);
    }

    /**
     * Evaluates a window against one reference window (policies {@code previous} and {@code
     * last-K}): the key's {@link KeyCalibration} in {@code meta} decides, falling back to the
     * warm-up decision while it has too little history.
     */
    Result evaluate(
            String key,
            KeyMeta meta,
            WindowSketch cur,
            long start,
            long end,
            WindowSketch ref,
            long refStart,
            long refEnd,
            List<WindowDriftFunction.Stored> history,
            double[] blocks) {
        long seed = SplitMix64.derive(settings.seed(), start);
        PairedReferenceDetector.Decision dec = PairedReferenceDetector.decide(
                meta.calibration == null ? null : KeyCalibration.fromBytes(meta.calibration), calibration, ref, cur,
                seed, settings.permutations());
        meta.calibration = dec.calibration().toBytes();
        int d = meta.dimension;
        MomentsSketch mom = ref.moments();
        double[] refMissing = new double[d];
        for (int f = 0; f < d; f++) {
            refMissing[f] = mom.missingRate(f);
        }
        double[] ks = ks(dec.reference(), dec.window(), d);
        Nearest nearest = nearest(cur, history, refStart, refEnd);
        DriftEvent e = DriftEvent.builder(key, start, end)
                .reference(refStart, refEnd, ref.count())
                .current(cur.count())
                .mmd(dec.mmd2(), dec.sigma())
                .pValues(dec.pValue(), dec.aggregatedPValue())
                .aDistance(clip(dec.aDistance()))
                .decision(dec.drift(), dec.calibrated())
                .features(featureScores(meta, ks, null))
                .changeAt(dec.drift() && blocks != null ? ChangeBlocks.changeAt(blocks, start) : null)
                .mu(mu(ref.reservoir(), cur, dec.aDistance(), seed))
                .nearest(nearest.start, nearest.distance)
                .build();
        Result r = new Result(e, !dec.calibrated());
        MissingRate[] missing = missingRates(meta, cur.moments(), refMissing);
        return missing == null ? r : new Result(r.event().withMissing(missing), r.warmingUp());
    }

    /**
     * Reports a window that a {@link PooledReferenceDetector} decided (policies {@code fixed} and
     * {@code seasonal:<period>}). The event carries the statistics that decided:
     *
     * <ul>
     *   <li>a calibrated window: {@code mmd2} is the detector's middle MMD^2 channel ({@link
     *       WindowStatistics}, bandwidth {@code sigma} in the reference's robust standard units)
     *       and {@code p_value} the calibrated, Bonferroni-combined p-value of all channels
     *       against the key's null history; no permutation runs;
     *   <li>a window before the key is calibrated: the same {@code mmd2}, and the permutation
     *       p-value of the early test's aggregated multi-bandwidth MMD when its A-distance was large
     *       enough for it to run, else the single-bandwidth permutation p-value of the window
     *       against the reference rows (two stages, 63 then the configured permutations).
     * </ul>
     *
     * <p>Descriptive figures, the same for both: the proxy A-distance (a regularised Fisher
     * discriminant, {@link ProxyADistance#linearDiscriminant}, against the reference rows thinned
     * evenly to one reservoir), per-feature KS distances ordered by the decision's per-feature
     * evidence, MEDA's mu ({@code labelled}: the newest reference window's or the window a period
     * back's reservoir) and the nearest earlier window. The aggregated p-value is computed for a
     * calibrated alarm only. n_ref and the reference span are the pooled reference's.
     */
    Result evaluate(
            String key,
            KeyMeta meta,
            WindowSketch cur,
            long start,
            long end,
            PooledReferenceDetector.Verdict verdict,
            ReservoirSketch labelled,
            List<WindowDriftFunction.Stored> history,
            double[] blocks,
            double[][] sortedReference) {
        long seed = SplitMix64.derive(settings.seed(), start);
        double[][] xr = PooledReferenceDetector.thin(verdict.reference(), settings.reservoirSize());
        double[][] xc = cur.reservoir().rows();
        MissingRate[] missing = missingRates(meta, cur.moments(), WindowStatistics.missingRates(xr));
        // missing values imputed by the (thinned) reference's medians
        if (anyMissing(xr) || anyMissing(xc)) {
            double[] medians = WindowStatistics.presentMedians(xr);
            xr = WindowStatistics.impute(xr, medians);
            xc = WindowStatistics.impute(xc, medians);
        }
        int d = meta.dimension;
        boolean calibrated = verdict.calibrated();
        boolean drift = verdict.drift();
        double mmd2 = verdict.statistics()[1];
        double sigma = verdict.sigma();
        PooledReferenceDetector.EarlyTest early = verdict.early();
        double pAgg = Double.NaN;
        double aDist = early != null ? early.aDistance() : Double.NaN;
        if (Double.isNaN(aDist) && xr.length >= 10 && xc.length >= 10) {
            aDist = ProxyADistance.linearDiscriminant(xr, xc, seed);
        }
        boolean testable = xr.length >= 2 && xc.length >= 2;
        double[][] zr = null;
        double[][] zc = null;
        if (testable && drift && calibrated) {
            double[] mean = new double[d];
            double[] scale = new double[d];
            moments(xr, mean, scale);
            zr = PairedReferenceDetector.standardise(xr, mean, scale);
            zc = PairedReferenceDetector.standardise(xc, mean, scale);
        }
        double p = verdict.pValue();
        if (!calibrated && early != null && !Double.isNaN(early.pValue())) {
            // the early test's permutation test ran: it decided
            pAgg = early.pValue();
        }
        if (drift && calibrated && testable) {
            double s = MedianHeuristic.sigma(zr, zc, seed);
            pAgg = MmdPermutationTest.testMultiBandwidthTwoStage(
                            zr, zc, MmdPermutationTest.bandwidthGrid(s, PairedReferenceDetector.BANDWIDTH_MULTIPLIERS),
                            Math.min(PairedReferenceDetector.FIRST_STAGE_PERMUTATIONS, settings.permutations()),
                            PairedReferenceDetector.FIRST_STAGE_STOP, settings.permutations(), seed)
                    .pValue();
        }
        int[] order = null;
        if (calibrated) {
            order = PooledReferenceDetector.featureOrder(verdict.decision(), d);
        } else if (drift && verdict.topFeature() >= 0) {
            order = topFirst(verdict.topFeature(), d);
        }
        double[][] sortedRef = sortedReference;
        double[] ks = sortedRef != null && sortedRef.length == d && sortedRef[0].length == xr.length
                ? ksAgainstSorted(sortedRef, xc, d)
                : ks(xr, xc, d);
        FeatureScore[] scores = featureScores(meta, ks, order);
        double mu = labelled == null ? Double.NaN : mu(labelled, cur, aDist, seed);
        Nearest nearest = nearest(cur, history, verdict.referenceStart(), verdict.referenceEnd());
        DriftEvent e = DriftEvent.builder(key, start, end)
                .reference(verdict.referenceStart(), verdict.referenceEnd(), verdict.referenceCount())
                .current(cur.count())
                .mmd(mmd2, sigma)
                .pValues(p, pAgg)
                .aDistance(clip(aDist))
                .decision(drift, calibrated)
                .features(scores)
                .changeAt(drift && blocks != null ? ChangeBlocks.changeAt(blocks, start) : null)
                .mu(mu)
                .nearest(nearest.start, nearest.distance)
                .missing(missing)
                .build();
        return new Result(e, !calibrated);
    }

    /**
     * The per-feature missing rates of the window (its moments, over all its records) and of the
     * reference; null when no feature has a missing value on either side.
     */
    private static MissingRate[] missingRates(KeyMeta meta, MomentsSketch window, double[] reference) {
        int d = window.dimension();
        boolean any = window.hasMissing();
        for (int f = 0; f < d && !any; f++) {
            any = reference[f] > 0;
        }
        if (!any) {
            return null;
        }
        MissingRate[] out = new MissingRate[d];
        for (int f = 0; f < d; f++) {
            double rate = window.missingRate(f);
            out[f] = new MissingRate(meta.names != null ? meta.names[f] : "f" + f, Double.isNaN(rate) ? 0.0 : rate,
                    reference[f]);
        }
        return out;
    }

    private static boolean anyMissing(double[][] rows) {
        for (double[] r : rows) {
            for (double v : r) {
                if (v != v) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The feature order with {@code top} first, the rest in index order. */
    private static int[] topFirst(int top, int d) {
        int[] order = new int[d];
        order[0] = top;
        int at = 1;
        for (int f = 0; f < d; f++) {
            if (f != top) {
                order[at++] = f;
            }
        }
        return order;
    }

    /** Per-feature mean and 1 / standard deviation of {@code rows} (1 for a constant feature). */
    private static void moments(double[][] rows, double[] mean, double[] scale) {
        int d = mean.length;
        for (double[] r : rows) {
            for (int f = 0; f < d; f++) {
                mean[f] += r[f];
            }
        }
        for (int f = 0; f < d; f++) {
            mean[f] /= Math.max(1, rows.length);
        }
        double[] ss = new double[d];
        for (double[] r : rows) {
            for (int f = 0; f < d; f++) {
                double e = r[f] - mean[f];
                ss[f] += e * e;
            }
        }
        for (int f = 0; f < d; f++) {
            scale[f] = inverse(rows.length > 1 ? Math.sqrt(ss[f] / (rows.length - 1)) : 0.0);
        }
    }

    /** Per feature, the KS distance of the window's sample from the reference's sorted columns. */
    private static double[] ksAgainstSorted(double[][] sortedRef, double[][] xc, int d) {
        double[] ks = new double[d];
        if (xc.length == 0) {
            return ks;
        }
        double[] b = new double[xc.length];
        for (int f = 0; f < d; f++) {
            for (int i = 0; i < b.length; i++) {
                b[i] = xc[i][f];
            }
            Arrays.sort(b);
            ks[f] = UnivariateTests.kolmogorovSmirnovSorted(sortedRef[f], b);
        }
        return ks;
    }

    /** Per feature, the two-sample Kolmogorov-Smirnov distance between the samples. */
    private static double[] ks(double[][] xr, double[][] xc, int d) {
        // on the samples rather than the KLL sketches: KLL compaction draws from an unseeded
        // random source, and events must be reproducible for the same input and seed
        double[] ks = new double[d];
        if (xr.length > 0 && xc.length > 0) {
            double[] a = new double[xr.length];
            double[] b = new double[xc.length];
            for (int f = 0; f < d; f++) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = xr[i][f];
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = xc[i][f];
                }
                ks[f] = UnivariateTests.kolmogorovSmirnov(a, b);
            }
        }
        return ks;
    }

    private record Nearest(Long start, double distance) {}

    /** The most similar earlier window by RFF MMD^2, skipping the reference span. */
    private static Nearest nearest(
            WindowSketch cur, List<WindowDriftFunction.Stored> history, long refStart, long refEnd) {
        Long nearestStart = null;
        double nearestDist = Double.NaN;
        RffSketch rc = cur.rff().orElse(null);
        if (rc != null) {
            for (WindowDriftFunction.Stored s : history) {
                // an embedding kept before a restore with other sketch settings does not compare
                if (s.start() == refStart && s.end() == refEnd || !RffSketch.isOver(s.bytes(), rc.basis())) {
                    continue;
                }
                double dist = rc.mmd2(RffSketch.fromBytes(s.bytes(), rc.basis()));
                if (nearestStart == null || dist < nearestDist) {
                    nearestStart = s.start();
                    nearestDist = dist;
                }
            }
        }
        return new Nearest(nearestStart, nearestDist);
    }

    private static double inverse(double sd) {
        return sd > 0 && Double.isFinite(sd) ? 1.0 / sd : 1.0;
    }

    private static double clip(double a) {
        return Double.isNaN(a) ? a : Math.max(0.0, Math.min(2.0, a));
    }

    /**
     * Each feature's KS distance, most responsible first: in {@code order} (the decision's
     * per-feature evidence) when given, else by descending distance.
     */
    private static FeatureScore[] featureScores(KeyMeta meta, double[] ks, int[] order) {
        List<FeatureScore> list = new ArrayList<>(ks.length);
        for (int i = 0; i < ks.length; i++) {
            int f = order == null ? i : order[i];
            String name = meta.names != null ? meta.names[f] : "f" + f;
            list.add(new FeatureScore(name, ks[f]));
        }
        if (order == null) {
            list.sort(Comparator.comparingDouble(FeatureScore::score).reversed());
        }
        return list.toArray(new FeatureScore[0]);
    }

    /** MEDA's mu from class-conditional A-distances, NaN without usable labels. */
    private static double mu(ReservoirSketch ref, WindowSketch cur, double dM, long seed) {
        if (!ref.hasLabels() || !cur.reservoir().hasLabels() || Double.isNaN(dM)) {
            return Double.NaN;
        }
        double[] lr = ref.labels();
        double[] lc = cur.reservoir().labels();
        double[] classes = Arrays.stream(lr).filter(v -> v != WindowDriftFunction.UNLABELLED).distinct().sorted().toArray();
        if (classes.length < 2 || classes.length > MAX_CLASSES) {
            return Double.NaN;
        }
        double[][] xr = ref.rows();
        double[][] xc = cur.reservoir().rows();
        double[] medians = WindowStatistics.presentMedians(xr);
        xr = WindowStatistics.impute(xr, medians);
        xc = WindowStatistics.impute(xc, medians);
        List<Double> dc = new ArrayList<>();
        for (double c : classes) {
            double[][] a = select(xr, lr, c);
            double[][] b = select(xc, lc, c);
            if (a.length >= MIN_CLASS_SAMPLES && b.length >= MIN_CLASS_SAMPLES) {
                dc.add(clip(ProxyADistance.compute(a, b, seed ^ Double.doubleToLongBits(c))));
            }
        }
        if (dc.isEmpty()) {
            return Double.NaN;
        }
        return Meda.dynamicFactor(clip(dM), dc.stream().mapToDouble(Double::doubleValue).toArray(), Meda.Aggregation.SUM);
    }

    private static double[][] select(double[][] x, double[] labels, double c) {
        int n = 0;
        for (double l : labels) {
            if (l == c) {
                n++;
            }
        }
        double[][] out = new double[n][];
        int j = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == c) {
                out[j++] = x[i];
            }
        }
        return out;
    }
}
