/** Job topologies, configuration, the command line and the embedded runtime. */
package io.driftguard.jobs;
