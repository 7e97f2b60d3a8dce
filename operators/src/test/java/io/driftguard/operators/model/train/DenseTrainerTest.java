package io.driftguard.operators.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Regularization;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainConfig;
import io.driftguard.operators.model.TrainOutcome;
import io.driftguard.operators.model.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The plain-Java feed-forward trainer against SameDiff: every gradient of a minibatch step (task
 * loss, row weights, L2, MEDA's term, the adversarial term's reversal and its classifier) equals the
 * one SameDiff computes from {@link ModelGraph} and {@link DomainTerms} in double precision (whose
 * gradients {@code GradientCheckTest} checks by finite differences), and a whole fit follows the
 * SameDiff trainer's.
 */
class DenseTrainerTest {

    private static final double L2 = 0.03;

    @ParameterizedTest(name = "{0} {1} weighted={2}")
    @MethodSource("io.driftguard.operators.model.train.TrainFixtures#feedForwardCases")
    void feedForward(Architecture arch, Task task, boolean weighted) {
        check(arch, task, weighted, null);
    }

    @Test
    void medaTermThroughTwoHiddenLayers() {
        check(new Architecture(ModelKind.MLP, 5, new int[] {7, 6}, 3, 1), Task.CLASSIFICATION, true,
                GradientCheckTest.domains(Regularization.Kind.MEDA, 5, 0.8, 0.6));
    }

    @Test
    void medaTermMarginalOnlyOnRegression() {
        Regularization r = GradientCheckTest.domains(Regularization.Kind.MEDA, 5, 1.3, 0);
        check(new Architecture(ModelKind.MLP, 5, new int[] {6}, 1, 1), Task.REGRESSION, false, r);
    }

    @Test
    void adversarialTermReversesIntoTheModelAndTrainsItsClassifier() {
        check(new Architecture(ModelKind.MLP, 5, new int[] {7, 6}, 3, 1), Task.CLASSIFICATION, true,
                GradientCheckTest.domains(Regularization.Kind.ADVERSARIAL, 5, 0.7, 0));
    }

    /** Several minibatches of the terms: the seeded draws of each step are DomainTerms'. */
    @Test
    void termsDrawTheSameMinibatchesAtEveryStep() {
        Architecture arch = new Architecture(ModelKind.MLP, 5, new int[] {6}, 3, 1);
        for (Regularization.Kind kind : Regularization.Kind.values()) {
            for (int step = 1; step < 4; step++) {
                check(arch, Task.CLASSIFICATION, false, GradientCheckTest.domains(kind, 5, 0.9, 0.4), step, step);
            }
        }
    }

    private static void check(Architecture arch, Task task, boolean weighted, @Nullable Regularization reg) {
        check(arch, task, weighted, reg, 0, 0);
    }

    private static void check(Architecture arch, Task task, boolean weighted, @Nullable Regularization reg,
            int epoch, int step) {
        TrainingSet set = TrainFixtures.randomBatch(arch, task, 11, arch.inputs(), weighted);
        float[][] weights = TrainFixtures.randomWeights(arch, 3);

        LossTerm term = reg == null ? null : DomainTerms.of(reg, DataType.DOUBLE);
        ModelGraph g = ModelGraph.build(arch, task, DataType.DOUBLE, term);
        g.setWeights(weights);
        Map<String, INDArray> feed = TrainFixtures.feedAll(arch, task, set);
        if (term != null) {
            feed.putAll(term.feed(epoch, step, EarlyStopping.identity(set.rows())));
        }
        Map<String, INDArray> expected = Nd4jTrainer.gradients(g, feed, g.trainableNames(), L2);

        double[][] dense = DenseTrainer.gradients(arch, task, weights, set, reg, epoch, step, L2);
        List<String> names = new ArrayList<>();
        for (int t = 0; t < arch.parameterShapes().size(); t++) {
            names.addAll(g.variableNames(t));
        }
        if (reg != null && reg.kind() == Regularization.Kind.ADVERSARIAL) {
            names.addAll(List.of("adv_w1", "adv_b1", "adv_w2", "adv_b2"));
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(g.trainableNames());
        assertThat(dense.length).isEqualTo(names.size());
        for (int t = 0; t < names.size(); t++) {
            double[] sd = expected.get(names.get(t)).dup('c').data().asDouble();
            assertThat(dense[t]).as(names.get(t)).hasSameSizeAs(sd);
            double scale = 0;
            for (double v : sd) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < sd.length; i++) {
                // the batch's row weights are normalised in float on the SameDiff side
                assertThat(Math.abs(dense[t][i] - sd[i])).as("%s[%s]: dense %s, SameDiff %s", names.get(t), i,
                        dense[t][i], sd[i]).isLessThanOrEqualTo(1e-12 + 1e-6 * scale);
            }
        }
    }

    /** A whole fit with early stopping: the same epochs and, to float rounding, the same weights. */
    @Test
    void aFitFollowsTheSameDiffTrainer() {
        TrainingSet all = TrainFixtures.blobs(1000, 6, 3, 1.2, 31);
        Architecture arch = new Architecture(ModelKind.MLP, 6, new int[] {16}, 3, 1);
        float[][] init = Predictor.initialWeights(arch, 4);
        TrainConfig cfg = new TrainConfig(0.01, 8, 64, 3, 1e-3, 9);
        Regularization meda = new Regularization(Regularization.Kind.MEDA, 1.0, 0.5, all.slice(0, 300).x(), 300,
                classes(all, 0, 300), all.slice(300, 400).x(), 100, classes(all, 300, 400), 3, 7);
        for (Regularization reg : new Regularization[] {null, meda}) {
            TrainOutcome expected = Nd4jTrainer.sameDiffOnly(DataType.FLOAT).fit(arch, Task.CLASSIFICATION, init,
                    all.slice(0, 800), all.slice(800, 1000), cfg, reg, 0);
            TrainOutcome dense = new Nd4jTrainer().fit(arch, Task.CLASSIFICATION, init, all.slice(0, 800),
                    all.slice(800, 1000), cfg, reg, 0);
            assertThat(dense.epochs()).isEqualTo(expected.epochs());
            assertThat(dense.validationLoss()).isCloseTo(expected.validationLoss(),
                    org.assertj.core.data.Offset.offset(1e-4));
            for (int t = 0; t < init.length; t++) {
                for (int i = 0; i < init[t].length; i++) {
                    assertThat((double) dense.weights()[t][i]).as("tensor %s[%s]", t, i)
                            .isCloseTo(expected.weights()[t][i], org.assertj.core.data.Offset.offset(1e-3));
                }
            }
        }
    }

    private static int[] classes(TrainingSet set, int from, int to) {
        int[] c = new int[to - from];
        for (int i = from; i < to; i++) {
            c[i - from] = (int) set.y()[i];
        }
        return c;
    }
}
