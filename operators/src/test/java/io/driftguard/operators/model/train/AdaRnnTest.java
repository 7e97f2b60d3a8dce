package io.driftguard.operators.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainConfig;
import io.driftguard.operators.model.TrainOutcome;
import io.driftguard.operators.model.TrainingSet;
import io.driftguard.operators.model.adarnn.AdaRnnConfig;
import io.driftguard.operators.model.adarnn.AdaRnnResult;
import io.driftguard.operators.sketch.SplitMix64;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** AdaRNN end to end: TDC, TDM with boosting, weights the plain-Java predictor serves. */
class AdaRnnTest {

    private static final int STEPS = 6;

    /**
     * A series of two AR(1) regimes, records {@code (s, regime cue)}: each segment is {length,
     * phi, mean}; the target of a row is the next value of s.
     */
    static float[][] series(double[][] segments, long seed) {
        SplitMix64 rnd = new SplitMix64(seed);
        int n = 0;
        for (double[] seg : segments) {
            n += (int) seg[0];
        }
        float[][] rec = new float[n + 1][2];
        double s = 0;
        int i = 0;
        for (double[] seg : segments) {
            for (int j = 0; j < (int) seg[0]; j++, i++) {
                s = seg[2] + seg[1] * (s - seg[2]) + 0.3 * rnd.nextGaussian();
                rec[i][0] = (float) s;
                rec[i][1] = (float) (seg[3] + 0.3 * rnd.nextGaussian());
            }
        }
        rec[n][0] = (float) s;
        return rec;
    }

    /** Sliding windows of STEPS records over {@code [from, to)}, each with the next s as target. */
    private static TrainingSet rows(float[][] rec, int from, int to) {
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
        return new TrainingSet(x, n, STEPS * 2, y, null);
    }

    /** Mean squared error of the plain-Java predictor. */
    private static double mse(Architecture arch, float[][] w, TrainingSet set) {
        Predictor p = new Predictor(TrainFixtures.artifact(arch, Task.REGRESSION, w, 0, 1));
        double[] in = new double[set.width()];
        double[] out = new double[1];
        double sum = 0;
        for (int i = 0; i < set.rows(); i++) {
            for (int j = 0; j < in.length; j++) {
                in[j] = set.x()[i * set.width() + j];
            }
            p.predictStandardized(in, out);
            sum += (out[0] - set.y()[i]) * (out[0] - set.y()[i]);
        }
        return sum / set.rows();
    }

    @Test
    void boostingRaisesTheWeightsOfStepsWhoseDistanceGrew() {
        double[][] alpha = {{0.25, 0.25, 0.25, 0.25}};
        double[][] before = {{1, 1, 1, 1}};
        double[][] after = {{2, 1, 0.5, 1}};
        AdaRnnTrainer.boost(alpha, before, after);
        // step 0 grew by 1: weight 0.25 * (1 + sigmoid(1)); then the row is normalised
        double raised = 0.25 * (1 + 1 / (1 + Math.exp(-1)));
        double sum = raised + 0.75;
        assertThat(alpha[0]).containsExactly(new double[] {raised / sum, 0.25 / sum, 0.25 / sum, 0.25 / sum},
                Offset.offset(1e-15));
    }

    @Test
    void deterministicAndServedByThePredictor() {
        double[][] segs = {{150, 0.9, 1, 1}, {150, -0.5, -1, -1}};
        float[][] rec = series(segs, 5);
        TrainingSet history = rows(rec, 0, 300);
        Architecture arch = new Architecture(ModelKind.GRU, 2, new int[] {4, 3}, 1, STEPS);
        TrainConfig cfg = new TrainConfig(0.01, 4, 32, 4, 1e-4, 3);
        AdaRnnConfig ac = AdaRnnConfig.defaults().with(2, 0.5, 2);
        float[][] init = Predictor.initialWeights(arch, 9);
        AdaRnnResult a = AdaRnn.fitDetailed(arch, Task.REGRESSION, init, history, history.slice(0, 0), cfg, ac);
        AdaRnnResult b = AdaRnn.fitDetailed(arch, Task.REGRESSION, init, history, history.slice(0, 0), cfg, ac);
        assertThat(a.outcome().weights()).isDeepEqualTo(b.outcome().weights());
        assertThat(a.stepWeights()).isDeepEqualTo(b.stepWeights());
        // TDC finds the change of regime (grid cells of 29.4 rows: the boundary nearest row 150)
        assertThat(a.periodBoundaries()).containsExactly(0, 147, 294);
        for (double[] layer : a.stepWeights()) {
            assertThat(java.util.Arrays.stream(layer).sum()).isCloseTo(1, Offset.offset(1e-12));
        }
        // the standard tensor order: ND4J's forward pass and the plain-Java predictor agree
        ModelArtifact m = TrainFixtures.artifact(arch, Task.REGRESSION, a.outcome().weights(), 0, 1);
        float[] nd4j = Nd4jTrainer.forward(m, history.x(), history.rows());
        Predictor p = new Predictor(m);
        double[] in = new double[history.width()];
        double[] out = new double[1];
        for (int i = 0; i < history.rows(); i++) {
            for (int j = 0; j < in.length; j++) {
                in[j] = history.x()[i * history.width() + j];
            }
            p.predictStandardized(in, out);
            assertThat(out[0]).isCloseTo(nd4j[i], Offset.offset(1e-5));
        }
    }

    @Test
    void onePeriodTrainsThePlainGru() {
        float[][] rec = series(new double[][] {{80, 0.9, 1, 1}}, 6);
        TrainingSet history = rows(rec, 0, 80);
        Architecture arch = new Architecture(ModelKind.GRU, 2, new int[] {3}, 1, STEPS);
        TrainConfig cfg = new TrainConfig(0.01, 3, 16, 3, 0, 3);
        float[][] init = Predictor.initialWeights(arch, 9);
        // periods of at least 60 rows: a history of 74 rows is one period
        AdaRnnConfig ac = new AdaRnnConfig(2, 10, 60, 256, 0.1, 1, 3);
        AdaRnnResult r = AdaRnn.fitDetailed(arch, Task.REGRESSION, init, history, history.slice(0, 0), cfg, ac);
        TrainOutcome plain = new Nd4jTrainer().fit(arch, Task.REGRESSION, init, history, history.slice(0, 0), cfg);
        assertThat(r.periodBoundaries()).containsExactly(0, 74);
        assertThat(r.outcome().weights()).isDeepEqualTo(plain.weights());
    }

    /**
     * Regimes A (AR(1), phi 0.9) and B (phi -0.5), both around 0, each record {@code (s, c)} with c
     * a second sensor. In the history A comes first, then B, and c's level happened to change with
     * them (+1, then -1): c is a clean but spurious cue of the regime. Later, A recurs while c stays
     * at B's level. The plain GRU reads the regime from c and applies B's dynamics; AdaRNN's TDC
     * finds the two periods, and TDM, by matching the GRU states' means across them, removes c's
     * level from the representation, so the model reads the regime from s itself.
     */
    @Test
    void recurringRegimeIsServedBetterThanByThePlainGru() {
        double[][] segments = {
            {400, 0.9, 0, 1}, {400, -0.5, 0, -1}, // history
            {80, 0.9, 0, 1}, {80, -0.5, 0, -1}, // validation
            {250, 0.9, 0, -1}}; // A recurs
        float[][] rec = series(segments, 42);
        TrainingSet history = rows(rec, 0, 800);
        TrainingSet validation = rows(rec, 800, 960);
        TrainingSet test = rows(rec, 960, 1210);
        Architecture arch = new Architecture(ModelKind.GRU, 2, new int[] {6}, 1, STEPS);
        TrainConfig cfg = new TrainConfig(0.01, 20, 40, 6, 0, 7);
        float[][] init = Predictor.initialWeights(arch, 3);

        TrainOutcome plain = new Nd4jTrainer().fit(arch, Task.REGRESSION, init, history, validation, cfg);
        AdaRnnResult ada = AdaRnn.fitDetailed(arch, Task.REGRESSION, init, history, validation, cfg,
                AdaRnnConfig.defaults().with(2, 10, 5));

        assertThat(ada.periodBoundaries()).containsExactly(0, 397, 794);
        double plainMse = mse(arch, plain.weights(), test);
        double adaMse = mse(arch, ada.outcome().weights(), test);
        System.out.printf("recurring regime: test MSE plain GRU %.4f (%d epochs), AdaRNN %.4f (%d epochs)%n",
                plainMse, plain.epochs(), adaMse, ada.outcome().epochs());
        // the noise variance is 0.09: the plain GRU is far from it, AdaRNN clearly closer
        assertThat(adaMse).isLessThan(0.8 * plainMse);
    }
}
