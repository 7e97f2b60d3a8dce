package io.driftguard.connectors.kafka;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Kafka record's value with its coordinates, kept raw so that parsing happens in an operator
 * that can route bad input to dead letters instead of failing the source.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the offset
 * @param value the value bytes (empty for a null value)
 */
public record KafkaBytes(String topic, int partition, long offset, byte[] value) {

    public KafkaBytes {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
    }

    /** Returns {@code topic/partition@offset}. */
    public String source() {
        return topic + "/" + partition + "@" + offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaBytes k
                && topic.equals(k.topic)
                && partition == k.partition
                && offset == k.offset
                && Arrays.equals(value, k.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }
}
