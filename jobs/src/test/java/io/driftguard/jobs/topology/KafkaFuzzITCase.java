package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.connectors.kafka.KafkaConnectors;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.runtime.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 10,005 malformed records among 3,000 valid ones through the Kafka job (restart strategy none,
 * so any failure would end it): every malformed record lands in the dead-letter topic once, with
 * a reason and its raw bytes (cut to the cap, and flagged, when longer), the job keeps running,
 * and the drift events equal those of a run over the valid records alone.
 */
class KafkaFuzzITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String[] KEYS = {"f1", "f2", "f3"};
    private static final int PER_KEY = 1000;
    private static final int WINDOW = 200;
    private static final int MALFORMED = 10_000;
    private static final int OVERSIZED = 5;
    private static final ObjectMapper OM = new ObjectMapper();
    @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

    /** A malformed record and what its dead letter must carry. */
    private record Bad(byte[] value, String source, byte[] raw) {}

    @Test
    void tenThousandMalformedRecordsAreDeadLetteredAndChangeNoEvent() throws Exception {
        long base = System.currentTimeMillis();
        Map<String, String> big = Map.of("max.message.bytes", Integer.toString(8 << 20));
        kafka.createTopics(2, big, "fz.in", "fz.clean.in");
        kafka.createTopics(2, "fz.drift", "fz.dlq", "fz.clean.drift", "fz.clean.dlq");

        List<byte[]> valid = new ArrayList<>();
        List<String> validKeys = new ArrayList<>();
        for (String key : KEYS) {
            SplittableRandom r = new SplittableRandom(key.hashCode());
            for (int i = 0; i < PER_KEY; i++) {
                double shift = i >= PER_KEY / 2 ? 1.5 : 0;
                valid.add(String.format(Locale.ROOT, "{\"key\":\"%s\",\"ts\":%d,\"features\":[%.5f,%.5f,%.5f]}",
                        key, base + i, r.nextDouble() + shift, r.nextDouble(), r.nextDouble())
                        .getBytes(StandardCharsets.UTF_8));
                validKeys.add(key);
            }
        }
        SplittableRandom rnd = new SplittableRandom(20);
        List<Bad> bad = new ArrayList<>();
        for (int i = 0; i < MALFORMED; i++) {
            bad.add(malformed(i, base, rnd));
        }
        for (int i = 0; i < OVERSIZED; i++) {
            bad.add(oversized(i, base));
        }

        // the clean run's input: the valid records alone, each key's in the same order
        try (KafkaProducer<byte[], byte[]> p = TestTopics.producer(kafka.bootstrapServers(), new Properties())) {
            for (int i = 0; i < valid.size(); i++) {
                p.send(new ProducerRecord<>("fz.clean.in", validKeys.get(i).getBytes(StandardCharsets.UTF_8),
                        valid.get(i)));
            }
            p.flush();
        }
        // the fuzzed input: each key's first 20 records fix its dimension, then the rest of the
        // valid records and the malformed ones interleaved at random
        Map<String, byte[]> expectedRaw = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> p = TestTopics.producer(kafka.bootstrapServers(), new Properties())) {
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < KEYS.length; k++) {
                for (int i = 0; i < 20; i++) {
                    order.add(k * PER_KEY + i);
                }
            }
            List<Integer> rest = new ArrayList<>();
            for (int k = 0; k < KEYS.length; k++) {
                for (int i = 20; i < PER_KEY; i++) {
                    rest.add(k * PER_KEY + i);
                }
            }
            int v = 0;
            int b = 0;
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            List<Bad> sentBad = new ArrayList<>();
            for (int i : order) {
                p.send(new ProducerRecord<>("fz.in", validKeys.get(i).getBytes(StandardCharsets.UTF_8), valid.get(i)));
            }
            while (v < rest.size() || b < bad.size()) {
                if (b >= bad.size() || (v < rest.size() && rnd.nextInt(bad.size() + rest.size()) < rest.size())) {
                    int i = rest.get(v++);
                    p.send(new ProducerRecord<>("fz.in", validKeys.get(i).getBytes(StandardCharsets.UTF_8),
                            valid.get(i)));
                } else {
                    Bad x = bad.get(b++);
                    // a record refused by the evaluator goes to its key's partition, behind the
                    // records that fixed the key's dimension (partitions are read in any order)
                    byte[] kafkaKey = x.source() == null ? null
                            : x.source().substring(0, x.source().indexOf('@')).getBytes(StandardCharsets.UTF_8);
                    sent.add(p.send(new ProducerRecord<>("fz.in", kafkaKey, x.value())));
                    sentBad.add(x);
                }
            }
            p.flush();
            for (int i = 0; i < sent.size(); i++) {
                Bad x = sentBad.get(i);
                RecordMetadata m = sent.get(i).get();
                String source = x.source() != null ? x.source() : "fz.in/" + m.partition() + "@" + m.offset();
                assertThat(expectedRaw.put(source, x.raw())).as("sources are unique: %s", source).isNull();
            }
        }

        JobClient clean = start("fz.clean");
        List<String> cleanEvents;
        try {
            cleanEvents = events("fz.clean.drift", KEYS.length * (PER_KEY / WINDOW - 1));
        } finally {
            clean.cancel().get();
        }
        assertThat(cleanEvents).hasSize(KEYS.length * (PER_KEY / WINDOW - 1));

        JobClient fuzzed = start("fz");
        try {
            List<String> fuzzedEvents = events("fz.drift", cleanEvents.size());
            List<ConsumerRecord<byte[], byte[]>> dead = TestTopics.readCommitted(kafka.bootstrapServers(),
                    new Properties(), "fz.dlq", all -> all.size() >= expectedRaw.size(), Duration.ofSeconds(2),
                    Duration.ofSeconds(180));
            assertThat(fuzzed.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(fuzzedEvents).containsExactlyElementsOf(cleanEvents);

            Map<String, ConsumerRecord<byte[], byte[]>> bySource = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                String source = new String(r.key(), StandardCharsets.UTF_8);
                assertThat(bySource.put(source, r)).as("one dead letter for %s", source).isNull();
            }
            assertThat(bySource.keySet()).containsExactlyInAnyOrderElementsOf(expectedRaw.keySet());
            int truncated = 0;
            for (var e : expectedRaw.entrySet()) {
                ConsumerRecord<byte[], byte[]> r = bySource.get(e.getKey());
                JsonNode json = OM.readTree(r.value());
                String reason = json.get("reason").asText();
                assertThat(reason).as("reason of %s", e.getKey()).isNotBlank();
                Header h = r.headers().lastHeader(KafkaConnectors.RAW_HEADER);
                byte[] expected = e.getValue();
                if (expected.length > KafkaConnectors.DEFAULT_DLQ_MAX_RAW_BYTES) {
                    truncated++;
                    assertThat(reason).endsWith("[raw truncated from " + expected.length + " bytes]");
                    expected = Arrays.copyOf(expected, KafkaConnectors.DEFAULT_DLQ_MAX_RAW_BYTES);
                }
                assertThat(h.value()).as("raw bytes of %s (%s)", e.getKey(), reason).isEqualTo(expected);
            }
            assertThat(truncated).isEqualTo(OVERSIZED);
        } finally {
            fuzzed.cancel().get();
        }
    }

    private static JobClient start(String prefix) throws Exception {
        Map<String, String> c = new HashMap<>();
        c.put(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        c.put(DriftguardOptions.KAFKA_INPUT_TOPIC.key(), prefix + ".in");
        c.put(DriftguardOptions.KAFKA_DRIFT_TOPIC.key(), prefix + ".drift");
        c.put(DriftguardOptions.KAFKA_DLQ_TOPIC.key(), prefix + ".dlq");
        c.put(DriftguardOptions.KAFKA_GROUP_ID.key(), prefix);
        c.put(DriftguardOptions.KAFKA_TRANSACTIONAL_ID_PREFIX.key(), prefix + "-" + System.nanoTime());
        c.put(DriftguardOptions.WINDOW_SIZE.key(), Integer.toString(WINDOW));
        c.put(DriftguardOptions.REFERENCE.key(), "previous");
        Configuration conf = JobConfig.build(Map.of(), c);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = FlinkEnvironments.create(conf);
        env.setParallelism(2);
        KafkaDriftJob.build(env, conf);
        return env.executeAsync("driftguard fuzz " + prefix);
    }

    private static List<String> events(String topic, int n) {
        return TestTopics.readCommitted(kafka.bootstrapServers(), new Properties(), topic, all -> all.size() >= n,
                        Duration.ofSeconds(2), Duration.ofSeconds(180))
                .stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).sorted().toList();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Malformed record {@code i}: each of ten kinds in turn, with random variations. */
    private static Bad malformed(int i, long base, SplittableRandom r) {
        String key = KEYS[r.nextInt(KEYS.length)];
        long ts = base + r.nextInt(PER_KEY);
        String good = String.format(Locale.ROOT, "{\"key\":\"%s\",\"ts\":%d,\"features\":[%.3f,%.3f,%.3f]}",
                key, ts, r.nextDouble(), r.nextDouble(), r.nextDouble());
        String text = switch (i % 10) {
            // truncated JSON
            case 0 -> good.substring(0, 1 + r.nextInt(good.length() - 2));
            // wrong types
            case 1 -> switch (r.nextInt(8)) {
                case 0 -> "{\"key\":\"" + key + "\",\"ts\":\"yesterday\",\"features\":[1,2,3]}";
                case 1 -> "{\"key\":\"" + key + "\",\"ts\":" + ts + ",\"features\":\"1,2,3\"}";
                case 2 -> "{\"key\":\"" + key + "\",\"ts\":" + ts + ",\"features\":[1,\"x\",3]}";
                case 3 -> "{\"key\":\"" + key + "\",\"ts\":" + ts + ",\"features\":[true,2,3]}";
                case 4 -> "{\"key\":\"" + key + "\",\"ts\":{\"ms\":" + ts + "},\"features\":[1,2,3]}";
                case 5 -> "[\"" + key + "\"," + ts + ",[1,2,3]]";
                case 6 -> "{\"key\":\"" + key + "\",\"ts\":" + ts + ",\"features\":[1,{\"v\":2},3]}";
                default -> r.nextBoolean() ? "null" : "42";
            };
            // huge numbers
            case 2 -> switch (r.nextInt(3)) {
                case 0 -> "{\"key\":\"" + key + "\",\"ts\":" + ts + ",\"features\":[1e999,2,3]}";
                case 1 -> "{\"key\":\"" + key + "\",\"ts\":1e300,\"features\":[1,2,3]}";
                default -> "{\"key\":\"" + key + "\",\"ts\":9999999999999999999999999999999999999999,\"features\":[1,2,3]}";
            };
            // NaN and infinity literals (not JSON), infinite strings, every feature missing; a
            // "NaN" string or null beside present values is a missing value, not bad input
            case 3 -> r.nextInt(5) == 4
                    ? "{\"key\":\"" + key + "\",\"ts\":" + ts + ",\"features\":[null,\"NaN\",\"NA\"]}"
                    : "{\"key\":\"" + key + "\",\"ts\":" + ts + ",\"features\":["
                            + List.of("NaN", "Infinity", "-Infinity", "\"Infinity\"").get(r.nextInt(4)) + ",2,3]}";
            // wrong dimension, refused by the evaluator (its dead letter names key@ts)
            case 4 -> {
                long unique = base + 2 * PER_KEY + i;
                String f = r.nextBoolean() ? "[1.5,2.5]" : "[1.5,2.5,3.5,4.5]";
                String t = "{\"key\":\"" + key + "\",\"ts\":" + unique + ",\"features\":" + f + "}";
                yield t;
            }
            // missing or absurd time
            case 5 -> switch (r.nextInt(4)) {
                case 0 -> "{\"key\":\"" + key + "\",\"features\":[1,2,3]}";
                case 1 -> "{\"key\":\"" + key + "\",\"ts\":253402300800000,\"features\":[1,2,3]}";
                case 2 -> "{\"key\":\"" + key + "\",\"ts\":-5,\"features\":[1,2,3]}";
                default -> "{\"key\":\"" + key + "\",\"ts\":null,\"features\":[1,2,3]}";
            };
            // embedded quotes and newlines
            case 6 -> switch (r.nextInt(3)) {
                case 0 -> "{\"key\":\"" + key + "\"x\",\"ts\":" + ts + ",\"features\":[1,2,3]}";
                case 1 -> "{\"key\":\"" + key + "\nx\",\"ts\":" + ts + ",\"features\":[1,2,3]}";
                default -> "{\"key\":\"" + key + "\",\"ts\":" + ts + ",\n\"features\":[1,2,3]\n\"label\":\"a\"}";
            };
            // no key, empty or blank
            case 7 -> List.of("{\"ts\":" + ts + ",\"features\":[1,2,3]}", "", "   ", "{}").get(r.nextInt(4));
            // a key that is neither text nor a number, or features missing
            case 8 -> r.nextBoolean()
                    ? "{\"key\":" + (r.nextBoolean() ? "true" : "[\"" + key + "\"]") + ",\"ts\":" + ts
                            + ",\"features\":[1,2,3]}"
                    : "{\"key\":\"" + key + "\",\"ts\":" + ts + "}";
            default -> null; // invalid UTF-8, below
        };
        if (text == null) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(utf8("{\"key\":\"" + key));
            // a bad continuation byte, a byte never valid in UTF-8, a cut 3-byte form, a 5-byte
            // form; the encoded surrogate ED A0 80 is left out: the parser accepts it as U+D800
            byte[][] badBytes = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82},
                {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80}};
            b.writeBytes(badBytes[r.nextInt(badBytes.length)]);
            b.writeBytes(utf8("\",\"ts\":" + ts + ",\"features\":[1,2,3]}"));
            return new Bad(b.toByteArray(), null, b.toByteArray());
        }
        byte[] bytes = utf8(text);
        if (i % 10 == 4) {
            // the evaluator keeps the parsed record's text, not the input bytes
            JsonNode n = readQuietly(text);
            long t = n.get("ts").asLong();
            double[] x = new double[n.get("features").size()];
            for (int f = 0; f < x.length; f++) {
                x[f] = n.get("features").get(f).asDouble();
            }
            String raw = new io.driftguard.operators.record.SeriesRecord(key, t, x, null, null).toString();
            return new Bad(bytes, key + "@" + t, utf8(raw));
        }
        return new Bad(bytes, null, bytes);
    }

    /** An oversized record: about 1.2 MB of cut-off JSON (parse) or a vector of 150,000 values. */
    private static Bad oversized(int i, long base) {
        StringBuilder sb = new StringBuilder("{\"key\":\"" + KEYS[i % KEYS.length] + "\",\"ts\":");
        long ts = base + 3 * PER_KEY + MALFORMED + i;
        sb.append(ts).append(",\"features\":[");
        int n = 150_000;
        double[] x = new double[n];
        for (int f = 0; f < n; f++) {
            x[f] = f % 7;
            sb.append(f == 0 ? "" : ",").append(f % 7).append(".0");
        }
        if (i % 2 == 0) {
            byte[] cut = utf8(sb.toString()); // no closing brackets
            return new Bad(cut, null, cut);
        }
        sb.append("]}");
        String raw = new io.driftguard.operators.record.SeriesRecord(KEYS[i % KEYS.length], ts, x, null, null)
                .toString();
        return new Bad(utf8(sb.toString()), KEYS[i % KEYS.length] + "@" + ts, utf8(raw));
    }

    private static JsonNode readQuietly(String s) {
        try {
            return OM.readTree(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
