package io.driftguard.connectors.model;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.FeatureSchema;
import io.driftguard.operators.model.Lineage;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.Trigger;

/** Small artifacts for store tests. */
final class TestModels {

    static final Architecture MLP = new Architecture(ModelKind.MLP, 3, new int[] {4}, 2, 1);

    private TestModels() {}

    /** A 3-feature, 2-class feed-forward model with seeded weights. */
    static ModelArtifact mlp(String modelId, long version, long seed) {
        FeatureSchema schema = new FeatureSchema(new String[] {"temp", "load", "rpm"},
                new double[] {0.5, 10, 1500}, new double[] {1, 2, 100}, 0, 1);
        Lineage lineage = new Lineage(version - 1, version == 1 ? Trigger.INITIAL : Trigger.DRIFT,
                version == 1 ? -1 : 1000 * version, version == 1 ? -1 : 1000 * version + 500,
                version == 1 ? "initial" : "retrain", 0, 999, 1000, 0.1, version == 1 ? Double.NaN : 0.2,
                seed, 1_700_000_000_000L + version, 12, 5);
        return new ModelArtifact(modelId, version, ModelStatus.ACCEPTED, "", Task.CLASSIFICATION,
                new String[] {"DOWN", "UP"}, MLP, schema, Predictor.initialWeights(MLP, seed),
                1000 * version, lineage);
    }

    /** The same artifact with another status and reason. */
    static ModelArtifact withStatus(ModelArtifact a, ModelStatus status, String reason) {
        return new ModelArtifact(a.modelId(), a.version(), status, reason, a.task(), a.classNames(),
                a.architecture(), a.schema(), a.weights(), a.effectiveFrom(), a.lineage());
    }
}
