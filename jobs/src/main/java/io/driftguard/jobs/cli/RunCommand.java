package io.driftguard.jobs.cli;

import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.topology.FlinkEnvironments;
import io.driftguard.jobs.topology.KafkaDriftJob;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the streaming drift job against Kafka (locally, or on a cluster under {@code flink run}). */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the streaming drift job against Kafka.",
            "Locally it starts an embedded Flink; under `flink run` the same main class submits to the cluster.",
            "With execution.checkpointing.dir set, checkpoints are retained on cancellation and a new run",
            "resumes from the newest completed checkpoint in that directory (unless --fresh or",
            "execution.state-recovery.path is given)."
        })
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    /** The file Flink writes last into a checkpoint directory: its presence marks it complete. */
    private static final String METADATA = "_metadata";

    @Option(names = "--config", required = true, description = "YAML configuration (kafka.*, drift.* and Flink keys).")
    Path config;

    @Option(names = "--bootstrap-servers", description = "Overrides kafka.bootstrap-servers.")
    String bootstrapServers;

    @Option(names = "--fresh", description = "Start from scratch even when the checkpoint directory holds checkpoints.")
    boolean fresh;

    @Mixin DriftOptionsMixin drift;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = drift.toConfig();
        if (bootstrapServers != null) {
            overrides.put("kafka.bootstrap-servers", bootstrapServers);
        }
        Configuration conf = JobConfig.build(JobConfig.readYaml(config), overrides);
        JobConfig.driftSettings(conf); // validate before anything starts
        JobConfig.modelSettings(conf);
        if (!conf.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(30));
        }
        resumeFromLatestCheckpoint(conf, fresh);
        LOG.info("driftguard run: configuration {}", JobConfig.masked(conf));
        StreamExecutionEnvironment env = FlinkEnvironments.create(conf);
        KafkaDriftJob.build(env, conf);
        env.execute("driftguard drift job");
        return 0;
    }

    /**
     * With a checkpoint directory configured: keeps checkpoints on cancellation (unless configured
     * otherwise) and, unless {@code fresh} or a restore path is set, restores the newest completed
     * checkpoint found there. Returns the checkpoint restored from, if any.
     */
    static Optional<String> resumeFromLatestCheckpoint(Configuration conf, boolean fresh) throws IOException {
        if (!conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            return Optional.empty();
        }
        if (!conf.contains(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION)) {
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (fresh || conf.contains(StateRecoveryOptions.SAVEPOINT_PATH)) {
            return Optional.empty();
        }
        String dir = conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        Optional<String> latest = latestCheckpoint(dir);
        if (latest.isPresent()) {
            LOG.info("Resuming from checkpoint {} (the newest completed one in {}; --fresh starts over)",
                    latest.get(), dir);
            System.err.println("driftguard run: resuming from checkpoint " + latest.get());
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, latest.get());
        } else {
            LOG.info("No completed checkpoint in {}: starting fresh", dir);
        }
        return latest;
    }

    /**
     * The newest completed checkpoint under a checkpoint directory, laid out by Flink as {@code
     * <dir>/<job id>/chk-<n>/_metadata} (a job directory itself is accepted too). Newest means the
     * latest written metadata, then the highest checkpoint number; a checkpoint whose metadata does
     * not load (cut off by a crash while it was written) is skipped.
     */
    static Optional<String> latestCheckpoint(String directory) throws IOException {
        org.apache.flink.core.fs.Path root = new org.apache.flink.core.fs.Path(directory);
        FileSystem fs = root.getFileSystem();
        if (!fs.exists(root)) {
            return Optional.empty();
        }
        List<Candidate> found = new ArrayList<>();
        collect(fs, root, found);
        FileStatus[] jobs = fs.listStatus(root);
        if (jobs != null) {
            for (FileStatus job : jobs) {
                if (job.isDir() && !job.getPath().getName().startsWith("chk-")) {
                    collect(fs, job.getPath(), found);
                }
            }
        }
        found.sort(Comparator.comparingLong(Candidate::modified).thenComparingLong(Candidate::number).reversed());
        for (Candidate c : found) {
            if (loads(fs, c)) {
                return Optional.of(c.dir().toString());
            }
            LOG.warn("Checkpoint {} has unreadable metadata; trying an older one", c.dir());
        }
        return Optional.empty();
    }

    private record Candidate(org.apache.flink.core.fs.Path dir, long number, long modified) {}

    private static void collect(FileSystem fs, org.apache.flink.core.fs.Path jobDir, List<Candidate> out)
            throws IOException {
        FileStatus[] children = fs.listStatus(jobDir);
        if (children == null) {
            return;
        }
        for (FileStatus s : children) {
            String name = s.getPath().getName();
            if (!s.isDir() || !name.startsWith("chk-")) {
                continue;
            }
            long n;
            try {
                n = Long.parseLong(name.substring(4));
            } catch (NumberFormatException e) {
                continue;
            }
            org.apache.flink.core.fs.Path meta = new org.apache.flink.core.fs.Path(s.getPath(), METADATA);
            if (fs.exists(meta)) {
                out.add(new Candidate(s.getPath(), n, fs.getFileStatus(meta).getModificationTime()));
            }
        }
    }

    private static boolean loads(FileSystem fs, Candidate c) {
        try (DataInputStream in = new DataInputStream(fs.open(new org.apache.flink.core.fs.Path(c.dir(), METADATA)))) {
            Checkpoints.loadCheckpointMetadata(in, RunCommand.class.getClassLoader(), c.dir().toString());
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
