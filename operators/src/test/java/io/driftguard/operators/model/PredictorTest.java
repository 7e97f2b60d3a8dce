package io.driftguard.operators.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PredictorTest {

    private static FeatureSchema identity(int d) {
        double[] ones = new double[d];
        java.util.Arrays.fill(ones, 1);
        return new FeatureSchema(FeatureSchema.positionalNames(d), new double[d], ones, 0, 1);
    }

    private static ModelArtifact model(Architecture arch, Task task, FeatureSchema schema, long seed) {
        Lineage l = new Lineage(0, Trigger.INITIAL, -1, -1, "initial", 0, 0, 0, Double.NaN, Double.NaN, seed, 0, 0, 0);
        String[] classes = task == Task.CLASSIFICATION ? new String[arch.outputs()] : new String[0];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = "c" + i;
        }
        float[][] w = Predictor.initialWeights(arch, seed);
        Random rnd = new Random(seed);
        for (float[] t : w) {
            for (int i = 0; i < t.length; i++) {
                t[i] += (float) (0.3 * rnd.nextGaussian()); // biases too
            }
        }
        return new ModelArtifact("m", 1, ModelStatus.ACCEPTED, "", task, classes, arch, schema, w, 0, l);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void linearSoftmaxIsTheClosedForm() {
        Architecture arch = new Architecture(ModelKind.LINEAR, 2, new int[0], 3, 1);
        ModelArtifact m = model(arch, Task.CLASSIFICATION, identity(2), 1);
        float[][] w = m.weights();
        double[] x = {0.7, -1.2};
        double[] z = new double[3];
        double sum = 0;
        for (int j = 0; j < 3; j++) {
            z[j] = Math.exp(w[1][j] + x[0] * w[0][j] + x[1] * w[0][3 + j]);
            sum += z[j];
        }
        double[] out = new double[3];
        new Predictor(m).predictStandardized(x, out);
        for (int j = 0; j < 3; j++) {
            assertThat(out[j]).isCloseTo(z[j] / sum, within(1e-12));
        }
    }

    @Test
    void regressionUndoesTheTargetStandardisationAndSchemaStandardisesInputs() {
        Architecture arch = new Architecture(ModelKind.LINEAR, 1, new int[0], 1, 1);
        FeatureSchema s = new FeatureSchema(new String[] {"x"}, new double[] {10}, new double[] {2}, 100, 5);
        Lineage l = new Lineage(0, Trigger.INITIAL, -1, -1, "initial", 0, 0, 0, Double.NaN, Double.NaN, 1, 0, 0, 0);
        ModelArtifact m = new ModelArtifact("m", 1, ModelStatus.ACCEPTED, "", Task.REGRESSION, new String[0], arch, s,
                new float[][] {{3f}, {0.5f}}, 0, l);
        double[] out = new double[1];
        new Predictor(m).predictRaw(new double[] {14}, out);
        // standardised x = 2, network output 3*2+0.5 = 6.5, target = 6.5*5+100
        assertThat(out[0]).isCloseTo(132.5, within(1e-9));
    }

    @Test
    void mlpMatchesAHandWrittenForwardPass() {
        Architecture arch = new Architecture(ModelKind.MLP, 3, new int[] {4}, 2, 1);
        ModelArtifact m = model(arch, Task.CLASSIFICATION, identity(3), 2);
        float[][] w = m.weights();
        double[] x = {0.3, -0.8, 1.5};
        double[] h = new double[4];
        for (int j = 0; j < 4; j++) {
            double v = w[1][j];
            for (int i = 0; i < 3; i++) {
                v += x[i] * w[0][i * 4 + j];
            }
            h[j] = Math.max(0, v);
        }
        double[] z = new double[2];
        for (int j = 0; j < 2; j++) {
            z[j] = w[3][j];
            for (int i = 0; i < 4; i++) {
                z[j] += h[i] * w[2][i * 2 + j];
            }
        }
        double p1 = 1 / (1 + Math.exp(z[0] - z[1]));
        double[] out = new double[2];
        new Predictor(m).predictStandardized(x, out);
        assertThat(out[1]).isCloseTo(p1, within(1e-12));
    }

    @Test
    void gruFollowsTheDocumentedEquations() {
        int d = 2;
        int hSize = 3;
        int steps = 4;
        Architecture arch = new Architecture(ModelKind.GRU, d, new int[] {hSize}, 1, steps);
        ModelArtifact m = model(arch, Task.REGRESSION, identity(d), 5);
        float[][] w = m.weights();
        Random rnd = new Random(9);
        double[] x = new double[d * steps];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        double[] h = new double[hSize];
        for (int t = 0; t < steps; t++) {
            double[] r = new double[hSize];
            double[] u = new double[hSize];
            double[] c = new double[hSize];
            for (int j = 0; j < hSize; j++) {
                double ar = w[2][j];
                double au = w[2][hSize + j];
                double ac = w[2][2 * hSize + j];
                for (int i = 0; i < d; i++) {
                    ar += x[t * d + i] * w[0][i * 3 * hSize + j];
                    au += x[t * d + i] * w[0][i * 3 * hSize + hSize + j];
                    ac += x[t * d + i] * w[0][i * 3 * hSize + 2 * hSize + j];
                }
                for (int i = 0; i < hSize; i++) {
                    ar += h[i] * w[1][i * 3 * hSize + j];
                    au += h[i] * w[1][i * 3 * hSize + hSize + j];
                }
                r[j] = sigmoid(ar);
                u[j] = sigmoid(au);
                c[j] = ac;
            }
            for (int j = 0; j < hSize; j++) {
                for (int i = 0; i < hSize; i++) {
                    c[j] += r[i] * h[i] * w[1][i * 3 * hSize + 2 * hSize + j];
                }
            }
            double[] next = new double[hSize];
            for (int j = 0; j < hSize; j++) {
                next[j] = (1 - u[j]) * Math.tanh(c[j]) + u[j] * h[j];
            }
            h = next;
        }
        double y = w[4][0];
        for (int i = 0; i < hSize; i++) {
            y += h[i] * w[3][i];
        }
        double[] out = new double[1];
        new Predictor(m).predictStandardized(x, out);
        assertThat(out[0]).isCloseTo(y, within(1e-12));
    }
}
