package io.driftguard.operators.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.WindowSpec;
import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.FeatureSchema;
import io.driftguard.operators.model.GradientDescentTrainer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ScoringFunctionTest {

    private static final ModelSettings SETTINGS = ModelSettings.defaults(Task.CLASSIFICATION)
            .withKind(ModelKind.LINEAR, new int[0], 1).withRecords(100, 100, 1000);
    private static final WindowSpec WINDOW = WindowSpec.ofCount(50);

    static KeyedBroadcastOperatorTestHarness<String, ScoringInput, byte[], Prediction> harness(ScoringFunction f)
            throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(f, List.of(ScoringFunction.MODELS)), ScoringInput::key, Types.STRING,
                1, 1, 0);
    }

    /** A linear classifier that says "up" when x0 > 0 (weights set by hand). */
    static ModelArtifact upWhenPositive(String id, long version, long from, float sign) {
        Architecture arch = new Architecture(ModelKind.LINEAR, 2, new int[0], 2, 1);
        FeatureSchema s = new FeatureSchema(new String[] {"x0", "x1"}, new double[2], new double[] {1, 1}, 0, 1);
        Lineage l = new Lineage(version - 1, Trigger.MANUAL, -1, -1, "test", 0, 0, 0, Double.NaN, Double.NaN, 0, 0, 0, 0);
        // logits: [down, up] = [-sign * 5 x0, sign * 5 x0]
        float[][] w = {{-5 * sign, 5 * sign, 0, 0}, {0, 0}};
        return new ModelArtifact(id, version, ModelStatus.ACCEPTED, "", Task.CLASSIFICATION, new String[] {"down", "up"},
                arch, s, w, from, l);
    }

    static SeriesRecord rec(String key, long ts, double x0, String label) {
        return new SeriesRecord(key, ts, new double[] {x0, 0.1}, null, label);
    }

    private static List<Prediction> predictions(KeyedBroadcastOperatorTestHarness<String, ScoringInput, byte[], Prediction> h) {
        List<Prediction> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((Prediction) r.getValue());
            }
        }
        return out;
    }

    private static <T> List<T> side(KeyedBroadcastOperatorTestHarness<String, ScoringInput, byte[], Prediction> h,
            org.apache.flink.util.OutputTag<T> tag) {
        ConcurrentLinkedQueue<StreamRecord<T>> q = h.getSideOutput(tag);
        List<T> out = new ArrayList<>();
        if (q != null) {
            q.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    @Test
    void servesTheHighestEffectiveVersionAndRefusesACorruptRecord() throws Exception {
        var h = harness(ScoringFunction.streaming(SETTINGS, WINDOW));
        h.open();
        h.processBroadcastElement(ModelCodec.encode(upWhenPositive("k", 1, 0, 1)), 0);
        h.processBroadcastElement(ModelCodec.encode(upWhenPositive("k", 2, 10, -1)), 0);
        byte[] corrupt = ModelCodec.encode(upWhenPositive("k", 3, 0, 1));
        corrupt[corrupt.length / 2] ^= 1;
        h.processBroadcastElement(corrupt, 0);
        h.processElement(ScoringInput.of(rec("k", 5, 1.0, "up")), 5);
        h.processElement(ScoringInput.of(rec("k", 10, 1.0, "up")), 10);
        h.processElement(ScoringInput.of(rec("other", 10, 1.0, "up")), 10);
        List<Prediction> p = predictions(h);
        assertThat(p.get(0).modelVersion()).isEqualTo(1);
        assertThat(p.get(0).predictedClass()).isEqualTo("up");
        assertThat(p.get(1).modelVersion()).isEqualTo(2);
        assertThat(p.get(1).predictedClass()).isEqualTo("down");
        assertThat(p.get(1).probabilities()[0]).isGreaterThan(0.99);
        // a key without a model and without labels yet has nothing to predict
        assertThat(p.get(2).modelVersion()).isEqualTo(-1);
        // revoking version 2 brings back version 1
        h.processBroadcastElement(ModelCodec.encode(upWhenPositive("k", 2, 10, -1).revoked("bad")), 0);
        h.processElement(ScoringInput.of(rec("k", 11, 1.0, "up")), 11);
        assertThat(predictions(h).get(3).modelVersion()).isEqualTo(1);
        h.close();
    }

    @Test
    void servingVersionAndKeyStateSurviveSnapshotAndRestore() throws Exception {
        Random rnd = new Random(4);
        List<SeriesRecord> data = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double x = rnd.nextGaussian();
            data.add(rec("k", i, x, rnd.nextDouble() < 0.9 == x > 0 ? "up" : "down"));
        }
        byte[] model = ModelCodec.encode(upWhenPositive("k", 1, 0, 1));
        // uninterrupted
        var whole = harness(ScoringFunction.streaming(SETTINGS, WINDOW));
        whole.open();
        whole.processBroadcastElement(model, 0);
        for (SeriesRecord r : data) {
            whole.processElement(ScoringInput.of(r), r.ts());
        }
        List<Prediction> expected = predictions(whole);
        whole.close();
        // cut at 137
        var first = harness(ScoringFunction.streaming(SETTINGS, WINDOW));
        first.open();
        first.processBroadcastElement(model, 0);
        for (SeriesRecord r : data.subList(0, 137)) {
            first.processElement(ScoringInput.of(r), r.ts());
        }
        List<Prediction> before = predictions(first);
        OperatorSubtaskState snapshot = first.snapshot(1L, 1L);
        first.close();
        var restored = harness(ScoringFunction.streaming(SETTINGS, WINDOW));
        restored.initializeState(snapshot);
        restored.open();
        for (SeriesRecord r : data.subList(137, data.size())) {
            restored.processElement(ScoringInput.of(r), r.ts());
        }
        List<Prediction> after = predictions(restored);
        restored.close();
        List<Prediction> joined = new ArrayList<>(before);
        joined.addAll(after);
        assertThat(joined).isEqualTo(expected);
        assertThat(after).allSatisfy(p -> assertThat(p.modelVersion()).isEqualTo(1));
    }

    private static DriftEvent event(String key, long start, long end, boolean drift) {
        return DriftEvent.builder(key, start, end).reference(0, start, 50).current(50).mmd(0.1, 1)
                .pValues(drift ? 0.001 : 0.5, Double.NaN).aDistance(0.3).decision(drift, true)
                .changeAt(drift ? start + 10 : null).build();
    }

    @Test
    void driftEventsCarryTheirWindowsErrorAndAnAlarmAsksForTraining() throws Exception {
        var h = harness(ScoringFunction.streaming(SETTINGS, WINDOW));
        h.open();
        h.processBroadcastElement(ModelCodec.encode(upWhenPositive("k", 1, 0, 1)), 0);
        // window [0, 50): 40 right, 10 wrong; window [50, 100): concept flipped, all wrong
        for (int i = 0; i < 200; i++) {
            boolean flipped = i >= 50;
            String label = (i % 5 == 0) != flipped ? "down" : "up";
            h.processElement(ScoringInput.of(rec("k", i, 1.0, label)), i);
            if (i == 49) {
                h.processElement(ScoringInput.of(event("k", 0, 50, false)), 49);
            }
            if (i == 99) {
                h.processElement(ScoringInput.of(event("k", 50, 100, true)), 99);
            }
        }
        List<DriftEvent> scored = side(h, ScoringFunction.SCORED_EVENTS);
        assertThat(scored).hasSize(2);
        assertThat(scored.get(0).model().accuracy()).isEqualTo(40 / 50.0);
        assertThat(scored.get(0).model().labelled()).isEqualTo(50);
        assertThat(scored.get(0).model().modelVersion()).isEqualTo(1);
        assertThat(scored.get(1).model().accuracy()).isEqualTo(10 / 50.0);
        List<byte[]> requests = side(h, ScoringFunction.TRAINING_REQUESTS);
        assertThat(requests).hasSize(1);
        TrainingRequest req = TrainingRequest.fromBytes(requests.get(0));
        assertThat(req.trigger()).isEqualTo(Trigger.DRIFT);
        assertThat(req.version()).isEqualTo(2);
        // the data after the estimated change (50 + 10): 100 labelled records at least
        assertThat(req.firstTs()).isGreaterThanOrEqualTo(60);
        assertThat(req.rows()).isGreaterThanOrEqualTo(100);
        assertThat(req.parent().version()).isEqualTo(1);
        h.close();
    }

    @Test
    void replayTrainsInlineAndAppliesScheduledEventsAtTheirPlaceInTheKeysOrder() throws Exception {
        Random rnd = new Random(8);
        List<SeriesRecord> data = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            double x = rnd.nextGaussian();
            boolean up = x > 0 != i >= 300;
            data.add(rec("k", i, x, up ? "up" : "down"));
        }
        DriftEvent[] schedule = new DriftEvent[12];
        for (int w = 0; w < 12; w++) {
            schedule[w] = event("k", w * 50L, w * 50L + 50, w == 6);
        }
        List<List<Prediction>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            var h = harness(ScoringFunction.replay(SETTINGS, WINDOW, () -> new GradientDescentTrainer(500),
                    Map.of("k", schedule)));
            h.open();
            for (SeriesRecord r : data) {
                h.processElement(ScoringInput.of(r), r.ts());
            }
            h.processWatermark(Long.MAX_VALUE);
            h.processBroadcastWatermark(Long.MAX_VALUE);
            runs.add(predictions(h));
            List<DriftEvent> scored = side(h, ScoringFunction.SCORED_EVENTS);
            assertThat(scored).hasSize(12);
            List<ModelArtifact> models = new ArrayList<>();
            side(h, ScoringFunction.TRAINED_MODELS).forEach(b -> models.add(ModelCodec.decode(b)));
            assertThat(models).extracting(m -> m.lineage().trigger()).startsWith(Trigger.INITIAL, Trigger.DRIFT);
            // the initial model serves from the record after its 100th label
            assertThat(models.get(0).effectiveFrom()).isEqualTo(100);
            h.close();
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
        List<Prediction> p = runs.get(0);
        int lateRight = 0;
        for (int i = 450; i < 600; i++) {
            lateRight += p.get(i).correct() ? 1 : 0;
        }
        assertThat(lateRight).isGreaterThan(130);
    }

    @Test
    void aSharedModelServesEveryKeyFromOneVersionSequence() throws Exception {
        ModelSettings shared = SETTINGS.withScope(ModelSettings.Scope.SHARED);
        var h = harness(ScoringFunction.replay(shared, WINDOW, () -> new GradientDescentTrainer(300), Map.of()));
        h.open();
        Random rnd = new Random(12);
        for (int i = 0; i < 400; i++) {
            for (String key : new String[] {"a", "b"}) {
                double x = rnd.nextGaussian();
                h.processElement(ScoringInput.of(rec(key, i, x, x > 0 ? "up" : "down")), i);
            }
        }
        List<ModelArtifact> models = new ArrayList<>();
        side(h, ScoringFunction.TRAINED_MODELS).forEach(b -> models.add(ModelCodec.decode(b)));
        assertThat(models).isNotEmpty().allSatisfy(m -> assertThat(m.modelId()).isEqualTo(ModelSettings.SHARED_ID));
        // one sequence of versions for both keys: key b never trains its own first model
        assertThat(models).extracting(ModelArtifact::version).doesNotHaveDuplicates().isSorted();
        assertThat(models).filteredOn(m -> m.lineage().trigger() == Trigger.INITIAL).hasSize(1);
        List<Prediction> p = predictions(h);
        long bServed = p.stream().filter(x -> x.key().equals("b") && x.modelVersion() == models.get(0).version()).count();
        // key a completes the first model with its 100th label (record 99); it serves both keys from record 100
        assertThat(models.get(0).effectiveFrom()).isEqualTo(100);
        assertThat(bServed).isEqualTo(300);
        h.close();
    }

    /** The hand-set model moved to another region: its schema says its training data sat at 10. */
    static ModelArtifact farModel(String id) {
        ModelArtifact m = upWhenPositive(id, 1, 0, -1);
        FeatureSchema far = new FeatureSchema(new String[] {"x0", "x1"}, new double[] {10, 10}, new double[] {1, 1}, 0, 1);
        return new ModelArtifact(id, 1, ModelStatus.ACCEPTED, "", m.task(), m.classNames(), m.architecture(), far,
                m.weights(), 0, m.lineage());
    }

    @Test
    void aNewKeyBorrowsTheNearestKeysModelAndBeatsThePrior() throws Exception {
        List<List<Prediction>> runs = new ArrayList<>();
        for (boolean withModels : new boolean[] {true, false}) {
            var h = harness(ScoringFunction.streaming(SETTINGS, WINDOW));
            h.open();
            if (withModels) {
                h.processBroadcastElement(ModelCodec.encode(upWhenPositive("old", 1, 0, 1)), 0);
                h.processBroadcastElement(ModelCodec.encode(farModel("far")), 0);
            }
            Random rnd = new Random(6);
            for (int i = 0; i < 400; i++) {
                double x0 = rnd.nextGaussian();
                // 60% of the labels are "up": the prior predicts "up" throughout
                String label = x0 > -0.25 ? "up" : "down";
                h.processElement(ScoringInput.of(new SeriesRecord("new", i, new double[] {x0, rnd.nextGaussian()},
                        null, label)), i);
            }
            runs.add(predictions(h));
            List<byte[]> requests = side(h, ScoringFunction.TRAINING_REQUESTS);
            assertThat(requests).hasSize(1);
            TrainingRequest first = TrainingRequest.fromBytes(requests.get(0));
            // the key still gets its own first model, trained from the borrowed one when it has one
            assertThat(first.trigger()).isEqualTo(Trigger.INITIAL);
            assertThat(first.modelId()).isEqualTo("new");
            assertThat(first.parent() == null ? null : first.parent().modelId()).isEqualTo(withModels ? "old" : null);
            h.close();
        }
        List<Prediction> borrowed = runs.get(0).subList(ScoringFunction.COLD_START_RECORDS, 400);
        List<Prediction> prior = runs.get(1).subList(ScoringFunction.COLD_START_RECORDS, 400);
        assertThat(borrowed).allSatisfy(p -> assertThat(p.modelId()).isEqualTo("old"));
        assertThat(prior).allSatisfy(p -> assertThat(p.modelVersion()).isZero());
        double a = borrowed.stream().filter(Prediction::correct).count() / (double) borrowed.size();
        double b = prior.stream().filter(Prediction::correct).count() / (double) prior.size();
        assertThat(a).as("borrowed %s, prior %s", a, b).isGreaterThan(b + 0.2);
    }

    @Test
    void anIdleKeysScoringStateExpiresAndItStartsAfreshWhileModelsStay() throws Exception {
        var h = harness(ScoringFunction.streaming(SETTINGS, WINDOW).withStateTtl(java.time.Duration.ofMinutes(10)));
        h.setStateTtlProcessingTime(0);
        h.open();
        h.processBroadcastElement(ModelCodec.encode(upWhenPositive("m", 1, 0, 1)), 0);
        for (int i = 0; i < 5; i++) {
            h.processElement(ScoringInput.of(rec("k", i, 1.0, "up")), i);
        }
        // labels seen: the prior predicts
        assertThat(predictions(h).get(4).modelVersion()).isZero();
        h.setStateTtlProcessingTime(10 * 60_000 + 1);
        h.processElement(ScoringInput.of(rec("k", 5, 1.0, "up")), 5);
        // the key's state is gone: no label seen, nothing to predict
        assertThat(predictions(h).get(5).modelVersion()).isEqualTo(-1);
        // the broadcast model versions do not expire
        h.processElement(ScoringInput.of(rec("m", 6, 1.0, "up")), 6);
        assertThat(predictions(h).get(6).modelVersion()).isEqualTo(1);
        h.close();
    }
}
