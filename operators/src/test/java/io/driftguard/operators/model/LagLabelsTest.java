package io.driftguard.operators.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.operators.model.KeyScoringTest.Row;
import io.driftguard.operators.model.KeyScoringTest.Run;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code model.lag-labels}: the key's previous labels as inputs, in scoring and in training. */
class LagLabelsTest {

    private static ModelSettings linear(int lags) {
        return KeyScoringTest.linear(ModelSettings.Adapt.RETRAIN).withLagLabels(lags);
    }

    private static final double NAN = Double.NaN;

    /** Scores records {@code x[i], labels[i]} (null: unlabelled) until the first request; returns it. */
    private static TrainingRequest firstRequest(ModelSettings s, double[][] x, String[] labels) {
        KeyScoring k = new KeyScoring();
        KeyScoring.Scored out = new KeyScoring.Scored();
        ModelVersions mv = new ModelVersions();
        for (int i = 0; i < x.length; i++) {
            k.score("k", i, x[i], null, labels[i], mv, s, 100, 0, i, out);
            if (out.request != null) {
                return out.request;
            }
        }
        throw new AssertionError("no request");
    }

    private static float[] row(TrainingRequest.Rows rows, int width, int i) {
        return Arrays.copyOfRange(rows.x(), i * width, (i + 1) * width);
    }

    @Test
    void classificationRowsCarryTheOneHotLabelsOfTheLabelledRecordsBeforeThem() {
        // 22 records, record 3 and 10 unlabelled; 20 labelled ones make the first request
        ModelSettings s = linear(2).withRecords(20, 20, 100);
        int n = 22;
        double[][] x = new double[n][];
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {i, -i};
            labels[i] = i == 3 || i == 10 ? null : i % 3 == 0 ? "b" : "a";
        }
        TrainingRequest req = firstRequest(s, x, labels);
        assertThat(req.classNames()).containsExactly("b", "a"); // first seen first
        assertThat(req.featureNames()).containsExactly("x0", "x1", "label[t-1]=b", "label[t-1]=a",
                "label[t-2]=b", "label[t-2]=a");
        assertThat(req.labelInputs()).isEqualTo(4);
        assertThat(req.rows()).isEqualTo(20);
        int w = 6;
        // the labelled records in order, and for each the labels of the two labelled ones before it
        int[] idx = java.util.stream.IntStream.range(0, 22).filter(i -> labels[i] != null).toArray();
        for (int r = 0; r < 20; r++) {
            int i = idx[r];
            float[] expected = new float[w];
            expected[0] = i;
            expected[1] = -i;
            for (int lag = 1; lag <= 2; lag++) {
                if (r - lag >= 0) {
                    String prev = labels[idx[r - lag]];
                    expected[2 + (lag - 1) * 2 + (prev.equals("b") ? 0 : 1)] = 1;
                }
            }
            assertThat(row(new TrainingRequest.Rows(req.x(), req.y(), req.rows()), w, r)).as("row %d", r)
                    .containsExactly(expected);
            assertThat(req.y()[r]).isEqualTo(labels[i].equals("b") ? 0f : 1f);
        }
        // the unlabelled records after the start carry the labels before them as well
        assertThat(req.unlabelled().rows()).isEqualTo(2);
        assertThat(row(req.unlabelled(), w, 0)).containsExactly(3, -3, 0, 1, 0, 1); // a (2), a (1)
        assertThat(row(req.unlabelled(), w, 1)).containsExactly(10, -10, 1, 0, 0, 1); // b (9), a (8)
    }

    @Test
    void regressionRowsCarryThePreviousTargetsAndAnUnknownOneIsTheColumnMean() {
        ModelSettings s = ModelSettings.defaults(Task.REGRESSION).withKind(ModelKind.LINEAR, new int[0], 1)
                .withRecords(20, 20, 100).withLagLabels(2);
        int n = 20;
        double[][] x = new double[n][];
        String[] labels = new String[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {0.5 * i};
            y[i] = i * i;
            labels[i] = Double.toString(y[i]);
        }
        TrainingRequest req = firstRequest(s, x, labels);
        assertThat(req.featureNames()).containsExactly("x0", "label[t-1]", "label[t-2]");
        assertThat(req.labelInputs()).isEqualTo(2);
        // an unknown lag (before the buffer's first label) is the mean of the column's known values
        double meanLag1 = 0;
        for (int i = 0; i < n - 1; i++) {
            meanLag1 += y[i] / (n - 1);
        }
        double meanLag2 = 0;
        for (int i = 0; i < n - 2; i++) {
            meanLag2 += y[i] / (n - 2);
        }
        for (int r = 0; r < n; r++) {
            assertThat(req.x()[r * 3]).isEqualTo((float) (0.5 * r));
            assertThat((double) req.x()[r * 3 + 1]).isCloseTo(r >= 1 ? y[r - 1] : meanLag1, within(1e-3));
            assertThat((double) req.x()[r * 3 + 2]).isCloseTo(r >= 2 ? y[r - 2] : meanLag2, within(1e-3));
            assertThat(req.y()[r]).isEqualTo((float) y[r]);
        }
    }

    /**
     * A linear classifier over {x0, label[t-1]=c...} that predicts the previous label (its logit
     * weight is 5 on the matching class) and, with no previous label, the class with the bias.
     */
    private static ModelArtifact noChangeModel(String[] classes, int biasClass) {
        int k = classes.length;
        String[] names = new String[1 + k];
        names[0] = "x0";
        System.arraycopy(FeatureSchema.lagNames(1, classes), 0, names, 1, k);
        double[] std = new double[1 + k];
        Arrays.fill(std, 1);
        FeatureSchema schema = new FeatureSchema(names, new double[1 + k], std, 0, 1, k);
        Architecture arch = new Architecture(ModelKind.LINEAR, 1 + k, new int[0], k, 1);
        float[] w = new float[(1 + k) * k];
        for (int c = 0; c < k; c++) {
            w[(1 + c) * k + c] = 5;
        }
        float[] b = new float[k];
        b[biasClass] = 1;
        return new ModelArtifact("k", 1, ModelStatus.ACCEPTED, "", Task.CLASSIFICATION, classes, arch, schema,
                new float[][] {w, b}, 0, new Lineage(0, Trigger.MANUAL, -1, -1, "", 0, 0, 0, NAN, NAN, 0, 0, 0, 0));
    }

    @Test
    void aRecordIsScoredWithThePreviousLabelsNeverItsOwnAndTheStateRestoresThem() {
        ModelSettings s = linear(1).withAdapt(ModelSettings.Adapt.NONE).withRecords(1000, 1000, 1000);
        // the key sees a first, b second; the model's classes are in the other order: mapped by name
        ModelArtifact model = ModelCodec.decode(ModelCodec.encode(noChangeModel(new String[] {"b", "a"}, 1)));
        assertThat(model.schema().labelInputs()).isEqualTo(2);
        assertThat(model.lags()).isEqualTo(1);
        assertThat(ModelCodec.encode(model)[4]).isEqualTo((byte) 2);
        ModelVersions mv = new ModelVersions();
        mv.offer(model);
        KeyScoring k = new KeyScoring();
        KeyScoring.Scored out = new KeyScoring.Scored();
        Random rnd = new Random(5);
        String previous = null;
        KeyScoring restored = null;
        for (int i = 0; i < 600; i++) {
            // every fifth record unlabelled: the lag is the last labelled one
            String label = i % 5 == 4 ? null : rnd.nextBoolean() ? "a" : "b";
            double[] x = {rnd.nextGaussian()};
            k.score("k", i, x, null, label, mv, s, 100, 0, i, out);
            assertThat(out.version).isEqualTo(1);
            assertThat(out.predictedClass).as("record %d", i).isEqualTo(previous == null ? "a" : previous);
            if (restored != null) {
                KeyScoring.Scored o2 = new KeyScoring.Scored();
                restored.score("k", i, x, null, label, mv, s, 100, 0, i, o2);
                assertThat(o2.predictedClass).isEqualTo(out.predictedClass);
            }
            if (i == 300) {
                restored = KeyScoring.fromBytes(k.toBytes());
            }
            if (label != null) {
                previous = label;
            }
        }
    }

    @Test
    void theLastLabelsLeaveWithTheRecordsThatLeaveTheBuffer() {
        // model.buffer 40: the ring keeps 41 records (the buffer plus the steps of one input)
        ModelSettings s = linear(1).withAdapt(ModelSettings.Adapt.NONE).withRecords(40, 40, 40);
        ModelVersions mv = new ModelVersions();
        mv.offer(noChangeModel(new String[] {"a", "b"}, 0));
        KeyScoring k = new KeyScoring();
        KeyScoring.Scored out = new KeyScoring.Scored();
        k.score("k", 0, new double[] {0}, null, "b", mv, s, 100, 0, 0, out);
        for (int i = 1; i < 40; i++) {
            k.score("k", i, new double[] {0}, null, null, mv, s, 100, 0, i, out);
            assertThat(out.predictedClass).isEqualTo("b");
        }
        k.score("k", 40, new double[] {0}, null, null, mv, s, 100, 0, 40, out);
        assertThat(out.predictedClass).isEqualTo("b"); // record 0 is still in the ring
        k.score("k", 41, new double[] {0}, null, null, mv, s, 100, 0, 41, out);
        assertThat(out.predictedClass).as("record 0 left the buffer: the bias decides").isEqualTo("a");
    }

    @Test
    void labelsIndependentOfTheFeaturesAndOfEachOtherStayAtTheMajorityRate() {
        Random rnd = new Random(1);
        int n = 6000;
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            rows[i] = new Row(new double[] {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()},
                    u < 0.5 ? "a" : u < 0.8 ? "b" : "c");
        }
        Run run = KeyScoringTest.drive(n, i -> rows[i], linear(2), -1);
        // a leak of a record's own label into its inputs would lift this far above the majority
        // rate 0.5 (3 sigma: 0.019); fitting 6 uninformative lag inputs and 3 features can only lower it
        assertThat(run.accuracy(0, n)).isBetween(0.43, 0.52);
    }

    @Test
    void changingARecordsLabelChangesNoPredictionUpToItsOwn() {
        // the same stream twice, differing only in the label of record `at`: every prediction up to
        // and including record `at` is the same, training included
        Random rnd = new Random(9);
        int n = 1500;
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            double x0 = rnd.nextGaussian();
            rows[i] = new Row(new double[] {x0, rnd.nextGaussian()}, x0 + rnd.nextGaussian() > 0 ? "up" : "down");
        }
        for (int at : new int[] {299, 700, 1200}) {
            Row[] other = rows.clone();
            other[at] = new Row(rows[at].x(), rows[at].label().equals("up") ? "down" : "up");
            Run a = KeyScoringTest.drive(n, i -> rows[i], linear(3), -1);
            Run b = KeyScoringTest.drive(n, i -> other[i], linear(3), -1);
            for (int i = 0; i <= at; i++) {
                assertThat(b.version[i]).isEqualTo(a.version[i]);
                // correctness of record `at` is judged against its own (changed) label
                assertThat(b.correct[i]).as("record %d, label of %d changed", i, at)
                        .isEqualTo(i == at ? 1 - a.correct[i] : a.correct[i]);
            }
        }
    }

    /**
     * Labels of a two-state Markov chain that stays with probability 0.9; three features whose mean
     * is +-0.5 by the label (alone they give about 81%). The Bayes rule with the previous label and
     * the features scores about 92%, the no-change classifier 90%.
     */
    @Test
    void onAnAutocorrelatedStreamThePreviousLabelBeatsBothTheFeaturesAloneAndTheNoChangeClassifier() {
        Random rnd = new Random(21);
        int n = 8000;
        Row[] rows = new Row[n];
        boolean y = false;
        int noChange = 0;
        for (int i = 0; i < n; i++) {
            boolean next = rnd.nextDouble() < 0.9 ? y : !y;
            if (i > 0 && next == y) {
                noChange++;
            }
            y = next;
            double m = y ? 0.5 : -0.5;
            rows[i] = new Row(new double[] {m + rnd.nextGaussian(), m + rnd.nextGaussian(), m + rnd.nextGaussian()},
                    y ? "up" : "down");
        }
        int from = 1000;
        int noChangeAfter = 0;
        for (int i = from; i < n; i++) {
            noChangeAfter += rows[i].label().equals(rows[i - 1].label()) ? 1 : 0;
        }
        double noChangeRate = (double) noChangeAfter / (n - from);
        Run lag0 = KeyScoringTest.drive(n, i -> rows[i], linear(0), -1);
        Run lag1 = KeyScoringTest.drive(n, i -> rows[i], linear(1), -1);
        double a0 = lag0.accuracy(from, n);
        double a1 = lag1.accuracy(from, n);
        assertThat(noChange).isGreaterThan(0);
        assertThat(a0).as("features alone").isBetween(0.76, 0.85);
        assertThat(noChangeRate).isBetween(0.88, 0.92);
        assertThat(a1).as("with the previous label").isGreaterThan(a0 + 0.08).isGreaterThan(noChangeRate + 0.005);
    }

    @Test
    void aModelReadingPreviousLabelsIsFormat2AndOneWithoutStaysFormat1() {
        ModelArtifact lagged = noChangeModel(new String[] {"a", "b", "c"}, 0);
        byte[] bytes = ModelCodec.encode(lagged);
        assertThat(bytes[4]).isEqualTo((byte) 2);
        ModelArtifact back = ModelCodec.decode(bytes);
        assertThat(back.schema()).isEqualTo(lagged.schema());
        assertThat(back.schema().labelInputs()).isEqualTo(3);
        assertThat(back.schema().recordDimension()).isEqualTo(1);
        assertThat(back.schema().names()).containsExactly("x0", "label[t-1]=a", "label[t-1]=b", "label[t-1]=c");
        assertThat(back.lags()).isEqualTo(1);
        assertThat(ModelCodec.encode(back)).isEqualTo(bytes);
        // the record's own features decide whether a record fits, not the label inputs
        assertThat(back.schema().accepts(new String[] {"x0"}, 1)).isTrue();
        assertThat(back.schema().accepts(null, 1)).isTrue();
        assertThat(back.schema().accepts(new String[] {"x1"}, 1)).isFalse();
        assertThat(back.schema().accepts(null, 4)).isFalse();

        FeatureSchema plain = new FeatureSchema(new String[] {"x0"}, new double[1], new double[] {1}, 0, 1);
        ModelArtifact featuresOnly = new ModelArtifact("k", 2, ModelStatus.ACCEPTED, "", Task.CLASSIFICATION,
                new String[] {"a", "b", "c"}, new Architecture(ModelKind.LINEAR, 1, new int[0], 3, 1), plain,
                new float[][] {new float[3], new float[3]}, 0,
                new Lineage(1, Trigger.DRIFT, -1, -1, "", 0, 0, 0, NAN, NAN, 0, 0, 0, 0));
        assertThat(ModelCodec.encode(featuresOnly)[4]).isEqualTo((byte) 1);
        assertThat(ModelCodec.decode(ModelCodec.encode(featuresOnly)).schema().labelInputs()).isZero();
        // versions that read other previous-label inputs of the same record features may follow each other
        ModelVersions mv = new ModelVersions();
        assertThat(mv.offer(lagged)).isEqualTo(ModelVersions.Outcome.ADDED);
        assertThat(mv.offer(featuresOnly)).isEqualTo(ModelVersions.Outcome.ADDED);
    }

    @Test
    void aRequestWithLabelInputsRoundTripsAsFormat3AndOneWithoutStaysFormat2() {
        ModelSettings s = linear(2).withRecords(20, 20, 100);
        double[][] x = new double[20][];
        String[] labels = new String[20];
        for (int i = 0; i < 20; i++) {
            x[i] = new double[] {i};
            labels[i] = i % 2 == 0 ? "a" : "b";
        }
        TrainingRequest req = firstRequest(s, x, labels);
        byte[] bytes = req.toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 3);
        TrainingRequest back = TrainingRequest.fromBytes(bytes);
        assertThat(back.labelInputs()).isEqualTo(4);
        assertThat(back.featureNames()).isEqualTo(req.featureNames());
        assertThat(back.x()).isEqualTo(req.x());
        assertThat(back.toBytes()).isEqualTo(bytes);
        TrainingRequest plain = firstRequest(linear(0).withRecords(20, 20, 100), x, labels);
        assertThat(plain.toBytes()[0]).isEqualTo((byte) 2);
        assertThat(TrainingRequest.fromBytes(plain.toBytes()).labelInputs()).isZero();
        // the trained candidate's schema names and counts the label inputs
        ModelArtifact m = new Retrainer(s, new GradientDescentTrainer(200)).train(back, 1, true);
        assertThat(m.schema().labelInputs()).isEqualTo(4);
        assertThat(m.lags()).isEqualTo(2);
        assertThat(m.architecture().inputs()).isEqualTo(5);
    }

    /**
     * A trainer whose every fit is the same linear model: class {@code up} when the first input
     * (standardised) is positive, else {@code down}; it reads no previous label.
     */
    private static ModelTrainer firstFeatureOnly(String[] classNames) {
        int up = Arrays.asList(classNames).indexOf("up");
        return (arch, task, init, train, validation, config) -> {
            float[][] w = {new float[arch.inputs() * 2], new float[2]};
            w[0][up] = 4;
            w[0][1 - up] = -4;
            return new TrainOutcome(w, 1, Double.NaN, 0);
        };
    }

    /**
     * Labels of a two-state chain that stays with probability 0.95 and a feature whose sign tells
     * the label in 80% of the records: the first feature alone beats the majority class on the held-out fifth but
     * loses to the no-change prior that serves before the first model under {@code
     * model.lag-labels}, so that candidate must not serve there; without previous labels the prior
     * is the majority class and the same candidate serves.
     */
    @Test
    void aFirstModelMustBeatThePriorThatServesTheNoChangePriorUnderPreviousLabels() {
        Random rnd = new Random(17);
        int n = 1000;
        double[][] x = new double[n][];
        String[] labels = new String[n];
        boolean up = true;
        for (int i = 0; i < n; i++) {
            up = rnd.nextDouble() < 0.95 ? up : !up;
            // the first feature's sign tells the label in 80% of the records, and it stays clear
            // of 0 so that standardising cannot move a record across the candidate's boundary
            boolean told = rnd.nextDouble() < 0.8 == up;
            x[i] = new double[] {(told ? 1 : -1) * (0.5 + rnd.nextDouble()), rnd.nextGaussian()};
            labels[i] = up ? "up" : "down";
        }
        // independently of the trainer: the three rules' errors on the newest fifth
        int held = n / 5;
        int upTrain = 0;
        for (int i = 0; i < n - held; i++) {
            upTrain += labels[i].equals("up") ? 1 : 0;
        }
        String majority = upTrain * 2 >= n - held ? "up" : "down";
        double majorityErr = 0;
        double noChangeErr = 0;
        double featureErr = 0;
        for (int i = n - held; i < n; i++) {
            majorityErr += labels[i].equals(majority) ? 0 : 1.0 / held;
            noChangeErr += labels[i].equals(labels[i - 1]) ? 0 : 1.0 / held;
            featureErr += labels[i].equals(x[i][0] > 0 ? "up" : "down") ? 0 : 1.0 / held;
        }
        assertThat(featureErr).as("the candidate beats the majority class").isLessThan(majorityErr * 0.9);
        assertThat(featureErr).as("and loses to no change").isGreaterThan(noChangeErr * 1.5);

        ModelSettings plain = linear(0).withRecords(n, 300, 2000);
        for (ModelSettings s : new ModelSettings[] {plain.withLagLabels(1), plain}) {
            TrainingRequest req = firstRequest(s, x, labels);
            assertThat(req.rows()).isEqualTo(n);
            assertThat(req.parent()).isNull();
            ModelArtifact m = new Retrainer(s, firstFeatureOnly(req.classNames())).train(req, 1, true);
            assertThat(m.lineage().candidateMetric()).isCloseTo(featureErr, within(1e-9));
            if (s.lagLabels() > 0) {
                assertThat(m.lineage().parentMetric()).isCloseTo(noChangeErr, within(1e-9));
                assertThat(m.status()).isEqualTo(ModelStatus.REJECTED);
                assertThat(m.reason()).contains("no-change prior");
            } else {
                assertThat(m.lineage().parentMetric()).isCloseTo(majorityErr, within(1e-9));
                assertThat(m.status()).isEqualTo(ModelStatus.ACCEPTED);
            }
        }
    }

    @Test
    void beforeItsFirstModelTheKeyPredictsThePreviousLabelOrTarget() {
        ModelSettings s = linear(1).withRecords(500, 500, 1000);
        KeyScoring k = new KeyScoring();
        KeyScoring.Scored out = new KeyScoring.Scored();
        ModelVersions mv = new ModelVersions();
        String[] labels = {"a", "b", "b", null, "a", "b", "b", "b"};
        String previous = null;
        for (int i = 0; i < labels.length; i++) {
            k.score("k", i, new double[] {i}, null, labels[i], mv, s, 100, 0, i, out);
            assertThat(out.predictedClass).as("record %d", i).isEqualTo(previous);
            assertThat(out.version).isEqualTo(previous == null ? -1 : 0);
            previous = labels[i] != null ? labels[i] : previous;
        }
        // without lag labels the prior is the majority class
        KeyScoring plain = new KeyScoring();
        for (int i = 0; i < labels.length; i++) {
            plain.score("k", i, new double[] {i}, null, labels[i], mv, linear(0), 100, 0, i, out);
        }
        plain.score("k", 9, new double[] {0}, null, "a", mv, linear(0), 100, 0, 9, out);
        assertThat(out.predictedClass).isEqualTo("b");

        ModelSettings r = ModelSettings.defaults(Task.REGRESSION).withKind(ModelKind.LINEAR, new int[0], 1)
                .withRecords(500, 500, 1000).withLagLabels(2);
        KeyScoring reg = new KeyScoring();
        reg.score("k", 0, new double[] {0}, null, "3.5", mv, r, 100, 0, 0, out);
        reg.score("k", 1, new double[] {0}, null, "-1.25", mv, r, 100, 0, 1, out);
        assertThat(out.predictedValue).isEqualTo(3.5);
        reg.score("k", 2, new double[] {0}, null, null, mv, r, 100, 0, 2, out);
        assertThat(out.predictedValue).isEqualTo(-1.25);
    }

    @Test
    void underAGruEveryStepsRecordCarriesTheLabelsBeforeIt() {
        ModelSettings s = linear(1).withKind(ModelKind.GRU, new int[] {4}, 2).withRecords(20, 20, 100);
        double[][] x = new double[20][];
        String[] labels = new String[20];
        for (int i = 0; i < 20; i++) {
            x[i] = new double[] {i};
            labels[i] = i % 3 == 0 ? "a" : "b";
        }
        TrainingRequest req = firstRequest(s, x, labels);
        assertThat(req.featureNames()).containsExactly("x0", "label[t-1]=a", "label[t-1]=b");
        int w = 3;
        for (int r = 0; r < 20; r++) {
            float[] expected = new float[2 * w];
            for (int step = 0; step < 2; step++) {
                int i = Math.max(0, r - 1 + step); // the first row pads with the oldest record
                expected[step * w] = i;
                if (i >= 1) {
                    expected[step * w + (labels[i - 1].equals("a") ? 1 : 2)] = 1;
                }
            }
            assertThat(Arrays.copyOfRange(req.x(), r * 2 * w, (r + 1) * 2 * w)).as("row %d", r)
                    .containsExactly(expected);
        }
    }

    @Test
    void scoringWithPreviousLabelsAllocatesNoMorePerRecordThanWithout() {
        ModelSettings lagged = linear(1).withAdapt(ModelSettings.Adapt.NONE).withRecords(1000, 1000, 1000);
        ModelSettings plain = linear(0).withAdapt(ModelSettings.Adapt.NONE).withRecords(1000, 1000, 1000);
        FeatureSchema schema = new FeatureSchema(new String[] {"x0"}, new double[1], new double[] {1}, 0, 1);
        ModelArtifact featuresOnly = new ModelArtifact("k", 1, ModelStatus.ACCEPTED, "", Task.CLASSIFICATION,
                new String[] {"a", "b"}, new Architecture(ModelKind.LINEAR, 1, new int[0], 2, 1), schema,
                new float[][] {new float[] {1, -1}, new float[2]}, 0,
                new Lineage(0, Trigger.MANUAL, -1, -1, "", 0, 0, 0, NAN, NAN, 0, 0, 0, 0));
        // the least of three runs each: the JIT's escape analysis moves the figures by a few tens of bytes
        long without = Long.MAX_VALUE;
        long withLags = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            without = Math.min(without, allocatedPerRecord(plain, featuresOnly));
            withLags = Math.min(withLags, allocatedPerRecord(lagged, noChangeModel(new String[] {"a", "b"}, 0)));
        }
        assertThat(withLags).isLessThanOrEqualTo(without + 16);
    }

    private static long allocatedPerRecord(ModelSettings s, ModelArtifact model) {
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        ModelVersions mv = new ModelVersions();
        mv.offer(model);
        KeyScoring k = new KeyScoring();
        KeyScoring.Scored out = new KeyScoring.Scored();
        double[] x = new double[1];
        String[] labels = {"a", "b", null};
        long before = 0;
        int warm = 100_000;
        int n = 100_000;
        for (int i = 0; i < warm + n; i++) {
            if (i == warm) {
                before = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
            }
            x[0] = (i % 7) - 3;
            k.score("k", i, x, null, labels[i % 3], mv, s, 100, 0, i, out);
        }
        return (bean.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / n;
    }
}
