package io.driftguard.operators.scoring;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftMetrics;
import io.driftguard.operators.functions.KeyScoringSerializer;
import io.driftguard.operators.functions.WindowSpec;
import io.driftguard.operators.model.KeyScoring;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import io.driftguard.operators.model.ModelSettings;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.model.ModelVersions;
import io.driftguard.operators.model.PrequentialWindow;
import io.driftguard.operators.model.Retrainer;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainingRequest;
import io.driftguard.operators.record.SeriesRecord;
import java.util.HashMap;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the deployed model beside the drift evaluator, keyed by record key: predicts every
 * record before its label is learnt (test-then-train), adds each drift event's window its
 * prequential error and model version, and asks for training when a key needs its first model,
 * when a drift alarm arrives, or when the error-drift test confirms a rise of the error.
 *
 * <p><b>Model versions</b> arrive on the broadcast input as {@link ModelCodec} bytes (from the
 * models topic). They are kept in broadcast state (so the serving set survives checkpoints and
 * restores) and served by {@link ModelVersions}' rule: the highest accepted, non-revoked version
 * whose effective time is not after the record's. A record that fails to decode, or is stale or
 * incompatible, is refused with a logged reason and counted ({@value ModelMetrics#MODELS_REJECTED});
 * the serving version stays.
 *
 * <p><b>Training</b> never runs on this operator's record path under {@code run}: a {@link
 * TrainingRequest} goes to {@link #TRAINING_REQUESTS} for the asynchronous trainer, whose result
 * comes back through the models topic. Under replay ({@code inlineTraining}) training runs here,
 * synchronously, so that the same input gives the same versions byte for byte; the new version
 * serves from the record after the one that completed its data. Under replay drift events are
 * not an input: the evaluator's events of the same input are given up front ({@code schedule})
 * and applied before the first record at or after each window's end, which fixes their place in
 * each key's record order.
 *
 * <p>State per key: a {@link KeyScoring} (the newest {@code model.buffer} records as floats, about
 * {@code 4 d + 12} bytes each, plus O(classes) numbers).
 */
public class ScoringFunction extends KeyedBroadcastProcessFunction<String, ScoringInput, byte[], Prediction> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ScoringFunction.class);

    /** Broadcast state of model versions: store key ({@code id@version}) to codec bytes. */
    public static final MapStateDescriptor<String, byte[]> MODELS =
            new MapStateDescriptor<>("model-versions", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Drift events with their window's prequential error. */
    public static final OutputTag<DriftEvent> SCORED_EVENTS =
            new OutputTag<>("scored-events", TypeInformation.of(DriftEvent.class));

    /** Training requests ({@link TrainingRequest#toBytes()}) for the asynchronous trainer. */
    public static final OutputTag<byte[]> TRAINING_REQUESTS =
            new OutputTag<>("training-requests", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Model versions trained inline under replay ({@link ModelCodec} bytes), accepted and rejected. */
    public static final OutputTag<byte[]> TRAINED_MODELS =
            new OutputTag<>("trained-models", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Accumulator of swap latencies (ms from an alarm to the first record a new version scores). */
    public static final String SWAP_LATENCIES = "driftguard-swap-latency-ms";

    /** A request whose result has not come back after this long is given up and may be re-issued. */
    static final long TRAINING_TIMEOUT_MILLIS = 120_000;

    private final ModelSettings settings;
    private final WindowSpec window;
    // a key's scoring state expires after this long without a record; zero keeps it
    private java.time.Duration stateTtl = java.time.Duration.ZERO;
    @Nullable private final TrainerFactory inlineTrainer;
    @Nullable private final Map<String, DriftEvent[]> schedule;

    private transient ValueState<KeyScoring> scoring;
    private transient ValueState<Integer> scheduled;
    private transient Map<String, ModelVersions> versions;
    private transient boolean versionsLoaded;
    private transient Retrainer retrainer;
    private transient KeyScoring.Scored scored;
    private transient Counter predictions;
    private transient Counter predictionsLabelled;
    private transient Counter retrainsAttempted;
    private transient Counter modelsRejected;
    private transient Counter modelsLoaded;
    private transient Counter retrainsAccepted;
    private transient Counter retrainsRejected;
    private transient volatile long servingVersion;
    private transient volatile long lastTrainingMillis;
    private transient volatile long lastSwapMillis;
    private transient org.apache.flink.api.common.accumulators.ListAccumulator<Long> swapLatencies;
    private transient double errSum;
    private transient long errN;

    /**
     * A scoring function for {@code run}: drift events arrive on the input, training is
     * asynchronous, versions arrive on the broadcast input.
     */
    public static ScoringFunction streaming(ModelSettings settings, WindowSpec window) {
        return new ScoringFunction(settings, window, null, null);
    }

    /**
     * This function with its keyed state (the key's buffer, classes, error test) expiring after
     * {@code ttl} without a record of the key ({@code drift.state.ttl}; zero keeps it). The model
     * versions in broadcast state do not expire.
     */
    public ScoringFunction withStateTtl(java.time.Duration ttl) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("state TTL must not be negative: " + ttl);
        }
        this.stateTtl = ttl;
        return this;
    }

    private <D extends org.apache.flink.api.common.state.StateDescriptor<?, ?>> D ttl(D d) {
        if (!stateTtl.isZero()) {
            d.enableTimeToLive(org.apache.flink.api.common.state.StateTtlConfig.newBuilder(stateTtl)
                    .setUpdateType(org.apache.flink.api.common.state.StateTtlConfig.UpdateType.OnReadAndWrite)
                    .setStateVisibility(
                            org.apache.flink.api.common.state.StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .cleanupFullSnapshot()
                    .cleanupIncrementally(10, false)
                    .build());
        }
        return d;
    }

    /**
     * A scoring function for replay: the input's drift events up front per key (in window order),
     * training inline with the given trainer.
     */
    public static ScoringFunction replay(ModelSettings settings, WindowSpec window, TrainerFactory trainer,
            Map<String, DriftEvent[]> schedule) {
        return new ScoringFunction(settings, window, trainer, new HashMap<>(schedule));
    }

    private ScoringFunction(ModelSettings settings, WindowSpec window, @Nullable TrainerFactory inlineTrainer,
            @Nullable Map<String, DriftEvent[]> schedule) {
        this.settings = settings;
        this.window = window;
        this.inlineTrainer = inlineTrainer;
        this.schedule = schedule;
    }

    @Override
    public void open(OpenContext openContext) {
        scoring = getRuntimeContext().getState(ttl(new ValueStateDescriptor<>("scoring", KeyScoringSerializer.INSTANCE)));
        scheduled = getRuntimeContext().getState(ttl(new ValueStateDescriptor<>("scheduled-events", Types.INT)));
        versions = new HashMap<>();
        versionsLoaded = false;
        scored = new KeyScoring.Scored();
        if (inlineTrainer != null) {
            retrainer = new Retrainer(settings, inlineTrainer.create());
        }
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup(DriftMetrics.GROUP);
        predictions = g.counter(ModelMetrics.PREDICTIONS);
        predictionsLabelled = g.counter(ModelMetrics.PREDICTIONS_LABELLED);
        retrainsAttempted = g.counter(ModelMetrics.RETRAINS_ATTEMPTED);
        modelsRejected = g.counter(ModelMetrics.MODELS_REJECTED);
        modelsLoaded = g.counter(ModelMetrics.MODELS_LOADED);
        if (inlineTrainer != null) {
            retrainsAccepted = g.counter(ModelMetrics.RETRAINS_ACCEPTED);
            retrainsRejected = g.counter(ModelMetrics.RETRAINS_REJECTED);
            g.gauge(ModelMetrics.TRAINING_MILLIS, () -> lastTrainingMillis);
        }
        g.gauge(ModelMetrics.SERVING_VERSION, () -> servingVersion);
        g.gauge(ModelMetrics.SWAP_MILLIS, () -> lastSwapMillis);
        swapLatencies = new org.apache.flink.api.common.accumulators.ListAccumulator<>();
        getRuntimeContext().addAccumulator(SWAP_LATENCIES, swapLatencies);
        g.gauge(ModelMetrics.PREQUENTIAL_ERROR, () -> {
            double v = errN == 0 ? Double.NaN : errSum / errN;
            errSum = 0;
            errN = 0;
            return v;
        });
    }

    @Override
    public void processElement(ScoringInput in, ReadOnlyContext ctx, Collector<Prediction> out) throws Exception {
        ensureVersions(ctx.getBroadcastState(MODELS));
        KeyScoring k = scoring.value();
        if (k == null) {
            k = new KeyScoring();
        }
        String key = ctx.getCurrentKey();
        if (in.event() != null) {
            onEvent(k, in.event(), ctx);
            scoring.update(k);
            return;
        }
        SeriesRecord r = in.record();
        if (schedule != null) {
            applySchedule(k, key, r.ts(), false, ctx);
        }
        ModelVersions mv = versionsOf(settings.modelIdOf(key));
        if (k.inFlight() && resultArrived(k, mv)) {
            k.trainingDone();
        }
        long now = inlineTrainer != null ? r.ts() + 1 : System.currentTimeMillis();
        ModelVersions cold = coldStart(k, key, mv);
        k.score(key, r.ts(), r.features(), r.featureNames(), r.label(), mv, cold, settings,
                window.countBased() ? window.size() : 0, window.countBased() ? 0 : window.size(), now, scored);
        if (scored.rejected != null) {
            scoring.update(k);
            return;
        }
        if (scored.disabledVersion != 0) {
            modelsRejected.inc();
            LOG.warn("model version refused on key {}: {}", key, scored.disabledReason);
        }
        predictions.inc();
        if (r.label() != null) {
            predictionsLabelled.inc();
            if (scored.version >= 0) {
                errN++;
                errSum += settings.task() == Task.CLASSIFICATION
                        ? (r.label().equals(scored.predictedClass) ? 0 : 1)
                        : sq(scored.predictedValue, r.label());
            }
        }
        if (scored.version > servingVersion) {
            servingVersion = scored.version;
        }
        if (inlineTrainer == null) {
            long latency = k.served(scored.version, System.currentTimeMillis());
            if (latency >= 0) {
                swapLatencies.add(latency);
                lastSwapMillis = latency;
                LOG.info("key {}: version {} scores its first record {} ms after the alarm", key, scored.version,
                        latency);
            }
        }
        out.collect(new Prediction(key, r.ts(), r.label(), scored.predictedClass, scored.predictedValue,
                scored.probabilities, scored.probabilityClasses, scored.version,
                scored.servingModelId == null || scored.servingModelId.equals(settings.modelIdOf(key))
                        ? null : scored.servingModelId));
        TrainingRequest req = scored.request;
        if (req != null) {
            retrainsAttempted.inc();
            if (retrainer != null) {
                trainInline(k, req, mv, ctx);
            } else {
                k.startedAt(System.currentTimeMillis());
                ctx.output(TRAINING_REQUESTS, req.toBytes());
            }
        }
        if (schedule != null) {
            // a count window's event applies right after its last record
            applySchedule(k, key, r.ts() + 1, true, ctx);
        }
        scoring.update(k);
    }

    /** Records a key gathers before it borrows a model. */
    static final int COLD_START_RECORDS = 50;

    /**
     * Zero-shot transfer: a key with no model of its own borrows the model of the most similar
     * key, by the MMD between Gaussian approximations of the key's buffered records and of each
     * model's training data (their schemas' means and variances; Gaussian kernel of squared width
     * d on the key's standardised scale, in closed form). Chosen once, after {@value
     * #COLD_START_RECORDS} records, among the keys whose models read the same features; it serves
     * until the key's own first model does, which fine-tunes from it. Under replay keys do not
     * borrow: which other keys' models exist at a record would depend on the order in which keys
     * interleave.
     */
    @Nullable
    private ModelVersions coldStart(KeyScoring k, String key, ModelVersions own) {
        if (inlineTrainer != null || settings.scope() != ModelSettings.Scope.KEY || own.latestAccepted() != null) {
            return null;
        }
        if (k.coldSource() == null) {
            double[][] m = k.moments(COLD_START_RECORDS);
            if (m == null) {
                return null;
            }
            double best = Double.POSITIVE_INFINITY;
            for (Map.Entry<String, ModelVersions> e : versions.entrySet()) {
                ModelArtifact a = e.getValue().latestAccepted();
                if (e.getKey().equals(key) || a == null || !a.schema().accepts(k.names(), k.dimension())) {
                    continue;
                }
                double dist = gaussianMmd2(m[0], m[1], a.schema().mean(), a.schema().std());
                if (dist < best) {
                    best = dist;
                    k.coldSource(e.getKey());
                }
            }
            if (k.coldSource() != null) {
                LOG.info("key {} borrows the model of key {} (MMD^2 {}) until it has its own", key, k.coldSource(), best);
            }
        }
        return k.coldSource() == null ? null : versions.get(k.coldSource());
    }

    /**
     * MMD^2 between N(ma, diag va) and N(mb, diag sb^2) under exp(-||x - y||^2 / (2 d)), on the
     * scale of the first sample's standard deviations.
     */
    static double gaussianMmd2(double[] ma, double[] va, double[] mb, double[] sb) {
        int d = ma.length;
        double s2 = d;
        double aa = 1;
        double bb = 1;
        double ab = 1;
        for (int j = 0; j < d; j++) {
            double scale = va[j] > 1e-24 ? Math.sqrt(va[j]) : 1;
            double a = va[j] / (scale * scale);
            double b = sb[j] * sb[j] / (scale * scale);
            double diff = (ma[j] - mb[j]) / scale;
            aa *= 1 / Math.sqrt(1 + 2 * a / s2);
            bb *= 1 / Math.sqrt(1 + 2 * b / s2);
            ab *= Math.exp(-diff * diff / (2 * (s2 + a + b))) / Math.sqrt(1 + (a + b) / s2);
        }
        return aa + bb - 2 * ab;
    }

    private static double sq(double predicted, String label) {
        try {
            double e = predicted - Double.parseDouble(label.trim());
            return e * e;
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    private boolean resultArrived(KeyScoring k, ModelVersions mv) {
        if (System.currentTimeMillis() - k.inFlightWallMillis() > TRAINING_TIMEOUT_MILLIS) {
            return true;
        }
        return mv.trainedThrough(k.inFlightLastTs());
    }

    private void trainInline(KeyScoring k, TrainingRequest req, ModelVersions mv, ReadOnlyContext ctx) {
        long t0 = System.nanoTime();
        ModelArtifact a = retrainer.train(req, mv.maxVersion() + 1, true);
        lastTrainingMillis = (System.nanoTime() - t0) / 1_000_000;
        mv.offer(a);
        mv.prune(8);
        (a.status() == ModelStatus.ACCEPTED ? retrainsAccepted : retrainsRejected).inc();
        LOG.info("{} v{} {} ({}, {} records, validation {} against {}){}", a.modelId(), a.version(),
                a.status().jsonName(), a.lineage().trigger().jsonName(), a.lineage().trainRecords(),
                a.lineage().candidateMetric(), a.lineage().parentMetric(),
                a.reason().isEmpty() ? "" : ": " + a.reason());
        ctx.output(TRAINED_MODELS, ModelCodec.encode(a));
        k.trainingDone();
    }

    private void onEvent(KeyScoring k, DriftEvent e, ReadOnlyContext ctx) {
        if (e.drift() && inlineTrainer == null && settings.adapt() == ModelSettings.Adapt.RETRAIN) {
            k.alarmAt(System.currentTimeMillis());
        }
        PrequentialWindow w = k.onEvent(e.windowStart(), e.windowEnd(), e.drift(), e.changeAt(), e.mu(), settings,
                settings.task());
        ctx.output(SCORED_EVENTS, e.withModel(w));
    }

    private void applySchedule(KeyScoring k, String key, long upTo, boolean countOnly, ReadOnlyContext ctx)
            throws Exception {
        if (countOnly && !window.countBased()) {
            return;
        }
        DriftEvent[] events = schedule.get(key);
        if (events == null) {
            return;
        }
        Integer done = scheduled.value();
        if (done == null) {
            // the events of windows after the key's last record apply at the end of the input
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE - 1);
        }
        int i = done == null ? 0 : done;
        while (i < events.length && events[i].windowEnd() <= upTo) {
            onEvent(k, events[i], ctx);
            i++;
        }
        if (done == null || i != done) {
            scheduled.update(i);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out) throws Exception {
        if (schedule == null) {
            return;
        }
        KeyScoring k = scoring.value();
        if (k != null) {
            applySchedule(k, ctx.getCurrentKey(), Long.MAX_VALUE, false, ctx);
            scoring.update(k);
        }
    }

    @Override
    public void processBroadcastElement(byte[] bytes, Context ctx, Collector<Prediction> out) throws Exception {
        BroadcastState<String, byte[]> state = ctx.getBroadcastState(MODELS);
        ensureVersions(state);
        ModelArtifact a;
        try {
            a = ModelCodec.decode(bytes);
        } catch (IllegalArgumentException e) {
            modelsRejected.inc();
            LOG.warn("model record refused: {}", e.getMessage());
            return;
        }
        ModelVersions mv = versionsOf(a.modelId());
        ModelVersions.Outcome o = mv.offer(a);
        switch (o) {
            case REJECTED -> {
                modelsRejected.inc();
                LOG.warn("model record refused: {}", mv.lastRejection());
            }
            case ADDED, REVOKED -> {
                modelsLoaded.inc();
                state.put(a.storeKey() + (a.status() == ModelStatus.REVOKED ? "/revoked" : ""), bytes);
                LOG.info("model {} v{} {} from {}", a.modelId(), a.version(), a.status().jsonName(), a.effectiveFrom());
            }
            case DUPLICATE -> { }
            default -> throw new AssertionError(o);
        }
    }

    /** Rebuilds the decoded versions from broadcast state once per operator instance (after a restore). */
    private void ensureVersions(ReadOnlyBroadcastState<String, byte[]> state) throws Exception {
        if (versionsLoaded) {
            return;
        }
        versionsLoaded = true;
        for (Map.Entry<String, byte[]> e : state.immutableEntries()) {
            try {
                ModelArtifact a = ModelCodec.decode(e.getValue());
                versionsOf(a.modelId()).offer(a);
            } catch (IllegalArgumentException ex) {
                LOG.warn("model version {} in restored state refused: {}", e.getKey(), ex.getMessage());
            }
        }
    }

    private ModelVersions versionsOf(String modelId) {
        return versions.computeIfAbsent(modelId, id -> new ModelVersions());
    }
}
