package io.driftguard.operators.model.train;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * AdaRNN's temporal distribution matching term on a GRU:
 *
 * <pre>
 *   lambda * sum_{periods i &lt; j} sum_{layers l} sum_{steps t} alpha[l][t] * d(H_i^{l,t}, H_j^{l,t})
 * </pre>
 *
 * where {@code H_i^{l,t}} are the layer-l states after step t of the minibatch rows from period i
 * and d is the linear MMD, {@code ||mean H_i - mean H_j||^2} (the public code's default). The
 * minibatch is the periods' rows in contiguous blocks; the placeholder {@link #PAIRS} {@code [P,
 * N]} holds per pair a row with {@code +1/n_i} on period i's rows and {@code -1/n_j} on period
 * j's, so that one product per layer gives every pair's mean difference at every step. The
 * weights alpha are placeholders ({@link #alphaName}); the distances per layer and step are
 * outputs ({@link #distanceName}, summed over the pairs) for the boosting of alpha.
 */
final class AdaRnnLoss implements LossTerm {

    static final String PAIRS = "tdm_pairs";

    private final Architecture arch;
    private final int periods;
    private final double lambda;
    private Map<String, INDArray> current = Map.of();

    AdaRnnLoss(Architecture arch, int periods, double lambda) {
        if (arch.kind() != ModelKind.GRU) {
            throw new IllegalArgumentException("AdaRNN trains a GRU, not " + arch);
        }
        if (periods < 2) {
            throw new IllegalArgumentException("distribution matching needs 2 periods or more");
        }
        this.arch = arch;
        this.periods = periods;
        this.lambda = lambda;
    }

    static String alphaName(int layer) {
        return "tdm_alpha" + layer;
    }

    static String distanceName(int layer) {
        return "tdm_dist" + layer;
    }

    int pairs() {
        return periods * (periods - 1) / 2;
    }

    @Override
    public SDVariable define(ModelGraph graph) {
        SameDiff sd = graph.sameDiff();
        DataType dt = graph.dataType();
        int steps = arch.steps();
        int[] hidden = arch.hidden();
        SDVariable contrast = sd.placeHolder(PAIRS, dt, pairs(), -1);
        List<List<SDVariable>> states = graph.main().steps();
        SDVariable total = null;
        for (int l = 0; l < hidden.length; l++) {
            int h = hidden[l];
            List<SDVariable> layer = states.get(l);
            // [N, T*H]: row n holds step t's state at columns t*H .. t*H+H-1
            SDVariable all = steps == 1
                    ? layer.get(0)
                    : sd.reshape(sd.stack(1, layer.toArray(new SDVariable[0])), -1, (long) steps * h);
            SDVariable delta = contrast.mmul(all);
            SDVariable squares = sd.reshape(delta.mul(delta), pairs(), steps, h);
            SDVariable dist = squares.sum(0, 2).rename(distanceName(l));
            SDVariable alpha = sd.placeHolder(alphaName(l), dt, steps);
            SDVariable term = dist.mul(alpha).sum();
            total = total == null ? term : total.add(term);
        }
        return total.mul(lambda);
    }

    /**
     * Sets the placeholders for the next minibatch: its rows are {@code sizes[0]} rows of period
     * 0, then {@code sizes[1]} of period 1, and so on; {@code alpha} is {@code [layers][steps]}.
     */
    void prepare(int[] sizes, double[][] alpha, DataType dt) {
        int n = 0;
        int[] offset = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            offset[i] = n;
            n += sizes[i];
        }
        double[] d = new double[pairs() * n];
        int p = 0;
        for (int i = 0; i < periods; i++) {
            for (int j = i + 1; j < periods; j++, p++) {
                for (int r = 0; r < sizes[i]; r++) {
                    d[p * n + offset[i] + r] = 1.0 / sizes[i];
                }
                for (int r = 0; r < sizes[j]; r++) {
                    d[p * n + offset[j] + r] = -1.0 / sizes[j];
                }
            }
        }
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(PAIRS, Nd4j.create(d, new long[] {pairs(), n}, 'c').castTo(dt));
        for (int l = 0; l < alpha.length; l++) {
            feed.put(alphaName(l), Nd4j.create(alpha[l], new long[] {alpha[l].length}, 'c').castTo(dt));
        }
        current = feed;
    }

    @Override
    public Map<String, INDArray> feed(int epoch, int step, int[] rows) {
        return current;
    }
}
