/**
 * Mergeable, serialisable summaries of one window of one key: moments, per-feature quantiles, a
 * uniform reservoir sample and a random Fourier feature mean embedding.
 *
 * <p>Nothing here depends on Flink; the Flink functions keep these sketches in their state and
 * serialise them with {@code toBytes()}.
 */
package io.driftguard.operators.sketch;
