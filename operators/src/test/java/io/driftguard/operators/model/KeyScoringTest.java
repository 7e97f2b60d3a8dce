package io.driftguard.operators.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class KeyScoringTest {

    /** A labelled stream: features and label of record i. */
    record Row(double[] x, String label) {}

    /** What a run of a key through {@link KeyScoring} produced. */
    static final class Run {
        int[] correct;
        long[] version;
        int accepted;
        int rejected;

        double accuracy(int from, int to) {
            int c = 0;
            for (int i = from; i < to; i++) {
                c += correct[i];
            }
            return (double) c / (to - from);
        }
    }

    static ModelSettings linear(ModelSettings.Adapt adapt) {
        return ModelSettings.defaults(Task.CLASSIFICATION).withKind(ModelKind.LINEAR, new int[0], 1)
                .withAdapt(adapt).withRecords(300, 300, 2000);
    }

    /** Drives one key: test-then-train, inline training, and a drift alarm at {@code alarmAt} (or none). */
    static Run drive(int n, IntFunction<Row> stream, ModelSettings s, int alarmAt) {
        KeyScoring k = new KeyScoring();
        ModelVersions mv = new ModelVersions();
        Retrainer retrainer = new Retrainer(s, new GradientDescentTrainer(2000));
        KeyScoring.Scored out = new KeyScoring.Scored();
        Run run = new Run();
        run.correct = new int[n];
        run.version = new long[n];
        for (int i = 0; i < n; i++) {
            if (i == alarmAt) {
                k.onEvent(i - 100, i, true, (long) (i - 20), s, s.task());
            }
            Row r = stream.apply(i);
            k.score("k", i, r.x(), null, r.label(), mv, s, 100, 0, i + 1, out);
            run.correct[i] = r.label().equals(out.predictedClass) ? 1 : 0;
            run.version[i] = out.version;
            if (out.request != null) {
                ModelArtifact a = retrainer.train(out.request, mv.maxVersion() + 1, true);
                mv.offer(a);
                if (a.status() == ModelStatus.ACCEPTED) {
                    run.accepted++;
                } else {
                    run.rejected++;
                }
                k.trainingDone();
            }
        }
        return run;
    }

    @Test
    void labelsIndependentOfTheFeaturesScoreTheMajorityRate() {
        Random rnd = new Random(1);
        int n = 6000;
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            rows[i] = new Row(new double[] {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()},
                    u < 0.5 ? "a" : u < 0.8 ? "b" : "c");
        }
        Run run = drive(n, i -> rows[i], linear(ModelSettings.Adapt.RETRAIN), -1);
        double acc = run.accuracy(0, n);
        // a leak of the label into its own prediction would lift this far above 0.5; 3 sigma = 0.019
        assertThat(acc).isBetween(0.46, 0.52);
    }

    private static Row flipStream(Random rnd, int i, int flipAt) {
        double x0 = rnd.nextGaussian();
        double x1 = rnd.nextGaussian();
        boolean y = x0 + 0.5 * x1 > 0;
        if (i >= flipAt) {
            y = !y;
        }
        return new Row(new double[] {x0, x1}, y ? "up" : "down");
    }

    @Test
    void aConceptFlipIsCaughtByTheErrorTestAndRetrainingHalvesTheError() {
        int n = 8000;
        int flip = 3000;
        Random a = new Random(7);
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            rows[i] = flipStream(a, i, flip);
        }
        Run none = drive(n, i -> rows[i], linear(ModelSettings.Adapt.NONE), -1);
        Run retrain = drive(n, i -> rows[i], linear(ModelSettings.Adapt.RETRAIN), -1);
        double errNone = 1 - none.accuracy(flip, n);
        double errRetrain = 1 - retrain.accuracy(flip, n);
        assertThat(none.accuracy(1000, flip)).isGreaterThan(0.95);
        assertThat(errNone).isGreaterThan(0.9);
        assertThat(errRetrain).isLessThanOrEqualTo(errNone / 2);
        assertThat(retrain.version[n - 1]).isGreaterThan(retrain.version[flip - 1]);
        // none keeps its first model
        assertThat(none.version[n - 1]).isEqualTo(1);
    }

    @Test
    void aCovariateShiftAlarmRetrainsOntoTheNewRegion() {
        int n = 6000;
        int shift = 3000;
        Random rnd = new Random(3);
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            double x0 = i < shift ? rnd.nextGaussian() : 4 + rnd.nextGaussian();
            double x1 = rnd.nextGaussian();
            // one concept, not linear: the boundary sits at 0 in the old region and at 4 in the new
            boolean y = x0 < 2 ? x0 > 0 : x0 > 4;
            rows[i] = new Row(new double[] {x0, x1}, y ? "pos" : "neg");
        }
        Run none = drive(n, i -> rows[i], linear(ModelSettings.Adapt.NONE), shift + 100);
        Run retrain = drive(n, i -> rows[i], linear(ModelSettings.Adapt.RETRAIN), shift + 100);
        double errNone = 1 - none.accuracy(shift, n);
        double errRetrain = 1 - retrain.accuracy(shift, n);
        assertThat(errNone).isGreaterThan(0.4);
        assertThat(errRetrain).isLessThan(errNone * 0.6);
    }

    @Test
    void underAdaptNoneATrainingInFlightAtARestoreIsNotRunAgainOnceTheModelServes() {
        for (ModelSettings.Adapt adapt : ModelSettings.Adapt.values()) {
            ModelSettings s = linear(adapt);
            KeyScoring k = new KeyScoring();
            ModelVersions mv = new ModelVersions();
            KeyScoring.Scored out = new KeyScoring.Scored();
            Random rnd = new Random(4);
            TrainingRequest first = null;
            int i = 0;
            for (; first == null; i++) {
                double[] x = {rnd.nextGaussian(), rnd.nextGaussian()};
                k.score("k", i, x, new String[] {"p", "q"}, x[0] > 0 ? "x" : "y", mv, s, 100, 0, i, out);
                first = out.request;
            }
            // the checkpoint holds the request in flight; its answer is published, then the job restores
            KeyScoring restored = KeyScoring.fromBytes(k.toBytes());
            ModelArtifact answer = new Retrainer(s, new GradientDescentTrainer(200)).train(first, 1, true);
            assertThat(answer.status()).isEqualTo(ModelStatus.ACCEPTED);
            mv.offer(answer);
            int requests = 0;
            for (int j = i; j < i + 50; j++) {
                double[] x = {rnd.nextGaussian(), rnd.nextGaussian()};
                restored.score("k", j, x, new String[] {"p", "q"}, x[0] > 0 ? "x" : "y", mv, s, 100, 0, j, out);
                requests += out.request != null ? 1 : 0;
            }
            // none keeps its first model; an adapting key trains the re-armed request once
            assertThat(requests).as("%s", adapt).isEqualTo(adapt == ModelSettings.Adapt.NONE ? 0 : 1);
        }
    }

    @Test
    void underAdaptNoneAKeyServingABorrowedModelKeepsItAndAnAdaptingKeyTrainsItsOwn() {
        Random rnd = new Random(6);
        // another key's model, trained on the same concept
        ModelSettings retrain = linear(ModelSettings.Adapt.RETRAIN);
        KeyScoring source = new KeyScoring();
        ModelVersions sourceVersions = new ModelVersions();
        KeyScoring.Scored out = new KeyScoring.Scored();
        for (int i = 0; out.request == null; i++) {
            double[] x = {rnd.nextGaussian(), rnd.nextGaussian()};
            source.score("s", i, x, new String[] {"p", "q"}, x[0] > 0 ? "x" : "y", sourceVersions, retrain, 100, 0, i,
                    out);
        }
        sourceVersions.offer(new Retrainer(retrain, new GradientDescentTrainer(200)).train(out.request, 1, true));
        assertThat(sourceVersions.latestAccepted()).isNotNull();
        for (ModelSettings.Adapt adapt : ModelSettings.Adapt.values()) {
            ModelSettings s = linear(adapt);
            KeyScoring k = new KeyScoring();
            int requests = 0;
            for (int i = 0; i < 400; i++) {
                double[] x = {rnd.nextGaussian(), rnd.nextGaussian()};
                k.score("k", i, x, new String[] {"p", "q"}, x[0] > 0 ? "x" : "y", new ModelVersions(), sourceVersions,
                        s, 100, 0, i, out);
                requests += out.request != null ? 1 : 0;
                assertThat(out.version).as("%s serves the borrowed version", adapt).isEqualTo(1);
            }
            // 400 labelled records pass model.initial-records (300): only an adapting key asks for its own
            assertThat(requests).as("%s", adapt).isEqualTo(adapt == ModelSettings.Adapt.NONE ? 0 : 1);
        }
    }

    @Test
    void stateRoundTripsThroughBytes() {
        ModelSettings s = linear(ModelSettings.Adapt.RETRAIN);
        KeyScoring k = new KeyScoring();
        ModelVersions mv = new ModelVersions();
        KeyScoring.Scored out = new KeyScoring.Scored();
        Random rnd = new Random(2);
        for (int i = 0; i < 250; i++) {
            k.score("k", i, new double[] {rnd.nextGaussian(), rnd.nextGaussian()}, new String[] {"p", "q"},
                    rnd.nextBoolean() ? "x" : "y", mv, s, 100, 0, i, out);
        }
        byte[] b = k.toBytes();
        KeyScoring back = KeyScoring.fromBytes(b);
        assertThat(back.toBytes()).isEqualTo(b);
        assertThat(k.copy().toBytes()).isEqualTo(b);
        // both continue identically
        KeyScoring.Scored o1 = new KeyScoring.Scored();
        KeyScoring.Scored o2 = new KeyScoring.Scored();
        for (int i = 250; i < 320; i++) {
            double[] x = {rnd.nextGaussian(), rnd.nextGaussian()};
            String label = rnd.nextBoolean() ? "x" : "y";
            k.score("k", i, x, new String[] {"p", "q"}, label, mv, s, 100, 0, i, o1);
            back.score("k", i, x, new String[] {"p", "q"}, label, mv, s, 100, 0, i, o2);
            assertThat(o2.predictedClass).isEqualTo(o1.predictedClass);
            assertThat(o2.request == null).isEqualTo(o1.request == null);
        }
        assertThat(back.toBytes()).isEqualTo(k.toBytes());
    }

    @Test
    void aRecordOfAnotherDimensionIsRefused() {
        ModelSettings s = linear(ModelSettings.Adapt.RETRAIN);
        KeyScoring k = new KeyScoring();
        KeyScoring.Scored out = new KeyScoring.Scored();
        k.score("k", 0, new double[] {1, 2}, null, "a", new ModelVersions(), s, 100, 0, 0, out);
        assertThat(out.rejected).isNull();
        k.score("k", 1, new double[] {1, 2, 3}, null, "a", new ModelVersions(), s, 100, 0, 0, out);
        assertThat(out.rejected).contains("dimension 3");
    }

    @Test
    void missingFeaturesAreScoredAsTheTrainingMeanAndNeverReachTraining() {
        // y = x0 > 0; x1 is noise and missing in 20% of the records, x0 in 5%
        int n = 3000;
        Random rnd = new Random(13);
        Row[] rows = new Row[n];
        boolean[] x1Missing = new boolean[n];
        for (int i = 0; i < n; i++) {
            double x0 = rnd.nextGaussian();
            double x1 = rnd.nextGaussian();
            String y = x0 > 0 ? "pos" : "neg";
            x1Missing[i] = rnd.nextDouble() < 0.2;
            if (x1Missing[i]) {
                x1 = Double.NaN;
            } else if (rnd.nextDouble() < 0.05) {
                x0 = Double.NaN;
            }
            rows[i] = new Row(new double[] {x0, x1}, y);
        }
        Run run = drive(n, i -> rows[i], linear(ModelSettings.Adapt.RETRAIN), -1);
        assertThat(run.accepted).isGreaterThanOrEqualTo(1);
        int scored = 0;
        int correct = 0;
        for (int i = 1000; i < n; i++) {
            assertThat(run.version[i]).isGreaterThanOrEqualTo(1);
            if (x1Missing[i]) {
                scored++;
                correct += run.correct[i];
            }
        }
        assertThat(scored).isGreaterThan(300);
        assertThat((double) correct / scored).as("accuracy of records missing x1").isGreaterThan(0.9);
        assertThat(run.accuracy(1000, n)).isGreaterThan(0.85);
    }

    /** A trainer whose every candidate predicts class {@code b} (a linear model, by its biases). */
    static ModelTrainer alwaysB(String[] classNames) {
        int b = Arrays.asList(classNames).indexOf("b");
        return (arch, task, init, train, validation, config) -> {
            float[][] w = {new float[arch.inputs() * arch.outputs()], new float[arch.outputs()]};
            w[1][b] = 5;
            return new TrainOutcome(w, 1, Double.NaN, 0);
        };
    }

    /** Scores one record, answers a request with {@code trainer}; returns the request's labelled count, or -1. */
    private static long step(KeyScoring k, int i, Random rnd, String label, ModelVersions mv, ModelSettings s,
            KeyScoring.Scored out, java.util.function.Function<TrainingRequest, ModelTrainer> trainer) {
        double[] x = {rnd.nextGaussian(), rnd.nextGaussian()};
        k.score("k", i, x, new String[] {"p", "q"}, label, mv, s, 100, 0, i, out);
        if (out.request == null) {
            return -1;
        }
        TrainingRequest req = out.request;
        mv.offer(new Retrainer(s, trainer.apply(req)).train(req, mv.maxVersion() + 1, true));
        k.trainingDone();
        return k.labelled();
    }

    /**
     * Labels independent of the features, 70% {@code a}, and a trainer whose candidates always say
     * {@code b}: every first model loses to the majority class. With no alarm the key asks again
     * once as many new labelled records as the rejected request held out (its newest fifth) have
     * arrived, and never in between; a restored copy keeps the schedule.
     */
    @Test
    void aRejectedFirstModelIsAskedForAgainOnceAsManyNewLabelsAsItHeldOutHaveArrived() {
        ModelSettings s = linear(ModelSettings.Adapt.RETRAIN); // 300 initial records, buffer 2000
        KeyScoring k = new KeyScoring();
        ModelVersions mv = new ModelVersions();
        KeyScoring.Scored out = new KeyScoring.Scored();
        Random rnd = new Random(11);
        List<Long> asked = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            if (i == 400) {
                // a checkpoint between two requests: the copy carries on exactly
                byte[] b = k.toBytes();
                assertThat(b[0]).isEqualTo((byte) 2);
                k = KeyScoring.fromBytes(b);
                assertThat(k.toBytes()).isEqualTo(b);
            }
            long at = step(k, i, rnd, rnd.nextDouble() < 0.7 ? "a" : "b", mv, s, out, r -> alwaysB(r.classNames()));
            if (at >= 0) {
                asked.add(at);
                assertThat(mv.all().get(mv.all().size() - 1).status()).isEqualTo(ModelStatus.REJECTED);
            }
        }
        // every record is labelled and the buffer holds them all: a request of L records holds out L / 5
        List<Long> expected = new ArrayList<>();
        for (long at = 300; at <= 1500; at += at / 5) {
            expected.add(at);
        }
        assertThat(asked).containsExactlyElementsOf(expected);
        assertThat(mv.latestAccepted()).isNull();
    }

    /** A key whose first candidate is rejected serves its own model from the retry on, with no alarm. */
    @Test
    void aKeyWhoseFirstModelIsRejectedServesTheRetryWithoutAnAlarm() {
        ModelSettings s = linear(ModelSettings.Adapt.RETRAIN);
        KeyScoring k = new KeyScoring();
        ModelVersions mv = new ModelVersions();
        KeyScoring.Scored out = new KeyScoring.Scored();
        Random rnd = new Random(12);
        int[] fits = new int[1];
        java.util.function.Function<TrainingRequest, ModelTrainer> firstFails =
                r -> fits[0]++ == 0 ? alwaysB(r.classNames()) : new GradientDescentTrainer(500);
        long[] version = new long[800];
        for (int i = 0; i < 800; i++) {
            // a learnable concept: the first feature's sign, drawn before the label
            double x0 = rnd.nextGaussian();
            double x1 = rnd.nextGaussian();
            k.score("k", i, new double[] {x0, x1}, new String[] {"p", "q"}, x0 > 0 ? "a" : "b", mv, s, 100, 0, i,
                    out);
            version[i] = out.version;
            if (out.request != null) {
                TrainingRequest req = out.request;
                mv.offer(new Retrainer(s, firstFails.apply(req)).train(req, mv.maxVersion() + 1, true));
                k.trainingDone();
            }
        }
        assertThat(fits[0]).isEqualTo(2);
        assertThat(mv.all()).extracting(ModelArtifact::status)
                .containsExactly(ModelStatus.REJECTED, ModelStatus.ACCEPTED);
        // asked at 300 labelled records (record 299), again at 360 (record 359); version 2 serves next
        assertThat(version[359]).isEqualTo(0);
        assertThat(version[360]).isEqualTo(2);
        assertThat(version[799]).isEqualTo(2);
    }

    /**
     * State of format 1, the format before the retry point, written by the format-1 code after
     * {@code linear(retrain)} scored 320 records (features and labels from {@code new Random(23)}:
     * two Gaussians, then {@code a} with probability 0.7, else {@code b}) with the {@link #alwaysB}
     * trainer answering each request: all of them rejected, one on each record from the 300th.
     */
    private static final String FORMAT_1 = "key-scoring-v1.hex";

    @Test
    void stateOfFormat1ReadsAndItsKeyAsksForAFirstModelAtItsNextRecord() throws IOException {
        byte[] v1;
        try (InputStream in = KeyScoringTest.class.getResourceAsStream(FORMAT_1)) {
            assertThat(in).as(FORMAT_1).isNotNull();
            v1 = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
        assertThat(v1[0]).isEqualTo((byte) 1);
        KeyScoring k = KeyScoring.fromBytes(v1);
        assertThat(k.labelled()).isEqualTo(320);
        byte[] v2 = k.toBytes();
        // format 2: format 1, then the retry point (none: 0)
        assertThat(v2[0]).isEqualTo((byte) 2);
        assertThat(Arrays.copyOfRange(v2, 1, v1.length)).isEqualTo(Arrays.copyOfRange(v1, 1, v1.length));
        assertThat(Arrays.copyOfRange(v2, v1.length, v2.length)).containsOnly((byte) 0).hasSize(8);

        ModelSettings s = linear(ModelSettings.Adapt.RETRAIN);
        ModelVersions mv = new ModelVersions();
        KeyScoring.Scored out = new KeyScoring.Scored();
        Random rnd = new Random(24);
        List<Long> asked = new ArrayList<>();
        for (int i = 320; i < 400; i++) {
            long at = step(k, i, rnd, rnd.nextDouble() < 0.7 ? "a" : "b", mv, s, out, r -> alwaysB(r.classNames()));
            if (at >= 0) {
                asked.add(at);
            }
        }
        // at once, then after the fifth of its 321 records
        assertThat(asked).containsExactly(321L, 385L);
    }
}
