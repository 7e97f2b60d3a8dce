package io.driftguard.operators.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One version of a deployed model: self-describing and immutable. Its byte form is {@link
 * ModelCodec}'s.
 *
 * <p>The version that serves a record is the highest {@link ModelStatus#ACCEPTED} one of the
 * record's model id whose {@code effectiveFrom} is not after the record's time (see {@link
 * ModelVersions}): the outcome does not depend on the order in which versions arrive.
 *
 * @param modelId the model's id: the record key under {@code model.scope: key}, {@code shared}
 *     under {@code model.scope: shared}
 * @param version increasing per model id, from 1
 * @param status accepted, rejected candidate, or revoked
 * @param reason why it was rejected or revoked; empty otherwise
 * @param task classification or regression
 * @param classNames class names in output order, as they appeared in the input (empty for
 *     regression)
 * @param architecture kind and shape
 * @param schema inputs and their standardisation
 * @param weights parameter tensors in {@link Architecture#parameterShapes()} order, row-major
 * @param effectiveFrom time or record index from which it serves
 * @param lineage where it came from
 */
public record ModelArtifact(
        String modelId,
        long version,
        ModelStatus status,
        String reason,
        Task task,
        String[] classNames,
        Architecture architecture,
        FeatureSchema schema,
        float[][] weights,
        long effectiveFrom,
        Lineage lineage) implements Serializable {

    private static final long serialVersionUID = 1L;

    public ModelArtifact {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(classNames, "classNames");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(lineage, "lineage");
        if (modelId.isEmpty() || modelId.length() > 1024) {
            throw new IllegalArgumentException("model id must have 1 to 1024 characters");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, got " + version);
        }
        int expectedOutputs = task == Task.CLASSIFICATION ? classNames.length : 1;
        if (task == Task.CLASSIFICATION && classNames.length < 1) {
            throw new IllegalArgumentException("a classifier needs at least one class");
        }
        if (task == Task.REGRESSION && classNames.length != 0) {
            throw new IllegalArgumentException("a regression model has no class names");
        }
        if (architecture.outputs() != expectedOutputs) {
            throw new IllegalArgumentException("architecture has " + architecture.outputs()
                    + " outputs, the task needs " + expectedOutputs);
        }
        if (architecture.inputs() != schema.dimension()) {
            throw new IllegalArgumentException("architecture reads " + architecture.inputs()
                    + " features, the schema has " + schema.dimension());
        }
        int perLag = task == Task.CLASSIFICATION ? classNames.length : 1;
        if (schema.labelInputs() % perLag != 0) {
            throw new IllegalArgumentException("the schema's " + schema.labelInputs()
                    + " label inputs are not a whole number of lags of " + perLag);
        }
        List<int[]> shapes = architecture.parameterShapes();
        if (weights.length != shapes.size()) {
            throw new IllegalArgumentException(architecture + " has " + shapes.size()
                    + " parameter tensors, got " + weights.length);
        }
        for (int i = 0; i < weights.length; i++) {
            int[] s = shapes.get(i);
            if (weights[i] == null || weights[i].length != s[0] * s[1]) {
                throw new IllegalArgumentException("parameter tensor " + i + " must hold " + s[0] + "x" + s[1]
                        + " values, got " + (weights[i] == null ? "none" : weights[i].length));
            }
            for (float w : weights[i]) {
                if (!Float.isFinite(w)) {
                    throw new IllegalArgumentException("parameter tensor " + i + " holds a non-finite weight");
                }
            }
        }
    }

    /**
     * How many of the key's previous labels the model reads after each record's features: the
     * schema's label inputs per class (classification) or one each (regression); 0 for most models.
     */
    public int lags() {
        return schema.labelInputs() / (task == Task.CLASSIFICATION ? classNames.length : 1);
    }

    /** Whether records this artifact serves can be scored by {@code other} and vice versa. */
    public boolean compatibleWith(ModelArtifact other) {
        return task == other.task
                && architecture.sameShape(other.architecture)
                && Arrays.equals(schema.names(), other.schema.names())
                && Arrays.equals(classNames, other.classNames);
    }

    /** A copy with another version, status, reason and effective time. */
    public ModelArtifact republish(long newVersion, ModelStatus newStatus, String newReason, long from,
            Lineage newLineage) {
        return new ModelArtifact(modelId, newVersion, newStatus, newReason, task, classNames, architecture,
                schema, weights, from, newLineage);
    }

    /** A copy marked {@link ModelStatus#REVOKED} with the reason. */
    public ModelArtifact revoked(String why) {
        return new ModelArtifact(modelId, version, ModelStatus.REVOKED, why, task, classNames, architecture,
                schema, weights, effectiveFrom, lineage);
    }

    /** The record key of this version on the models topic: {@code <modelId>@<version>}. */
    public String storeKey() {
        return modelId + "@" + version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelArtifact a
                && modelId.equals(a.modelId)
                && version == a.version
                && status == a.status
                && reason.equals(a.reason)
                && task == a.task
                && Arrays.equals(classNames, a.classNames)
                && architecture.equals(a.architecture)
                && schema.equals(a.schema)
                && Arrays.deepEquals(weights, a.weights)
                && effectiveFrom == a.effectiveFrom
                && lineage.equals(a.lineage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelId, version, status, effectiveFrom);
    }

    @Override
    public String toString() {
        return "ModelArtifact{" + modelId + " v" + version + " " + status.jsonName() + ", " + task.cliName()
                + ", " + architecture + ", from " + effectiveFrom + '}';
    }
}
