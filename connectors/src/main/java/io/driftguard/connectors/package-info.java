/** Kafka sources and sinks, record formats and file replay. */
package io.driftguard.connectors;
