package io.driftguard.operators.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.FeatureSchema;
import io.driftguard.operators.model.Lineage;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainingSet;
import io.driftguard.operators.model.Trigger;
import io.driftguard.operators.sketch.SplitMix64;
import java.util.HashMap;
import java.util.Map;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Seeded data sets and artifacts for the training tests. */
final class TrainFixtures {

    /**
     * The feed-forward cases the gradient checks share: linear and MLP (one and two hidden
     * layers), classification and regression, with and without row weights.
     */
    static Stream<Arguments> feedForwardCases() {
        return Stream.of(
                Arguments.of(new Architecture(ModelKind.LINEAR, 4, new int[0], 3, 1), Task.CLASSIFICATION, true),
                Arguments.of(new Architecture(ModelKind.LINEAR, 4, new int[0], 1, 1), Task.REGRESSION, false),
                Arguments.of(new Architecture(ModelKind.MLP, 5, new int[] {7, 6}, 4, 1), Task.CLASSIFICATION, true),
                Arguments.of(new Architecture(ModelKind.MLP, 5, new int[] {6}, 1, 1), Task.REGRESSION, true));
    }

    private TrainFixtures() {}

    /** Random weights: Glorot matrices and small random biases, so that no bias is trivially 0. */
    static float[][] randomWeights(Architecture arch, long seed) {
        float[][] w = Predictor.initialWeights(arch, seed);
        SplitMix64 rnd = new SplitMix64(seed ^ 0x5DEECE66DL);
        for (float[] t : w) {
            for (int i = 0; i < t.length; i++) {
                t[i] += (float) (0.2 * rnd.nextGaussian());
            }
        }
        return w;
    }

    /** An accepted artifact around the given weights. */
    static ModelArtifact artifact(Architecture arch, Task task, float[][] weights, double targetMean,
            double targetStd) {
        int d = arch.inputs();
        double[] mean = new double[d];
        double[] std = new double[d];
        Arrays.fill(std, 1);
        String[] classes = new String[task == Task.CLASSIFICATION ? arch.outputs() : 0];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = "c" + i;
        }
        FeatureSchema schema = new FeatureSchema(FeatureSchema.positionalNames(d), mean, std,
                task == Task.REGRESSION ? targetMean : 0, task == Task.REGRESSION ? targetStd : 1);
        Lineage lineage = new Lineage(0, Trigger.INITIAL, -1, -1, "initial", 0, 0, 0, Double.NaN,
                Double.NaN, 1, 0, 0, 0);
        return new ModelArtifact("k", 1, ModelStatus.ACCEPTED, "", task, classes, arch, schema, weights, 0,
                lineage);
    }

    /** Standard normal inputs. */
    static float[] gaussian(int rows, int width, long seed) {
        SplitMix64 rnd = new SplitMix64(seed);
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /**
     * Classes as Gaussian blobs: class c has mean {@code sep * e_(c mod d)} (sign alternating every
     * d classes) and unit variance.
     */
    static TrainingSet blobs(int rows, int d, int classes, double sep, long seed) {
        SplitMix64 rnd = new SplitMix64(seed);
        float[] x = new float[rows * d];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            int c = rnd.nextInt(classes);
            y[i] = c;
            for (int j = 0; j < d; j++) {
                double mu = j == c % d ? (c / d % 2 == 0 ? sep : -sep) : 0;
                x[i * d + j] = (float) (mu + rnd.nextGaussian());
            }
        }
        return new TrainingSet(x, rows, d, y, null);
    }

    /** Accuracy of an artifact on a classification set, with the plain-Java predictor. */
    static double accuracy(ModelArtifact m, TrainingSet set) {
        Predictor p = new Predictor(m);
        double[] in = new double[set.width()];
        double[] out = new double[p.outputWidth()];
        int right = 0;
        for (int i = 0; i < set.rows(); i++) {
            for (int j = 0; j < in.length; j++) {
                in[j] = set.x()[i * set.width() + j];
            }
            p.predictStandardized(in, out);
            if (Predictor.argmax(out, out.length) == (int) set.y()[i]) {
                right++;
            }
        }
        return right / (double) set.rows();
    }

    /**
     * {@code rows} rows of Gaussian inputs ({@code width} wide) with random targets (a class, or a
     * Gaussian value) and, when {@code weighted}, random row weights in [0.1, 2.1): the small
     * batch of the gradient checks.
     */
    static TrainingSet randomBatch(Architecture arch, Task task, int rows, int width, boolean weighted) {
        SplitMix64 rnd = new SplitMix64(arch.hashCode());
        float[] x = gaussian(rows, width, 5);
        float[] y = new float[rows];
        float[] w = weighted ? new float[rows] : null;
        for (int i = 0; i < rows; i++) {
            y[i] = task == Task.CLASSIFICATION ? rnd.nextInt(arch.outputs()) : (float) rnd.nextGaussian();
            if (w != null) {
                w[i] = (float) (0.1 + 2 * rnd.nextDouble());
            }
        }
        return new TrainingSet(x, rows, width, y, w);
    }

    /** The feed of a whole batch, rows in order, through the trainer's placeholders. */
    static Map<String, INDArray> feedAll(Architecture arch, Task task, TrainingSet set) {
        return new HashMap<>(new Nd4jTrainer.Batch(set.rows(), set.width(), arch.outputs(), task)
                .fill(set, EarlyStopping.identity(set.rows()), DataType.DOUBLE));
    }

    /**
     * Asserts that the trainer's gradient of every trainable tensor of {@code g} agrees with the
     * central finite difference of the objective (step 1e-6, double precision): every element of
     * tensors up to {@code perTensor} elements, an even spread of {@code perTensor} of larger ones.
     */
    static void assertGradientsMatchFiniteDifferences(ModelGraph g, Map<String, INDArray> feed, double l2,
            int perTensor) {
        double h = 1e-6;
        Map<String, INDArray> grads = Nd4jTrainer.gradients(g, feed, g.trainableNames(), l2);
        for (String name : g.trainableNames()) {
            INDArray p = g.sameDiff().getArrForVarName(name);
            INDArray grad = grads.get(name);
            assertThat(grad).as(name).isNotNull();
            long stride = (p.length() + perTensor - 1) / perTensor;
            for (long i = 0; i < p.length(); i += stride) {
                double orig = p.getDouble(i);
                p.putScalar(i, orig + h);
                double up = Nd4jTrainer.objective(g, feed, l2);
                p.putScalar(i, orig - h);
                double down = Nd4jTrainer.objective(g, feed, l2);
                p.putScalar(i, orig);
                double fd = (up - down) / (2 * h);
                double an = grad.getDouble(i);
                assertThat(Math.abs(fd - an))
                        .as("%s[%s]: analytic %s, numeric %s", name, i, an, fd)
                        .isLessThanOrEqualTo(1e-7 + 1e-5 * Math.max(Math.abs(fd), Math.abs(an)));
            }
        }
    }
}
