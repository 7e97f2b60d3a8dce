package io.driftguard.operators.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainConfig;
import io.driftguard.operators.model.TrainOutcome;
import io.driftguard.operators.model.TrainingSet;
import org.junit.jupiter.api.Test;

class Nd4jTrainerSpeedTest {

    @Test
    void defaultModelFitTime() {
        long t0 = System.nanoTime();
        Nd4jRuntime.ensureReady();
        long startup = (System.nanoTime() - t0) / 1_000_000;
        Architecture arch = new Architecture(ModelKind.MLP, 8, new int[] {32}, 6, 1);
        TrainingSet all = TrainFixtures.blobs(4000, 8, 6, 1.0, 7);
        TrainingSet train = all.slice(0, 3200);
        TrainingSet val = all.slice(3200, 4000);
        Nd4jTrainer trainer = new Nd4jTrainer();
        float[][] init = Predictor.initialWeights(arch, 1);
        for (int batch : new int[] {128, 256, 512}) {
            for (int rep = 0; rep < 4; rep++) {
                TrainConfig cfg = new TrainConfig(0.01, 30, batch, 4, 1e-4, rep);
                long s = System.nanoTime();
                TrainOutcome o = trainer.fit(arch, Task.CLASSIFICATION, init, train, val, cfg);
                long ms = (System.nanoTime() - s) / 1_000_000;
                System.out.printf("batch %d rep %d: %d ms, %d epochs, val %.4f%n", batch, rep, ms, o.epochs(),
                        o.validationLoss());
            }
        }
        System.out.println("startup " + startup + " ms");
        assertThat(startup).isPositive();
    }
}
