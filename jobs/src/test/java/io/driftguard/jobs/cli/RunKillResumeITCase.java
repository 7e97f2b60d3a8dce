package io.driftguard.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.jobs.runtime.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftguard run --config F} as its own process, killed with SIGKILL mid-stream and started
 * again with the same file: it resumes from the newest completed checkpoint in the configured
 * directory by itself (skipping a checkpoint cut off without metadata and one whose metadata is
 * unreadable), and the drift events read with read_committed are complete, none duplicated.
 */
class RunKillResumeITCase {

    private static final String[] KEYS = {"r1", "r2", "r3"};
    private static final int PER_KEY = 1600;
    private static final int WINDOW = 200;
    private static final ObjectMapper OM = new ObjectMapper();
    @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

    @Test
    void killMinusNineThenRunAgainResumesWithoutLossOrDuplicates(@TempDir Path dir) throws Exception {
        kafka.createTopics(2, "kr.in", "kr.drift", "kr.dlq");
        Path checkpoints = dir.resolve("checkpoints");
        Path config = dir.resolve("run.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:",
                "  bootstrap-servers: " + kafka.bootstrapServers(),
                "  input-topic: kr.in",
                "  drift-topic: kr.drift",
                "  dlq-topic: kr.dlq",
                "  group-id: kr",
                "  transactional-id-prefix: kr-" + System.currentTimeMillis(),
                "drift:",
                "  window.size: " + WINDOW,
                "  reference: previous",
                "execution.checkpointing.dir: " + checkpoints.toUri(),
                "execution.checkpointing.interval: 400 ms",
                "restart-strategy.type: none",
                "parallelism.default: 1",
                ""));
        long base = System.currentTimeMillis();
        produce(base, 0, PER_KEY / 2);

        Process first = start(config, dir.resolve("first.err"));
        List<JsonNode> before;
        try {
            // at least one window per key committed and a completed checkpoint on disk
            before = read(all -> all.size() >= 2 * KEYS.length, Duration.ofSeconds(120));
            assertThat(before).hasSizeGreaterThanOrEqualTo(2 * KEYS.length);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (RunCommand.latestCheckpoint(checkpoints.toUri().toString()).isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            first.destroyForcibly(); // SIGKILL: no cancel, no final checkpoint, open transactions left behind
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Optional<String> latest = RunCommand.latestCheckpoint(checkpoints.toUri().toString());
        assertThat(latest).as("a completed checkpoint; stderr: %s", Files.readString(dir.resolve("first.err")))
                .isPresent();

        // what a crash can leave behind, both newer than the real one: a checkpoint directory
        // without metadata and one whose metadata was cut off
        Path jobDir = Path.of(java.net.URI.create(latest.get())).getParent();
        Files.createDirectories(jobDir.resolve("chk-999998"));
        Path cut = Files.createDirectories(jobDir.resolve("chk-999999")).resolve("_metadata");
        Files.write(cut, new byte[] {0, 0, 0x01});
        Files.setLastModifiedTime(cut, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(RunCommand.latestCheckpoint(checkpoints.toUri().toString())).isEqualTo(latest);

        produce(base, PER_KEY / 2, PER_KEY);
        Path secondErr = dir.resolve("second.err");
        Process second = start(config, secondErr);
        int expected = KEYS.length * (PER_KEY / WINDOW - 1);
        List<JsonNode> after;
        try {
            after = read(all -> all.size() >= expected, Duration.ofSeconds(150));
            Thread.sleep(2000); // a duplicate would be committed by now
            after = read(all -> all.size() >= expected, Duration.ofSeconds(10));
        } finally {
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }
        String err = Files.readString(secondErr);
        assertThat(err).contains("resuming from checkpoint " + latest.get());

        Map<String, Long> perWindow = after.stream().collect(Collectors.groupingBy(
                n -> n.get("key").asText() + " " + n.get("window_start").asLong() + ".." + n.get("window_end").asLong(),
                Collectors.counting()));
        assertThat(perWindow.values()).as("windows published more than once: %s", perWindow).allMatch(c -> c == 1);
        assertThat(after).as("every window of every key; stderr: %s", err).hasSize(expected);
        Map<String, Long> perKey = after.stream().collect(Collectors.groupingBy(
                n -> n.get("key").asText(), Collectors.counting()));
        assertThat(perKey).containsOnlyKeys(KEYS).allSatisfy((k, c) -> assertThat(c).isEqualTo(PER_KEY / WINDOW - 1));
        // the events committed before the kill are among them, unchanged
        assertThat(after.stream().map(JsonNode::toString).toList())
                .containsAll(before.stream().map(JsonNode::toString).toList());
    }

    private static Process start(Path config, Path stderr) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                DriftguardCli.class.getName(), "run", "--config", config.toString()));
        return new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
    }

    private static void produce(long base, int from, int to) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (String key : KEYS) {
                SplittableRandom rnd = new SplittableRandom(key.hashCode());
                for (int i = 0; i < to; i++) {
                    double a = rnd.nextDouble() + (i >= PER_KEY / 2 ? 1.5 : 0);
                    double b = rnd.nextDouble();
                    if (i >= from) {
                        String json = String.format(Locale.ROOT,
                                "{\"key\":\"%s\",\"ts\":%d,\"features\":[%.5f,%.5f]}", key, base + i, a, b);
                        producer.send(new ProducerRecord<>("kr.in", key.getBytes(StandardCharsets.UTF_8),
                                json.getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
            producer.flush();
        }
    }

    /** The committed drift events, polled until {@code done} holds or the time is up. */
    private static List<JsonNode> read(java.util.function.Predicate<List<JsonNode>> done, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = Stream.of(0, 1).map(i -> new TopicPartition("kr.drift", i)).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            int quiet = 0;
            while (System.nanoTime() < deadline && !(done.test(out) && quiet >= 3)) {
                var records = c.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    out.add(json(r.value()));
                }
                quiet = records.isEmpty() ? quiet + 1 : 0;
            }
        }
        return out;
    }

    private static JsonNode json(byte[] b) {
        try {
            return OM.readTree(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
