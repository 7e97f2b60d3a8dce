/**
 * Two-sample statistics between windows: Gaussian-kernel MMD with the median heuristic and
 * permutation tests (single and multi-bandwidth), the proxy A-distance, MEDA's dynamic factor and
 * the offline two-sample report.
 *
 * <p>Nothing here depends on Flink. Definitions follow operators/README.md.
 */
package io.driftguard.operators.stats;
