package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.runtime.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
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

/**
 * The Kafka drift job end to end on a real in-process KRaft broker and a Flink MiniCluster, with
 * the exactly-once sink read back under read_committed.
 */
class KafkaDriftJobITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int WINDOW = 200;
    private static final int WINDOWS = 5;
    private static final String[] KEYS = {"pump-1", "pump-2", "pump-3"};
    @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

    @Test
    void everyEvaluatedWindowIsPublishedExactlyOnceAndBadInputIsDeadLettered() throws Exception {
        runAndCheck("count", Integer.toString(WINDOW));
    }

    @Test
    void eventTimeWindowsOverKafkaArePublishedExactlyOnce() throws Exception {
        // one record per key and millisecond: a window of 200 ms holds 200 records per key
        runAndCheck("time", WINDOW + "ms");
    }

    /**
     * Produces {@link #WINDOWS} windows of {@link #WINDOW} records per key to fresh topics (two
     * partitions each), runs the bounded job with exactly-once under {@code drift.window.size =
     * windowSize}, and checks the committed events and dead letters.
     */
    private static void runAndCheck(String name, String windowSize) throws Exception {
        String input = name + ".input";
        String drift = name + ".drift";
        String dlq = name + ".dlq";
        kafka.createTopics(2, input, drift, dlq);
        // aligned to the window, so that a time window holds records i = 200 w .. 200 w + 199
        long now = System.currentTimeMillis() / WINDOW * WINDOW;
        SplittableRandom rnd = new SplittableRandom(21);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < WINDOW * WINDOWS; i++) {
                for (String key : KEYS) {
                    // pump-2 shifts its first feature by 2 sd from its fourth window on
                    double shift = key.equals("pump-2") && i >= 3 * WINDOW ? 2.0 : 0.0;
                    String json = String.format(Locale.ROOT,
                            "{\"key\":\"%s\",\"ts\":%d,\"features\":{\"temp\":%.6f,\"load\":%.6f}}",
                            key, now + i, gaussian(rnd) + shift, gaussian(rnd));
                    send(producer, input, key, json);
                }
                if (i == 100) {
                    send(producer, input, "pump-1", "{\"key\":\"pump-1\",\"ts\":");
                    send(producer, input, "pump-1", "{\"key\":\"pump-1\",\"ts\":" + now + ",\"features\":[\"x\",1]}");
                }
            }
        }
        Map<String, String> c = new HashMap<>();
        c.put(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        c.put(DriftguardOptions.KAFKA_INPUT_TOPIC.key(), input);
        c.put(DriftguardOptions.KAFKA_DRIFT_TOPIC.key(), drift);
        c.put(DriftguardOptions.KAFKA_DLQ_TOPIC.key(), dlq);
        c.put(DriftguardOptions.KAFKA_BOUNDED.key(), "true");
        c.put(DriftguardOptions.WINDOW_SIZE.key(), windowSize);
        // every window from a key's second on is evaluated (the default fixed reference would
        // first pool 8 windows)
        c.put(DriftguardOptions.REFERENCE.key(), "previous");
        c.put(DriftguardOptions.KAFKA_TRANSACTIONAL_ID_PREFIX.key(), "itcase-" + name + "-" + now);
        Configuration conf = JobConfig.build(Map.of(), c);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = FlinkEnvironments.create(conf);
        env.setParallelism(2);
        KafkaDriftJob.build(env, conf);
        env.execute("driftguard itcase " + name);

        List<JsonNode> events = readCommitted(drift, KEYS.length * (WINDOWS - 1));
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode e : events) {
            seen.merge(e.get("key").asText() + "@" + e.get("window_start").asLong(), 1, Integer::sum);
        }
        assertThat(seen).hasSize(KEYS.length * (WINDOWS - 1));
        assertThat(seen.values()).containsOnly(1);
        for (JsonNode e : events) {
            assertThat(e.get("n_cur").asLong()).isEqualTo(WINDOW);
            assertThat(e.get("p_value").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(1);
            assertThat(e.get("a_distance").asDouble()).isBetween(0.0, 2.0);
            long start = e.get("window_start").asLong();
            assertThat((start - now) % WINDOW).isZero();
            long window = (start - now) / WINDOW;
            assertThat(window).isBetween(1L, WINDOWS - 1L);
            // a count window ends after its last record, a time window at its bound
            assertThat(e.get("window_end").asLong()).isEqualTo(start + WINDOW);
            assertThat(e.get("reference_start").asLong()).isEqualTo(start - WINDOW);
            // every window is among its key's first 37, decided by the warm-up test
            assertThat(e.get("calibrated").asBoolean()).isFalse();
            boolean changed = e.get("key").asText().equals("pump-2") && window == 3;
            assertThat(e.get("drift").asBoolean()).as("drift of %s", e).isEqualTo(changed);
            if (changed) {
                assertThat(e.get("features").get(0).get("name").asText()).isEqualTo("temp");
            }
        }
        List<JsonNode> dead = readCommitted(dlq, 2);
        assertThat(dead).hasSize(2);
        assertThat(dead).extracting(d -> d.get("reason").asText())
                .anySatisfy(r -> assertThat(r).startsWith("malformed JSON"))
                .anySatisfy(r -> assertThat(r).contains("non-numeric"));
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String topic, String key, String value) {
        p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads everything committed to a topic, waiting for at least {@code expected} records. */
    private static List<JsonNode> readCommitted(String topic, int expected) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        ObjectMapper om = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int quiet = 0;
            while (System.nanoTime() < deadline && (out.size() < expected || quiet < 3)) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    out.add(om.readTree(r.value()));
                }
                quiet = records.isEmpty() ? quiet + 1 : 0;
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
