package io.driftguard.operators.model;

/**
 * The result of a training run.
 *
 * @param weights the best epoch's parameter tensors, in {@link Architecture#parameterShapes()}
 *     order
 * @param epochs epochs run
 * @param validationLoss the best validation loss (the training loss where there were no
 *     validation rows)
 * @param millis wall-clock training time
 */
public record TrainOutcome(float[][] weights, int epochs, double validationLoss, long millis) {}
