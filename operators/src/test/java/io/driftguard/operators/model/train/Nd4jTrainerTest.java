package io.driftguard.operators.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainConfig;
import io.driftguard.operators.model.TrainOutcome;
import io.driftguard.operators.model.TrainingSet;
import io.driftguard.operators.sketch.SplitMix64;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class Nd4jTrainerTest {

    private static final TrainingSet NONE = new TrainingSet(new float[0], 0, 1, new float[0], null);

    /** A weighted linear regression converges to the weighted least-squares solution. */
    @Test
    void linearRegressionRecoversWeightedLeastSquares() {
        int n = 300;
        int d = 4;
        SplitMix64 rnd = new SplitMix64(3);
        float[] x = TrainFixtures.gaussian(n, d, 4);
        float[] y = new float[n];
        float[] w = new float[n];
        double[] beta = {0.8, -0.5, 0.3, 0.0};
        for (int i = 0; i < n; i++) {
            double v = 0.2;
            for (int j = 0; j < d; j++) {
                v += beta[j] * x[i * d + j];
            }
            y[i] = (float) (v + 0.5 * rnd.nextGaussian());
            w[i] = (float) (0.2 + 2 * rnd.nextDouble());
        }
        TrainingSet train = new TrainingSet(x, n, d, y, w);
        double[] expected = weightedLeastSquares(x, y, w, n, d);

        Architecture arch = new Architecture(ModelKind.LINEAR, d, new int[0], 1, 1);
        Nd4jTrainer trainer = new Nd4jTrainer();
        TrainConfig coarse = new TrainConfig(0.05, 300, n, 20, 0, 1);
        TrainOutcome o = trainer.fit(arch, Task.REGRESSION, new float[][] {new float[d], new float[1]}, train,
                NONE, coarse);
        TrainOutcome fine = trainer.fit(arch, Task.REGRESSION, o.weights(), train, NONE, coarse.with(0.002, 1));
        float[][] wts = fine.weights();
        for (int j = 0; j < d; j++) {
            assertThat((double) wts[0][j]).as("coefficient %s", j).isCloseTo(expected[j],
                    org.assertj.core.data.Offset.offset(2e-3));
        }
        assertThat((double) wts[1][0]).as("intercept").isCloseTo(expected[d], org.assertj.core.data.Offset.offset(2e-3));
    }

    @Test
    void separableClassesAreLearned() {
        TrainingSet all = TrainFixtures.blobs(2400, 8, 4, 4.0, 9);
        TrainingSet train = all.slice(0, 1600);
        TrainingSet val = all.slice(1600, 2000);
        TrainingSet test = all.slice(2000, 2400);
        Architecture arch = new Architecture(ModelKind.MLP, 8, new int[] {16}, 4, 1);
        TrainOutcome o = new Nd4jTrainer().fit(arch, Task.CLASSIFICATION, Predictor.initialWeights(arch, 2), train,
                val, new TrainConfig(0.01, 30, 128, 4, 1e-4, 5));
        double acc = TrainFixtures.accuracy(TrainFixtures.artifact(arch, Task.CLASSIFICATION, o.weights(), 0, 1),
                test);
        assertThat(acc).isGreaterThan(0.97);
        assertThat(o.validationLoss()).isLessThan(0.1);
    }

    /** A GRU learns to remember its first step: the label is the sign of feature 0 at step 0. */
    @Test
    void gruLearnsAMemoryTask() {
        int steps = 5;
        int d = 2;
        int n = 1200;
        float[] x = TrainFixtures.gaussian(n, steps * d, 12);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = x[i * steps * d] > 0 ? 1 : 0;
        }
        TrainingSet all = new TrainingSet(x, n, steps * d, y, null);
        Architecture arch = new Architecture(ModelKind.GRU, d, new int[] {12}, 2, steps);
        TrainOutcome o = new Nd4jTrainer().fit(arch, Task.CLASSIFICATION, Predictor.initialWeights(arch, 4),
                all.slice(0, 800), all.slice(800, 1000), new TrainConfig(0.02, 40, 64, 5, 0, 6));
        double acc = TrainFixtures.accuracy(TrainFixtures.artifact(arch, Task.CLASSIFICATION, o.weights(), 0, 1),
                all.slice(1000, 1200));
        assertThat(acc).isGreaterThan(0.9);
    }

    @Test
    void sameInputsGiveBitIdenticalWeights() {
        TrainingSet all = TrainFixtures.blobs(900, 6, 3, 1.0, 13);
        float[] weights = new float[900];
        SplitMix64 rnd = new SplitMix64(1);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) rnd.nextDouble();
        }
        TrainingSet weighted = new TrainingSet(all.x(), all.rows(), all.width(), all.y(), weights);
        Architecture arch = new Architecture(ModelKind.MLP, 6, new int[] {16}, 3, 1);
        float[][] init = Predictor.initialWeights(arch, 8);
        TrainConfig cfg = new TrainConfig(0.01, 6, 64, 3, 1e-3, 42);
        Nd4jTrainer trainer = new Nd4jTrainer();
        TrainOutcome a = trainer.fit(arch, Task.CLASSIFICATION, init, weighted.slice(0, 700), weighted.slice(700, 900),
                cfg);
        TrainOutcome b = trainer.fit(arch, Task.CLASSIFICATION, init, weighted.slice(0, 700), weighted.slice(700, 900),
                cfg);
        TrainOutcome c = new Nd4jTrainer().fit(arch, Task.CLASSIFICATION, init, weighted.slice(0, 700),
                weighted.slice(700, 900), cfg);
        assertThat(b.weights()).isDeepEqualTo(a.weights());
        assertThat(c.weights()).isDeepEqualTo(a.weights());
        assertThat(b.validationLoss()).isEqualTo(a.validationLoss());
        TrainOutcome other = trainer.fit(arch, Task.CLASSIFICATION, init, weighted.slice(0, 700),
                weighted.slice(700, 900), cfg.with(0.01, 43));
        assertThat(other.weights()[0]).isNotEqualTo(a.weights()[0]);
    }

    @Test
    void gruTrainingIsDeterministic() {
        Architecture arch = new Architecture(ModelKind.GRU, 3, new int[] {6, 4}, 1, 4);
        float[] x = TrainFixtures.gaussian(200, 12, 2);
        float[] y = new float[200];
        for (int i = 0; i < y.length; i++) {
            y[i] = x[i * 12 + 9] - x[i * 12];
        }
        TrainingSet set = new TrainingSet(x, 200, 12, y, null);
        TrainConfig cfg = new TrainConfig(0.01, 3, 32, 3, 1e-4, 9);
        float[][] init = Predictor.initialWeights(arch, 1);
        TrainOutcome a = new Nd4jTrainer().fit(arch, Task.REGRESSION, init, set.slice(0, 150), set.slice(150, 200), cfg);
        TrainOutcome b = new Nd4jTrainer().fit(arch, Task.REGRESSION, init, set.slice(0, 150), set.slice(150, 200), cfg);
        assertThat(b.weights()).isDeepEqualTo(a.weights());
    }

    /**
     * Training that overfits noise stops early and returns the best epoch's weights: the same
     * weights as a run that stops at that epoch, whose loss it reports.
     */
    @Test
    void earlyStoppingReturnsTheBestEpoch() {
        SplitMix64 rnd = new SplitMix64(17);
        TrainingSet all = TrainFixtures.blobs(680, 6, 2, 1.5, 19);
        float[] y = all.y().clone();
        for (int i = 0; i < 80; i++) {
            if (rnd.nextDouble() < 0.3) {
                y[i] = 1 - y[i]; // noisy training labels
            }
        }
        TrainingSet noisy = new TrainingSet(all.x(), all.rows(), all.width(), y, null);
        TrainingSet train = noisy.slice(0, 80);
        TrainingSet val = noisy.slice(80, 680);
        Architecture arch = new Architecture(ModelKind.MLP, 6, new int[] {64}, 2, 1);
        float[][] init = Predictor.initialWeights(arch, 3);
        java.util.Arrays.fill(init[2], 0f); // start from the uniform prediction
        int patience = 3;
        TrainConfig cfg = new TrainConfig(0.003, 200, 16, patience, 0, 4);
        Nd4jTrainer trainer = new Nd4jTrainer();
        TrainOutcome o = trainer.fit(arch, Task.CLASSIFICATION, init, train, val, cfg);
        assertThat(o.epochs()).isLessThan(200);
        int bestEpoch = o.epochs() - patience;
        assertThat(bestEpoch).isGreaterThanOrEqualTo(2);
        TrainOutcome upToBest = trainer.fit(arch, Task.CLASSIFICATION, init, train, val,
                new TrainConfig(0.003, bestEpoch, 16, 1000, 0, 4));
        assertThat(upToBest.weights()).isDeepEqualTo(o.weights());
        assertThat(upToBest.validationLoss()).isEqualTo(o.validationLoss());
        assertThat(o.validationLoss()).isCloseTo(javaCrossEntropy(arch, o.weights(), val),
                org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void frozenTensorsKeepTheirValuesAndAnExtraTermTrains() {
        TrainingSet all = TrainFixtures.blobs(600, 5, 3, 2.0, 23);
        Architecture arch = new Architecture(ModelKind.MLP, 5, new int[] {8, 8}, 3, 1);
        float[][] init = Predictor.initialWeights(arch, 6);
        LinearMmdTerm mmd = new LinearMmdTerm(TrainFixtures.gaussian(64, 5, 3), 64, 5, 1.0);
        TrainOutcome o = new Nd4jTrainer().fit(arch, Task.CLASSIFICATION, init, all.slice(0, 500),
                all.slice(500, 600), new TrainConfig(0.01, 5, 50, 5, 0, 1), mmd, 2);
        assertThat(o.weights()[0]).isEqualTo(init[0]);
        assertThat(o.weights()[1]).isEqualTo(init[1]);
        assertThat(o.weights()[2]).isNotEqualTo(init[2]);
        assertThat(o.weights()[4]).isNotEqualTo(init[4]);
    }

    @Test
    void doublePrecisionTrains() {
        TrainingSet all = TrainFixtures.blobs(300, 4, 2, 3.0, 1);
        Architecture arch = new Architecture(ModelKind.LINEAR, 4, new int[0], 2, 1);
        TrainOutcome o = new Nd4jTrainer(DataType.DOUBLE).fit(arch, Task.CLASSIFICATION,
                Predictor.initialWeights(arch, 1), all.slice(0, 200), all.slice(200, 300),
                new TrainConfig(0.05, 20, 50, 3, 0, 1));
        assertThat(TrainFixtures.accuracy(TrainFixtures.artifact(arch, Task.CLASSIFICATION, o.weights(), 0, 1),
                all.slice(200, 300))).isGreaterThan(0.9);
    }

    @Test
    void rejectsBadInputs() {
        Architecture arch = new Architecture(ModelKind.LINEAR, 2, new int[0], 2, 1);
        float[][] init = Predictor.initialWeights(arch, 1);
        TrainConfig cfg = new TrainConfig(0.01, 1, 4, 1, 0, 1);
        Nd4jTrainer trainer = new Nd4jTrainer();
        TrainingSet wide = new TrainingSet(new float[6], 2, 3, new float[2], null);
        assertThatThrownBy(() -> trainer.fit(arch, Task.CLASSIFICATION, init, wide, NONE, cfg))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
        TrainingSet badLabel = new TrainingSet(new float[4], 2, 2, new float[] {0, 2}, null);
        assertThatThrownBy(() -> trainer.fit(arch, Task.CLASSIFICATION, init, badLabel, NONE, cfg))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
        TrainingSet ok = new TrainingSet(new float[4], 2, 2, new float[] {0, 1}, null);
        assertThatThrownBy(() -> trainer.fit(arch, Task.CLASSIFICATION, new float[][] {new float[3], new float[2]},
                ok, NONE, cfg)).isInstanceOf(IllegalArgumentException.class);
    }

    private static double javaCrossEntropy(Architecture arch, float[][] weights, TrainingSet set) {
        Predictor p = new Predictor(TrainFixtures.artifact(arch, Task.CLASSIFICATION, weights, 0, 1));
        double[] in = new double[set.width()];
        double[] out = new double[arch.outputs()];
        double sum = 0;
        for (int i = 0; i < set.rows(); i++) {
            for (int j = 0; j < in.length; j++) {
                in[j] = set.x()[i * set.width() + j];
            }
            p.predictStandardized(in, out);
            sum -= Math.log(out[(int) set.y()[i]]);
        }
        return sum / set.rows();
    }

    /** Solves the weighted normal equations with an intercept, by Gauss-Jordan in double. */
    private static double[] weightedLeastSquares(float[] x, float[] y, float[] w, int n, int d) {
        int k = d + 1;
        double[][] a = new double[k][k + 1];
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                row[j] = x[i * d + j];
            }
            row[d] = 1;
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) {
                    a[r][c] += w[i] * row[r] * row[c];
                }
                a[r][k] += w[i] * row[r] * y[i];
            }
        }
        for (int c = 0; c < k; c++) {
            int piv = c;
            for (int r = c + 1; r < k; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            for (int r = 0; r < k; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int j = c; j <= k; j++) {
                        a[r][j] -= f * a[c][j];
                    }
                }
            }
        }
        double[] beta = new double[k];
        for (int r = 0; r < k; r++) {
            beta[r] = a[r][k] / a[r][r];
        }
        return beta;
    }
}
