package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.jobs.cli.CliRun;
import io.driftguard.jobs.cli.DriftguardCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code driftguard bench} with this module on the class path, as in driftguard-bench.jar. */
class BenchCliTest {

    @TempDir Path dir;

    @Test
    void theProductCommandLineFindsTheBenchmarks() {
        CommandLine bench = DriftguardCli.newCommandLine().getSubcommands().get("bench");
        Object command = bench.getCommand();
        assertThat(command).isInstanceOf(BenchCommand.class);
        assertThat(bench.getSubcommands()).containsKeys("throughput", "detect", "adapt", "airquality");
        for (CommandLine c : bench.getSubcommands().values()) {
            String[] description = c.getCommandSpec().usageMessage().description();
            assertThat(description).as(c.getCommandName()).isNotEmpty();
            assertThat(description[0]).as(c.getCommandName()).endsWith(".");
        }
        for (String sub : List.of("throughput", "detect", "adapt", "airquality")) {
            CliRun.Outcome o = CliRun.run("bench", sub, "--help");
            assertThat(o.code()).as("stderr: %s", o.err()).isZero();
            assertThat(o.out()).contains("Usage: driftguard bench " + sub);
        }
    }

    @Test
    void benchAirqualityRejectsASinglePeriod() {
        assertThat(CliRun.run("bench", "airquality", "--data", dir.toString(), "--periods", "2,1").usageError())
                .contains("--periods takes K from 2 to 10, got 1");
    }

    @Test
    void benchHelpListsItsSubcommands() {
        CliRun.Outcome o = CliRun.run("bench", "--help");
        assertThat(o.out()).containsPattern("(?m)^\\s+throughput\\s").containsPattern("(?m)^\\s+detect\\s");
    }

    @Test
    void benchThroughputRejectsZeroRoundsAndReportsTheMedianOfSeveral() throws IOException {
        assertThat(CliRun.run("bench", "throughput", "--rounds", "0").usageError()).contains("rounds >= 1");
        assertThat(CliRun.run("bench", "throughput", "--window", "5000,soon").usageError()).contains("--window soon");
        assertThat(CliRun.run("bench", "throughput", "-D", "drift.sketch.kll-k=7").usageError()).contains("KLL k");
        assertThat(CliRun.run("bench", "throughput", "-D", "drift.sketch.kl-k=0").usageError()).contains("drift.sketch.kl-k");
        Path json = dir.resolve("throughput.json");
        Set<String> before = benchTempDirs();
        CliRun.Outcome o = CliRun.run("bench", "throughput", "--records", "2000", "--keys", "2", "--window", "100,250ms",
                "--kafka-records", "0", "--rounds", "3", "-D", "drift.sketch.kll-k=0", "--out", json.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("[window 100, round 1]").contains("[window 250ms, round 3]")
                .contains("median of 3 rounds").contains("per window evaluated")
                .contains("on/off median        : no 95% interval from fewer than 6 rounds [window 100]");
        // the sides alternate: off first in rounds 1 and 3, on first in round 2
        for (int round = 1; round <= 3; round++) {
            String tag = "[window 100, round " + round + "]";
            String out = o.out();
            int offAt = lineWith(out, "replay, sketches off", tag);
            int onAt = lineWith(out, "replay, sketches on ", tag);
            assertThat(offAt < onAt).as("round %s runs sketches off first: %s", round, out).isEqualTo(round != 2);
        }
        // the generated CSVs go with the run
        assertThat(benchTempDirs()).isEqualTo(before);
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertThat(r.get("rounds").asInt()).isEqualTo(3);
        assertThat(r.get("config").get("drift.sketch.kll-k").asText()).isEqualTo("0");
        assertThat(o.out()).contains("configuration        : {drift.sketch.kll-k=0}");
        JsonNode count = r.get("windows").get(0);
        assertThat(count.get("on_off_ratio_per_round")).hasSize(3);
        double[] ratios = new double[3];
        for (int i = 0; i < 3; i++) {
            ratios[i] = count.get("on_off_ratio_per_round").get(i).asDouble();
        }
        java.util.Arrays.sort(ratios);
        assertThat(count.get("on_off_ratio").asDouble()).isEqualTo(ratios[1]);
        // 2 keys x 1000 records in windows of 100: 10 windows per key, the first has no reference
        assertThat(count.get("windows_evaluated").asInt()).isEqualTo(18);
        // one record per key and millisecond: 250 ms windows hold 250 records, 4 per key
        JsonNode time = r.get("windows").get(1);
        assertThat(time.get("records_per_window").asLong()).isEqualTo(250);
        assertThat(time.get("windows_evaluated").asInt()).isEqualTo(6);
        assertThat(r.get("sketch_us_per_record").isNumber()).isTrue();
        assertThat(r.get("evaluation_ms_per_window").isNumber()).isTrue();
        // runs this short fit anything; the bench says whether the fit is usable
        assertThat(r.get("fit_plausible").isBoolean()).isTrue();
        assertThat(o.out()).contains("on/off ratio >= 0.7  : ");
    }

    @Test
    void benchThroughputWarmsTheEvaluationUpWhenItsWindowsAreLong() {
        // 1,000 records per key: the warm-up holds less than two windows of 600, so it adds count
        // windows of 250 (three evaluated per key); windows of 100 need no such run
        CliRun.Outcome o = CliRun.run("bench", "throughput", "--records", "2000", "--keys", "2", "--window", "100,600",
                "--kafka-records", "0");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("warming up           : window 100" + System.lineSeparator())
                .contains("warming up           : window 600 (and windows of 250 records, to compile the evaluation)");
    }

    /** Index of the first line of {@code out} that starts with {@code start} and ends with {@code tag}. */
    private static int lineWith(String out, String start, String tag) {
        String[] lines = out.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(start) && lines[i].endsWith(tag)) {
                return i;
            }
        }
        throw new AssertionError("no line " + start + " ... " + tag + " in " + out);
    }

    private static Set<String> benchTempDirs() throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("driftguard-bench"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

}
