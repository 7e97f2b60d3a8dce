package io.driftguard.operators.detect;

import io.driftguard.operators.detect.calibration.CalibratedDecision;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.detect.calibration.KeyCalibration;
import io.driftguard.operators.sketch.MomentsSketch;
import io.driftguard.operators.sketch.SketchConfig;
import io.driftguard.operators.sketch.SplitMix64;
import io.driftguard.operators.sketch.WindowSketch;
import io.driftguard.operators.stats.ClassifierTest;
import io.driftguard.operators.stats.MedianHeuristic;
import io.driftguard.operators.stats.Mmd;
import io.driftguard.operators.stats.MmdPermutationTest;
import io.driftguard.operators.stats.ProxyADistance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The {@code previous} and {@code last-K} reference policies' detector: each window against the
 * window before it, or the K windows before it merged.
 *
 * <p>{@link #decide} is the decision, shared with the streaming job (which keeps the reference
 * windows in its own state and passes them in): the window's {@link WindowStatistics} channels
 * against the reference, ranked by the key's {@link KeyCalibration} with a false-alarm budget of
 * one per {@code expectedRunLength} windows. Until the key has that history the decision is the
 * aggregated multi-bandwidth permutation test ({@link #BANDWIDTH_MULTIPLIERS} times the median
 * bandwidth) at level {@link #WARMUP_ALPHA} together with a minimum effect ({@link
 * #WARMUP_MIN_A_DISTANCE}); the test runs only where the effect is reached, or to explain a
 * calibrated alarm. The verdict also carries the single-bandwidth unbiased MMD^2 at the median
 * bandwidth and the proxy A-distance (logistic regression, held out), which the drift event
 * reports.
 *
 * <p>As a {@link WindowDetector} it keeps the last K windows' sketches itself (a sample of at most
 * the configured reservoir per window, and their moments). Cost per window: the channels O(n m d)
 * for a sample of n against a reference of m records, the A-distance O(n d^2) per fold, the
 * permutation test O(B (n + m)^2) only where it runs. Not thread-safe.
 */
public final class PairedReferenceDetector implements WindowDetector {

    /** Format version written first by {@link #toBytes()}. */
    public static final byte VERSION = 1;

    /** Bandwidths of the aggregated test, as multiples of the median-heuristic bandwidth. */
    public static final double[] BANDWIDTH_MULTIPLIERS = {0.25, 0.5, 1.0, 2.0, 4.0};

    /** Level of the exchangeability-based decision while a key has no calibration history. */
    public static final double WARMUP_ALPHA = 0.005;

    /**
     * Effect size a warm-up decision also needs: a linear classifier tells the windows apart with
     * at least 62.5% held-out accuracy. Real series are rarely exchangeable within a window, so a
     * permutation p-value alone flags small, irrelevant differences until the key's own history
     * calibrates the decision.
     */
    public static final double WARMUP_MIN_A_DISTANCE = 0.5;

    /**
     * Permutations of the first stage of the test: the permutation engine evaluates 64 splits per
     * pass over the kernel matrix, so the observed split and 63 permutations cost what 19 would.
     */
    public static final int FIRST_STAGE_PERMUTATIONS = 63;

    /**
     * First-stage p-value at or above which the window is settled without the second stage: the
     * configured number of permutations refines the p-values that may be small (a window whose true
     * p-value is 0.05 goes on with probability 0.9), not those of unremarkable windows.
     */
    public static final double FIRST_STAGE_STOP = 0.1;

    /**
     * One window's decision and the figures it rests on.
     *
     * @param drift whether the window confirms a change
     * @param calibrated whether the key's null history decided
     * @param pValue the decision's p-value: the calibrated one, else the permutation test's where it
     *     ran, else the classifier test's of the A-distance (1 when none could run)
     * @param aggregatedPValue the aggregated permutation test's p-value, NaN where it did not run
     * @param aDistance the proxy A-distance (logistic regression, held out), NaN for samples under 10
     * @param mmd2 the unbiased MMD^2 at the median bandwidth of the standardised samples
     * @param sigma that bandwidth
     * @param reference the reference sample, missing values imputed by its medians
     * @param window the window's sample, imputed alike
     * @param calibration the key's calibration after this window
     */
    public record Decision(
            boolean drift,
            boolean calibrated,
            double pValue,
            double aggregatedPValue,
            double aDistance,
            double mmd2,
            double sigma,
            double[][] reference,
            double[][] window,
            KeyCalibration calibration)
            implements WindowDetector.Verdict {

        @Override
        public String pValueKind() {
            return calibrated ? "calibrated" : Double.isNaN(aggregatedPValue) ? "classifier" : "permutation";
        }

        /** Not attributed here: the event ranks the features by their KS distances. */
        @Override
        public int topFeature() {
            return -1;
        }
    }

    /** The verdict on a window that had no reference. */
    private static final WindowDetector.Verdict NOT_DECIDED = new WindowDetector.Verdict() {
        @Override
        public boolean drift() {
            return false;
        }

        @Override
        public boolean calibrated() {
            return false;
        }

        @Override
        public double pValue() {
            return Double.NaN;
        }

        @Override
        public String pValueKind() {
            return "none";
        }

        @Override
        public int topFeature() {
            return -1;
        }
    };

    /**
     * Decides a window against its reference.
     *
     * @param calibration the key's calibration, null for a key's first decision (created from
     *     {@code settings} then)
     * @param settings the calibration's settings
     * @param ref the reference window (or windows merged)
     * @param cur the window
     * @param seed the window's seed (the bandwidth's, the classifier's folds', the permutations')
     * @param permutations permutations of the aggregated test's second stage
     */
    public static Decision decide(@Nullable KeyCalibration calibration, CalibrationSettings settings,
            WindowSketch ref, WindowSketch cur, long seed, int permutations) {
        double[][] xr = ref.reservoir().rows();
        double[][] xc = cur.reservoir().rows();
        // the calibrated channels are the ones the detection benchmark measures
        WindowStatistics ws = new WindowStatistics(List.<double[][]>of(xr));
        double[] channels = ws.statistics(xc);
        // the rest sees missing values imputed by the reference median
        xr = ws.imputed(xr);
        xc = ws.imputed(xc);
        KeyCalibration cal = calibration == null ? KeyCalibration.create(settings, channels.length) : calibration;
        boolean warming;
        boolean calibratedDrift = false;
        double calibratedP = Double.NaN;
        if (cal.buildingReference()) {
            cal.absorbReferenceWindow();
            warming = true;
        } else {
            CalibratedDecision dec = cal.decide(channels);
            warming = dec.warmingUp();
            calibratedDrift = dec.drift();
            calibratedP = warming ? Double.NaN : dec.pValue();
        }
        int d = cur.moments().dimension();
        MomentsSketch mom = ref.moments();
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int f = 0; f < d; f++) {
            double mu = mom.mean(f); // NaN when the feature is missing in every reference record
            mean[f] = Double.isNaN(mu) ? ws.center(f) : mu;
            double sd = Math.sqrt(mom.variance(f));
            scale[f] = sd > 0 && Double.isFinite(sd) ? 1.0 / sd : 1.0;
        }
        boolean calibrated = !Double.isNaN(calibratedP);
        double[][] zr = standardise(xr, mean, scale);
        double[][] zc = standardise(xc, mean, scale);

        double mmd2 = Double.NaN;
        double sigma = Double.NaN;
        double p = 1.0;
        double aDist = Double.NaN;
        double[] sigmas = null;
        if (zr.length >= 2 && zc.length >= 2) {
            sigma = MedianHeuristic.sigma(zr, zc, seed);
            sigmas = MmdPermutationTest.bandwidthGrid(sigma, BANDWIDTH_MULTIPLIERS);
            mmd2 = Mmd.unbiased(zr, zc, sigma);
            double classifierP = Double.NaN;
            if (zr.length >= 10 && zc.length >= 10) {
                int size = 2 * Math.min(xr.length, xc.length);
                double eps = ProxyADistance.heldOutError(
                        xr, xc, ProxyADistance.DEFAULT_FOLDS, ProxyADistance.DEFAULT_LAMBDA, seed);
                aDist = ProxyADistance.fromError(eps);
                classifierP = ClassifierTest.pValue(eps * size, size);
            }
            // the key's null history decided, or (before it has one) the classifier test's
            // p-value of the A-distance; the aggregated permutation test's, below, where it runs
            p = calibrated ? calibratedP : Double.isNaN(classifierP) ? 1.0 : classifierP;
        }
        // The aggregated multi-bandwidth test costs as much as the rest of the evaluation
        // together: it runs when it decides (a warming key with a large enough effect) or when it
        // explains an alarm; elsewhere its p-value is reported as absent.
        double pAgg = Double.NaN;
        boolean needAgg = sigmas != null && (warming ? aDist >= WARMUP_MIN_A_DISTANCE : calibratedDrift);
        if (needAgg) {
            pAgg = MmdPermutationTest.testMultiBandwidthTwoStage(zr, zc, sigmas,
                            Math.min(FIRST_STAGE_PERMUTATIONS, permutations), FIRST_STAGE_STOP, permutations, seed)
                    .pValue();
        }
        boolean drift = warming ? pAgg <= WARMUP_ALPHA && aDist >= WARMUP_MIN_A_DISTANCE : calibratedDrift;
        if (warming && !Double.isNaN(pAgg)) {
            p = pAgg;
        }
        return new Decision(drift, calibrated, p, pAgg, aDist, mmd2, sigma, xr, xc, cal);
    }

    /**
     * The first of {@code windows} (oldest first) from which on every window merges with the
     * newest: after a restore with other sketch settings (say {@code drift.sketch.kll-k}) a
     * {@code last-K} reference regrows over K windows.
     */
    public static int mergeableFrom(List<WindowSketch> windows) {
        int from = windows.size() - 1;
        while (from > 0 && windows.get(from - 1).mergeableWith(windows.get(windows.size() - 1))) {
            from--;
        }
        return Math.max(0, from);
    }

    /** {@code (x - mean) * scale} per feature, into new rows. */
    public static double[][] standardise(double[][] x, double[] mean, double[] scale) {
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double[] r = new double[mean.length];
            for (int f = 0; f < mean.length; f++) {
                r[f] = (x[i][f] - mean[f]) * scale[f];
            }
            z[i] = r;
        }
        return z;
    }

    private final CalibrationSettings settings;
    private final SketchConfig sketch;
    private final int windows;
    private final int permutations;
    private final long seed;
    private final List<WindowSketch> kept = new ArrayList<>();
    @Nullable private KeyCalibration calibration;
    private long index;

    /**
     * @param settings the calibration's settings
     * @param sketch the windows' sketch settings (the reservoir is the sample decided on)
     * @param windows K: 1 for {@code previous}
     * @param permutations permutations of the aggregated test's second stage
     * @param seed the detector's seed; window i's is derived from it and i
     */
    public PairedReferenceDetector(CalibrationSettings settings, SketchConfig sketch, int windows, int permutations,
            long seed) {
        if (windows < 1 || permutations < 1) {
            throw new IllegalArgumentException("windows and permutations must be positive, got " + windows + " and "
                    + permutations);
        }
        this.settings = settings;
        this.sketch = sketch;
        this.windows = windows;
        this.permutations = permutations;
        this.seed = seed;
    }

    @Override
    public WindowDetector.Verdict onWindow(double[][] rows) {
        WindowSketch cur = WindowSketch.create(sketch);
        for (double[] r : rows) {
            cur.update(r);
        }
        WindowDetector.Verdict v = NOT_DECIDED;
        if (!kept.isEmpty() && !cur.isEmpty()) {
            List<WindowSketch> refs = new ArrayList<>();
            for (WindowSketch w : kept.subList(mergeableFrom(kept), kept.size())) {
                refs.add(w.copy());
            }
            WindowSketch ref = refs.get(0);
            for (WindowSketch w : refs.subList(1, refs.size())) {
                ref.merge(w);
            }
            Decision dec = decide(calibration, settings, ref, cur, SplitMix64.derive(seed, index), permutations);
            calibration = dec.calibration();
            v = dec;
        }
        index++;
        if (!cur.isEmpty()) {
            kept.add(cur);
            if (kept.size() > windows) {
                kept.remove(0);
            }
        }
        return v;
    }

    /** The key's calibration, null before the first decided window. */
    @Nullable
    public KeyCalibration calibration() {
        return calibration;
    }

    /**
     * The state: version byte, K, the window index, the kept windows' sketches (each as its length
     * and {@link WindowSketch#toBytes()}), then the calibration's bytes (length -1 when none).
     */
    @Override
    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeInt(windows);
            out.writeLong(index);
            out.writeInt(kept.size());
            for (WindowSketch w : kept) {
                byte[] b = w.toBytes();
                out.writeInt(b.length);
                out.write(b);
            }
            byte[] c = calibration == null ? null : calibration.toBytes();
            out.writeInt(c == null ? -1 : c.length);
            if (c != null) {
                out.write(c);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a state written by {@link #toBytes()} into a detector with these settings. */
    public static PairedReferenceDetector fromBytes(byte[] bytes, CalibrationSettings settings, SketchConfig sketch,
            int permutations, long seed) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown paired detector state version " + version);
            }
            PairedReferenceDetector det = new PairedReferenceDetector(settings, sketch, in.readInt(), permutations,
                    seed);
            det.index = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                det.kept.add(WindowSketch.fromBytes(b));
            }
            int c = in.readInt();
            if (c >= 0) {
                byte[] b = new byte[c];
                in.readFully(b);
                det.calibration = KeyCalibration.fromBytes(b);
            }
            return det;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated paired detector state", e);
        }
    }
}
