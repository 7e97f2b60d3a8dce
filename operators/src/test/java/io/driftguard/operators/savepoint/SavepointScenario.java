package io.driftguard.operators.savepoint;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.functions.ReferencePolicy;
import io.driftguard.operators.functions.WindowDriftFunction;
import io.driftguard.operators.functions.WindowSpec;
import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.FeatureSchema;
import io.driftguard.operators.model.Lineage;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.ModelSettings;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainingRequest;
import io.driftguard.operators.model.Trigger;
import io.driftguard.operators.record.SeriesRecord;
import io.driftguard.operators.scoring.Prediction;
import io.driftguard.operators.scoring.ScoringFunction;
import io.driftguard.operators.scoring.ScoringInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * A seeded input for one stateful operator, cut at a fixed step: the committed savepoint
 * fixtures ({@link SavepointFixtureGenerator}) hold the operator's state at the cut as a release
 * wrote it, and {@link PreviousReleaseSavepointTest} restores them into the current code and
 * compares its outputs after the cut with an uninterrupted run of the whole input.
 *
 * <p>A scenario's settings, input and cut are part of its fixtures: changing them makes the
 * committed fixtures describe another input, so add a new scenario instead.
 */
public abstract class SavepointScenario<H extends AbstractStreamOperatorTestHarness<?>> {

    /** Processing time the TTL-enabled states see (the job's default {@code drift.state.ttl}). */
    static final long TTL_TIME = 0L;
    static final Duration STATE_TTL = Duration.ofDays(7);

    /** File name of the scenario's fixture, without extension. */
    public abstract String name();

    /** Input steps in all. */
    public abstract int steps();

    /** Steps taken before the snapshot. */
    public abstract int cut();

    /** A fresh, not yet opened harness of the operator. */
    public abstract H harness() throws Exception;

    /** Feeds input step {@code i} (a record, and what the step brings with it). */
    public abstract void step(H h, int i) throws Exception;

    /** Called once after {@link #open}: the broadcast inputs the run starts with, if any. */
    void start(H h) throws Exception {}

    /** Opens a fresh harness, optionally restoring a snapshot first. */
    H open(org.apache.flink.runtime.checkpoint.OperatorSubtaskState restoreFrom) throws Exception {
        H h = harness();
        h.setStateTtlProcessingTime(TTL_TIME);
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        return h;
    }

    /** What the run emitted, in order: by default the values of the main output. */
    List<Object> outputs(H h) {
        return mainOutput(h);
    }

    /** The values the operator emitted on its main output, in order. */
    static List<Object> mainOutput(AbstractStreamOperatorTestHarness<?> h) {
        List<Object> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    /** Every scenario with committed fixtures. */
    public static List<SavepointScenario<?>> all() {
        return List.of(new FixedCountWindows(), new PreviousTimeWindows(), new Scoring());
    }

    /** N(0, 1) by Box-Muller, as the evaluator tests draw it. */
    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /**
     * The evaluator at the defaults (fixed pooled reference, count windows of 500, reservoir 256,
     * 128 Fourier pairs, 64 kept embeddings, TTL 7 days) on two keys of d = 3, one of them
     * labelled (its reference window's labelled reservoir feeds MEDA's mu). The cut comes after
     * 60 windows and 250 records: the reference is pooled and the null history calibrated, with a
     * window half open. After the cut key "a" shifts its first feature by 2 at window 64, so the
     * continuation holds calibrated windows, an alarm and the reference's rebuilding.
     */
    static final class FixedCountWindows extends SavepointScenario<KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent>> {
        private static final int WINDOW = 500;
        private static final int D = 3;
        private final SplittableRandom[] random = new SplittableRandom[2];
        private int next;

        @Override
        public String name() {
            return "window-drift-fixed-count";
        }

        @Override
        public int steps() {
            return 70 * WINDOW;
        }

        @Override
        public int cut() {
            return 60 * WINDOW + 250;
        }

        @Override
        public KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> harness() throws Exception {
            // the generators restart with each harness, so every run sees the same input
            random[0] = new SplittableRandom(11);
            random[1] = new SplittableRandom(12);
            next = 0;
            DriftSettings s = DriftSettings.defaults(WindowSpec.ofCount(WINDOW));
            return new KeyedOneInputStreamOperatorTestHarness<>(
                    new KeyedProcessOperator<>(new WindowDriftFunction(s, STATE_TTL)), SeriesRecord::key, Types.STRING);
        }

        @Override
        public void step(KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> h, int i)
                throws Exception {
            skipTo(i);
            h.processElement(record("a", i, random[0], i >= 64 * WINDOW ? 2.0 : 0.0, false), i);
            h.processElement(record("b", i, random[1], 0.0, true), i);
            next = i + 1;
        }

        /** Draws the records of the steps a restored run skips, so that its generators line up. */
        private void skipTo(int i) {
            while (next < i) {
                record("a", next, random[0], 0.0, false);
                record("b", next, random[1], 0.0, true);
                next++;
            }
        }

        private static SeriesRecord record(String key, long ts, SplittableRandom r, double shift, boolean labelled) {
            double[] x = new double[D];
            for (int f = 0; f < D; f++) {
                x[f] = gaussian(r);
            }
            x[0] += shift;
            String label = labelled ? (x[0] + 0.5 * gaussian(r) > 0 ? "up" : "down") : null;
            return new SeriesRecord(key, ts, x, null, label);
        }
    }

    /**
     * The evaluator with the {@code previous} reference (its own calibration in the key's meta,
     * closed windows kept) on event-time windows of 1 s, 250 records each, d = 2, 8 kept
     * embeddings. The cut comes in the middle of window 40, after the key's calibration is
     * complete; window 44 on has its second feature's scale tripled.
     */
    static final class PreviousTimeWindows extends SavepointScenario<KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent>> {
        private static final int PER_WINDOW = 250;
        private static final long MILLIS = 4;
        private SplittableRandom random;
        private int next;

        @Override
        public String name() {
            return "window-drift-previous-time";
        }

        @Override
        public int steps() {
            return 48 * PER_WINDOW;
        }

        @Override
        public int cut() {
            return 40 * PER_WINDOW + PER_WINDOW / 2;
        }

        @Override
        public KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> harness() throws Exception {
            random = new SplittableRandom(21);
            next = 0;
            WindowSpec w = WindowSpec.ofMillis(PER_WINDOW * MILLIS);
            DriftSettings d = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("previous", w));
            DriftSettings s = new DriftSettings(d.window(), d.reference(), d.permutations(), d.reservoirSize(),
                    d.kllK(), d.rffPairs(), true, d.expectedRunLength(), d.seed(), 8, d.embedding());
            return new KeyedOneInputStreamOperatorTestHarness<>(
                    new KeyedProcessOperator<>(new WindowDriftFunction(s, STATE_TTL)), SeriesRecord::key, Types.STRING);
        }

        @Override
        public void step(KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> h, int i)
                throws Exception {
            while (next < i) {
                record(next++);
            }
            SeriesRecord r = record(i);
            next = i + 1;
            h.processElement(r, r.ts());
            h.processWatermark(r.ts() - 1);
        }

        private SeriesRecord record(int i) {
            double[] x = {gaussian(random), gaussian(random)};
            if (i >= 44 * PER_WINDOW) {
                x[1] *= 3;
            }
            return new SeriesRecord("t", i * MILLIS, x, null, null);
        }
    }

    /**
     * The scoring operator (streaming, a linear classifier that says "up" when x0 > 0 in broadcast
     * state) on 300 labelled records of one key, cut after 137: the key's buffer, classes and
     * error test are in keyed state, the model version in broadcast state. After the cut a drift
     * event without drift for [100, 150) is scored over records from both sides of the cut, and one
     * with drift for [150, 200) asks for a training on the buffered records after its change.
     */
    static final class Scoring extends SavepointScenario<KeyedBroadcastOperatorTestHarness<String, ScoringInput, byte[], Prediction>> {
        private static final ModelSettings SETTINGS = ModelSettings.defaults(Task.CLASSIFICATION)
                .withKind(ModelKind.LINEAR, new int[0], 1).withRecords(100, 100, 1000);
        private final List<SeriesRecord> data = new ArrayList<>();

        Scoring() {
            SplittableRandom r = new SplittableRandom(4);
            for (int i = 0; i < 300; i++) {
                double x = gaussian(r);
                data.add(new SeriesRecord("k", i, new double[] {x, 0.1}, null, r.nextDouble() < 0.9 == x > 0 ? "up" : "down"));
            }
        }

        @Override
        public String name() {
            return "scoring";
        }

        @Override
        public int steps() {
            return data.size();
        }

        @Override
        public int cut() {
            return 137;
        }

        @Override
        public KeyedBroadcastOperatorTestHarness<String, ScoringInput, byte[], Prediction> harness() throws Exception {
            ScoringFunction f = ScoringFunction.streaming(SETTINGS, WindowSpec.ofCount(50)).withStateTtl(STATE_TTL);
            return new KeyedBroadcastOperatorTestHarness<>(
                    new CoBroadcastWithKeyedOperator<>(f, List.of(ScoringFunction.MODELS)), ScoringInput::key,
                    Types.STRING, 1, 1, 0);
        }

        @Override
        void start(KeyedBroadcastOperatorTestHarness<String, ScoringInput, byte[], Prediction> h) throws Exception {
            h.processBroadcastElement(ModelCodec.encode(upWhenPositive()), 0);
        }

        @Override
        public void step(KeyedBroadcastOperatorTestHarness<String, ScoringInput, byte[], Prediction> h, int i)
                throws Exception {
            SeriesRecord r = data.get(i);
            h.processElement(ScoringInput.of(r), r.ts());
            if (i == 149 || i == 199) {
                h.processElement(ScoringInput.of(event(i - 49, i + 1, i == 199)), i);
            }
        }

        @Override
        List<Object> outputs(KeyedBroadcastOperatorTestHarness<String, ScoringInput, byte[], Prediction> h) {
            List<Object> out = mainOutput(h);
            var scored = h.getSideOutput(ScoringFunction.SCORED_EVENTS);
            if (scored != null) {
                scored.forEach(r -> out.add(r.getValue()));
            }
            var requests = h.getSideOutput(ScoringFunction.TRAINING_REQUESTS);
            if (requests != null) {
                // the request as bytes, but for its creation time (wall clock)
                requests.forEach(r -> {
                    TrainingRequest q = TrainingRequest.fromBytes(r.getValue());
                    out.add(HexFormat.of().formatHex(new TrainingRequest(q.modelId(), q.version(), q.parent(),
                            q.classNames(), q.featureNames(), q.x(), q.y(), q.rows(), q.firstTs(), q.lastTs(),
                            q.trigger(), q.triggerStart(), q.triggerEnd(), q.effectiveFrom(), 0L, q.seed(), q.ref(),
                            q.unlabelled(), q.mu(), q.past()).toBytes()));
                });
            }
            return out;
        }

        private static DriftEvent event(long start, long end, boolean drift) {
            return DriftEvent.builder("k", start, end).reference(0, start, 50).current(50).mmd(0.1, 1)
                    .pValues(drift ? 0.001 : 0.5, Double.NaN).aDistance(0.3).decision(drift, true)
                    .changeAt(drift ? start + 10 : null).build();
        }

        /** Logits [down, up] = [-5 x0, 5 x0]. */
        private static ModelArtifact upWhenPositive() {
            Architecture arch = new Architecture(ModelKind.LINEAR, 2, new int[0], 2, 1);
            FeatureSchema s = new FeatureSchema(new String[] {"x0", "x1"}, new double[2], new double[] {1, 1}, 0, 1);
            Lineage l = new Lineage(0, Trigger.MANUAL, -1, -1, "test", 0, 0, 0, Double.NaN, Double.NaN, 0, 0, 0, 0);
            float[][] w = {{-5, 5, 0, 0}, {0, 0}};
            return new ModelArtifact("k", 1, ModelStatus.ACCEPTED, "", Task.CLASSIFICATION, new String[] {"down", "up"},
                    arch, s, w, 0, l);
        }
    }
}
