package io.driftguard.jobs.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.connectors.model.DirectoryModelStore;
import io.driftguard.connectors.model.ModelJson;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Feeds a {@link DashboardState} from files that grow, a model directory, or Kafka topics. */
public final class Followers {

    private static final Logger LOG = LoggerFactory.getLogger(Followers.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Followers() {}

    /** A background feed; {@link #close} stops it. */
    public interface Feed extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Follows JSON-lines files as they grow (as {@code tail -f} does; a file that shrinks is read
     * again from its start) and a model directory, polling every {@code pollMillis}.
     *
     * @param events drift events file
     * @param predictions predictions file, or null
     * @param models model directory, or null
     */
    public static Feed files(DashboardState state, Path events, Path predictions, Path models, long pollMillis) {
        List<Tail> tails = new ArrayList<>();
        tails.add(new Tail(events, state::acceptEvent));
        if (predictions != null) {
            tails.add(new Tail(predictions, state::acceptPrediction));
        }
        Set<String> seenModels = new HashSet<>();
        DirectoryModelStore store = models == null ? null : new DirectoryModelStore(models);
        Runnable once = () -> {
            for (Tail t : tails) {
                t.poll();
            }
            if (store != null) {
                try {
                    for (ModelArtifact a : store.list()) {
                        String id = a.modelId() + "@" + a.version() + ":" + a.status().jsonName();
                        if (seenModels.add(id)) {
                            state.acceptModel(JSON.readTree(ModelJson.toJson(a)));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("model directory {} not readable yet: {}", models, e.toString());
                }
            }
        };
        once.run(); // what exists now is in the state before the server answers
        return loop("dashboard-files", once, pollMillis);
    }

    /**
     * Follows the drift, predictions and models topics from their beginning (read-committed, no
     * consumer group: the dashboard commits nothing and sees every record).
     *
     * @param client Kafka client settings (security, for one); the bootstrap servers are set apart
     */
    public static Feed kafka(DashboardState state, String bootstrapServers, Properties client, String driftTopic,
            String predictionsTopic, String modelsTopic) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "driftguard-dashboard");
        // a viewer never creates topics, whatever the broker allows
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        List<String> topics = List.of(driftTopic, predictionsTopic, modelsTopic);
        Set<TopicPartition> assigned = new HashSet<>();
        final long[] lastDiscovery = {0};
        Runnable once = () -> {
            // topics may appear after the dashboard starts: look for partitions now and then
            if (System.nanoTime() - lastDiscovery[0] > 5_000_000_000L || assigned.isEmpty()) {
                lastDiscovery[0] = System.nanoTime();
                List<TopicPartition> all = new ArrayList<>();
                for (String t : topics) {
                    List<PartitionInfo> parts = consumer.partitionsFor(t, Duration.ofSeconds(2));
                    if (parts != null) {
                        for (PartitionInfo pi : parts) {
                            all.add(new TopicPartition(t, pi.partition()));
                        }
                    }
                }
                if (!assigned.containsAll(all)) {
                    List<TopicPartition> fresh = new ArrayList<>(all);
                    fresh.removeAll(assigned);
                    consumer.assign(all);
                    consumer.seekToBeginning(fresh);
                    assigned.addAll(all);
                }
            }
            if (assigned.isEmpty()) {
                sleep(500);
                return;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.value() == null) {
                    continue;
                }
                try {
                    if (r.topic().equals(modelsTopic)) {
                        state.acceptModel(JSON.readTree(ModelJson.toJson(ModelCodec.decode(r.value()))));
                    } else if (r.topic().equals(predictionsTopic)) {
                        state.acceptPrediction(JSON.readTree(r.value()));
                    } else {
                        state.acceptEvent(JSON.readTree(r.value()));
                    }
                } catch (IOException | RuntimeException e) {
                    if (r.topic().equals(modelsTopic)) {
                        state.rejectModelRecord();
                    }
                    LOG.debug("skipped a record of {}: {}", r.topic(), e.toString());
                }
            }
        };
        return loop("dashboard-kafka", once, 0, consumer::close, consumer::wakeup);
    }

    private static Feed loop(String name, Runnable once, long pollMillis) {
        return loop(name, once, pollMillis, () -> {}, () -> {});
    }

    private static Feed loop(String name, Runnable once, long pollMillis, Runnable cleanup, Runnable wake) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        once.run();
                    } catch (org.apache.kafka.common.errors.WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                        break;
                    } catch (RuntimeException e) {
                        LOG.warn("dashboard input: {}", e.toString());
                        sleep(1000);
                    }
                    if (pollMillis > 0 && !sleep(pollMillis)) {
                        break;
                    }
                }
            } finally {
                cleanup.run();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return () -> {
            t.interrupt();
            wake.run();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reads the complete lines a file has gained since the last poll. */
    private static final class Tail {
        private final Path file;
        private final Predicate<JsonNode> sink;
        private long position;
        private byte[] partial = new byte[0];

        Tail(Path file, Predicate<JsonNode> sink) {
            this.file = file;
            this.sink = sink;
        }

        void poll() {
            if (!Files.isReadable(file)) {
                return;
            }
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                long size = f.length();
                if (size < position) {
                    // rewritten (a new replay): read it again
                    position = 0;
                    partial = new byte[0];
                }
                while (position < size) {
                    int n = (int) Math.min(1 << 20, size - position);
                    byte[] buf = new byte[partial.length + n];
                    System.arraycopy(partial, 0, buf, 0, partial.length);
                    f.seek(position);
                    f.readFully(buf, partial.length, n);
                    position += n;
                    int start = 0;
                    for (int i = 0; i < buf.length; i++) {
                        if (buf[i] == '\n') {
                            line(new String(buf, start, i - start, StandardCharsets.UTF_8));
                            start = i + 1;
                        }
                    }
                    partial = java.util.Arrays.copyOfRange(buf, start, buf.length);
                }
            } catch (IOException e) {
                LOG.debug("cannot read {}: {}", file, e.toString());
            }
        }

        private void line(String s) {
            if (s.isBlank()) {
                return;
            }
            try {
                sink.test(JSON.readTree(s));
            } catch (IOException e) {
                LOG.debug("skipped a line of {}: {}", file, e.getMessage());
            }
        }
    }
}
