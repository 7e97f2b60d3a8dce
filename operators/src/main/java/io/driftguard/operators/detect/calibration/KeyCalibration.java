package io.driftguard.operators.detect.calibration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key's calibration state: the null history of each statistic ("channel") the key's windows
 * produce against its reference, and where the key stands in its reference cycle.
 *
 * <p>The cycle: a fresh key (and a key right after a confirmed change) first lets {@code
 * settleWindows + referenceWindows} windows pass into its reference ({@link #buildingReference()};
 * the caller keeps the last {@code referenceWindows} of them and calls {@link
 * #absorbReferenceWindow()}); then every window's statistics go to {@link #decide(double[])}. A
 * window is flagged when the Bonferroni-combined p-value {@code min(1, m * min_i p_i)} over the
 * {@code m} channels is at most {@code 1 / (2 expectedRunLength)}, each {@code p_i} being the rank
 * of the channel's new statistic among its own past values ({@link NullHistory}), or when the CUSUM
 * {@code S_t = max(0, S_{t-1} - ln q_t - c)} of the combined p-values {@code q_t} reaches {@link
 * CalibrationSettings#cusumThreshold()} (changes too small for one window, found over a few). The
 * two halves of the budget add up to about one false alarm per {@code expectedRunLength} windows.
 *
 * <p>While a key gathers its history (fewer than {@code minHistory} statistics) nothing is decided
 * by the single-window threshold, but once the history holds more than {@link #GUARD_MIN_HISTORY}
 * statistics the CUSUM runs on it: statistics of a change under way raise it and wait instead of
 * joining the history, and a CUSUM that reaches its threshold confirms the change (a drift
 * decision marked warming-up) and starts a new reference cycle, so that a change during
 * calibration is alarmed and never taught to the history as normal.
 *
 * <p>Unflagged statistics join the history after {@code admissionLag} windows, and only once the
 * CUSUM is back at zero: statistics that raised the CUSUM wait (at most {@code maxPending}, the
 * oldest then dropped unseen), so that a change not yet confirmed does not teach the history that
 * it is normal. A flag discards the waiting statistics and starts a new reference cycle, so that
 * one change yields one alarm and the null history only holds windows of no confirmed change. The history survives the change: it describes the key's noise
 * (autocorrelation, season, window size), which a change of level or shape leaves alone.
 *
 * <p>Validity: per monitored window the false-alarm probability is at most about {@code 1 /
 * expectedRunLength} whenever the new statistics are exchangeable with their histories, which
 * needs the statistics, not the records, to be exchangeable: it holds for autocorrelated records
 * once windows are long against the correlation time, and for seasonal records compared against
 * the same phase of an earlier season. Within-window permutation p-values do not have this
 * property.
 *
 * <p>Mergeable ({@link #merge}) and serialisable with a leading version byte ({@link #toBytes()},
 * {@link #fromBytes(byte[])}). Not thread-safe.
 */
public final class KeyCalibration {

    /** Format version written first by {@link #toBytes()}. */
    public static final byte VERSION = 1;

    /**
     * Null statistics a key needs before the history guard runs while it is still gathering its
     * history: from then on each channel's p-value has the fitted tail beyond the history's
     * largest values (it needs more than {@link NullHistory#MIN_TAIL} values), so a change under
     * way gives small p-values rather than a floor of 1/(n + 1).
     */
    public static final int GUARD_MIN_HISTORY = NullHistory.MIN_TAIL;

    private final CalibrationSettings settings;
    private final NullHistory[] histories;
    private final ArrayDeque<double[]> pending;
    private final double cusumThreshold;
    private int buildRemaining;
    private double cusum;
    private long windowsSeen;
    private long alarms;

    private KeyCalibration(CalibrationSettings settings, int channels) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        this.histories = new NullHistory[channels];
        for (int i = 0; i < channels; i++) {
            histories[i] = new NullHistory(settings.historyCapacity(), settings.tailFraction());
        }
        this.pending = new ArrayDeque<>();
        this.cusumThreshold = settings.cusumThreshold();
        this.buildRemaining = settings.referenceWindows();
    }

    /** A fresh key: no history, first reference still to build (without settling). */
    public static KeyCalibration create(CalibrationSettings settings, int channels) {
        return new KeyCalibration(settings, channels);
    }

    public CalibrationSettings settings() {
        return settings;
    }

    public int channels() {
        return histories.length;
    }

    /** Windows seen so far, reference windows included. */
    public long windowsSeen() {
        return windowsSeen;
    }

    /** Changes confirmed so far. */
    public long alarms() {
        return alarms;
    }

    /** Null statistics held for channel {@code i}. */
    public int historySize(int channel) {
        return histories[channel].size();
    }

    /** The CUSUM of the combined p-values, 0 when no evidence of change has accumulated. */
    public double cusum() {
        return cusum;
    }

    /** Whether the next window belongs to the (re)built reference rather than being decided. */
    public boolean buildingReference() {
        return buildRemaining > 0;
    }

    /**
     * Whether the next window, while the reference is being built, is one the caller should keep:
     * the last {@code referenceWindows} of the building phase (the earlier ones only let a change
     * settle).
     */
    public boolean keepsReferenceWindow() {
        return buildRemaining > 0 && buildRemaining <= settings.referenceWindows();
    }

    /**
     * Whether the key's null history is long enough for {@link #decide} to decide (the reference
     * is complete and every channel holds {@code minHistory} statistics).
     */
    public boolean calibrated() {
        return buildRemaining <= 0 && histories[0].size() >= settings.minHistory();
    }

    /**
     * Records a confirmed change, by this calibration or by another test (the early test of a key
     * still gathering its history): the waiting statistics are discarded, as they may already
     * belong to the change, the CUSUM restarts and a new reference cycle begins after the
     * settling windows.
     */
    public void confirmChange() {
        alarms++;
        pending.clear();
        cusum = 0.0;
        buildRemaining = settings.settleWindows() + settings.referenceWindows();
    }

    /** Records that one window went to the reference. */
    public void absorbReferenceWindow() {
        if (buildRemaining <= 0) {
            throw new IllegalStateException("the reference is complete; decide the window instead");
        }
        buildRemaining--;
        windowsSeen++;
    }

    /**
     * Decides one window from its channel statistics (larger = further from the reference).
     *
     * @throws IllegalStateException while the reference is being built
     * @throws IllegalArgumentException on a wrong number of statistics or a NaN
     */
    public CalibratedDecision decide(double[] statistics) {
        if (buildRemaining > 0) {
            throw new IllegalStateException("the reference is still being built");
        }
        if (statistics.length != histories.length) {
            throw new IllegalArgumentException(
                    "expected " + histories.length + " statistics, got " + statistics.length);
        }
        double[] stats = statistics.clone();
        for (int i = 0; i < stats.length; i++) {
            if (Double.isNaN(stats[i])) {
                throw new IllegalArgumentException("statistic " + i + " is NaN");
            }
        }
        windowsSeen++;
        int m = histories.length;
        double[] p = new double[m];
        double[] z = new double[m];
        boolean warming = false;
        double minP = 1.0;
        for (int i = 0; i < m; i++) {
            warming |= histories[i].size() < settings.minHistory();
            p[i] = histories[i].pValue(stats[i]);
            z[i] = histories[i].robustScore(stats[i]);
            minP = Math.min(minP, p[i]);
        }
        double combined = Math.min(1.0, m * minP);
        if (warming) {
            if (histories[0].size() > GUARD_MIN_HISTORY) {
                // the history guard: the CUSUM runs on the partial history, so that statistics of
                // a change under way wait instead of joining the history, and a change it
                // confirms is alarmed like a calibrated one
                cusum = Math.max(0.0, cusum - Math.log(combined) - settings.cusumDrift());
                if (cusum >= cusumThreshold) {
                    confirmChange();
                    return new CalibratedDecision(true, combined, true, p, z);
                }
            }
            admit(stats);
            return new CalibratedDecision(false, 1.0, true, p, z);
        }
        cusum = Math.max(0.0, cusum - Math.log(combined) - settings.cusumDrift());
        boolean drift = combined <= settings.alpha() || cusum >= cusumThreshold;
        if (drift) {
            confirmChange();
        } else {
            admit(stats);
        }
        return new CalibratedDecision(drift, combined, false, p, z);
    }

    /**
     * Folds another state of the same key and settings into this one: the other's null history is
     * appended after this one's (the newest kept up to capacity), its waiting statistics join the
     * history, counts add up, the longer remaining reference phase and the larger CUSUM win.
     */
    public KeyCalibration merge(KeyCalibration other) {
        if (other == this) {
            throw new IllegalArgumentException("cannot merge a state with itself");
        }
        if (!settings.equals(other.settings) || other.channels() != channels()) {
            throw new IllegalArgumentException(
                    "incompatible states: " + settings + "/" + channels() + " vs "
                            + other.settings + "/" + other.channels());
        }
        for (int i = 0; i < histories.length; i++) {
            histories[i].addAll(other.histories[i]);
        }
        for (double[] s : other.pending) {
            for (int i = 0; i < histories.length; i++) {
                histories[i].add(s[i]);
            }
        }
        buildRemaining = Math.max(buildRemaining, other.buildRemaining);
        cusum = Math.max(cusum, other.cusum);
        windowsSeen += other.windowsSeen;
        alarms += other.alarms;
        return this;
    }

    /** The state as bytes, version byte first (layout in {@link #fromBytes}). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            settings.writeTo(out);
            out.writeInt(histories.length);
            out.writeInt(buildRemaining);
            out.writeDouble(cusum);
            out.writeLong(windowsSeen);
            out.writeLong(alarms);
            for (NullHistory h : histories) {
                double[] v = h.valuesOldestFirst();
                out.writeInt(v.length);
                for (double x : v) {
                    out.writeDouble(x);
                }
            }
            out.writeInt(pending.size());
            for (double[] s : pending) {
                for (double x : s) {
                    out.writeDouble(x);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a state written by {@link #toBytes()}. Layout of version 1, big-endian: version byte;
     * settings (double expectedRunLength, int historyCapacity, int minHistory, int
     * referenceWindows, int settleWindows, int admissionLag, double tailFraction, double
     * cusumDrift, int maxPending); int channels; int buildRemaining; double cusum; long
     * windowsSeen; long alarms; per channel an int count and that many
     * doubles, oldest first; int pending count and that many vectors of {@code channels} doubles.
     *
     * @throws IllegalArgumentException on an unknown version or malformed bytes
     */
    public static KeyCalibration fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown calibration state version " + version);
            }
            CalibrationSettings settings = CalibrationSettings.readFrom(in);
            int channels = in.readInt();
            if (channels < 1 || channels > 1_000_000) {
                throw new IllegalArgumentException("bad channel count " + channels);
            }
            KeyCalibration state = new KeyCalibration(settings, channels);
            state.buildRemaining = in.readInt();
            state.cusum = in.readDouble();
            state.windowsSeen = in.readLong();
            state.alarms = in.readLong();
            for (int c = 0; c < channels; c++) {
                int n = in.readInt();
                if (n < 0 || n > settings.historyCapacity()) {
                    throw new IllegalArgumentException("bad history length " + n);
                }
                for (int i = 0; i < n; i++) {
                    state.histories[c].add(in.readDouble());
                }
            }
            int waiting = in.readInt();
            if (waiting < 0 || waiting > settings.maxPending()) {
                throw new IllegalArgumentException("bad pending length " + waiting);
            }
            for (int i = 0; i < waiting; i++) {
                double[] s = new double[channels];
                for (int c = 0; c < channels; c++) {
                    s[c] = in.readDouble();
                }
                state.pending.addLast(s);
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes");
            }
            return state;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated calibration state", e);
        }
    }

    private void admit(double[] stats) {
        pending.addLast(stats);
        if (cusum > 0.0) {
            while (pending.size() > settings.maxPending()) {
                pending.removeFirst();
            }
            return;
        }
        while (pending.size() > settings.admissionLag()) {
            double[] oldest = pending.removeFirst();
            for (int i = 0; i < histories.length; i++) {
                histories[i].add(oldest[i]);
            }
        }
    }

    @Override
    public String toString() {
        return "KeyCalibration{channels=" + histories.length
                + ", history=" + histories[0].size()
                + ", pending=" + pending.size()
                + ", buildRemaining=" + buildRemaining
                + ", cusum=" + cusum
                + ", windowsSeen=" + windowsSeen
                + ", alarms=" + alarms
                + ", settings=" + settings + "}";
    }

    /** Test hook: the waiting statistics, oldest first. */
    double[][] pendingOldestFirst() {
        return pending.stream().map(double[]::clone).toArray(double[][]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyCalibration k && Arrays.equals(toBytes(), k.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }
}
