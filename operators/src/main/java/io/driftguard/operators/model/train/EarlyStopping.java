package io.driftguard.operators.model.train;

import io.driftguard.operators.sketch.SplitMix64;
import java.util.function.Supplier;

/**
 * The epoch loop's bookkeeping that every trainer shares: the validation loss of the starting
 * weights counts as epoch 0's (so a fine-tuning never returns weights that validate worse than its
 * start), the weights of the epoch with the lowest loss are kept, and training stops after {@code
 * patience} epochs without a strictly lower one. Also the seeded shuffle of the row order, so that
 * the trainers draw alike.
 */
final class EarlyStopping {

    private final int patience;
    private double best;
    private float[][] bestWeights;
    private int sinceBest;
    private int epochs;

    EarlyStopping(double startLoss, float[][] startWeights, int patience) {
        this.best = startLoss;
        this.bestWeights = startWeights;
        this.patience = patience;
    }

    /**
     * Records the loss after an epoch; {@code weights} is read only when the loss is the lowest yet.
     *
     * @return whether to train another epoch
     */
    boolean afterEpoch(double loss, Supplier<float[][]> weights) {
        epochs++;
        if (loss < best) {
            best = loss;
            bestWeights = weights.get();
            sinceBest = 0;
            return true;
        }
        return ++sinceBest < patience;
    }

    double bestLoss() {
        return best;
    }

    float[][] bestWeights() {
        return bestWeights;
    }

    /** Epochs trained. */
    int epochs() {
        return epochs;
    }

    /** Fisher-Yates with the seeded generator. */
    static void shuffle(int[] a, SplitMix64 rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** 0, 1, ..., n - 1. */
    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
