package io.driftguard.operators.functions;

import java.io.Serializable;

/**
 * The delay embedding a key's records get before the drift evaluator: each record becomes its
 * features followed by the features of the key's records {@code delay}, {@code 2 delay}, ...,
 * {@code (dimension - 1) delay} records earlier, so that sketches, MMD, the A-distance and the
 * per-feature attribution see the series' dynamics (its shape, rhythm, frequency,
 * autocorrelation) and not only each record's values.
 *
 * @param dimension values per feature in an embedded record (1: no embedding)
 * @param delay records between two consecutive lags
 */
public record LagEmbedding(int dimension, int delay) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** No embedding: records reach the evaluator as they are. */
    public static final LagEmbedding NONE = new LagEmbedding(1, 1);

    public LagEmbedding {
        if (dimension < 1 || dimension > 64) {
            throw new IllegalArgumentException("embedding dimension must be in 1..64, got " + dimension);
        }
        if (delay < 1 || delay > 10_000) {
            throw new IllegalArgumentException("embedding delay must be in 1..10000, got " + delay);
        }
    }

    /** Whether records are embedded at all. */
    public boolean enabled() {
        return dimension > 1;
    }

    /** Records a key must have sent before its first embedded record: the largest lag. */
    public int span() {
        return (dimension - 1) * delay;
    }

    /**
     * Names of the embedded features: the originals (or {@code f0}, {@code f1}, ... when the
     * records carry none), then each lag's as {@code name@lagK}.
     */
    public String[] names(String[] original, int d) {
        String[] out = new String[d * dimension];
        for (int k = 0; k < dimension; k++) {
            for (int f = 0; f < d; f++) {
                String base = original != null ? original[f] : "f" + f;
                out[k * d + f] = k == 0 ? base : base + "@lag" + (k * delay);
            }
        }
        return out;
    }
}
