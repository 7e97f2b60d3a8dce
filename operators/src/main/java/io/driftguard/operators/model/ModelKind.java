package io.driftguard.operators.model;

/**
 * The architectures a model artifact can hold. Their parameter tensors, in order, are fixed by
 * {@link Architecture#parameterShapes()}; the ND4J trainer and the plain-Java {@link Predictor}
 * both follow that order.
 */
public enum ModelKind {
    /** Linear regression, or softmax regression for classification: one affine map. */
    LINEAR,
    /** A feed-forward network: affine maps with ReLU between them. */
    MLP,
    /** A GRU over the last {@code steps} standardised records of a key, then an affine output. */
    GRU;

    /** Parses {@code linear}, {@code mlp} (also {@code feed-forward}) or {@code gru}. */
    public static ModelKind parse(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "linear", "softmax" -> LINEAR;
            case "mlp", "feed-forward", "feedforward" -> MLP;
            case "gru" -> GRU;
            default -> throw new IllegalArgumentException(
                    "unknown model kind '" + text + "' (use linear, mlp or gru)");
        };
    }

    /** The name used on the command line and in JSON. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
