package io.driftguard.connectors.kafka;

import io.driftguard.connectors.serde.EventJson;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Builds the Kafka source of input records and the sinks of drift events and dead letters. */
public final class KafkaConnectors {

    /** Producer transaction timeout: below the broker's default transaction.max.timeout.ms. */
    public static final String TRANSACTION_TIMEOUT_MS = "600000";

    private KafkaConnectors() {}

    /**
     * A source of raw input values.
     *
     * @param bounded stop at the offsets current when the job starts (replay of a topic)
     */
    public static KafkaSource<KafkaBytes> inputSource(
            String bootstrapServers, String topic, String groupId, boolean fromEarliest,
            boolean bounded, Properties extra) {
        var b =
                KafkaSource.<KafkaBytes>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(topic)
                        .setGroupId(groupId)
                        .setDeserializer(new KafkaBytesDeserializer())
                        .setStartingOffsets(
                                fromEarliest
                                        ? OffsetsInitializer.committedOffsets(
                                                org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST)
                                        : OffsetsInitializer.latest())
                        .setProperties(extra);
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** An exactly-once sink of drift events as JSON values keyed by record key. */
    public static KafkaSink<DriftEvent> driftSink(
            String bootstrapServers, String topic, String transactionalIdPrefix,
            DeliveryGuarantee guarantee, Properties extra) {
        Properties props = new Properties();
        props.putAll(extra);
        props.putIfAbsent("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        return KafkaSink.<DriftEvent>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(props)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setRecordSerializer(
                        (KafkaRecordSerializationSchema<DriftEvent>)
                                (e, ctx, ts) ->
                                        new ProducerRecord<>(
                                                topic,
                                                null,
                                                e.windowEnd(),
                                                e.key().getBytes(StandardCharsets.UTF_8),
                                                EventJson.toBytes(e)))
                .build();
    }

    /** Default cap on the raw bytes a dead letter keeps in the dead-letter topic (64 KiB). */
    public static final int DEFAULT_DLQ_MAX_RAW_BYTES = 64 * 1024;

    /** Name of the record header that carries a dead letter's raw bytes exactly (after the cap). */
    public static final String RAW_HEADER = "driftguard.raw";

    /** An at-least-once sink of dead letters, raw bytes capped at {@link #DEFAULT_DLQ_MAX_RAW_BYTES}. */
    public static KafkaSink<DeadLetter> deadLetterSink(
            String bootstrapServers, String topic, Properties extra) {
        return deadLetterSink(bootstrapServers, topic, extra, DEFAULT_DLQ_MAX_RAW_BYTES);
    }

    /**
     * An at-least-once sink of dead letters as JSON values keyed by their source. The raw input
     * goes into the JSON as text and, byte for byte, into the {@link #RAW_HEADER} header (the JSON
     * text cannot carry invalid UTF-8). Raw input longer than {@code maxRawBytes} is cut to that
     * many bytes and the reason says so, so that an oversized input still fits the producer's
     * {@code max.request.size}.
     */
    public static KafkaSink<DeadLetter> deadLetterSink(
            String bootstrapServers, String topic, Properties extra, int maxRawBytes) {
        if (maxRawBytes < 0) {
            throw new IllegalArgumentException("the dead letters' raw byte cap must not be negative");
        }
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(extra)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(
                        (KafkaRecordSerializationSchema<DeadLetter>)
                                (d, ctx, ts) -> {
                                    DeadLetter kept = capRaw(d, maxRawBytes);
                                    ProducerRecord<byte[], byte[]> r =
                                            new ProducerRecord<>(
                                                    topic,
                                                    kept.source().getBytes(StandardCharsets.UTF_8),
                                                    EventJson.toBytes(kept));
                                    r.headers().add(RAW_HEADER, kept.raw());
                                    return r;
                                })
                .build();
    }

    /**
     * The dead letter with its raw bytes cut to {@code maxRawBytes}, the reason ending with
     * {@code [raw truncated from N bytes]}; the dead letter itself when it fits.
     */
    public static DeadLetter capRaw(DeadLetter d, int maxRawBytes) {
        if (d.raw().length <= maxRawBytes) {
            return d;
        }
        return new DeadLetter(
                d.source(),
                d.reason() + " [raw truncated from " + d.raw().length + " bytes]",
                java.util.Arrays.copyOf(d.raw(), maxRawBytes));
    }

    /**
     * A source of model versions: every record of the models topic from the beginning (the
     * compacted topic holds every version and revocation), unbounded, values as received.
     * Records without a value (deletions) are skipped; the scoring operator checks the rest.
     */
    public static KafkaSource<byte[]> modelSource(String bootstrapServers, String topic, String groupId, Properties extra) {
        return KafkaSource.<byte[]>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema<byte[]>() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public void deserialize(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record,
                            org.apache.flink.util.Collector<byte[]> out) {
                        if (record.value() != null) {
                            out.collect(record.value());
                        }
                    }

                    @Override
                    public org.apache.flink.api.common.typeinfo.TypeInformation<byte[]> getProducedType() {
                        return org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
                    }
                })
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000")
                .setProperties(extra)
                .build();
    }

    /** A sink of model versions (codec bytes) keyed by {@code <model id>@<version>}. */
    public static KafkaSink<byte[]> modelSink(String bootstrapServers, String topic, String transactionalIdPrefix,
            DeliveryGuarantee guarantee, Properties extra) {
        Properties props = new Properties();
        props.putAll(extra);
        props.putIfAbsent("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        return KafkaSink.<byte[]>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(props)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setRecordSerializer(
                        (KafkaRecordSerializationSchema<byte[]>)
                                (b, ctx, ts) ->
                                        new ProducerRecord<>(
                                                topic,
                                                io.driftguard.operators.model.ModelCodec.decode(b).storeKey()
                                                        .getBytes(StandardCharsets.UTF_8),
                                                b))
                .build();
    }

    /** A sink of predictions as JSON values keyed by record key. */
    public static KafkaSink<io.driftguard.operators.scoring.Prediction> predictionSink(String bootstrapServers,
            String topic, String transactionalIdPrefix, DeliveryGuarantee guarantee, Properties extra) {
        Properties props = new Properties();
        props.putAll(extra);
        props.putIfAbsent("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        return KafkaSink.<io.driftguard.operators.scoring.Prediction>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(props)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setRecordSerializer(
                        (KafkaRecordSerializationSchema<io.driftguard.operators.scoring.Prediction>)
                                (p, ctx, ts) ->
                                        new ProducerRecord<>(
                                                topic,
                                                p.key().getBytes(StandardCharsets.UTF_8),
                                                EventJson.toBytes(p)))
                .build();
    }
}
