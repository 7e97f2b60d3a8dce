package io.driftguard.operators.model.adarnn;

import java.io.Serializable;

/**
 * Settings of AdaRNN: how the history is split into periods (TDC) and how strongly and with which
 * per-step weights the GRU's hidden states are matched across them (TDM).
 *
 * <p>The defaults follow the public AdaRNN code's air-quality run: K = 2 periods chosen among 10
 * equal grid cells, transfer-loss weight 0.1, 20 pre-training epochs, gradients clipped to +-3.
 *
 * @param periods K, the number of periods TDC looks for (at least 1; 1 trains without TDM)
 * @param grid candidate boundaries lie at {@code floor(g * rows / grid)}, {@code g = 1..grid-1}
 * @param minPeriodRows the fewest training rows a period may hold
 * @param samplesPerPeriod records per period TDC compares at most (an even stride through the
 *     period), bounding the cost of each MMD
 * @param lambda weight of the distribution-matching term (the paper's {@code dw})
 * @param pretrainEpochs epochs with fixed, uniform per-step weights before boosting starts
 * @param gradientClip each gradient value is clipped to {@code +-gradientClip}; 0 turns it off
 */
public record AdaRnnConfig(int periods, int grid, int minPeriodRows, int samplesPerPeriod,
        double lambda, int pretrainEpochs, double gradientClip) implements Serializable {

    private static final long serialVersionUID = 1L;

    public AdaRnnConfig {
        if (periods < 1 || grid < periods || minPeriodRows < 1 || samplesPerPeriod < 2
                || !(lambda >= 0) || pretrainEpochs < 0 || !(gradientClip >= 0)) {
            throw new IllegalArgumentException("periods " + periods + ", grid " + grid
                    + ", min period rows " + minPeriodRows + ", samples " + samplesPerPeriod
                    + ", lambda " + lambda + ", pre-training epochs " + pretrainEpochs
                    + ", gradient clip " + gradientClip);
        }
    }

    /** The public code's defaults: K = 2, grid 10, lambda 0.1, 20 pre-training epochs, clip 3. */
    public static AdaRnnConfig defaults() {
        return new AdaRnnConfig(2, 10, 8, 512, 0.1, 20, 3.0);
    }

    /** A copy with another number of periods, lambda and pre-training epochs. */
    public AdaRnnConfig with(int k, double weight, int pretrain) {
        return new AdaRnnConfig(k, grid, minPeriodRows, samplesPerPeriod, weight, pretrain,
                gradientClip);
    }
}
