package io.driftguard.operators.model;

/**
 * Trains a model's weights. The implementation ({@code model.train}) is the only code that calls
 * ND4J; everything else sees plain arrays.
 *
 * <p>Training is deterministic: the same inputs, initial weights and configuration give the same
 * weights bit for bit on the same machine and backend.
 */
public interface ModelTrainer {

    /**
     * Fits weights starting from {@code init}.
     *
     * @param arch the architecture
     * @param task the loss: softmax cross-entropy (labels are class indices) or squared error
     * @param init initial parameter tensors (copied, not modified)
     * @param train training rows
     * @param validation held-out rows for early stopping; may have 0 rows
     * @param config optimiser settings
     */
    TrainOutcome fit(
            Architecture arch,
            Task task,
            float[][] init,
            TrainingSet train,
            TrainingSet validation,
            TrainConfig config);

    /**
     * Fits weights with a distribution term on the hidden layer and the first {@code
     * frozenTensors} parameter tensors held fixed. Trainers without these features refuse.
     *
     * @param regularization the term, or null
     * @param frozenTensors leading parameter tensors not updated
     */
    default TrainOutcome fit(
            Architecture arch,
            Task task,
            float[][] init,
            TrainingSet train,
            TrainingSet validation,
            TrainConfig config,
            @javax.annotation.Nullable Regularization regularization,
            int frozenTensors) {
        if (regularization == null && frozenTensors == 0) {
            return fit(arch, task, init, train, validation, config);
        }
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " trains without distribution terms or frozen layers");
    }

    /**
     * Fits a GRU with AdaRNN over {@code history} (rows in time order): its most dissimilar periods
     * (TDC), then training with the boosted distribution-matching term between them (TDM).
     * Trainers without it refuse.
     *
     * @return the outcome and the period boundaries (row indices, first 0, last the row count)
     */
    default PeriodsOutcome fitAcrossPeriods(
            Architecture arch,
            Task task,
            float[][] init,
            TrainingSet history,
            TrainingSet validation,
            TrainConfig config,
            io.driftguard.operators.model.adarnn.AdaRnnConfig adarnn) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not train AdaRNN");
    }

    /** An AdaRNN fit and the periods it split the history into. */
    record PeriodsOutcome(TrainOutcome outcome, int[] periodBounds) {}
}
