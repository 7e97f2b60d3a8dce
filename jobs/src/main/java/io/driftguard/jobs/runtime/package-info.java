/** The embedded runtime: a local Kafka broker and local Flink execution. */
package io.driftguard.jobs.runtime;
