package io.driftguard.jobs.cli;

import io.driftguard.connectors.model.DirectoryModelStore;
import io.driftguard.connectors.model.KafkaModelStore;
import io.driftguard.connectors.model.ModelJson;
import io.driftguard.connectors.model.ModelStore;
import io.driftguard.connectors.serde.Timestamps;
import io.driftguard.operators.model.Lineage;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.model.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code driftguard model list|show|rollback|revoke}: the published versions of deployed models,
 * read from a model directory ({@code --dir}) or the compacted models topic ({@code
 * --bootstrap-servers}).
 */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = {
            "Lists, shows, rolls back and revokes published model versions.",
            "Reads a model directory (--dir) or the compacted models topic (--bootstrap-servers)."
        },
        subcommands = {
            ModelCommand.ListVersions.class,
            ModelCommand.Show.class,
            ModelCommand.Rollback.class,
            ModelCommand.Revoke.class
        })
final class ModelCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the versions are: a directory or a topic. */
    static final class Source {

        @Option(names = "--dir", paramLabel = "DIR", description = "A model directory (as written under replay).")
        Path dir;

        @Option(names = "--bootstrap-servers", paramLabel = "B", description = "Kafka bootstrap servers.")
        String bootstrapServers;

        @Option(names = "--topic", paramLabel = "T",
                description = "The models topic (default: ${DEFAULT-VALUE}).")
        String topic = KafkaModelStore.DEFAULT_TOPIC;

        @Option(names = {"-D", "--client"}, paramLabel = "KEY=VALUE",
                description = "A Kafka client property, e.g. -D security.protocol=SASL_SSL.")
        Map<String, String> clientProps = new LinkedHashMap<>();

        @Option(names = "--timeout", paramLabel = "SECONDS",
                description = "Limit for reading the topic and for a publish (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds = 30;

        ModelStore open() {
            if ((dir == null) == (bootstrapServers == null)) {
                throw new UserError("give exactly one of --dir and --bootstrap-servers");
            }
            if (dir != null) {
                if (!Files.isDirectory(dir)) {
                    throw new UserError("no model directory " + dir);
                }
                return new DirectoryModelStore(dir);
            }
            if (timeoutSeconds < 1) {
                throw new UserError("--timeout must be at least 1 second");
            }
            Properties p = new Properties();
            p.putAll(clientProps);
            p.put("bootstrap.servers", bootstrapServers);
            return new KafkaModelStore(p, topic, Duration.ofSeconds(timeoutSeconds));
        }

        String describe() {
            return dir != null ? dir.toString() : "topic " + topic + " at " + bootstrapServers;
        }

        /** Lists the store, warning on stderr about every entry it skipped. */
        List<ModelArtifact> list(ModelStore store) {
            List<ModelArtifact> all;
            try {
                all = store.list();
            } catch (RuntimeException e) {
                throw new UserError("cannot read models from " + describe() + ": " + e.getMessage(), e);
            }
            for (String r : store.rejected()) {
                System.err.println("warning: skipped " + r);
            }
            return all;
        }

        List<ModelArtifact> versions(ModelStore store, String modelId) {
            List<ModelArtifact> out = list(store).stream().filter(a -> a.modelId().equals(modelId)).toList();
            if (out.isEmpty()) {
                throw new UserError("no versions of model " + modelId + " in " + describe());
            }
            return out;
        }

        ModelArtifact version(ModelStore store, String modelId, long version) {
            List<ModelArtifact> all = versions(store, modelId);
            Optional<ModelArtifact> a = all.stream().filter(m -> m.version() == version).findFirst();
            if (a.isEmpty()) {
                throw new UserError("model " + modelId + " has no version " + version + " in " + describe()
                        + " (it has " + versionList(all) + ")");
            }
            return a.get();
        }

        void publish(ModelStore store, ModelArtifact a) {
            try {
                store.publish(a);
            } catch (IllegalStateException e) {
                throw new UserError(e.getMessage(), e);
            }
        }

        private static String versionList(List<ModelArtifact> all) {
            StringBuilder sb = new StringBuilder();
            int shown = 0;
            for (ModelArtifact m : all) {
                if (shown++ == 20) {
                    sb.append(", ...");
                    break;
                }
                sb.append(sb.length() == 0 ? "" : ", ").append(m.version());
            }
            return sb.toString();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Prints one JSON line of metadata per version, ordered by model id and version.")
    static final class ListVersions implements Callable<Integer> {

        @Mixin Source source;

        @Option(names = "--model-id", paramLabel = "ID", description = "Only this model's versions.")
        String modelId;

        @Override
        public Integer call() {
            try (ModelStore store = source.open()) {
                for (ModelArtifact a : source.list(store)) {
                    if (modelId == null || a.modelId().equals(modelId)) {
                        System.out.println(ModelJson.toJson(a));
                    }
                }
            }
            System.out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints a version's metadata as indented JSON (default: the newest version).")
    static final class Show implements Callable<Integer> {

        @Mixin Source source;

        @Option(names = "--model-id", required = true, paramLabel = "ID", description = "The model id.")
        String modelId;

        @Option(names = "--version", paramLabel = "V", description = "The version (default: the newest).")
        Long version;

        @Override
        public Integer call() {
            try (ModelStore store = source.open()) {
                ModelArtifact a;
                if (version == null) {
                    List<ModelArtifact> all = source.versions(store, modelId);
                    a = all.get(all.size() - 1);
                } else {
                    a = source.version(store, modelId, version);
                }
                System.out.println(ModelJson.toPrettyJson(a));
            }
            System.out.flush();
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {
                "Publishes an earlier version's weights as a new version and prints its metadata.",
                "The new version is the newest + 1, accepted, with lineage parent = that version, trigger",
                "manual and strategy rollback, effective from now. Refuses a version that does not exist,",
                "was rejected or (without --allow-revoked) was revoked."
            })
    static final class Rollback implements Callable<Integer> {

        @Mixin Source source;

        @Option(names = "--model-id", required = true, paramLabel = "ID", description = "The model id.")
        String modelId;

        @Option(names = "--to-version", required = true, paramLabel = "V",
                description = "The version whose weights serve again.")
        long toVersion;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded in the new version.")
        String reason = "";

        @Option(names = "--effective-from", paramLabel = "T",
                description = "Epoch ms, ISO-8601 time or record index from which the new version serves "
                        + "(default: now).")
        String effectiveFrom;

        @Option(names = "--allow-revoked", description = "Also roll back to a revoked version.")
        boolean allowRevoked;

        @Override
        public Integer call() {
            long from = parseTime(effectiveFrom);
            long now = System.currentTimeMillis();
            try (ModelStore store = source.open()) {
                ModelArtifact src = source.version(store, modelId, toVersion);
                if (src.status() == ModelStatus.REJECTED) {
                    throw new UserError("version " + toVersion + " of model " + modelId + " was rejected"
                            + because(src) + "; it never served");
                }
                if (src.status() == ModelStatus.REVOKED && !allowRevoked) {
                    throw new UserError("version " + toVersion + " of model " + modelId + " was revoked"
                            + because(src) + "; add --allow-revoked to serve it again");
                }
                long next = store.nextVersion(modelId);
                Lineage l = src.lineage();
                Lineage lineage = new Lineage(src.version(), Trigger.MANUAL, -1, -1, "rollback", l.trainFrom(),
                        l.trainTo(), l.trainRecords(), l.candidateMetric(), l.parentMetric(), l.seed(), now, 0,
                        l.epochs());
                ModelArtifact rolled = src.republish(next, ModelStatus.ACCEPTED, reason, from < 0 ? now : from,
                        lineage);
                source.publish(store, rolled);
                System.out.println(ModelJson.toPrettyJson(rolled));
            }
            System.out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Publishes the revoked form of a version: it no longer serves; prints its metadata.")
    static final class Revoke implements Callable<Integer> {

        @Mixin Source source;

        @Option(names = "--model-id", required = true, paramLabel = "ID", description = "The model id.")
        String modelId;

        @Option(names = "--version", required = true, paramLabel = "V", description = "The version to revoke.")
        long version;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (default: ${DEFAULT-VALUE}).")
        String reason = "revoked by hand";

        @Override
        public Integer call() {
            try (ModelStore store = source.open()) {
                ModelArtifact a = source.version(store, modelId, version);
                if (a.status() != ModelStatus.ACCEPTED) {
                    throw new UserError("version " + version + " of model " + modelId + " is "
                            + a.status().jsonName() + because(a) + ", not accepted");
                }
                ModelArtifact revoked = a.revoked(reason);
                source.publish(store, revoked);
                System.out.println(ModelJson.toPrettyJson(revoked));
            }
            System.out.flush();
            return 0;
        }
    }

    private static String because(ModelArtifact a) {
        return a.reason().isEmpty() ? "" : " (" + a.reason() + ")";
    }

    /** Epoch ms, an ISO-8601 time or a record index; -1 when absent. */
    private static long parseTime(String text) {
        if (text == null) {
            return -1;
        }
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError("--effective-from: " + e.getMessage(), e);
        }
    }
}
