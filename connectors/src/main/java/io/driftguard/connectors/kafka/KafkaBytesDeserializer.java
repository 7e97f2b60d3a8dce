package io.driftguard.connectors.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Passes Kafka values through unparsed, with their coordinates. */
public final class KafkaBytesDeserializer implements KafkaRecordDeserializationSchema<KafkaBytes> {

    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaBytes> out) {
        byte[] v = record.value();
        out.collect(new KafkaBytes(record.topic(), record.partition(), record.offset(), v == null ? EMPTY : v));
    }

    @Override
    public TypeInformation<KafkaBytes> getProducedType() {
        return TypeInformation.of(KafkaBytes.class);
    }
}
