package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.runtime.KafkaBroker;
import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.FeatureSchema;
import io.driftguard.operators.model.Lineage;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.Trigger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployed model through a real broker: versions published to the models topic serve the
 * running job (the hot swap), a corrupt model record is refused while the serving version stays,
 * a key without a model gets one trained by the asynchronous trainer and published back through
 * the topic, and a job restored from a savepoint keeps serving the version it had.
 */
class ModelHotSwapITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
    private static final ObjectMapper OM = new ObjectMapper();

    /** A hand-set linear classifier for key {@code k}: "up" when temp > 0, or the reverse. */
    static ModelArtifact handModel(String id, long version, long from, float sign) {
        Architecture arch = new Architecture(ModelKind.LINEAR, 2, new int[0], 2, 1);
        FeatureSchema s = new FeatureSchema(new String[] {"temp", "load"}, new double[2], new double[] {1, 1}, 0, 1);
        Lineage l = new Lineage(version - 1, Trigger.MANUAL, -1, -1, "test", 0, 0, 0, Double.NaN, Double.NaN, 0, 0, 0, 0);
        float[][] w = {{-5 * sign, 5 * sign, 0, 0}, {0, 0}};
        return new ModelArtifact(id, version, ModelStatus.ACCEPTED, "", Task.CLASSIFICATION, new String[] {"down", "up"},
                arch, s, w, from, l);
    }

    @Test
    void versionsHotSwapThroughTheTopicAndSurviveARestore(@TempDir Path tmp) throws Exception {
        String input = "hs.input";
        String drift = "hs.drift";
        String dlq = "hs.dlq";
        String preds = "hs.predictions";
        String models = "hs.models";
        kafka.createTopics(2, input, drift, dlq, preds);
        kafka.createTopics(1, Map.of("cleanup.policy", "compact"), models);
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            p.send(new ProducerRecord<>(models, "k@1".getBytes(StandardCharsets.UTF_8),
                    ModelCodec.encode(handModel("k", 1, 0, 1)))).get();
            byte[] corrupt = ModelCodec.encode(handModel("k", 5, 0, -1));
            corrupt[corrupt.length / 2] ^= 0x10;
            p.send(new ProducerRecord<>(models, "k@5".getBytes(StandardCharsets.UTF_8), corrupt)).get();
        }
        SplittableRandom rnd = new SplittableRandom(5);
        produce(input, 0, 1500, now, rnd);

        Map<String, String> c = new HashMap<>();
        c.put(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        c.put(DriftguardOptions.KAFKA_INPUT_TOPIC.key(), input);
        c.put(DriftguardOptions.KAFKA_DRIFT_TOPIC.key(), drift);
        c.put(DriftguardOptions.KAFKA_DLQ_TOPIC.key(), dlq);
        c.put(DriftguardOptions.KAFKA_PREDICTIONS_TOPIC.key(), preds);
        c.put(DriftguardOptions.KAFKA_MODELS_TOPIC.key(), models);
        c.put(DriftguardOptions.WINDOW_SIZE.key(), "250");
        c.put(DriftguardOptions.REFERENCE.key(), "previous");
        c.put(DriftguardOptions.MODEL_TASK.key(), "classification");
        c.put(DriftguardOptions.MODEL_INITIAL_RECORDS.key(), "400");
        c.put(DriftguardOptions.KAFKA_TRANSACTIONAL_ID_PREFIX.key(), "hs-" + now);
        Configuration conf = JobConfig.build(Map.of(), c);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        JobClient job = start(conf);

        // k is served by version 1 (the corrupt record changed nothing); k2 has no model yet and
        // gets one from the asynchronous trainer through the topic
        List<JsonNode> first = readCommitted(preds, 3000,
                all -> count(all, "k", -2) >= 1500 && count(all, "k2", -2) >= 1500);
        assertThat(first).filteredOn(n -> n.get("key").asText().equals("k"))
                .allSatisfy(n -> assertThat(n.get("model_version").asLong()).isEqualTo(1));
        assertThat(count(first, "k", 1)).isEqualTo(1500);
        assertThat(accuracy(first, "k", 1)).isGreaterThan(0.99);
        // k2 has no model of its own yet: after 50 records it borrows the nearest key's (k's)
        assertThat(first).filteredOn(n -> n.get("key").asText().equals("k2") && !n.has("model_id"))
                .allSatisfy(n -> assertThat(n.get("model_version").asLong()).isLessThanOrEqualTo(0));
        assertThat(first).filteredOn(n -> n.get("key").asText().equals("k2") && n.has("model_id"))
                .hasSize(1450)
                .allSatisfy(n -> assertThat(n.get("model_id").asText()).isEqualTo("k"));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<String> modelKeys = keys(models);
        while (!modelKeys.contains("k2@1") && System.nanoTime() < deadline) {
            modelKeys = keys(models);
        }
        assertThat(modelKeys).contains("k2@1").doesNotContain("k@3");

        // hot swap: version 2 of k (the reverse rule) from the records after now + 2000
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            p.send(new ProducerRecord<>(models, "k@2".getBytes(StandardCharsets.UTF_8),
                    ModelCodec.encode(handModel("k", 2, now + 2000, -1)))).get();
        }
        Thread.sleep(1500);
        produce(input, 1500, 2500, now, rnd);
        List<JsonNode> second = readCommitted(preds, 5000,
                all -> count(all, "k", -2) >= 2500 && count(all, "k2", -2) >= 2500);
        // k2's trained version serves its later records
        List<JsonNode> k2Later = second.stream()
                .filter(n -> n.get("key").asText().equals("k2") && n.get("ts").asLong() >= now + 1500).toList();
        assertThat(k2Later).allSatisfy(n -> {
            assertThat(n.get("model_version").asLong()).isEqualTo(1);
            assertThat(n.has("model_id")).isFalse();
        });
        assertThat(accuracy(k2Later, "k2", 1)).isGreaterThan(0.9);
        for (JsonNode n : second) {
            if (n.get("key").asText().equals("k")) {
                long ts = n.get("ts").asLong();
                assertThat(n.get("model_version").asLong()).as("ts %s", ts).isEqualTo(ts >= now + 2000 ? 2 : 1);
            }
        }

        // stop with a savepoint and restore: the restored source resumes after the models it has
        // read, so version 2 can only come from the restored broadcast state
        String savepoint = job.stopWithSavepoint(false, tmp.resolve("sp").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        assertThat(Files.exists(Path.of(java.net.URI.create(savepoint)))).isTrue();
        produce(input, 2500, 2800, now, rnd);
        Configuration restored = new Configuration(conf);
        restored.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient again = start(restored);
        List<JsonNode> third = readCommitted(preds, 8000, all -> count(all, "k", -2) >= 2800);
        again.cancel().get();
        List<JsonNode> after = third.stream()
                .filter(n -> n.get("key").asText().equals("k") && n.get("ts").asLong() >= now + 2500)
                .toList();
        assertThat(after).hasSize(300);
        assertThat(after).allSatisfy(n -> assertThat(n.get("model_version").asLong()).isEqualTo(2));
        // records before the savepoint were scored exactly once
        assertThat(count(third, "k", -2)).isEqualTo(2800);
    }

    private static JobClient start(Configuration conf) throws Exception {
        StreamExecutionEnvironment env = FlinkEnvironments.create(conf);
        env.setParallelism(2);
        KafkaDriftJob.build(env, conf);
        return env.executeAsync("driftguard model itcase");
    }

    /** Records {@code from..to-1} of keys k and k2: label "up" iff temp > 0 (k2's rule: load > 0). */
    private static void produce(String topic, int from, int to, long now, SplittableRandom rnd) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            for (int i = from; i < to; i++) {
                for (String key : new String[] {"k", "k2"}) {
                    double temp = gaussian(rnd);
                    double load = gaussian(rnd);
                    boolean up = key.equals("k") ? temp > 0 : load > 0;
                    String json = String.format(Locale.ROOT,
                            "{\"key\":\"%s\",\"ts\":%d,\"features\":{\"temp\":%.6f,\"load\":%.6f},\"label\":\"%s\"}",
                            key, now + i, temp, load, up ? "up" : "down");
                    p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                            json.getBytes(StandardCharsets.UTF_8)));
                }
            }
            p.flush();
        }
    }

    /** Predictions of a key with a version (-2: any version). */
    private static long count(List<JsonNode> all, String key, long version) {
        return all.stream().filter(n -> n.get("key").asText().equals(key)
                && (version == -2 || n.get("model_version").asLong() == version)).count();
    }

    private static double accuracy(List<JsonNode> all, String key, long version) {
        List<JsonNode> mine = all.stream().filter(n -> n.get("key").asText().equals(key)
                && n.get("model_version").asLong() == version).toList();
        return mine.stream().filter(n -> n.get("label").asText().equals(n.get("prediction").asText())).count()
                / (double) mine.size();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static Properties consumerProps(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** The record keys of a topic, read committed. */
    private static List<String> keys(String topic) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps("keys"))) {
            consumer.subscribe(List.of(topic));
            int quiet = 0;
            while (quiet < 4) {
                var records = consumer.poll(Duration.ofMillis(500));
                records.forEach(r -> out.add(new String(r.key(), StandardCharsets.UTF_8)));
                quiet = records.isEmpty() ? quiet + 1 : 0;
            }
        }
        return out;
    }

    /** Reads the committed JSON records of a topic until {@code done} holds (or 120 s pass). */
    private static List<JsonNode> readCommitted(String topic, int hint, Predicate<List<JsonNode>> done)
            throws Exception {
        List<JsonNode> out = new ArrayList<>(hint);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps("reader"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline && !done.test(out)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    out.add(OM.readTree(r.value()));
                }
            }
        }
        assertThat(done.test(out)).as("condition met on %s records of %s", out.size(), topic).isTrue();
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
