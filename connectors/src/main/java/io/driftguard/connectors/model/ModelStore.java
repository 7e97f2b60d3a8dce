package io.driftguard.connectors.model;

import io.driftguard.operators.model.ModelArtifact;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The published versions of all models: append-only, one entry per model id and version.
 *
 * <p>A version is published once; the only later change is its revocation, published as the same
 * version with status {@link io.driftguard.operators.model.ModelStatus#REVOKED}, which then
 * replaces it in {@link #list()}.
 *
 * <p>{@link #nextVersion(String)} followed by {@link #publish(ModelArtifact)} is not atomic: one
 * writer per model id is assumed (the job's trainer for that key, or an operator's {@code
 * driftguard model rollback}).
 */
public interface ModelStore extends AutoCloseable {

    /** Orders versions by model id, then version. */
    Comparator<ModelArtifact> ORDER =
            Comparator.comparing(ModelArtifact::modelId).thenComparingLong(ModelArtifact::version);

    /**
     * All versions of all model ids, sorted by {@link #ORDER}. Entries that fail to decode, or whose
     * content does not match where they are stored, are skipped; {@link #rejected()} then says
     * which and why.
     *
     * @throws java.io.UncheckedIOException or another runtime exception when the store cannot be read
     */
    List<ModelArtifact> list();

    /**
     * The entries the most recent {@link #list()} skipped, one line each: where the entry is
     * stored and the reason (for example {@code m1/v0000000003.dgm: corrupt model record:
     * checksum mismatch}). Empty before the first {@code list()}.
     */
    List<String> rejected();

    /**
     * Publishes a version and returns once it is durable (the file is in place, or the broker
     * acknowledged the record).
     *
     * @throws IllegalStateException when the store refuses it (for example the version exists and
     *     this is not its revocation)
     */
    void publish(ModelArtifact artifact);

    /**
     * One more than the highest version of {@code modelId} in the store, whatever its status and
     * including entries that fail to decode but whose location names the version; 1 when none.
     */
    long nextVersion(String modelId);

    /** The versions of one model id, oldest first (filters {@link #list()}). */
    default List<ModelArtifact> list(String modelId) {
        List<ModelArtifact> out = new ArrayList<>();
        for (ModelArtifact a : list()) {
            if (a.modelId().equals(modelId)) {
                out.add(a);
            }
        }
        return out;
    }

    /** One version of a model id, if the store holds it (in its revoked form when revoked). */
    default Optional<ModelArtifact> find(String modelId, long version) {
        for (ModelArtifact a : list(modelId)) {
            if (a.version() == version) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Releases clients and handles; the default does nothing. */
    @Override
    default void close() {}
}
