/** JMH benchmarks of the statistics and sketches; run them as operators/README.md shows. */
package io.driftguard.operators.bench;
