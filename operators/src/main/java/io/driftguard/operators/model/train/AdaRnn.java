package io.driftguard.operators.model.train;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainConfig;
import io.driftguard.operators.model.TrainOutcome;
import io.driftguard.operators.model.TrainingSet;
import io.driftguard.operators.model.adarnn.AdaRnnConfig;
import io.driftguard.operators.model.adarnn.AdaRnnResult;
import io.driftguard.operators.model.adarnn.Tdc;
import java.util.ArrayList;
import java.util.List;

/**
 * AdaRNN for the GRU model: TDC splits the time-ordered history into its K most dissimilar
 * periods ({@link Tdc}), then TDM trains across them ({@link AdaRnnTrainer}). The weights come
 * back in {@link Architecture#parameterShapes()} order, so {@code model.Predictor} serves them as
 * any other GRU's. When the history yields one period only (too short for two periods of {@link
 * AdaRnnConfig#minPeriodRows()}), it trains the plain GRU with {@link Nd4jTrainer}.
 */
public final class AdaRnn {

    private AdaRnn() {}

    /**
     * Fits a GRU with AdaRNN.
     *
     * @param arch a GRU architecture
     * @param task regression (the air-quality protocol) or classification
     * @param init initial tensors (copied), e.g. the serving weights or seeded ones
     * @param history training rows in time order (oldest first)
     * @param validation held-out rows for early stopping (0 rows: the history is used)
     * @param cfg optimiser settings: Adam's rate, epochs, batch per period, patience, L2, seed
     * @param ac TDC and TDM settings
     */
    public static TrainOutcome fit(Architecture arch, Task task, float[][] init, TrainingSet history,
            TrainingSet validation, TrainConfig cfg, AdaRnnConfig ac) {
        return fitDetailed(arch, task, init, history, validation, cfg, ac).outcome();
    }

    /** As {@link #fit}, also returning the periods and the final step weights. */
    public static AdaRnnResult fitDetailed(Architecture arch, Task task, float[][] init,
            TrainingSet history, TrainingSet validation, TrainConfig cfg, AdaRnnConfig ac) {
        if (arch.kind() != ModelKind.GRU) {
            throw new IllegalArgumentException("AdaRNN trains a GRU, not " + arch);
        }
        long start = System.nanoTime();
        int[] bounds = Tdc.split(history, arch.inputs(), ac);
        if (bounds.length < 3) {
            TrainOutcome o = new Nd4jTrainer().fit(arch, task, init, history, validation, cfg);
            return new AdaRnnResult(withMillis(o, start), bounds, new double[0][]);
        }
        List<TrainingSet> periods = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.length; i++) {
            periods.add(history.slice(bounds[i], bounds[i + 1]));
        }
        AdaRnnResult r =
                new AdaRnnTrainer().fit(arch, task, init, periods, validation, cfg, ac);
        return new AdaRnnResult(withMillis(r.outcome(), start), bounds, r.stepWeights());
    }

    private static TrainOutcome withMillis(TrainOutcome o, long startNanos) {
        return new TrainOutcome(o.weights(), o.epochs(), o.validationLoss(),
                (System.nanoTime() - startNanos) / 1_000_000);
    }
}
