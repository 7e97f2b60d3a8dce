package io.driftguard.connectors.model;

import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model versions on a compacted Kafka topic ({@code driftguard.models} by default).
 *
 * <p>Record key: {@link ModelArtifact#storeKey()}, {@code <modelId>@<version>} in UTF-8; value:
 * {@link ModelCodec} bytes. Keying by id and version rather than by id keeps every version under
 * compaction, which {@code list} and {@code rollback} need. A revocation is published under the
 * same key, so compaction keeps the revocation and drops the version it revokes.
 *
 * <p>{@link #list()} reads the topic from the beginning to the end offsets current at the call
 * ({@code read_committed}) and keeps, per key, the last record that decodes, as compaction would.
 * A record that fails to decode, or whose content does not match its key, is reported in {@link
 * #rejected()} and leaves the key's earlier version in place; a record without a value (a
 * tombstone) removes its key.
 *
 * <p>{@link #publish} uses an idempotent producer with {@code acks=all} and waits for the ack.
 * Client properties ({@code bootstrap.servers}, SASL, TLS, ...) come from the {@link Properties}
 * given; the (de)serializers, the isolation level and the producer's idempotence are set here.
 * Large models need {@code max.request.size} on the producer and {@code max.message.bytes} on the
 * topic above their encoded size (1 MiB by default).
 */
public final class KafkaModelStore implements ModelStore {

    /** The default topic. */
    public static final String DEFAULT_TOPIC = "driftguard.models";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaModelStore.class);

    private final Properties clientProps;
    private final String topic;
    private final Duration timeout;
    private KafkaProducer<byte[], byte[]> producer;
    private volatile List<String> rejected = List.of();

    /**
     * A store on {@code topic}, with a 60 s limit for reading the topic and for each publish.
     *
     * @param clientProps client configuration; needs at least {@code bootstrap.servers}
     */
    public KafkaModelStore(Properties clientProps, String topic) {
        this(clientProps, topic, Duration.ofSeconds(60));
    }

    /** A store on {@code topic} with a time limit for reading the topic and for each publish. */
    public KafkaModelStore(Properties clientProps, String topic, Duration timeout) {
        Objects.requireNonNull(clientProps, "clientProps");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (clientProps.getProperty("bootstrap.servers") == null && clientProps.get("bootstrap.servers") == null) {
            throw new IllegalArgumentException("client properties need bootstrap.servers");
        }
        this.clientProps = new Properties();
        this.clientProps.putAll(clientProps);
    }

    /** The topic. */
    public String topic() {
        return topic;
    }

    /**
     * Creates the topic with {@code cleanup.policy=compact}, one partition and replication factor
     * 1, unless it exists.
     *
     * @return whether it was created
     */
    public boolean ensureTopic(Admin admin) {
        return ensureTopic(admin, 1, (short) 1, Map.of());
    }

    /**
     * Creates the topic with {@code cleanup.policy=compact} and the given layout and further topic
     * configuration, unless it exists. An existing topic whose cleanup policy is not compaction is
     * kept and logged as a warning: old versions may then be deleted by retention.
     *
     * @return whether it was created
     */
    public boolean ensureTopic(Admin admin, int partitions, short replication, Map<String, String> configs) {
        Map<String, String> c = new HashMap<>(configs);
        c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        boolean created;
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, replication).configs(c)))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            created = true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
            }
            created = false;
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + topic + ": no answer in " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
        if (!created) {
            String policy = cleanupPolicy(admin);
            if (policy != null && !policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                LOG.warn("Topic {} has cleanup.policy={}, not compact: retention may delete model versions",
                        topic, policy);
            }
        }
        return created;
    }

    /** The topic's {@code cleanup.policy}, or null when it cannot be read. */
    public String cleanupPolicy(Admin admin) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config cfg = admin.describeConfigs(List.of(r)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(r);
            ConfigEntry e = cfg == null ? null : cfg.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            return e == null ? null : e.value();
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public List<ModelArtifact> list() {
        Map<String, ModelArtifact> byKey = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        scan((partitionOffset, key, value) -> {
            String where = partitionOffset + (key == null ? "" : " key " + key);
            if (key == null) {
                bad.add(where + ": record without a key");
                return;
            }
            if (value == null) {
                byKey.remove(key);
                return;
            }
            ModelArtifact a;
            try {
                a = ModelCodec.decode(value);
            } catch (IllegalArgumentException e) {
                bad.add(where + ": " + e.getMessage());
                return;
            }
            if (!a.storeKey().equals(key)) {
                bad.add(where + ": holds " + a.storeKey());
                return;
            }
            byKey.put(key, a);
        });
        List<ModelArtifact> out = new ArrayList<>(byKey.values());
        out.sort(ORDER);
        rejected = Collections.unmodifiableList(bad);
        return out;
    }

    @Override
    public List<String> rejected() {
        return rejected;
    }

    @Override
    public void publish(ModelArtifact artifact) {
        byte[] key = artifact.storeKey().getBytes(StandardCharsets.UTF_8);
        byte[] value = ModelCodec.encode(artifact);
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish " + artifact.storeKey() + " to " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot publish " + artifact.storeKey() + " to " + topic
                    + ": no acknowledgement in " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + artifact.storeKey(), e);
        }
    }

    /**
     * One more than the highest version of {@code modelId} among the topic's keys, whether or not
     * their values decode; 1 when none.
     */
    @Override
    public long nextVersion(String modelId) {
        String prefix = modelId + "@";
        long[] max = {0};
        scan((where, key, value) -> {
            if (key != null && key.startsWith(prefix)) {
                try {
                    long v = Long.parseLong(key.substring(prefix.length()));
                    max[0] = Math.max(max[0], v);
                } catch (NumberFormatException ignored) {
                    // another id that starts with this one and an '@'
                }
            }
        });
        if (max[0] == Long.MAX_VALUE) {
            throw new IllegalStateException("model " + modelId + " has no version numbers left");
        }
        return max[0] + 1;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.putAll(clientProps);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(timeout.toMillis(), 1000)));
            p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    Long.toString(Math.min(30_000, Math.max(timeout.toMillis(), 1000))));
            p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    private interface Visitor {
        void accept(String partitionOffset, String key, byte[] value);
    }

    /** Reads every partition from its beginning to its end offset at the call, in offset order. */
    private void scan(Visitor visitor) {
        Properties p = new Properties();
        p.putAll(clientProps);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : infos) {
                parts.add(new TopicPartition(topic, i.partition()));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(parts, timeout));
            end.entrySet().removeIf(e -> consumer.position(e.getKey(), remaining(deadline)) >= e.getValue());
            while (!end.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading topic " + topic + " took longer than " + timeout
                            + "; partitions not read to their end: " + end.keySet());
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Long stop = end.get(new TopicPartition(r.topic(), r.partition()));
                    if (stop == null || r.offset() >= stop) {
                        continue;
                    }
                    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    visitor.accept(r.topic() + "-" + r.partition() + "@" + r.offset(), key, r.value());
                }
                Collection<TopicPartition> done = new ArrayList<>();
                for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                    if (consumer.position(e.getKey(), remaining(deadline)) >= e.getValue()) {
                        done.add(e.getKey());
                    }
                }
                done.forEach(end::remove);
                if (!done.isEmpty()) {
                    consumer.pause(done);
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("cannot read topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000));
    }
}
