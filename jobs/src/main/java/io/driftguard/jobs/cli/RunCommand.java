package io.driftguard.jobs.cli;

import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.topology.FlinkEnvironments;
import io.driftguard.jobs.topology.KafkaDriftJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the streaming drift job against Kafka (locally, or on a cluster under {@code flink run}). */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the streaming drift job against Kafka.",
            "Locally it starts an embedded Flink; under `flink run` the same main class submits to the cluster."
        })
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "YAML configuration (kafka.*, drift.* and Flink keys).")
    Path config;

    @Option(names = "--bootstrap-servers", description = "Overrides kafka.bootstrap-servers.")
    String bootstrapServers;

    @Mixin DriftOptionsMixin drift;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = drift.toConfig();
        if (bootstrapServers != null) {
            overrides.put("kafka.bootstrap-servers", bootstrapServers);
        }
        Configuration conf = JobConfig.build(JobConfig.readYaml(config), overrides);
        JobConfig.driftSettings(conf); // validate before anything starts
        if (!conf.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(30));
        }
        StreamExecutionEnvironment env = FlinkEnvironments.create(conf);
        KafkaDriftJob.build(env, conf);
        env.execute("driftguard drift job");
        return 0;
    }
}
