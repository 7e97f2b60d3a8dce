package io.driftguard.operators.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * The known versions of one model id and the serving rule: the version that serves a record is the
 * highest {@link ModelStatus#ACCEPTED}, non-revoked version whose {@code effectiveFrom} is not
 * after the record's time. Offering the same versions in any order gives the same answers.
 *
 * <p>A revocation (the {@link ModelStatus#REVOKED} form of a version) wins over the accepted form
 * whichever arrives first. An accepted version whose weights differ from a version already known
 * under the same number is stale and refused; an exact repeat is ignored.
 */
public final class ModelVersions {

    /** What became of an offered version. */
    public enum Outcome { ADDED, DUPLICATE, REVOKED, REJECTED }

    private final TreeMap<Long, ModelArtifact> versions = new TreeMap<>();
    private final TreeMap<Long, String> revoked = new TreeMap<>();
    private final Map<Long, Predictor> predictors = new TreeMap<>();
    private String lastRejection = "";

    /**
     * Offers a version.
     *
     * @return what happened; on {@link Outcome#REJECTED} {@link #lastRejection()} says why
     */
    public Outcome offer(ModelArtifact a) {
        if (a.status() == ModelStatus.REVOKED) {
            boolean fresh = revoked.put(a.version(), a.reason()) == null;
            predictors.remove(a.version());
            return fresh ? Outcome.REVOKED : Outcome.DUPLICATE;
        }
        ModelArtifact known = versions.get(a.version());
        if (known != null) {
            if (known.status() == a.status() && Arrays.deepEquals(known.weights(), a.weights())
                    && known.effectiveFrom() == a.effectiveFrom()) {
                return Outcome.DUPLICATE;
            }
            return reject("stale: version " + a.version() + " of " + a.modelId() + " is already known with other contents");
        }
        if (a.status() == ModelStatus.ACCEPTED) {
            ModelArtifact latest = latestAccepted();
            // the record's features must agree; previous-label inputs may differ (the scorer fills
            // whatever a version's schema names)
            if (latest != null && latest.schema().recordDimension() != a.schema().recordDimension()) {
                return reject("incompatible: version " + a.version() + " of " + a.modelId() + " reads "
                        + a.schema().recordDimension() + " features, version " + latest.version() + " reads "
                        + latest.schema().recordDimension());
            }
        }
        versions.put(a.version(), a);
        return Outcome.ADDED;
    }

    private Outcome reject(String why) {
        lastRejection = why;
        return Outcome.REJECTED;
    }

    /** Why the last {@link Outcome#REJECTED} offer was refused. */
    public String lastRejection() {
        return lastRejection;
    }

    /** The serving version for a record at {@code ts}, or null (the key predicts its prior). */
    @Nullable
    public ModelArtifact serving(long ts) {
        for (ModelArtifact a : versions.descendingMap().values()) {
            if (a.status() == ModelStatus.ACCEPTED && !revoked.containsKey(a.version()) && a.effectiveFrom() <= ts) {
                return a;
            }
        }
        return null;
    }

    /** A cached predictor of a known version (one per version; not thread safe). */
    public Predictor predictor(ModelArtifact a) {
        return predictors.computeIfAbsent(a.version(), v -> new Predictor(a));
    }

    /** Drops a version from serving after it proved unusable (e.g. its schema does not fit the records). */
    public void disable(long version, String why) {
        revoked.put(version, why);
        predictors.remove(version);
    }

    /** The newest accepted, non-revoked version regardless of effective time, or null. */
    @Nullable
    public ModelArtifact latestAccepted() {
        for (ModelArtifact a : versions.descendingMap().values()) {
            if (a.status() == ModelStatus.ACCEPTED && !revoked.containsKey(a.version())) {
                return a;
            }
        }
        return null;
    }

    /** The highest version number known in any status, 0 when none. */
    public long maxVersion() {
        long m = versions.isEmpty() ? 0 : versions.lastKey();
        return revoked.isEmpty() ? m : Math.max(m, revoked.lastKey());
    }

    /** Whether a known version (in any status) was trained on records up to {@code ts} or later. */
    public boolean trainedThrough(long ts) {
        for (ModelArtifact a : versions.values()) {
            if (a.lineage().trainTo() >= ts) {
                return true;
            }
        }
        return false;
    }

    /** All versions known, ascending, with revocations applied. */
    public List<ModelArtifact> all() {
        List<ModelArtifact> out = new ArrayList<>();
        for (ModelArtifact a : versions.values()) {
            String why = revoked.get(a.version());
            out.add(why == null ? a : a.revoked(why));
        }
        return out;
    }

    /** Forgets accepted versions older than the newest {@code keep} (they can no longer serve new records). */
    public void prune(int keep) {
        int accepted = 0;
        List<Long> drop = new ArrayList<>();
        for (ModelArtifact a : versions.descendingMap().values()) {
            if (a.status() != ModelStatus.ACCEPTED || ++accepted > keep) {
                drop.add(a.version());
            }
        }
        // keep the newest version number known so that maxVersion() stays right
        if (!drop.isEmpty() && drop.get(0).equals(versions.lastKey())) {
            drop.remove(0);
        }
        for (Long v : drop) {
            versions.remove(v);
            predictors.remove(v);
        }
    }
}
