package io.driftguard.operators.model.train;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An extra term of the training loss, defined on the model's graph: the seam for adaptation
 * strategies that regularise the hidden representation (MMD between two batches' hidden states,
 * per-step GRU state distances, a domain classifier behind gradient reversal).
 *
 * <p>{@link #define} runs once, while the trainer builds the graph for a fit (so the graph's
 * {@link ModelGraph#trainableNames()} and {@link ModelGraph#loss()} are not yet set); it may add
 * placeholders, apply the model to other inputs with {@link ModelGraph#apply} (shared weights),
 * and create trainable variables of its own (the trainer updates every trainable variable of the
 * graph with Adam, and returns only the model's). {@link #feed} runs once per minibatch and
 * supplies the values of the placeholders the term added. The validation loss that early stopping
 * watches is the task loss alone.
 *
 * <p>Implementations must be deterministic (seeded) for training to stay reproducible.
 */
public interface LossTerm {

    /**
     * Adds the term to {@code graph} and returns it as a scalar (already multiplied by its
     * weight); the trainer adds it to the task loss and the L2 penalty.
     */
    SDVariable define(ModelGraph graph);

    /**
     * Values of this term's placeholders for one minibatch.
     *
     * @param epoch epoch, from 0
     * @param step minibatch within the epoch, from 0
     * @param rows indices of the training rows in the minibatch, in batch order
     */
    Map<String, INDArray> feed(int epoch, int step, int[] rows);

    /**
     * Called by the trainer before each epoch, for terms whose weight follows a schedule over the
     * training (the adversarial term's ramp); a term never told keeps its full weight.
     *
     * @param epoch epoch, from 0
     * @param maxEpochs the fit's epoch budget
     */
    default void startEpoch(int epoch, int maxEpochs) {}
}
