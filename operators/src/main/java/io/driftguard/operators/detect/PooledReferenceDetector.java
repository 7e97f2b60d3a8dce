package io.driftguard.operators.detect;

import io.driftguard.operators.detect.calibration.CalibratedDecision;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.detect.calibration.KeyCalibration;
import io.driftguard.operators.stats.ClassifierTest;
import io.driftguard.operators.stats.MmdPermutationTest;
import io.driftguard.operators.stats.MultiBandwidthResult;
import io.driftguard.operators.stats.ProxyADistance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One key's calibrated drift decision: every window's {@link WindowStatistics} against the key's
 * reference, decided by the key's {@link KeyCalibration}. The streaming job's {@code fixed} and
 * {@code seasonal:<period>} reference policies and the detection benchmark run this class.
 *
 * <p>Two modes:
 *
 * <ul>
 *   <li><b>fixed</b> pools the last {@code referenceWindows} windows of the reference phase (at the
 *       stream start, and after each confirmed change once the calibration's {@code
 *       settleWindows} have passed) and keeps them until the next confirmed change;
 *   <li><b>seasonal</b> with a period of {@code P} windows compares each window with the window
 *       {@code P} windows earlier, so that a season is not taken for drift; the calibration then
 *       builds over {@code P} windows ({@code settleWindows + P} after a change).
 * </ul>
 *
 * <p>Windows of the reference phase are not decided ({@link Verdict#decided()} is false). The most
 * responsible feature of an alarm is the one whose per-feature channel is most significant.
 *
 * <p>The fixed reference's {@link WindowStatistics} (its standardisation, bandwidth and
 * reference-only kernel sums, O(m^2 d) for m pooled records) is built once per reference and
 * cached; it is not part of the state and is rebuilt from the stored rows after {@link
 * #fromBytes(byte[])}, giving the same statistics. A window's rows are kept by reference, not
 * copied, and must not be changed afterwards.
 *
 * <p>A pooled reference of {@code k} windows adds about {@code 1/k} of a window's own sampling
 * error to every statistic against it; that error is shared by all windows until the next change,
 * so it moves them together instead of averaging out. With {@code k = 8} it is an eighth.
 *
 * <p>Serialisable with a leading version byte ({@link #toBytes()}, {@link #fromBytes(byte[])}).
 * Not thread-safe.
 */
public final class PooledReferenceDetector implements WindowDetector {

    /** Format version written first by {@link #toBytes()}. */
    public static final byte VERSION = 1;

    /** Windows pooled into a fresh fixed reference by {@link #settings(double)}. */
    public static final int REFERENCE_WINDOWS = 8;

    /**
     * One window as the detector keeps it.
     *
     * @param start start of the window (time or record index; only reported back)
     * @param end end of the window, exclusive (only reported back)
     * @param count records the window summarised (only reported back)
     * @param rows the window's records (or its sample), {@code rows[i][feature]}
     */
    public record Window(long start, long end, long count, double[][] rows) {
        public Window {
            Objects.requireNonNull(rows, "rows");
        }
    }

    /**
     * The early test of a window decided before the key's null history calibrates it.
     *
     * @param aDistance the window's proxy A-distance from the reference (Fisher discriminant,
     *     {@link ProxyADistance#linearDiscriminant})
     * @param pValue the permutation p-value of the aggregated multi-bandwidth MMD test, or NaN
     *     when the A-distance was below {@code threshold} and the test did not run
     * @param classifierPValue the classifier two-sample test's p-value of the discriminant's
     *     held-out errors ({@link io.driftguard.operators.stats.ClassifierTest})
     * @param threshold the A-distance the window needed: {@link #EARLY_MIN_A_DISTANCE}, or the
     *     reference windows' own largest A-distance from the rest of the reference plus {@link
     *     #EARLY_WANDER_MARGIN} when that is more
     * @param drift whether the window is a clear change: A-distance at least {@code threshold}
     *     and p-value at most {@link #EARLY_ALPHA}
     */
    public record EarlyTest(double aDistance, double pValue, double classifierPValue, double threshold, boolean drift) {}

    /**
     * The outcome of one window.
     *
     * @param decided false when the window had nothing to be compared with (a key's first window,
     *     the settling windows after a change, the first window kept for a new reference)
     * @param decision the calibrated verdict, null while the reference is being built
     * @param early the early test, null when the window was decided by the calibration alone
     * @param topFeature on an alarm, the most responsible feature, else -1
     * @param reference the windows the window was compared with (fixed: the pooled reference, or
     *     the part of it kept so far, oldest first; seasonal: the window one period earlier); empty
     *     when not decided
     * @param statistics the window's {@link WindowStatistics} channels against that reference,
     *     null when not decided
     * @param sigma the bandwidth of those statistics' middle MMD channel (standardised units), NaN
     *     when not decided
     */
    public record Verdict(
            boolean decided,
            CalibratedDecision decision,
            EarlyTest early,
            int topFeature,
            List<Window> reference,
            double[] statistics,
            double sigma)
            implements WindowDetector.Verdict {

        public Verdict {
            reference = List.copyOf(reference);
        }

        /**
         * The p-value that decided: the calibrated one, else the early test's permutation p-value
         * where its effect floor let it run, else its classifier test's; 1 for a window that was
         * not tested.
         */
        @Override
        public double pValue() {
            if (calibrated()) {
                return decision.pValue();
            }
            if (early != null && !Double.isNaN(early.pValue())) {
                return early.pValue();
            }
            if (early != null && !Double.isNaN(early.classifierPValue())) {
                return early.classifierPValue();
            }
            return 1.0;
        }

        @Override
        public String pValueKind() {
            if (calibrated()) {
                return "calibrated";
            }
            if (early != null && !Double.isNaN(early.pValue())) {
                return "permutation";
            }
            return early != null && !Double.isNaN(early.classifierPValue()) ? "classifier" : "none";
        }

        /** Whether the window confirms a change, by the calibration or by the early test. */
        public boolean drift() {
            return decided && (decision != null && decision.drift() || early != null && early.drift());
        }

        /**
         * Whether the key's own null history decided the window: once it is complete, or before
         * when its guard confirmed a change.
         */
        public boolean calibrated() {
            return decision != null && (!decision.warmingUp() || decision.drift());
        }

        /** Start of the oldest reference window, or -1 when not decided. */
        public long referenceStart() {
            return reference.isEmpty() ? -1 : reference.get(0).start();
        }

        /** End of the newest reference window, or -1 when not decided. */
        public long referenceEnd() {
            return reference.isEmpty() ? -1 : reference.get(reference.size() - 1).end();
        }

        /** Records the reference windows summarised. */
        public long referenceCount() {
            long n = 0;
            for (Window w : reference) {
                n += w.count();
            }
            return n;
        }
    }

    private static final Verdict ABSORBED = new Verdict(false, null, null, -1, List.of(), null, Double.NaN);

    /**
     * Proxy A-distance a window needs before the key is calibrated for the early test to go on:
     * a linear rule tells it from the reference with at least 80% held-out accuracy. Under
     * independent records the permutation test alone keeps the false alarms within {@link
     * #EARLY_ALPHA}; the effect floor keeps autocorrelated series, whose windows differ by more
     * than exchangeable records would, from alarming on their own wander.
     */
    public static final double EARLY_MIN_A_DISTANCE = 1.2;

    /**
     * How far above the reference windows' own wander a window's A-distance must be: each
     * reference window's A-distance from the rest of the reference shows how much the key's
     * windows differ from each other without a change (a series whose level wanders, like most
     * sensor series, has large ones), and the early test wants more than the largest of them.
     */
    public static final double EARLY_WANDER_MARGIN = 0.4;

    /** Level of the early test's permutation p-value (at most 1 false alarm per 1,000 windows). */
    public static final double EARLY_ALPHA = 0.001;

    /** Permutations of the early test (enough for a p-value of 1/1000). */
    public static final int EARLY_PERMUTATIONS = 999;

    /** Reference windows the early test needs: from a key's third window on. */
    public static final int EARLY_MIN_REFERENCE = 2;

    /** Rows of the reference the early test compares with (evenly thinned). */
    static final int EARLY_ROWS = 256;

    private static final double[] EARLY_BANDWIDTHS = {0.25, 0.5, 1.0, 2.0, 4.0};

    private final CalibrationSettings settings;
    private final int season;
    private final List<Window> reference = new ArrayList<>();
    private final ArrayDeque<Window> ring = new ArrayDeque<>();
    private KeyCalibration calibration;
    private WindowStatistics statistics; // cache of the fixed reference, not state
    private double[][] sortedColumns; // cache: the fixed reference thinned, each feature sorted

    private PooledReferenceDetector(CalibrationSettings settings, int season) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.season = season;
    }

    /**
     * The calibration of the benchmarked detector: the defaults with budget {@code
     * expectedRunLength} and a reference of {@link #REFERENCE_WINDOWS} windows after the default
     * settling windows.
     */
    public static CalibrationSettings settings(double expectedRunLength) {
        CalibrationSettings d = CalibrationSettings.defaults().withExpectedRunLength(expectedRunLength);
        return d.withReference(REFERENCE_WINDOWS, d.settleWindows());
    }

    /** A detector with a fixed reference of {@code settings.referenceWindows()} pooled windows. */
    public static PooledReferenceDetector fixed(CalibrationSettings settings) {
        return new PooledReferenceDetector(settings, 0);
    }

    /**
     * A detector comparing each window with the one {@code periodWindows} windows earlier; the
     * calibration builds over one period ({@code settings.settleWindows()} more after a change).
     */
    public static PooledReferenceDetector seasonal(CalibrationSettings settings, int periodWindows) {
        if (periodWindows < 1) {
            throw new IllegalArgumentException("period must be at least 1 window, got " + periodWindows);
        }
        return new PooledReferenceDetector(
                settings.withReference(periodWindows, settings.settleWindows()), periodWindows);
    }

    /** The calibration settings in force (seasonal: the reference is one period). */
    public CalibrationSettings settings() {
        return settings;
    }

    /** The seasonal period in windows, 0 for a fixed reference. */
    public int season() {
        return season;
    }

    /** The key's calibration, null before the first window. */
    public KeyCalibration calibration() {
        return calibration;
    }

    /** Whether the next window goes into the reference rather than being decided. */
    public boolean buildingReference() {
        return calibration == null || calibration.buildingReference();
    }

    /**
     * Fixed mode: the pooled reference windows, oldest first (complete unless {@link
     * #buildingReference()}); seasonal mode: the last windows, up to one period, oldest first.
     */
    public List<Window> referenceWindows() {
        return Collections.unmodifiableList(season > 0 ? new ArrayList<>(ring) : reference);
    }

    /**
     * The complete fixed reference thinned evenly to {@code rows} rows ({@link #thin}), each
     * feature's values sorted ({@code [feature][i]}), computed once per reference and kept with
     * it (not state); null while the reference builds, in seasonal mode, or when a reference value
     * is missing. The evaluator's per-feature KS distances then sort only the window's values.
     */
    public double[][] sortedReferenceColumns(int rows) {
        if (season > 0 || buildingReference() || reference.isEmpty()) {
            return null;
        }
        if (sortedColumns == null || sortedColumns.length == 0 || sortedColumns[0].length != Math.min(rows, referenceRows())) {
            double[][] thinned = thin(reference, rows);
            int d = thinned[0].length;
            double[][] cols = new double[d][thinned.length];
            for (int i = 0; i < thinned.length; i++) {
                for (int f = 0; f < d; f++) {
                    double v = thinned[i][f];
                    if (v != v) {
                        return null;
                    }
                    cols[f][i] = v;
                }
            }
            for (double[] c : cols) {
                java.util.Arrays.sort(c);
            }
            sortedColumns = cols;
        }
        return sortedColumns;
    }

    private int referenceRows() {
        int n = 0;
        for (Window w : reference) {
            n += w.rows().length;
        }
        return n;
    }

    /** Decides one window given only its rows (its span is reported as -1, its count as its rows). */
    @Override
    public Verdict onWindow(double[][] rows) {
        return onWindow(new Window(-1, -1, rows.length, rows));
    }

    /**
     * Decides one window, or takes it into the reference.
     *
     * @throws IllegalArgumentException on an empty window or one of another dimension than the
     *     key's first
     */
    public Verdict onWindow(Window window) {
        double[][] rows = window.rows();
        if (rows.length == 0) {
            throw new IllegalArgumentException("empty window");
        }
        int d = rows[0].length;
        if (calibration == null) {
            calibration = KeyCalibration.create(settings, channels(d));
        } else if (calibration.channels() != channels(d)) {
            throw new IllegalArgumentException(
                    "window of dimension " + d + ", the key's is "
                            + (calibration.channels() - WindowStatistics.MULTIVARIATE_CHANNELS) / 2);
        }
        return season > 0 ? seasonal(window) : fixed(window);
    }

    private static int channels(int dims) {
        return WindowStatistics.MULTIVARIATE_CHANNELS + 2 * dims;
    }

    private Verdict fixed(Window window) {
        if (calibration.buildingReference()) {
            Verdict out = ABSORBED;
            boolean keeps = calibration.keepsReferenceWindow();
            if (keeps && !reference.isEmpty() && window.rows().length >= 2) {
                out = early(window, List.copyOf(reference), reference.size() >= EARLY_MIN_REFERENCE, null, null);
                if (out.drift()) {
                    // a clear change while the reference builds: it starts again after the change
                    calibration.confirmChange();
                    dropReference();
                    return out;
                }
            }
            if (keeps) {
                reference.add(window);
            }
            calibration.absorbReferenceWindow();
            if (!calibration.buildingReference()) {
                usePooledReference();
            }
            return out;
        }
        if (statistics == null) {
            usePooledReference();
        }
        double[] stats = statistics.statistics(window.rows());
        double sigma = statistics.sigma();
        List<Window> against = List.copyOf(reference);
        if (calibration.calibrated()) {
            CalibratedDecision verdict = calibration.decide(stats);
            if (verdict.drift()) {
                dropReference();
            }
            int top = verdict.drift() ? featureOrder(verdict, window.rows()[0].length)[0] : -1;
            return new Verdict(true, verdict, null, top, against, stats, sigma);
        }
        // warming up: the early test decides; a change it finds does not enter the null history
        Verdict e = early(window, against, true, statistics, stats);
        if (e.drift()) {
            calibration.confirmChange();
            dropReference();
            return e;
        }
        CalibratedDecision verdict = calibration.decide(stats);
        int top = -1;
        if (verdict.drift()) {
            // the history guard confirmed a change under way
            top = featureOrder(verdict, window.rows()[0].length)[0];
            dropReference();
        }
        return new Verdict(true, verdict, e.early(), top, against, stats, sigma);
    }

    /** A confirmed change: the reference is rebuilt, and the caches built from it go with it. */
    private void dropReference() {
        reference.clear();
        statistics = null;
        sortedColumns = null;
    }

    /** The complete reference's statistics; its sorted columns are rebuilt on demand. */
    private void usePooledReference() {
        statistics = pooled();
        sortedColumns = null;
    }

    /**
     * The early test of {@code window} against {@code against} (their rows pooled and thinned
     * evenly to {@link #EARLY_ROWS}): the Fisher-discriminant A-distance, and when it reaches
     * {@link #EARLY_MIN_A_DISTANCE} the aggregated multi-bandwidth permutation test at {@link
     * #EARLY_ALPHA}. The statistics reported are {@link WindowStatistics} against the thinned
     * rows; the A-distance and the permutation test see missing values imputed by the reference
     * median. Without {@code decides} (fewer reference windows than {@link #EARLY_MIN_REFERENCE})
     * the window is only described.
     */
    private Verdict early(
            Window window, List<Window> against, boolean decides, WindowStatistics pooledStatistics, double[] pooledStats) {
        double[][] ref = thin(against, EARLY_ROWS);
        double[][] cur = window.rows();
        // the pooled reference's statistics, when the caller has them, else the thinned rows'
        WindowStatistics ws = pooledStatistics != null ? pooledStatistics : new WindowStatistics(List.<double[][]>of(ref));
        double[] stats = pooledStats != null ? pooledStats : ws.statistics(cur);
        long seed = mix(window.start(), window.count(), cur.length);
        double aDist = Double.NaN;
        double classifierP = Double.NaN;
        double threshold = EARLY_MIN_A_DISTANCE;
        double p = Double.NaN;
        boolean drift = false;
        if (ref.length >= 10 && cur.length >= 10) {
            // missing values imputed by the reference median (WindowStatistics' imputation)
            double[][] xr = ws.imputed(ref);
            double[][] xc = ws.imputed(cur);
            int size = 2 * Math.min(xr.length, xc.length);
            double eps = ProxyADistance.linearDiscriminantError(xr, xc, ProxyADistance.DEFAULT_FOLDS, seed);
            aDist = ProxyADistance.fromError(eps);
            classifierP = ClassifierTest.pValue(eps * size, size);
            if (decides && aDist >= EARLY_MIN_A_DISTANCE) {
                threshold = Math.max(threshold, wander(against, ws) + EARLY_WANDER_MARGIN);
            }
            if (decides && aDist >= threshold) {
                double[][] zr = ws.standardise(ref);
                double[][] zc = ws.standardise(cur);
                MultiBandwidthResult t =
                        MmdPermutationTest.testMultiBandwidthTwoStage(
                                zr, zc, MmdPermutationTest.bandwidthGrid(ws.sigma(), EARLY_BANDWIDTHS),
                                63, 0.1, EARLY_PERMUTATIONS, seed);
                p = t.pValue();
                drift = p <= EARLY_ALPHA;
            }
        }
        int top = drift ? largestFeature(stats, cur[0].length) : -1;
        return new Verdict(true, null, new EarlyTest(aDist, p, classifierP, threshold, drift), top, against, stats,
                ws.sigma());
    }

    /**
     * The reference windows' own wander: the largest A-distance of one reference window from the
     * others pooled (thinned to {@link #EARLY_ROWS}); 0 with fewer than two windows. It runs only
     * for a window that passes {@link #EARLY_MIN_A_DISTANCE}, and is deterministic (seeded by the
     * windows' spans), so a restored key computes the same.
     */
    private static double wander(List<Window> against, WindowStatistics ws) {
        if (against.size() < 2) {
            return 0.0;
        }
        double most = 0.0;
        for (int j = 0; j < against.size(); j++) {
            List<Window> rest = new ArrayList<>(against);
            Window one = rest.remove(j);
            double[][] a = ws.imputed(thin(rest, EARLY_ROWS));
            double[][] b = ws.imputed(thin(List.of(one), EARLY_ROWS));
            if (a.length >= 10 && b.length >= 10) {
                most = Math.max(most, ProxyADistance.linearDiscriminant(a, b, mix(one.start(), one.count(), j)));
            }
        }
        return most;
    }

    /** The feature with the largest per-feature distribution channel. */
    private static int largestFeature(double[] stats, int dims) {
        int best = 0;
        for (int f = 1; f < dims; f++) {
            if (stats[WindowStatistics.MULTIVARIATE_CHANNELS + f] > stats[WindowStatistics.MULTIVARIATE_CHANNELS + best]) {
                best = f;
            }
        }
        return best;
    }

    private static long mix(long a, long b, long c) {
        long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL ^ c;
        return h ^ (h >>> 31);
    }

    /** The windows' rows pooled, thinned evenly to at most {@code n}. */
    public static double[][] thin(List<Window> windows, int n) {
        int total = 0;
        for (Window w : windows) {
            total += w.rows().length;
        }
        int keep = Math.min(n, total);
        double[][] out = new double[keep][];
        int at = 0;
        int idx = 0;
        for (Window w : windows) {
            for (double[] r : w.rows()) {
                // row idx goes to slot floor(idx * keep / total) when it is that slot's first row
                long slot = (long) idx * keep / total;
                if (slot == at && at < keep) {
                    out[at++] = r;
                }
                idx++;
            }
        }
        return at == keep ? out : java.util.Arrays.copyOf(out, at);
    }

    private WindowStatistics pooled() {
        List<double[][]> rows = new ArrayList<>(reference.size());
        for (Window w : reference) {
            rows.add(w.rows());
        }
        return new WindowStatistics(rows);
    }

    private Verdict seasonal(Window window) {
        Verdict out = ABSORBED;
        if (calibration.buildingReference()) {
            calibration.absorbReferenceWindow();
        } else {
            Window past = ring.peekFirst();
            WindowStatistics stats = new WindowStatistics(List.<double[][]>of(past.rows()));
            double[] values = stats.statistics(window.rows());
            if (calibration.calibrated()) {
                CalibratedDecision d = calibration.decide(values);
                out = verdict(d, window, List.of(past), values, stats.sigma());
            } else {
                Verdict e = early(window, List.of(past), true, stats, values);
                if (e.drift()) {
                    calibration.confirmChange();
                    out = new Verdict(true, null, e.early(), e.topFeature(), List.of(past), values, stats.sigma());
                } else {
                    CalibratedDecision d = calibration.decide(values);
                    int top = d.drift() ? featureOrder(d, window.rows()[0].length)[0] : -1;
                    out = new Verdict(true, d, e.early(), top, List.of(past), values, stats.sigma());
                }
            }
        }
        ring.addLast(window);
        while (ring.size() > season) {
            ring.removeFirst();
        }
        return out;
    }

    private static Verdict verdict(
            CalibratedDecision d, Window window, List<Window> against, double[] statistics, double sigma) {
        int top = d.drift() ? featureOrder(d, window.rows()[0].length)[0] : -1;
        return new Verdict(true, d, null, top, against, statistics, sigma);
    }

    /**
     * The features ordered by their calibrated per-feature channels ({@link WindowStatistics}' two
     * per feature), most significant first, each feature at its more significant channel.
     */
    public static int[] featureOrder(CalibratedDecision decision, int dims) {
        int[] channels = decision.rank(WindowStatistics.MULTIVARIATE_CHANNELS, 2 * dims);
        int[] order = new int[dims];
        boolean[] seen = new boolean[dims];
        int n = 0;
        for (int c : channels) {
            int f = c % dims;
            if (!seen[f]) {
                seen[f] = true;
                order[n++] = f;
            }
        }
        return order;
    }

    /**
     * A copy that shares the (never modified) window rows and the cached reference statistics and
     * owns its calibration.
     */
    public PooledReferenceDetector copy() {
        PooledReferenceDetector c = new PooledReferenceDetector(settings, season);
        c.reference.addAll(reference);
        c.ring.addAll(ring);
        c.calibration = calibration == null ? null : KeyCalibration.fromBytes(calibration.toBytes());
        c.statistics = statistics;
        c.sortedColumns = sortedColumns;
        return c;
    }

    /** The state as bytes, version byte first (layout in {@link #fromBytes}). */
    @Override
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(season);
            settings.writeTo(out);
            if (calibration == null) {
                out.writeInt(-1);
            } else {
                byte[] c = calibration.toBytes();
                out.writeInt(c.length);
                out.write(c);
            }
            writeWindows(out, season > 0 ? new ArrayList<>(ring) : reference);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeWindows(DataOutputStream out, List<Window> windows) throws IOException {
        out.writeInt(windows.size());
        for (Window w : windows) {
            out.writeLong(w.start());
            out.writeLong(w.end());
            out.writeLong(w.count());
            double[][] rows = w.rows();
            int d = rows.length == 0 ? 0 : rows[0].length;
            out.writeInt(rows.length);
            out.writeInt(d);
            for (double[] r : rows) {
                if (r.length != d) {
                    throw new IllegalStateException("ragged window rows");
                }
                for (double x : r) {
                    out.writeDouble(x);
                }
            }
        }
    }

    /**
     * Reads a state written by {@link #toBytes()}. Layout of version 1, big-endian: version byte;
     * int season (0: fixed); the calibration settings (double expectedRunLength, int
     * historyCapacity, int minHistory, int referenceWindows, int settleWindows, int admissionLag,
     * double tailFraction, double cusumDrift, int maxPending); int length of the {@link
     * KeyCalibration} bytes (-1: none yet) and those bytes; int window count, then per window, oldest
     * first (fixed: the pooled reference; seasonal: the last windows up to one period) long start,
     * long end, long count, int rows, int dimension and the rows' doubles row by row.
     *
     * @throws IllegalArgumentException on an unknown version or malformed bytes
     */
    public static PooledReferenceDetector fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown pooled reference state version " + version);
            }
            int season = in.readInt();
            if (season < 0) {
                throw new IllegalArgumentException("bad season " + season);
            }
            CalibrationSettings settings = CalibrationSettings.readFrom(in);
            PooledReferenceDetector det = new PooledReferenceDetector(settings, season);
            int calLength = in.readInt();
            if (calLength < -1 || calLength > in.available()) {
                throw new IllegalArgumentException("bad calibration length " + calLength);
            }
            if (calLength >= 0) {
                byte[] c = new byte[calLength];
                in.readFully(c);
                det.calibration = KeyCalibration.fromBytes(c);
                if (!det.calibration.settings().equals(settings)) {
                    throw new IllegalArgumentException("calibration settings differ from the detector's");
                }
            }
            int windows = in.readInt();
            int most = season > 0 ? season : settings.referenceWindows();
            if (windows < 0 || windows > most) {
                throw new IllegalArgumentException("bad window count " + windows);
            }
            for (int i = 0; i < windows; i++) {
                long start = in.readLong();
                long end = in.readLong();
                long count = in.readLong();
                int n = in.readInt();
                int d = in.readInt();
                if (n < 0 || d < 0 || (long) n * d * Double.BYTES > in.available()) {
                    throw new IllegalArgumentException("bad window shape " + n + " x " + d);
                }
                double[][] rows = new double[n][d];
                for (double[] r : rows) {
                    for (int f = 0; f < d; f++) {
                        r[f] = in.readDouble();
                    }
                }
                Window w = new Window(start, end, count, rows);
                if (season > 0) {
                    det.ring.addLast(w);
                } else {
                    det.reference.add(w);
                }
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes");
            }
            return det;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated pooled reference state", e);
        }
    }

    @Override
    public String toString() {
        return "PooledReferenceDetector{"
                + (season > 0 ? "season=" + season : "fixed, pooled=" + reference.size())
                + ", calibration=" + calibration + "}";
    }
}
