package io.driftguard.operators.model;

import java.io.Serializable;

/**
 * Optimiser settings of one training run (Adam on minibatches, early stopping on the validation
 * loss).
 *
 * @param learningRate Adam's step size
 * @param maxEpochs passes over the training rows at most
 * @param batchSize rows per minibatch
 * @param patience epochs without a better validation loss before stopping; the best epoch's
 *     weights are returned
 * @param l2 L2 penalty on weight matrices (not biases)
 * @param seed seed of the minibatch order
 */
public record TrainConfig(
        double learningRate, int maxEpochs, int batchSize, int patience, double l2, long seed)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public TrainConfig {
        if (!(learningRate > 0) || maxEpochs < 1 || batchSize < 1 || patience < 1 || !(l2 >= 0)) {
            throw new IllegalArgumentException("learning rate " + learningRate + ", epochs " + maxEpochs
                    + ", batch " + batchSize + ", patience " + patience + ", l2 " + l2);
        }
    }

    /** A copy with another learning rate and seed (fine-tuning uses a smaller rate). */
    public TrainConfig with(double rate, long newSeed) {
        return new TrainConfig(rate, maxEpochs, batchSize, patience, l2, newSeed);
    }
}
