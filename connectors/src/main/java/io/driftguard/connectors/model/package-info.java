/**
 * Where published model versions live: the compacted Kafka topic {@code driftguard.models}
 * ({@link io.driftguard.connectors.model.KafkaModelStore}) or a model directory under {@code
 * replay} ({@link io.driftguard.connectors.model.DirectoryModelStore}), both holding {@link
 * io.driftguard.operators.model.ModelCodec} bytes, and the metadata JSON of a version ({@link
 * io.driftguard.connectors.model.ModelJson}).
 */
package io.driftguard.connectors.model;
