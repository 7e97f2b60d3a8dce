/**
 * Offline segmentation of a series by changes in its dynamics: delay embeddings ({@link
 * io.driftguard.operators.segment.DelayEmbedding}), kernel change-point detection on them with
 * PELT ({@link io.driftguard.operators.segment.KernelChangePoints}) and a classifier two-sample
 * check of each change ({@link io.driftguard.operators.segment.NeighbourScore}).
 *
 * <p>Nothing here depends on Flink. Definitions and measurements: operators/README.md, "Offline
 * segmentation".
 */
package io.driftguard.operators.segment;
