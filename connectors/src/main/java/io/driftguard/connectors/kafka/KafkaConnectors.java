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

    /** An at-least-once sink of dead letters as JSON values keyed by their source. */
    public static KafkaSink<DeadLetter> deadLetterSink(
            String bootstrapServers, String topic, Properties extra) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(extra)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(
                        (KafkaRecordSerializationSchema<DeadLetter>)
                                (d, ctx, ts) ->
                                        new ProducerRecord<>(
                                                topic,
                                                d.source().getBytes(StandardCharsets.UTF_8),
                                                EventJson.toBytes(d)))
                .build();
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
