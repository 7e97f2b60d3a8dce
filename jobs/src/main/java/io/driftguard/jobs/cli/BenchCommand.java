package io.driftguard.jobs.cli;

import io.driftguard.jobs.bench.BenchDetectCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks: throughput of the pipeline and detection quality against baselines. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks with published baselines run side by side.",
        subcommands = {BenchThroughputCommand.class, BenchDetectCommand.class, io.driftguard.jobs.bench.BenchAdaptCommand.class, io.driftguard.jobs.bench.BenchAirQualityCommand.class})
final class BenchCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
