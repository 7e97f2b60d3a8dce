package io.driftguard.operators.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import org.junit.jupiter.api.Test;

/** The plain-Java {@link Predictor} agrees with ND4J's forward pass to 1e-5. */
class ForwardParityTest {

    @Test
    void linear() {
        parity(new Architecture(ModelKind.LINEAR, 9, new int[0], 5, 1), Task.CLASSIFICATION);
        parity(new Architecture(ModelKind.LINEAR, 9, new int[0], 1, 1), Task.REGRESSION);
    }

    @Test
    void mlpTwoLayers() {
        parity(new Architecture(ModelKind.MLP, 11, new int[] {32, 16}, 6, 1), Task.CLASSIFICATION);
        parity(new Architecture(ModelKind.MLP, 11, new int[] {24, 8}, 1, 1), Task.REGRESSION);
    }

    @Test
    void gruTwoLayersSeveralSteps() {
        parity(new Architecture(ModelKind.GRU, 6, new int[] {16, 12}, 4, 7), Task.CLASSIFICATION);
        parity(new Architecture(ModelKind.GRU, 6, new int[] {10, 8}, 1, 5), Task.REGRESSION);
    }

    private static void parity(Architecture arch, Task task) {
        int rows = 300;
        int width = arch.inputs() * arch.steps();
        float[] x = TrainFixtures.gaussian(rows, width, 11);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 1.5f; // reach the saturating ranges of sigmoid and tanh too
        }
        ModelArtifact m = TrainFixtures.artifact(arch, task, TrainFixtures.randomWeights(arch, 21), 3.0, 2.0);
        float[] nd4j = Nd4jTrainer.forward(m, x, rows);
        Predictor p = new Predictor(m);
        double[] in = new double[width];
        double[] out = new double[arch.outputs()];
        assertThat(nd4j).hasSize(rows * arch.outputs());
        double worst = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                in[j] = x[r * width + j];
            }
            p.predictStandardized(in, out);
            for (int k = 0; k < out.length; k++) {
                double scale = Math.max(1, Math.abs(out[k]));
                worst = Math.max(worst, Math.abs(out[k] - nd4j[r * out.length + k]) / scale);
            }
        }
        assertThat(worst).as("%s %s", arch, task).isLessThan(1e-5);
    }
}
