/** Statistics, sketches, drift evaluation and the Flink functions that run them. */
package io.driftguard.operators;
