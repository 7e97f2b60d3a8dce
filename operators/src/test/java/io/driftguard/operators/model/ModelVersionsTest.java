package io.driftguard.operators.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelVersionsTest {

    private static ModelArtifact v(long version, long from) {
        return ModelCodecTest.artifact(ModelKind.LINEAR, version, from);
    }

    /** The rule, written independently: highest accepted non-revoked version with from <= ts. */
    private static long expected(List<ModelArtifact> offered, long ts) {
        long best = -1;
        for (ModelArtifact a : offered) {
            boolean revoked = offered.stream().anyMatch(o -> o.version() == a.version() && o.status() == ModelStatus.REVOKED);
            if (a.status() == ModelStatus.ACCEPTED && !revoked && a.effectiveFrom() <= ts && a.version() > best) {
                best = a.version();
            }
        }
        return best;
    }

    @Test
    void servingVersionDoesNotDependOnArrivalOrder() {
        List<ModelArtifact> all = new ArrayList<>();
        all.add(v(1, 0));
        all.add(v(2, 100));
        all.add(v(3, 50)); // a later version effective earlier (a rollback published with an old time)
        all.add(v(4, 300));
        all.add(v(4, 300).revoked("bad"));
        ModelArtifact rejected = v(5, 200);
        all.add(rejected.republish(5, ModelStatus.REJECTED, "lost", 200, rejected.lineage()));
        Random rnd = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            List<ModelArtifact> order = new ArrayList<>(all);
            Collections.shuffle(order, rnd);
            ModelVersions mv = new ModelVersions();
            order.forEach(mv::offer);
            for (long ts : new long[] {-1, 0, 49, 50, 99, 100, 250, 300, 1000}) {
                ModelArtifact s = mv.serving(ts);
                assertThat(s == null ? -1 : s.version()).as("ts %s order %s", ts, order).isEqualTo(expected(all, ts));
            }
            assertThat(mv.maxVersion()).isEqualTo(5);
        }
    }

    @Test
    void staleConflictIsRefusedAndRepeatsAreIgnored() {
        ModelVersions mv = new ModelVersions();
        assertThat(mv.offer(v(2, 0))).isEqualTo(ModelVersions.Outcome.ADDED);
        assertThat(mv.offer(v(2, 0))).isEqualTo(ModelVersions.Outcome.DUPLICATE);
        ModelArtifact other = ModelCodecTest.artifact(ModelKind.LINEAR, 9, 0).republish(2, ModelStatus.ACCEPTED, "", 0,
                v(2, 0).lineage());
        assertThat(mv.offer(other)).isEqualTo(ModelVersions.Outcome.REJECTED);
        assertThat(mv.lastRejection()).contains("stale");
        assertThat(mv.serving(10).weights()).isEqualTo(v(2, 0).weights());
    }

    @Test
    void anotherDimensionIsIncompatible() {
        ModelVersions mv = new ModelVersions();
        mv.offer(v(1, 0));
        Architecture arch = new Architecture(ModelKind.LINEAR, 2, new int[0], 2, 1);
        FeatureSchema s = new FeatureSchema(new String[] {"a", "b"}, new double[2], new double[] {1, 1}, 0, 1);
        ModelArtifact wide = new ModelArtifact("k", 2, ModelStatus.ACCEPTED, "", Task.CLASSIFICATION,
                new String[] {"UP", "DOWN"}, arch, s, Predictor.initialWeights(arch, 1), 0, v(1, 0).lineage());
        assertThat(mv.offer(wide)).isEqualTo(ModelVersions.Outcome.REJECTED);
        assertThat(mv.lastRejection()).contains("incompatible");
        assertThat(mv.serving(5).version()).isEqualTo(1);
    }
}
