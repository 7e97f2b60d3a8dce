package io.driftguard.jobs.topology;

import io.driftguard.jobs.runtime.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates execution environments with driftguard's defaults. */
public final class FlinkEnvironments {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkEnvironments.class);

    private static Path localCheckpoints;

    private FlinkEnvironments() {}

    /**
     * Returns the environment of the context (a cluster under {@code flink run}, else local) with
     * generic (Kryo) types disabled, so that a type without a proper serializer fails loudly, and
     * object reuse on: driftguard's functions never keep or modify the records they receive (the
     * sketches copy what they store) and emit fresh objects, so chained operators may pass records
     * by reference instead of copying each one through its serializer.
     *
     * <p>Run locally without a checkpoint directory, the job checkpoints to a temporary directory
     * (see {@link #withLocalCheckpoints}) and says so in a warning; under {@code flink run} the
     * cluster's checkpoint configuration applies.
     */
    public static StreamExecutionEnvironment create(Configuration conf) {
        Configuration c = new Configuration(conf);
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(PipelineOptions.OBJECT_REUSE, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        if (env instanceof LocalStreamEnvironment && !hasCheckpointStorage(c)) {
            Configuration local = withLocalCheckpoints(c);
            LOG.warn("No checkpoint directory configured: checkpoints go to {} on local disk and are removed"
                            + " when the process exits. Set {} to keep them.",
                    local.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY),
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY.key());
            return StreamExecutionEnvironment.createLocalEnvironment(local);
        }
        return env;
    }

    /**
     * A local environment for bounded replays and the demo: no restarts, so failures surface at
     * once, and checkpoints (when enabled) to a temporary directory unless one is configured.
     */
    public static StreamExecutionEnvironment local(Configuration conf, int parallelism) {
        Configuration c = hasCheckpointStorage(conf) ? new Configuration(conf) : withLocalCheckpoints(conf);
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(PipelineOptions.OBJECT_REUSE, true);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        c.setString("rest.bind-port", "0");
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, c);
    }

    /** Whether the configuration names a checkpoint storage or directory. */
    static boolean hasCheckpointStorage(Configuration conf) {
        return conf.contains(CheckpointingOptions.CHECKPOINT_STORAGE)
                || conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
    }

    /**
     * {@code conf} with filesystem checkpoint storage in this process's temporary directory. Flink's
     * default without a directory keeps checkpoints in the JobManager's memory and fails every
     * checkpoint whose state exceeds 5 MiB: about 50 keys' window sketches (some 50 KB each, plus the
     * reference window and recent embeddings). The directory is removed when the JVM exits.
     */
    static Configuration withLocalCheckpoints(Configuration conf) {
        Configuration c = new Configuration(conf);
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, localCheckpointDirectory().toUri().toString());
        return c;
    }

    private static synchronized Path localCheckpointDirectory() {
        if (localCheckpoints == null) {
            try {
                Path dir = Files.createTempDirectory("driftguard-checkpoints");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "driftguard-checkpoints-cleanup"));
                localCheckpoints = dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a local checkpoint directory", e);
            }
        }
        return localCheckpoints;
    }

    private static void deleteTree(Path dir) {
        try {
            Directories.deleteTree(dir);
        } catch (IOException e) {
            // best effort at exit: a leftover temporary directory is harmless
        }
    }
}
