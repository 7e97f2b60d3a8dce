package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Local jobs checkpoint to disk: with Flink's default JobManager storage a checkpoint of more than
 * 5 MiB of keyed state fails, and with it the job, which a hundred keys' window sketches reach.
 */
class LocalCheckpointsITCase {

    /** 64 keys of 128 KiB each: 8 MiB of keyed state in the final checkpoint. */
    private static final int KEYS = 64;

    private static final int BYTES_PER_KEY = 128 * 1024;

    @Test
    void localEnvironmentsCheckpointToATemporaryDirectory() {
        Configuration c = new Configuration();
        var local = FlinkEnvironments.local(c, 1).getConfiguration();
        assertThat(local.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        Path dir = Path.of(java.net.URI.create(local.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)));
        assertThat(Files.isDirectory(dir)).isTrue();
        assertThat(FlinkEnvironments.create(c).getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(local.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
        // a configured directory is kept
        Configuration own = new Configuration();
        own.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "file:///var/tmp/own-checkpoints");
        assertThat(FlinkEnvironments.local(own, 1).getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file:///var/tmp/own-checkpoints");
        // also under the keys of Flink 1.x configuration files
        Configuration old = new Configuration();
        old.setString("state.checkpoints.dir", "file:///var/tmp/old-checkpoints");
        assertThat(FlinkEnvironments.hasCheckpointStorage(old)).isTrue();
        Configuration storage = new Configuration();
        storage.setString("state.checkpoint-storage", "jobmanager");
        assertThat(FlinkEnvironments.hasCheckpointStorage(storage)).isTrue();
        assertThat(FlinkEnvironments.hasCheckpointStorage(new Configuration())).isFalse();
    }

    @Test
    void largeKeyedStateCheckpointsLocally() throws Exception {
        StreamExecutionEnvironment env = FlinkEnvironments.local(checkpointing(), 1);
        build(env);
        assertThat(env.execute("large state").getNetRuntime()).isPositive();
    }

    @Test
    void largeKeyedStateFailsWithTheJobManagerStorage() {
        // the control: what a local job without a checkpoint directory did before
        Configuration c = checkpointing();
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "jobmanager");
        StreamExecutionEnvironment env = FlinkEnvironments.local(c, 1);
        build(env);
        assertThatThrownBy(() -> env.execute("large state in memory")).hasStackTraceContaining("Asynchronous task checkpoint failed");
    }

    private static Configuration checkpointing() {
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        return c;
    }

    private static void build(StreamExecutionEnvironment env) {
        env.fromSequence(0, KEYS - 1)
                .keyBy(v -> v, Types.LONG)
                .process(new Hold())
                .sinkTo(new org.apache.flink.api.connector.sink2.Sink<Long>() {
                    @Override
                    public org.apache.flink.api.connector.sink2.SinkWriter<Long> createWriter(
                            org.apache.flink.api.connector.sink2.WriterInitContext context) {
                        return new org.apache.flink.api.connector.sink2.SinkWriter<>() {
                            @Override
                            public void write(Long element, Context ctx) {}

                            @Override
                            public void flush(boolean endOfInput) {}

                            @Override
                            public void close() {}
                        };
                    }
                });
    }

    /** Keeps a large byte array per key, as the window sketches do. */
    static final class Hold extends KeyedProcessFunction<Long, Long, Long> {
        private transient ValueState<byte[]> held;

        @Override
        public void open(OpenContext ctx) {
            held = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("held", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        }

        @Override
        public void processElement(Long v, Context ctx, Collector<Long> out) throws Exception {
            byte[] b = new byte[BYTES_PER_KEY];
            java.util.Arrays.fill(b, (byte) v.longValue());
            held.update(b);
            out.collect(v);
        }
    }
}
