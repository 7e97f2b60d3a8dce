package io.driftguard.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * Benchmarks: throughput of the pipeline, detection and adaptation quality against baselines. The
 * product's command line adds it as {@code driftguard bench} when this module is on the class
 * path (driftguard-bench.jar).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks with published baselines run side by side.",
        subcommands = {BenchThroughputCommand.class, BenchDetectCommand.class, BenchAdaptCommand.class,
            BenchAirQualityCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
