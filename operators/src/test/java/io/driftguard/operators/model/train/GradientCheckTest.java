package io.driftguard.operators.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainingSet;
import java.util.HashMap;
import java.util.Map;
import javax.annotation.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training objective's gradients against central finite differences, in double precision,
 * and its value against the plain-Java predictor.
 */
class GradientCheckTest {

    private static final double L2 = 0.03;
    private static final double H = 1e-6;

    @ParameterizedTest(name = "{0} {1} weighted={2}")
    @MethodSource("io.driftguard.operators.model.train.TrainFixtures#feedForwardCases")
    void feedForward(Architecture arch, Task task, boolean weighted) {
        check(arch, task, weighted, null);
    }

    @Test
    void gruClassificationWeighted() {
        check(new Architecture(ModelKind.GRU, 3, new int[] {5, 4}, 3, 4), Task.CLASSIFICATION, true, null);
    }

    @Test
    void gruRegression() {
        check(new Architecture(ModelKind.GRU, 3, new int[] {4}, 1, 3), Task.REGRESSION, false, null);
    }

    @Test
    void gruSingleStep() {
        check(new Architecture(ModelKind.GRU, 3, new int[] {4, 3}, 2, 1), Task.CLASSIFICATION, true, null);
    }

    @Test
    void extraTermOnMlpHiddenLayer() {
        Architecture arch = new Architecture(ModelKind.MLP, 5, new int[] {6}, 3, 1);
        check(arch, Task.CLASSIFICATION, true, new LinearMmdTerm(TrainFixtures.gaussian(9, 5, 77), 9, 5, 0.7));
    }

    @Test
    void extraTermOnGruStepStates() {
        Architecture arch = new Architecture(ModelKind.GRU, 3, new int[] {4, 3}, 1, 3);
        check(arch, Task.REGRESSION, true, new LinearMmdTerm(TrainFixtures.gaussian(7, 9, 78), 7, 9, 0.7));
    }

    static io.driftguard.operators.model.Regularization domains(
            io.driftguard.operators.model.Regularization.Kind kind, int width, double lambda, double mu) {
        int ns = 9;
        int nt = 7;
        int[] cs = new int[ns];
        int[] ct = new int[nt];
        for (int i = 0; i < ns; i++) {
            cs[i] = i % 3;
        }
        for (int i = 0; i < nt; i++) {
            ct[i] = (i + 1) % 3;
        }
        return new io.driftguard.operators.model.Regularization(kind, lambda, mu,
                TrainFixtures.gaussian(ns, width, 80), ns, cs, TrainFixtures.gaussian(nt, width, 81), nt, ct, 3, 5);
    }

    @Test
    void medaTermOnMlpHiddenLayer() {
        Architecture arch = new Architecture(ModelKind.MLP, 5, new int[] {6}, 3, 1);
        check(arch, Task.CLASSIFICATION, true, DomainTerms.of(
                domains(io.driftguard.operators.model.Regularization.Kind.MEDA, 5, 0.8, 0.6), DataType.DOUBLE));
    }

    @Test
    void medaTermOnGruTopLayer() {
        Architecture arch = new Architecture(ModelKind.GRU, 2, new int[] {4}, 3, 3);
        check(arch, Task.CLASSIFICATION, false, DomainTerms.of(
                domains(io.driftguard.operators.model.Regularization.Kind.MEDA, 6, 1.3, 0.3), DataType.DOUBLE));
    }

    /**
     * Gradient reversal: the domain classifier's own gradients are the objective's, the model's
     * are the task loss's minus lambda times the domain loss's, each checked by finite differences.
     */
    @Test
    void adversarialTermReversesTheDomainGradientIntoTheModel() {
        Architecture arch = new Architecture(ModelKind.MLP, 5, new int[] {6}, 3, 1);
        double lambda = 0.7;
        LossTerm term = DomainTerms.of(
                domains(io.driftguard.operators.model.Regularization.Kind.ADVERSARIAL, 5, lambda, 0), DataType.DOUBLE);
        int rows = 11;
        float[] x = TrainFixtures.gaussian(rows, 5, 5);
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % 3;
        }
        TrainingSet set = new TrainingSet(x, rows, 5, y, null);
        float[][] weights = TrainFixtures.randomWeights(arch, 3);
        ModelGraph g = ModelGraph.build(arch, Task.CLASSIFICATION, DataType.DOUBLE, term);
        ModelGraph plain = ModelGraph.build(arch, Task.CLASSIFICATION, DataType.DOUBLE, null);
        g.setWeights(weights);
        plain.setWeights(weights);
        int[] all = new int[rows];
        for (int i = 0; i < rows; i++) {
            all[i] = i;
        }
        Map<String, INDArray> feed = new HashMap<>(
                new Nd4jTrainer.Batch(rows, 5, 3, Task.CLASSIFICATION).fill(set, all, DataType.DOUBLE));
        Map<String, INDArray> plainFeed = new HashMap<>(feed);
        feed.putAll(term.feed(0, 0, all));
        Map<String, INDArray> grads = Nd4jTrainer.gradients(g, feed, g.trainableNames(), 0);
        java.util.List<String> model = plain.trainableNames();
        int checked = 0;
        for (String name : g.trainableNames()) {
            INDArray p = g.sameDiff().getArrForVarName(name);
            INDArray q = model.contains(name) ? plain.sameDiff().getArrForVarName(name) : null;
            long stride = (p.length() + 7) / 8;
            for (long i = 0; i < p.length(); i += stride) {
                double orig = p.getDouble(i);
                p.putScalar(i, orig + H);
                double up = Nd4jTrainer.objective(g, feed, 0);
                p.putScalar(i, orig - H);
                double down = Nd4jTrainer.objective(g, feed, 0);
                p.putScalar(i, orig);
                double total = (up - down) / (2 * H);
                double expected = total;
                if (q != null) {
                    q.putScalar(i, orig + H);
                    double tu = Nd4jTrainer.objective(plain, plainFeed, 0);
                    q.putScalar(i, orig - H);
                    double td = Nd4jTrainer.objective(plain, plainFeed, 0);
                    q.putScalar(i, orig);
                    double task = (tu - td) / (2 * H);
                    expected = task - lambda * (total - task);
                }
                double an = grads.get(name).getDouble(i);
                assertThat(Math.abs(expected - an))
                        .as("%s[%s]: analytic %s, expected %s", name, i, an, expected)
                        .isLessThanOrEqualTo(1e-7 + 1e-5 * Math.max(Math.abs(expected), Math.abs(an)));
                checked++;
            }
        }
        assertThat(g.trainableNames()).contains("adv_w1", "adv_w2");
        assertThat(checked).isGreaterThan(20);
    }

    private static void check(Architecture arch, Task task, boolean weighted, @Nullable LossTerm extra) {
        TrainingSet set = TrainFixtures.randomBatch(arch, task, 11, arch.inputs() * arch.steps(), weighted);
        float[][] weights = TrainFixtures.randomWeights(arch, 3);
        ModelGraph g = ModelGraph.build(arch, task, DataType.DOUBLE, extra);
        g.setWeights(weights);
        Map<String, INDArray> feed = TrainFixtures.feedAll(arch, task, set);
        if (extra != null) {
            feed.putAll(extra.feed(0, 0, EarlyStopping.identity(set.rows())));
        } else {
            // row weights are normalised in float: about 1e-7 relative
            double expected = javaTaskLoss(arch, task, weights, set);
            assertThat(Nd4jTrainer.objective(g, feed, 0))
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, expected)));
        }
        TrainFixtures.assertGradientsMatchFiniteDifferences(g, feed, L2, 16);
    }

    /** The weighted task loss computed with the plain-Java predictor (weights as floats). */
    private static double javaTaskLoss(Architecture arch, Task task, float[][] weights, TrainingSet set) {
        ModelArtifact m = TrainFixtures.artifact(arch, task, weights, 0, 1);
        Predictor p = new Predictor(m);
        double[] in = new double[set.width()];
        double[] out = new double[arch.outputs()];
        double sum = 0;
        double wsum = 0;
        for (int i = 0; i < set.rows(); i++) {
            for (int j = 0; j < in.length; j++) {
                in[j] = set.x()[i * set.width() + j];
            }
            p.predictStandardized(in, out);
            double wi = set.weights() == null ? 1 : set.weights()[i];
            wsum += wi;
            double li = task == Task.CLASSIFICATION
                    ? -Math.log(out[(int) set.y()[i]])
                    : (out[0] - set.y()[i]) * (out[0] - set.y()[i]);
            sum += wi * li;
        }
        return sum / wsum;
    }
}
