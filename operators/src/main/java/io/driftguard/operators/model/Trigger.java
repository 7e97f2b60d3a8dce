package io.driftguard.operators.model;

/** Why a model version was trained or published. */
public enum Trigger {
    /** The key's first model, trained on its first labelled records. */
    INITIAL,
    /** A drift alarm on the key's features (a drift event with {@code drift: true}). */
    DRIFT,
    /** A rise of the key's prequential error, confirmed by a test on the error stream. */
    ERROR_DRIFT,
    /** A scheduled retrain. */
    SCHEDULE,
    /** Published by hand ({@code driftguard model rollback} and the like). */
    MANUAL;

    /** The name used in JSON. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #jsonName()}. */
    public static Trigger parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
}
