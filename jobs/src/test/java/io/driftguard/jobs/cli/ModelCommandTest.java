package io.driftguard.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.connectors.model.DirectoryModelStore;
import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.FeatureSchema;
import io.driftguard.operators.model.Lineage;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code driftguard model list|show|rollback|revoke} on a model directory, through the CLI entry point. */
class ModelCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final Architecture MLP = new Architecture(ModelKind.MLP, 2, new int[] {3}, 2, 1);

    @TempDir Path dir;

    /** A 2-feature, 2-class feed-forward model with seeded weights. */
    static ModelArtifact model(String id, long version, ModelStatus status, String reason, long seed) {
        FeatureSchema schema = new FeatureSchema(new String[] {"temp", "load"}, new double[] {0, 0},
                new double[] {1, 1}, 0, 1);
        Lineage lineage = new Lineage(version - 1, version == 1 ? Trigger.INITIAL : Trigger.DRIFT, 100 * version,
                100 * version + 50, version == 1 ? "initial" : "retrain", 0, 99, 100, 0.2, 0.3, seed,
                1_000 + version, 7, 4);
        return new ModelArtifact(id, version, status, reason, Task.CLASSIFICATION, new String[] {"a", "b"}, MLP,
                schema, Predictor.initialWeights(MLP, seed), 100 * version, lineage);
    }

    private DirectoryModelStore threeVersions() {
        DirectoryModelStore store = new DirectoryModelStore(dir);
        store.publish(model("pump-1", 1, ModelStatus.ACCEPTED, "", 11));
        store.publish(model("pump-1", 2, ModelStatus.ACCEPTED, "", 12));
        store.publish(model("pump-1", 3, ModelStatus.REJECTED, "lost to v2 by 0.04", 13));
        store.publish(model("pump-2", 1, ModelStatus.ACCEPTED, "", 21));
        return store;
    }

    @Test
    void listPrintsOneJsonLinePerVersionInOrder() throws Exception {
        threeVersions();
        CliRun.Outcome o = CliRun.run("model", "list", "--dir", dir.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).isEmpty();
        List<String> lines = o.outLines();
        assertThat(lines).hasSize(4);
        List<String> ids = lines.stream().map(l -> json(l).get("model_id").asText() + "@" + json(l).get("version").asLong())
                .toList();
        assertThat(ids).containsExactly("pump-1@1", "pump-1@2", "pump-1@3", "pump-2@1");
        assertThat(json(lines.get(2)).get("status").asText()).isEqualTo("rejected");
        assertThat(json(lines.get(2)).get("reason").asText()).isEqualTo("lost to v2 by 0.04");

        CliRun.Outcome one = CliRun.run("model", "list", "--dir", dir.toString(), "--model-id", "pump-2");
        assertThat(one.code()).isZero();
        assertThat(one.outLines()).singleElement().satisfies(l -> assertThat(json(l).get("model_id").asText())
                .isEqualTo("pump-2"));
    }

    @Test
    void listWarnsAboutCorruptFilesAndKeepsGoing() throws Exception {
        threeVersions();
        Files.write(dir.resolve("pump-1/v0000000004.dgm"), new byte[] {'D', 'G', 'M', 'V', 1, 0, 0, 0, 0, 0, 0, 0, 0});
        CliRun.Outcome o = CliRun.run("model", "list", "--dir", dir.toString());
        assertThat(o.code()).isZero();
        assertThat(o.outLines()).hasSize(4);
        assertThat(o.errLines()).singleElement().asString()
                .startsWith("warning: skipped pump-1/v0000000004.dgm: corrupt model record");
    }

    @Test
    void showPrintsTheNewestVersionOrTheOneAsked() throws Exception {
        threeVersions();
        CliRun.Outcome newest = CliRun.run("model", "show", "--dir", dir.toString(), "--model-id", "pump-1");
        assertThat(newest.code()).as(newest.err()).isZero();
        assertThat(newest.outLines().size()).isGreaterThan(10);
        JsonNode j = json(newest.out());
        assertThat(j.get("version").asLong()).isEqualTo(3);
        assertThat(j.get("lineage").get("strategy").asText()).isEqualTo("retrain");
        assertThat(j.has("weights")).isFalse();

        CliRun.Outcome v1 = CliRun.run("model", "show", "--dir", dir.toString(), "--model-id", "pump-1", "--version", "1");
        assertThat(v1.code()).isZero();
        assertThat(json(v1.out()).get("lineage").get("trigger").asText()).isEqualTo("initial");

        assertThat(CliRun.run("model", "show", "--dir", dir.toString(), "--model-id", "pump-1",
                "--version", "9").usageError()).contains("model pump-1 has no version 9").contains("1, 2, 3");
        assertThat(CliRun.run("model", "show", "--dir", dir.toString(), "--model-id", "nope").usageError())
                .contains("no versions of model nope");
    }

    @Test
    void rollbackPublishesTheOldWeightsAsANewVersion() throws Exception {
        DirectoryModelStore store = threeVersions();
        long before = System.currentTimeMillis();
        CliRun.Outcome o = CliRun.run("model", "rollback", "--dir", dir.toString(), "--model-id", "pump-1", "--to-version", "1",
                "--reason", "v2 misbehaves");
        long after = System.currentTimeMillis();
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode j = json(o.out());
        assertThat(j.get("version").asLong()).isEqualTo(4);
        assertThat(j.get("status").asText()).isEqualTo("accepted");
        assertThat(j.get("reason").asText()).isEqualTo("v2 misbehaves");
        assertThat(j.get("lineage").get("parent_version").asLong()).isEqualTo(1);
        assertThat(j.get("lineage").get("trigger").asText()).isEqualTo("manual");
        assertThat(j.get("lineage").get("strategy").asText()).isEqualTo("rollback");
        assertThat(j.get("effective_from").asLong()).isBetween(before, after);

        ModelArtifact v1 = store.find("pump-1", 1).orElseThrow();
        ModelArtifact v4 = store.find("pump-1", 4).orElseThrow();
        assertThat(v4.weights()).isDeepEqualTo(v1.weights());
        assertThat(v4.schema()).isEqualTo(v1.schema());
        assertThat(v4.compatibleWith(v1)).isTrue();
        assertThat(v4.lineage().trainRecords()).isEqualTo(v1.lineage().trainRecords());
        assertThat(store.list("pump-1")).hasSize(4);
        assertThat(dir.resolve("pump-1/v0000000004.dgm")).isRegularFile();

        CliRun.Outcome at = CliRun.run("model", "rollback", "--dir", dir.toString(), "--model-id", "pump-1", "--to-version", "2",
                "--effective-from", "5000");
        assertThat(at.code()).as(at.err()).isZero();
        assertThat(json(at.out()).get("version").asLong()).isEqualTo(5);
        assertThat(json(at.out()).get("effective_from").asLong()).isEqualTo(5000);
        assertThat(json(at.out()).get("lineage").get("parent_version").asLong()).isEqualTo(2);
    }

    @Test
    void rollbackRefusesMissingRejectedAndRevokedVersions() throws Exception {
        DirectoryModelStore store = threeVersions();
        String missing = CliRun.run("model", "rollback", "--dir", dir.toString(), "--model-id", "pump-1",
                "--to-version", "7").usageError();
        assertThat(missing).startsWith("driftguard model rollback: ").contains("has no version 7");
        String rejected = CliRun.run("model", "rollback", "--dir", dir.toString(), "--model-id", "pump-1",
                "--to-version", "3").usageError();
        assertThat(rejected).contains("was rejected (lost to v2 by 0.04)");
        assertThat(CliRun.run("model", "rollback", "--dir", dir.toString(), "--model-id", "pump-9",
                "--to-version", "1").usageError()).contains("no versions of model pump-9");
        assertThat(CliRun.run("model", "rollback", "--dir", dir.resolve("absent").toString(),
                "--model-id", "pump-1", "--to-version", "1").usageError()).contains("no model directory");
        assertThat(store.list("pump-1")).hasSize(3);

        CliRun.Outcome revoke = CliRun.run("model", "revoke", "--dir", dir.toString(), "--model-id", "pump-1", "--version", "2",
                "--reason", "bad labels");
        assertThat(revoke.code()).as(revoke.err()).isZero();
        assertThat(json(revoke.out()).get("status").asText()).isEqualTo("revoked");
        assertThat(store.find("pump-1", 2).orElseThrow().status()).isEqualTo(ModelStatus.REVOKED);
        assertThat(dir.resolve("pump-1/v0000000002.revoked.dgm")).isRegularFile();
        assertThat(CliRun.run("model", "revoke", "--dir", dir.toString(), "--model-id", "pump-1",
                "--version", "2").usageError()).contains("is revoked (bad labels), not accepted");
        assertThat(CliRun.run("model", "rollback", "--dir", dir.toString(), "--model-id", "pump-1",
                "--to-version", "2").usageError()).contains("was revoked (bad labels)").contains("--allow-revoked");
        CliRun.Outcome allowed = CliRun.run("model", "rollback", "--dir", dir.toString(), "--model-id", "pump-1", "--to-version",
                "2", "--allow-revoked");
        assertThat(allowed.code()).as(allowed.err()).isZero();
        assertThat(json(allowed.out()).get("version").asLong()).isEqualTo(4);
    }

    @Test
    void badSourcesAreOneLineUsageErrors() {
        assertThat(CliRun.run("model", "list").usageError()).contains("exactly one of --dir and --bootstrap-servers");
        assertThat(CliRun.run("model", "list", "--dir", dir.toString(), "--bootstrap-servers", "x:1").usageError())
                .contains("exactly one of");
        CliRun.run("model", "show", "--dir", dir.toString()).usageError();
        CliRun.run("model", "rollback", "--dir", dir.toString(), "--model-id", "m", "--to-version", "x").usageError();
        assertThat(CliRun.run("model", "rollback", "--dir", dir.toString(), "--model-id", "m",
                "--to-version", "1", "--effective-from", "yesterday").usageError()).contains("--effective-from");
    }

    @Test
    void helpListsTheSubcommands() {
        CliRun.Outcome o = CliRun.run("model", "--help");
        assertThat(o.code()).isZero();
        for (String sub : List.of("list", "show", "rollback", "revoke")) {
            assertThat(o.out()).containsPattern("(?m)^\\s+" + sub + "\\s");
        }
        assertThat(CliRun.run("--help").out()).containsPattern("(?m)^\\s+model\\s");
        // the command lists show the first line of each description: a whole sentence
        picocli.CommandLine model = DriftguardCli.newCommandLine().getSubcommands().get("model");
        assertThat(model.getCommandSpec().usageMessage().description()[0]).endsWith(".");
        for (picocli.CommandLine c : model.getSubcommands().values()) {
            assertThat(c.getCommandSpec().usageMessage().description()[0]).as(c.getCommandName()).endsWith(".");
        }
    }

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
