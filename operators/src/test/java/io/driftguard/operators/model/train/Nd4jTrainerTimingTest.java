package io.driftguard.operators.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainConfig;
import io.driftguard.operators.model.TrainOutcome;
import io.driftguard.operators.model.TrainingSet;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/**
 * Fit time of the default feed-forward model (MLP with 32 hidden units, 8 features, 6 classes) on
 * 3,200 training and 800 validation rows: from scratch, and fine-tuned after a drift from the
 * previous weights. Prints wall and thread CPU time; asserts only a loose bound, since shared
 * machines vary.
 */
class Nd4jTrainerTimingTest {

    @Test
    void defaultModelFitTime() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Architecture arch = new Architecture(ModelKind.MLP, 8, new int[] {32}, 6, 1);
        TrainingSet before = TrainFixtures.blobs(4000, 8, 6, 1.5, 7);
        TrainingSet after = shifted(TrainFixtures.blobs(4000, 8, 6, 1.5, 8));
        Nd4jTrainer trainer = new Nd4jTrainer();
        TrainConfig cfg = new TrainConfig(0.01, 30, 256, 4, 1e-4, 1);
        // warm-up: the graph, its gradient function and the JIT (a serving job does this once)
        long cold = System.nanoTime();
        trainer.fit(arch, Task.CLASSIFICATION, Predictor.initialWeights(arch, 9), before.slice(0, 3200),
                before.slice(3200, 4000), cfg.with(0.01, 99));
        System.out.printf("first fit in this JVM (graph, gradient graph, JIT): %d ms%n",
                (System.nanoTime() - cold) / 1_000_000);
        long build = System.nanoTime();
        Nd4jTrainer other = new Nd4jTrainer();
        other.fit(arch, Task.CLASSIFICATION, Predictor.initialWeights(arch, 9), before.slice(0, 3200),
                before.slice(3200, 4000), new TrainConfig(0.01, 1, 256, 1, 1e-4, 1));
        System.out.printf("one epoch on a new trainer (graph and gradient graph built again): %d ms%n",
                (System.nanoTime() - build) / 1_000_000);

        long worst = 0;
        float[][] serving = null;
        for (int rep = 0; rep < 3; rep++) {
            long w0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            TrainOutcome scratch = trainer.fit(arch, Task.CLASSIFICATION, Predictor.initialWeights(arch, rep),
                    before.slice(0, 3200), before.slice(3200, 4000), cfg.with(0.01, rep));
            long w1 = System.nanoTime();
            long c1 = mx.getCurrentThreadCpuTime();
            TrainOutcome tuned = trainer.fit(arch, Task.CLASSIFICATION, scratch.weights(), after.slice(0, 3200),
                    after.slice(3200, 4000), cfg.with(0.005, rep));
            long w2 = System.nanoTime();
            long c2 = mx.getCurrentThreadCpuTime();
            System.out.printf("MLP[32] 3200+800 rows, batch 256: scratch %d ms wall / %d ms CPU, %d epochs;"
                            + " fine-tune %d ms wall / %d ms CPU, %d epochs; ND4J start-up %d ms, %d thread(s)%n",
                    (w1 - w0) / 1_000_000, (c1 - c0) / 1_000_000, scratch.epochs(), (w2 - w1) / 1_000_000,
                    (c2 - c1) / 1_000_000, tuned.epochs(), Nd4jRuntime.startupMillis(), Nd4jRuntime.threads());
            worst = Math.max(worst, (w2 - w1) / 1_000_000);
            serving = tuned.weights();
        }
        assertThat(serving).isNotNull();
        assertThat(worst).isLessThan(15_000);
    }

    /** The concept after a drift: features shifted and two classes swapped. */
    private static TrainingSet shifted(TrainingSet s) {
        float[] x = s.x().clone();
        float[] y = s.y().clone();
        for (int i = 0; i < s.rows(); i++) {
            x[i * s.width()] += 0.7f;
            if (y[i] == 0 || y[i] == 1) {
                y[i] = 1 - y[i];
            }
        }
        return new TrainingSet(x, s.rows(), s.width(), y, null);
    }
}
