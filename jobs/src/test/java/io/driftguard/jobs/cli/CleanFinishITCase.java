package io.driftguard.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A successful replay, run as its own process the way a user runs it, leaves standard error free
 * of warnings and stack traces: the local cluster's shutdown (the collect sink's socket, the pekko
 * actor system's shutdown hook) must not look like a failure.
 */
class CleanFinishITCase {

    @Test
    void replayWithModelAndReportPrintsNoWarning(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("shift.csv");
        Random rnd = new Random(7);
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("x0,x1,x2,y\n");
            for (int i = 0; i < 6000; i++) {
                double shift = i < 3000 ? 0 : 1.5;
                double x0 = rnd.nextGaussian() + shift;
                double x1 = rnd.nextGaussian();
                double x2 = rnd.nextGaussian() * (i < 3000 ? 1 : 2);
                String y = x0 + x1 > shift ? "up" : "down";
                w.write(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%s%n", x0, x1, x2, y));
            }
        }
        Path events = dir.resolve("events.jsonl");
        Path report = dir.resolve("report.html");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp", System.getProperty("java.class.path")));
        String natives = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (natives != null) {
            cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + natives);
        }
        cmd.addAll(List.of(DriftguardCli.class.getName(), "replay", "--input", csv.toString(),
                "--events", events.toString(), "--label-col", "y", "--task", "classification",
                "--window", "200", "--report", report.toString(), "--quiet"));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("replay finished in 5 minutes").isTrue();
        String out = Files.readString(dir.resolve("stdout.txt"));
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertThat(p.exitValue()).as("exit code; stderr:%n%s", err).isZero();
        assertThat(out).contains("replayed shift.csv").contains("report -> ");
        assertThat(Files.readString(report)).contains("window.DG_STATIC");
        List<String> bad = err.lines()
                .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception")
                        || l.contains("Error:") || l.startsWith("\tat "))
                .toList();
        assertThat(bad).as("warnings or stack traces on stderr:%n%s", err).isEmpty();
    }
}
