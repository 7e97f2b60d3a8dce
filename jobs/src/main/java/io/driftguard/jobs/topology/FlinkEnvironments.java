package io.driftguard.jobs.topology;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Creates execution environments with driftguard's defaults. */
public final class FlinkEnvironments {

    private FlinkEnvironments() {}

    /**
     * Returns the environment of the context (a cluster under {@code flink run}, else local) with
     * generic (Kryo) types disabled, so that a type without a proper serializer fails loudly, and
     * object reuse on: driftguard's functions never keep or modify the records they receive (the
     * sketches copy what they store) and emit fresh objects, so chained operators may pass records
     * by reference instead of copying each one through its serializer.
     */
    public static StreamExecutionEnvironment create(Configuration conf) {
        Configuration c = new Configuration(conf);
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(PipelineOptions.OBJECT_REUSE, true);
        return StreamExecutionEnvironment.getExecutionEnvironment(c);
    }

    /** A local environment for bounded replays: no restarts, so failures surface at once. */
    public static StreamExecutionEnvironment local(Configuration conf, int parallelism) {
        Configuration c = new Configuration(conf);
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(PipelineOptions.OBJECT_REUSE, true);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        c.setString("rest.bind-port", "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, c);
        return env;
    }
}
