package io.driftguard.operators.model;

/** What a model predicts from a record's features. */
public enum Task {
    /** A class among the names the key's labels took; scored by accuracy. */
    CLASSIFICATION,
    /** A number; scored by mean squared and mean absolute error. */
    REGRESSION;

    /** Parses {@code classification} or {@code regression}. */
    public static Task parse(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "classification", "class", "classify" -> CLASSIFICATION;
            case "regression", "regress" -> REGRESSION;
            default -> throw new IllegalArgumentException(
                    "unknown task '" + text + "' (use classification or regression)");
        };
    }

    /** The name used on the command line and in JSON. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
