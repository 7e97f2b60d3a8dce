/**
 * {@code driftguard bench detect}: detection quality of driftguard's calibrated drift decisions
 * against MOA's per-feature detectors and an always-fire detector, on seeded synthetic suites with
 * known change points and on real data (TCPD, NAB, INSECTS).
 */
package io.driftguard.bench;
