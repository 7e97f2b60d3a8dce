package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.runtime.KafkaBroker;
import io.driftguard.operators.model.Lineage;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Kafka job with a model, as the end-to-end failure tests run it: topics {@code
 * <prefix>.<name>.in|drift|predictions|models|dlq}, model versions exactly-once, {@code previous}
 * windows, a classifier trained once per key ({@code model.adapt: none}), checkpoints every 300
 * ms; and its committed outputs, read back in a form two runs can be compared in.
 */
final class ModelJobRun {

    private static final ObjectMapper OM = new ObjectMapper();

    /**
     * The committed outputs of a run, each sorted: drift events without their prequential fields,
     * predictions as {@code key@ts}, model versions as {@code id vN status trigger from..to n= seed=}.
     */
    record Outputs(List<String> events, List<String> predictions, List<String> versions) {}

    private final KafkaBroker kafka;
    private final String topic;

    ModelJobRun(KafkaBroker kafka, String prefix, String name) {
        this.kafka = kafka;
        this.topic = prefix + "." + name;
    }

    String input() {
        return topic + ".in";
    }

    String drift() {
        return topic + ".drift";
    }

    /**
     * Creates the output topics and returns the job's configuration, restarting on failure with a
     * fixed delay, {@code attempts} times at most.
     */
    Configuration configure(String group, long base, int window, int attempts, Duration delay) throws Exception {
        kafka.createTopics(2, drift(), topic + ".predictions", topic + ".dlq");
        kafka.createTopics(1, Map.of("cleanup.policy", "compact"), topic + ".models");
        Map<String, String> c = new HashMap<>();
        c.put(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        c.put(DriftguardOptions.KAFKA_INPUT_TOPIC.key(), input());
        c.put(DriftguardOptions.KAFKA_DRIFT_TOPIC.key(), drift());
        c.put(DriftguardOptions.KAFKA_DLQ_TOPIC.key(), topic + ".dlq");
        c.put(DriftguardOptions.KAFKA_PREDICTIONS_TOPIC.key(), topic + ".predictions");
        c.put(DriftguardOptions.KAFKA_MODELS_TOPIC.key(), topic + ".models");
        c.put(DriftguardOptions.KAFKA_MODELS_DELIVERY.key(), "exactly-once");
        c.put(DriftguardOptions.KAFKA_GROUP_ID.key(), group);
        c.put(DriftguardOptions.KAFKA_TRANSACTIONAL_ID_PREFIX.key(), group + "-" + base);
        c.put(DriftguardOptions.WINDOW_SIZE.key(), Integer.toString(window));
        c.put(DriftguardOptions.REFERENCE.key(), "previous");
        c.put(DriftguardOptions.MODEL_TASK.key(), "classification");
        c.put(DriftguardOptions.MODEL_ADAPT.key(), "none");
        c.put(DriftguardOptions.MODEL_INITIAL_RECORDS.key(), "300");
        c.put(DriftguardOptions.MODEL_EPOCHS.key(), "3");
        Configuration conf = JobConfig.build(Map.of(), c);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
        return conf;
    }

    /**
     * Reads the committed outputs until {@code events}, {@code predictions} and {@code versions}
     * records have arrived (and nothing more for 2 s), asserts that the job still runs, and
     * returns them.
     */
    Outputs read(JobClient job, int events, int predictions, int versions, Duration timeout) throws Exception {
        String servers = kafka.bootstrapServers();
        Properties none = new Properties();
        Duration settle = Duration.ofSeconds(2);
        List<String> ev = TestTopics.readCommitted(servers, none, drift(), all -> all.size() >= events, settle,
                timeout).stream().map(ModelJobRun::statistics).sorted().toList();
        List<String> pr = TestTopics.readCommitted(servers, none, topic + ".predictions",
                all -> all.size() >= predictions, settle, timeout).stream()
                .map(r -> {
                    JsonNode n = json(r);
                    return n.get("key").asText() + "@" + n.get("ts").asLong();
                }).sorted().toList();
        List<String> mv = TestTopics.readCommitted(servers, none, topic + ".models", all -> all.size() >= versions,
                settle, timeout).stream()
                .map(r -> {
                    ModelArtifact a = ModelCodec.decode(r.value());
                    Lineage l = a.lineage();
                    return a.modelId() + " v" + a.version() + " " + a.status().jsonName() + " " + l.trigger()
                            + " " + l.trainFrom() + ".." + l.trainTo() + " n=" + l.trainRecords() + " seed="
                            + l.seed();
                }).sorted().toList();
        assertThat(job.getJobStatus().get()).as("the job is still running").isEqualTo(JobStatus.RUNNING);
        return new Outputs(ev, pr, mv);
    }

    /** Model versions as (model id, status, training), repeats of a training counted once. */
    static List<String> withoutNumber(List<String> versions) {
        return versions.stream().map(v -> v.replaceFirst(" v[0-9]+ ", " ")).distinct().sorted().toList();
    }

    /** A drift event's JSON without its prequential fields (which version scored which record). */
    private static String statistics(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode n = (ObjectNode) json(r);
        n.remove(List.of("model_version", "model_version_first", "n_scored", "n_labelled", "accuracy", "mse",
                "mae"));
        return n.toString();
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> r) {
        try {
            return OM.readTree(r.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
