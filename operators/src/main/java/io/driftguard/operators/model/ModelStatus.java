package io.driftguard.operators.model;

/** What a published model version is for. */
public enum ModelStatus {
    /** Validated and eligible to serve from its effective time on. */
    ACCEPTED,
    /** A candidate that lost to the serving version on held-out data; never serves, kept for lineage. */
    REJECTED,
    /** An accepted version taken back; it no longer serves anywhere. */
    REVOKED;

    /** The name used in JSON. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
