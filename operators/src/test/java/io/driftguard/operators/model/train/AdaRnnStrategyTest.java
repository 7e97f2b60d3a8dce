package io.driftguard.operators.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.ModelSettings;
import io.driftguard.operators.model.ModelSettings.Strategy;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Retrainer;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainingRequest;
import io.driftguard.operators.model.Trigger;
import io.driftguard.operators.sketch.SplitMix64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code model.adapt: adarnn} in the retraining path: a GRU forecaster whose key alternates between
 * two regimes retrains after a change with AdaRNN across the records before and after it, and
 * holds on the earlier regime when it recurs, where retraining on the records after the change
 * alone does not.
 */
class AdaRnnStrategyTest {

    private static final int STEPS = 6;
    private static final String[] NAMES = {"s", "cue"};

    /** Raw request rows: windows of STEPS records over [from, to), each with the next s as target. */
    private static TrainingRequest.Rows rows(float[][] rec, int from, int to) {
        int n = to - from - STEPS;
        float[] x = new float[n * STEPS * 2];
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            for (int t = 0; t < STEPS; t++) {
                x[(r * STEPS + t) * 2] = rec[from + r + t][0];
                x[(r * STEPS + t) * 2 + 1] = rec[from + r + t][1];
            }
            y[r] = rec[from + r + STEPS][0];
        }
        return new TrainingRequest.Rows(x, y, n);
    }

    /** The key's first model, trained on the records before the change. */
    private static ModelArtifact firstModel(TrainingRequest.Rows before) {
        TrainingRequest first = new TrainingRequest("k", 1, null, new String[0], NAMES, before.x(), before.y(),
                before.rows(), 0, 700, Trigger.INITIAL, 0, 1, 701, 0, 5, TrainingRequest.Rows.EMPTY,
                TrainingRequest.Rows.EMPTY, Double.NaN, TrainingRequest.Rows.EMPTY);
        return new Retrainer(settings(Strategy.RETRAIN), new Nd4jTrainer()).train(first, 1, true);
    }

    /** The retraining request of an alarm at record 700: the rows after it, those before as the source. */
    private static TrainingRequest afterChange(ModelArtifact parent, TrainingRequest.Rows before,
            TrainingRequest.Rows after) {
        return new TrainingRequest("k", 2, parent, new String[0], NAMES, after.x(), after.y(), after.rows(), 700, 1400,
                Trigger.DRIFT, 700, 900, 1401, 0, 7, before, TrainingRequest.Rows.EMPTY, Double.NaN,
                TrainingRequest.Rows.EMPTY);
    }

    private static ModelSettings settings(Strategy s) {
        return ModelSettings.defaults(Task.REGRESSION).withKind(ModelKind.GRU, new int[] {16}, STEPS)
                .withStrategies(List.of(s)).withRecords(20, 20, 4000);
    }

    private static double mse(ModelArtifact m, TrainingRequest.Rows test) {
        Predictor p = new Predictor(m);
        double[] out = new double[1];
        double[] window = new double[STEPS * 2];
        double sum = 0;
        for (int r = 0; r < test.rows(); r++) {
            for (int k = 0; k < window.length; k++) {
                window[k] = test.x()[r * window.length + k];
            }
            p.predictRaw(window, out);
            double e = out[0] - test.y()[r];
            sum += e * e;
        }
        return sum / test.rows();
    }

    @Test
    void adarnnAcrossTheHistoryHoldsWhenAnEarlierRegimeRecurs() {
        // regime A (phi 0.9 around +2, cue 1), then regime B (phi -0.5 around -2, cue -1), then A again
        float[][] rec = AdaRnnTest.series(new double[][] {{700, 0.9, 2, 1}, {700, -0.5, -2, -1}, {400, 0.9, 2, 1}}, 3);
        TrainingRequest.Rows before = rows(rec, 0, 700);
        TrainingRequest.Rows after = rows(rec, 700, 1400);
        TrainingRequest.Rows recurring = rows(rec, 1400, 1800);
        ModelArtifact parent = firstModel(before);

        TrainingRequest change = afterChange(parent, before, after);
        ModelArtifact adarnn = new Retrainer(settings(Strategy.ADARNN), new Nd4jTrainer()).train(change, 2, true);
        ModelArtifact retrain = new Retrainer(settings(Strategy.RETRAIN), new Nd4jTrainer()).train(change, 2, true);

        assertThat(adarnn.lineage().strategy()).isEqualTo("adarnn; 1250 rows of history in 2 periods");
        double onA = mse(adarnn, recurring);
        double retrainOnA = mse(retrain, recurring);
        // both serve regime B about as well; only adarnn still knows regime A
        assertThat(onA).as("adarnn on the recurring regime").isLessThan(0.5 * retrainOnA);
        assertThat(mse(adarnn, after)).isLessThan(1.5 * mse(retrain, after) + 0.05);
    }

    @Test
    void targetsThatCarryNoSignalAreNotLearnt() {
        // the series as above, but each target is fresh noise: nothing beats predicting its mean
        float[][] rec = AdaRnnTest.series(new double[][] {{700, 0.9, 2, 1}, {700, -0.5, -2, -1}, {400, 0.9, 2, 1}}, 9);
        SplitMix64 noise = new SplitMix64(11);
        TrainingRequest.Rows before = noisy(rows(rec, 0, 700), noise);
        TrainingRequest.Rows after = noisy(rows(rec, 700, 1400), noise);
        TrainingRequest.Rows test = noisy(rows(rec, 1400, 1800), noise);
        ModelArtifact parent = firstModel(before);
        TrainingRequest change = afterChange(parent, before, after);
        ModelArtifact adarnn = new Retrainer(settings(Strategy.ADARNN), new Nd4jTrainer()).train(change, 2, true);
        // N(0, 1) targets: the best possible MSE is 1; a model that fits the noise does worse out of sample
        assertThat(mse(adarnn, test)).isBetween(0.85, 1.2);
    }

    /** {@code r} with every target replaced by N(0, 1) noise. */
    private static TrainingRequest.Rows noisy(TrainingRequest.Rows r, SplitMix64 rnd) {
        float[] y = new float[r.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) rnd.nextGaussian();
        }
        return new TrainingRequest.Rows(r.x(), y, r.rows());
    }

    @Test
    void adarnnNeedsAGruAndIsNotPartOfAuto() {
        assertThat(ModelSettings.parseStrategies("auto")).doesNotContain(Strategy.ADARNN).hasSize(6);
        assertThat(ModelSettings.parseStrategies("retrain, adarnn")).containsExactly(Strategy.RETRAIN, Strategy.ADARNN);
        assertThatThrownBy(() -> ModelSettings.defaults(Task.REGRESSION).withStrategies(List.of(Strategy.ADARNN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.kind gru");
    }
}
