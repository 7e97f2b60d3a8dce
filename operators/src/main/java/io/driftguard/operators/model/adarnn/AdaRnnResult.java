package io.driftguard.operators.model.adarnn;

import io.driftguard.operators.model.TrainOutcome;

/**
 * What an AdaRNN fit found besides the weights.
 *
 * @param outcome the weights (standard GRU tensor order), epochs, best validation loss and time
 * @param periodBoundaries TDC's row boundaries {@code [0, b_1, ..., rows]} of the history
 * @param stepWeights the per-layer, per-step importance weights alpha at the end of training
 *     ({@code [layers][steps]}, each row summing to 1); empty when there was one period only
 */
public record AdaRnnResult(TrainOutcome outcome, int[] periodBoundaries, double[][] stepWeights) {}
