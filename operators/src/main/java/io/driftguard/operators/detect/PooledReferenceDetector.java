package io.driftguard.operators.detect;

import io.driftguard.operators.detect.calibration.CalibratedDecision;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.detect.calibration.KeyCalibration;
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
public final class PooledReferenceDetector {

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
     * The outcome of one window.
     *
     * @param decided false when the window went into the (re)built reference instead
     * @param decision the calibrated verdict, null when not decided
     * @param topFeature on an alarm, the feature whose per-feature channel is most significant,
     *     else -1
     * @param reference the windows the window was compared with (fixed: the pooled reference,
     *     oldest first; seasonal: the window one period earlier); empty when not decided
     */
    public record Verdict(boolean decided, CalibratedDecision decision, int topFeature, List<Window> reference) {

        public Verdict {
            reference = List.copyOf(reference);
        }

        /** Whether the window confirms a change. */
        public boolean drift() {
            return decided && decision.drift();
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

    private static final Verdict ABSORBED = new Verdict(false, null, -1, List.of());

    private final CalibrationSettings settings;
    private final int season;
    private final List<Window> reference = new ArrayList<>();
    private final ArrayDeque<Window> ring = new ArrayDeque<>();
    private KeyCalibration calibration;
    private WindowStatistics statistics; // cache of the fixed reference, not state

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

    /** Decides one window given only its rows (its span is reported as -1, its count as its rows). */
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
            if (calibration.keepsReferenceWindow()) {
                reference.add(window);
            }
            calibration.absorbReferenceWindow();
            if (!calibration.buildingReference()) {
                statistics = pooled();
            }
            return ABSORBED;
        }
        if (statistics == null) {
            statistics = pooled();
        }
        CalibratedDecision verdict = calibration.decide(statistics.statistics(window.rows()));
        List<Window> against = List.copyOf(reference);
        if (verdict.drift()) {
            reference.clear();
            statistics = null;
        }
        return verdict(verdict, window, against);
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
            out = verdict(calibration.decide(stats.statistics(window.rows())), window, List.of(past));
        }
        ring.addLast(window);
        while (ring.size() > season) {
            ring.removeFirst();
        }
        return out;
    }

    private static Verdict verdict(CalibratedDecision d, Window window, List<Window> against) {
        int top = d.drift() ? featureOrder(d, window.rows()[0].length)[0] : -1;
        return new Verdict(true, d, top, against);
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
        return c;
    }

    /** The state as bytes, version byte first (layout in {@link #fromBytes}). */
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
