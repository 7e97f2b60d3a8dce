package io.driftguard.operators.functions;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.detect.PooledReferenceDetector;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.record.SeriesRecord;
import io.driftguard.operators.sketch.ReservoirSketch;
import io.driftguard.operators.sketch.SketchConfig;
import io.driftguard.operators.sketch.SplitMix64;
import io.driftguard.operators.sketch.WindowSketch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.api.common.typeutils.base.array.DoublePrimitiveArraySerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps per-key window sketches in Flink keyed state, and when a window closes compares it with
 * its reference and emits one {@link DriftEvent}.
 *
 * <p>Windows are tumbling event-time windows aligned to the epoch (closed by an event-time timer
 * when the watermark passes their end) or count windows of N records (closed by the N-th
 * record; a trailing partial window is not evaluated). Per record the work is one sketch update:
 * moments, per-feature KLL (when on) and reservoir; the window's random Fourier embedding is
 * built from its reservoir when it closes. Records of another dimension than the key's first, and records for a window
 * that was already evaluated, go to the dead-letter side output.
 *
 * <p>State: the open window(s) (a count window's sketch, {@link WindowSketchSerializer}; an
 * event-time window's sketch and change-point blocks in one entry, {@link OpenWindow}), the
 * closed windows the reference policy needs and the recent windows' embeddings (sketch bytes,
 * read only at window close), a {@link KeyMeta}, and for the {@code fixed} and {@code seasonal}
 * policies the key's {@link PooledReferenceDetector} ({@link PooledReferenceSerializer}), which
 * decides their windows.
 *
 * <p>Parts: {@link KeySchema} (a key's dimension, names and labels as numbers), {@link
 * LegacyOpenWindows} (open windows of an earlier state layout), {@link ChangeLocation} (where inside
 * a window a change began), {@link CountWindows} and {@link TimeWindows} (the window
 * cutters), {@link ClosedWindows} (the closed windows each reference policy keeps,
 * and the {@code previous} and {@code last-K} references read from them), {@link WindowEvaluator}
 * (the event); this class wires them together and decides each closed window.
 */
public class WindowDriftFunction extends KeyedProcessFunction<String, SeriesRecord, DriftEvent> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WindowDriftFunction.class);

    /** Label code kept in the reservoir of a labelled key for a record that came without one. */
    static final double UNLABELLED = -Double.MAX_VALUE;

    private final DriftSettings settings;

    private transient ValueState<KeyMeta> meta;
    private transient CountWindows countWindows;
    private transient TimeWindows timeWindows;
    private transient ClosedWindows closed;
    private transient MapState<Long, byte[]> embeddings;
    private transient ValueState<PooledReferenceDetector> detector;

    private transient WindowEvaluator evaluator;
    // fixed and seasonal policies: the season and calibration a stored detector must match
    private transient int pooledSeason;
    private transient CalibrationSettings pooledSettings;
    private transient Counter deadLetters;
    private transient Counter lateRecords;
    private transient Counter windowsEvaluated;
    private transient Counter driftAlarms;
    private transient Counter windowsUncalibrated;
    private transient volatile double minPValue;
    private transient volatile long lastEvaluationMillis;

    // idle keys' state expires after this long without access (processing time); zero: never
    private final java.time.Duration stateTtl;

    public WindowDriftFunction(DriftSettings settings) {
        this(settings, java.time.Duration.ZERO);
    }

    /**
     * @param stateTtl a key's state expires once it has been neither read nor written for this long
     *     (processing time); {@link java.time.Duration#ZERO} keeps it forever
     */
    public WindowDriftFunction(DriftSettings settings, java.time.Duration stateTtl) {
        if (stateTtl.isNegative()) {
            throw new IllegalArgumentException("state TTL must not be negative: " + stateTtl);
        }
        this.settings = settings;
        this.stateTtl = stateTtl;
    }

    /**
     * Every state of a key gets the same TTL, refreshed on each read and write: a key that keeps
     * sending records touches its meta, open window and the windows its reference reads at each
     * close, so only a key idle for the whole TTL loses them, and then starts afresh like a new key.
     * Expired values are never returned; full snapshots drop them, the heap backend also drops a
     * few per state access and RocksDB during compaction.
     */
    private <D extends org.apache.flink.api.common.state.StateDescriptor<?, ?>> D ttl(D d) {
        if (!stateTtl.isZero()) {
            d.enableTimeToLive(org.apache.flink.api.common.state.StateTtlConfig.newBuilder(stateTtl)
                    .setUpdateType(org.apache.flink.api.common.state.StateTtlConfig.UpdateType.OnReadAndWrite)
                    .setStateVisibility(
                            org.apache.flink.api.common.state.StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .cleanupFullSnapshot()
                    .cleanupIncrementally(10, false)
                    .cleanupInRocksdbCompactFilter(1000)
                    .build());
        }
        return d;
    }

    @Override
    public void open(OpenContext openContext) {
        meta = getRuntimeContext().getState(ttl(new ValueStateDescriptor<>("meta", TypeInformation.of(KeyMeta.class))));
        WindowSink sink = new Sink();
        countWindows = new CountWindows(
                getRuntimeContext().getState(ttl(new ValueStateDescriptor<>("open-window", WindowSketchSerializer.INSTANCE))),
                settings, sink);
        MapState<Long, OpenWindow> openTimeWindows =
                getRuntimeContext()
                        .getMapState(ttl(new MapStateDescriptor<>("open-time-windows", LongSerializer.INSTANCE, OpenWindowSerializer.INSTANCE)));
        MapState<Long, WindowSketch> legacySketches =
                getRuntimeContext()
                        .getMapState(ttl(new MapStateDescriptor<>("open-windows", LongSerializer.INSTANCE, WindowSketchSerializer.INSTANCE)));
        closed = new ClosedWindows(
                getRuntimeContext()
                        .getMapState(ttl(new MapStateDescriptor<>("closed-windows", LongSerializer.INSTANCE, BytePrimitiveArraySerializer.INSTANCE))),
                settings.reference());
        embeddings =
                getRuntimeContext()
                        .getMapState(ttl(new MapStateDescriptor<>("embeddings", LongSerializer.INSTANCE, BytePrimitiveArraySerializer.INSTANCE)));
        // the layout before OpenWindow, read once per window to restore its savepoints
        LegacyOpenWindows legacy = new LegacyOpenWindows(legacySketches,
                getRuntimeContext()
                        .getMapState(ttl(new MapStateDescriptor<>("open-window-blocks", LongSerializer.INSTANCE, DoublePrimitiveArraySerializer.INSTANCE))));
        timeWindows = new TimeWindows(openTimeWindows, legacy, settings, sink);
        detector =
                getRuntimeContext()
                        .getState(ttl(new ValueStateDescriptor<>("reference-detector", PooledReferenceSerializer.INSTANCE)));
        evaluator = new WindowEvaluator(settings);
        if (pooledPolicy()) {
            PooledReferenceDetector configured = newPooledDetector();
            pooledSeason = configured.season();
            pooledSettings = configured.settings();
        }
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup(DriftMetrics.GROUP);
        deadLetters = g.counter(DriftMetrics.DEAD_LETTERS);
        lateRecords = g.counter(DriftMetrics.LATE_RECORDS);
        windowsEvaluated = g.counter(DriftMetrics.WINDOWS_EVALUATED);
        driftAlarms = g.counter(DriftMetrics.DRIFT_ALARMS);
        windowsUncalibrated = g.counter(DriftMetrics.WINDOWS_UNCALIBRATED);
        minPValue = 1.0;
        g.gauge(DriftMetrics.LAST_P_VALUE_MIN, () -> {
            double v = minPValue;
            minPValue = 1.0;
            return v;
        });
        g.gauge(DriftMetrics.EVALUATION_MILLIS, () -> lastEvaluationMillis);
    }

    @Override
    public void processElement(SeriesRecord r, Context ctx, Collector<DriftEvent> out) throws Exception {
        KeyMeta m = meta.value();
        if (m == null) {
            m = KeySchema.of(r);
            meta.update(m);
        } else {
            String mismatch = KeySchema.mismatch(m, r);
            if (mismatch != null) {
                reject(ctx, r, mismatch);
                return;
            }
        }
        double label = KeySchema.labelCode(m, r.label());
        if (settings.window().countBased()) {
            countWindows.add(ctx.getCurrentKey(), m, r, label, out);
            meta.update(m);
        } else {
            String late = timeWindows.add(ctx.getCurrentKey(), m, r, label, ctx.timerService());
            if (late != null) {
                lateRecords.inc();
                reject(ctx, r, late);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DriftEvent> out) throws Exception {
        String key = ctx.getCurrentKey();
        KeyMeta m = meta.value();
        if (settings.window().countBased()) {
            // a time window left by a restore that switched to record counts: it closes at its
            // own timer, which fires at its end
            timeWindows.closeStrays(timestamp, 1, false, key, m, ctx.timerService(), out);
        } else {
            countWindows.closeLeftOver(key, m, out);
            timeWindows.closeAt(timestamp, key, m, out);
            timeWindows.closeStrays(timestamp, settings.window().size(), true, key, m, ctx.timerService(), out);
        }
        if (m != null) {
            meta.update(m);
        }
    }

    private void update(WindowSketch w, SeriesRecord r, double label) {
        if (!settings.sketchesEnabled()) {
            return;
        }
        if (w.config().labelled()) {
            w.update(r.features(), Double.isNaN(label) ? UNLABELLED : label);
        } else {
            w.update(r.features());
        }
    }

    /**
     * A fresh window's sketch, without a random Fourier basis: the window's embedding is built at
     * its close from its reservoir ({@link WindowSketch#rffFromSample}), so that no record pays for
     * the 2 x {@code drift.sketch.rff-pairs} projections of its own (at windows of 1,000 records
     * and reservoirs of 256, three quarters of that work). The embedding is then the sample's:
     * unbiased for the window's mean embedding, with the variance of a mean over the reservoir.
     * It only feeds the nearest-earlier-window figure, not the decision.
     */
    private WindowSketch newSketch(KeyMeta m, String key) {
        return WindowSketch.create(sketchConfig(m.dimension, key, m.labelled));
    }

    /** Sketch configuration of a key: the seed is derived from the job seed and the key. */
    SketchConfig sketchConfig(int dimension, String key, boolean labelled) {
        long seed = SplitMix64.derive(settings.seed(), keyHash(key));
        return new SketchConfig(
                dimension, settings.reservoirSize(), settings.kllK(), settings.rffPairs(), seed, labelled);
    }

    private void closeWindow(
            String key, KeyMeta m, WindowSketch w, long start, long end, double[] blocks, Collector<DriftEvent> out)
            throws Exception {
        long index = m.windowIndex++;
        if (!settings.sketchesEnabled()) {
            return;
        }
        if (w.isEmpty()) {
            return;
        }
        if (Double.isNaN(m.sigma)) {
            m.sigma = WindowEvaluator.bandwidth(w, settings.seed());
        }
        // from the reservoir also where a window restored from an earlier release's state had
        // its records' own sums, so that a restored run keeps the embeddings of an uninterrupted one
        w.rffFromSample(w.config().rffBasis(m.sigma));
        long t0 = System.nanoTime();
        List<Stored> history = new ArrayList<>();
        long oldest = index - settings.historyWindows();
        for (Map.Entry<Long, byte[]> e : embeddings.entries()) {
            if (e.getKey() < oldest) {
                continue;
            }
            history.add(Stored.fromBytes(e.getValue()));
        }
        WindowEvaluator.Result res = null;
        if (pooledPolicy()) {
            res = decidePooled(key, m, w, start, end, index, history, blocks);
        } else {
            ClosedWindows.Reference ref = closed.reference(index);
            if (ref != null) {
                res = evaluator.evaluate(key, m, w, start, end, ref.sketch(), ref.start(), ref.end(), history, blocks);
            }
        }
        if (res != null) {
            windowsEvaluated.inc();
            DriftEvent ev = res.event();
            minPValue = Math.min(minPValue, ev.pValue());
            if (!ev.calibrated()) {
                windowsUncalibrated.inc();
            }
            if (ev.drift()) {
                driftAlarms.inc();
                LOG.debug("Drift on key {} in window [{}, {})", key, start, end);
            }
            out.collect(ev);
        }
        lastEvaluationMillis = (System.nanoTime() - t0) / 1_000_000;
        // what the next window's records are measured against when locating a change: the fixed
        // reference (set when it completes), or (for the other policies) the window just closed
        if (settings.reference().kind() != ReferencePolicy.Kind.FIXED) {
            ChangeLocation.referenceFrom(m, w.moments());
        }
        closed.keep(m, index, start, end, w);
        if (settings.historyWindows() > 0) {
            // only compared with later windows: the summary compares exactly like the sketch
            embeddings.put(index, new Stored(start, end, w.rff().orElseThrow().toSummaryBytes()).toBytes());
            embeddings.remove(index - settings.historyWindows());
        }
    }

    private boolean pooledPolicy() {
        return closed.pooled();
    }

    /** A fresh detector of the configured pooled policy. */
    private PooledReferenceDetector newPooledDetector() {
        ReferencePolicy p = settings.reference();
        return p.kind() == ReferencePolicy.Kind.FIXED
                ? PooledReferenceDetector.fixed(evaluator.pooledCalibration())
                : PooledReferenceDetector.seasonal(evaluator.pooledCalibration(), p.windows());
    }

    /**
     * Policies {@code fixed} and {@code seasonal}: the key's {@link PooledReferenceDetector} takes
     * the window's reservoir rows and decides (the benchmarked decision); a window that goes into
     * the (re)built reference is not evaluated and emits no event. For {@code fixed},
     * {@code m.fixedIndex} is the newest window of the complete reference (its sketch is kept for
     * MEDA's mu) and the change locator measures against the pooled reference's moments.
     */
    private WindowEvaluator.Result decidePooled(
            String key, KeyMeta m, WindowSketch w, long start, long end, long index, List<Stored> history,
            double[] blocks) throws Exception {
        ReferencePolicy p = settings.reference();
        PooledReferenceDetector det = detector.value();
        if (det != null && (det.season() != pooledSeason || !det.settings().equals(pooledSettings))) {
            // restored under another policy, period or false-alarm budget: the stored reference and
            // null history answer a different question, so the key starts afresh
            LOG.info("Key {}: reference policy or false-alarm budget changed since the snapshot; its reference is rebuilt", key);
            m.fixedIndex = -1;
            det = null;
        }
        if (det == null) {
            det = newPooledDetector();
        }
        boolean building = det.buildingReference();
        PooledReferenceDetector.Verdict v =
                det.onWindow(new PooledReferenceDetector.Window(start, end, w.count(), w.reservoir().rows()));
        detector.update(det);
        if (p.kind() == ReferencePolicy.Kind.FIXED && building && !det.buildingReference()) {
            // this window completed the reference
            m.fixedIndex = index;
            ChangeLocation.referenceFrom(m, det.referenceWindows());
        }
        if (!v.decided()) {
            return null;
        }
        ReservoirSketch labelled = closed.reservoir(p.kind() == ReferencePolicy.Kind.FIXED ? m.fixedIndex : index - p.windows());
        return evaluator.evaluate(key, m, w, start, end, v, labelled, history, blocks,
                det.sortedReferenceColumns(settings.reservoirSize()));
    }

    /** The change locator's reference: mean and 1/sd over the pooled reference rows. */
    private void reject(Context ctx, SeriesRecord r, String reason) {
        deadLetters.inc();
        String raw = r.toString();
        ctx.output(DriftMetrics.DEAD_LETTER_TAG,
                new DeadLetter(r.key() + "@" + r.ts(), reason, raw.getBytes(StandardCharsets.UTF_8)));
    }

    private static long keyHash(String key) {
        long h = 1125899906842597L;
        for (int i = 0; i < key.length(); i++) {
            h = 31 * h + key.charAt(i);
        }
        return h;
    }

    /** The function's side of the window cutters. */
    private final class Sink implements WindowSink {
        @Override
        public WindowSketch newSketch(KeyMeta m, String key) {
            return WindowDriftFunction.this.newSketch(m, key);
        }

        @Override
        public void update(WindowSketch w, SeriesRecord r, double label) {
            WindowDriftFunction.this.update(w, r, label);
        }

        @Override
        public void close(String key, KeyMeta m, WindowSketch w, long start, long end, double[] blocks,
                Collector<DriftEvent> out) throws Exception {
            closeWindow(key, m, w, start, end, blocks, out);
        }
    }

    /** A closed window's sketch or embedding bytes with its time span. */
    record Stored(long start, long end, byte[] bytes) {
        byte[] toBytes() {
            return ByteBuffer.allocate(16 + bytes.length).putLong(start).putLong(end).put(bytes).array();
        }

        static Stored fromBytes(byte[] b) {
            ByteBuffer buf = ByteBuffer.wrap(b);
            long s = buf.getLong();
            long e = buf.getLong();
            byte[] r = new byte[buf.remaining()];
            buf.get(r);
            return new Stored(s, e, r);
        }
    }
}
