package io.driftguard.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command-line contract of DESIGN section 5: usage, exit codes and one-line errors. */
class DriftguardCliTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path dir;

    private Path gaussianCsv(String name, long seed, int rows, String[] columns, double[] means)
            throws IOException {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns.length; j++) {
                sb.append(j > 0 ? "," : "")
                        .append(String.format(Locale.ROOT, "%.6f", means[j] + rnd.nextGaussian()));
            }
            sb.append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private static final String[] XYZ = {"x1", "x2", "x3"};

    // ---------------------------------------------------------------- usage

    @Test
    void topLevelHelpListsEverySubcommand() {
        CliRun.Outcome o = CliRun.run("--help");
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("Usage: driftguard");
        for (String sub : List.of("demo", "run", "replay", "test", "bench", "kafka-local")) {
            assertThat(o.out()).containsPattern("(?m)^\\s+" + sub + "\\s");
        }
        assertThat(o.err()).isEmpty();
    }

    @Test
    void noArgumentsPrintsUsageAndSucceeds() {
        CliRun.Outcome o = CliRun.run();
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("Usage: driftguard");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "demo",
                "run",
                "replay",
                "test",
                "bench",
                "kafka-local"
            })
    void everySubcommandPrintsUsageOnHelp(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        CliRun.Outcome o = CliRun.run(args.toArray(new String[0]));
        assertThat(o.code()).as("stderr: %s", o.err()).isZero();
        assertThat(o.out()).contains("Usage: driftguard " + command);
        assertThat(o.err()).isEmpty();
    }

    @Test
    void subcommandUsageDocumentsTheContractOptions() {
        String replay = CliRun.run("replay", "--help").out();
        for (String opt :
                List.of("--input", "--events", "--time-col", "--key-col", "--label-col", "--features",
                        "--window", "--reference", "--dead-letters")) {
            assertThat(replay).contains(opt);
        }
        String test = CliRun.run("test", "--help").out();
        assertThat(test).contains("--reference").contains("--current").contains("--permutations");
        assertThat(CliRun.run("run", "--help").out()).contains("--config");
    }

    @Test
    void everySubcommandsSummaryIsOneWholeSentence() {
        // the command list shows only the first line of each description
        CommandLine root = DriftguardCli.newCommandLine();
        List<CommandLine> all = new ArrayList<>(root.getSubcommands().values());
        all.addAll(root.getSubcommands().get("bench").getSubcommands().values());
        for (CommandLine c : all) {
            String[] description = c.getCommandSpec().usageMessage().description();
            assertThat(description).as(c.getCommandName()).isNotEmpty();
            assertThat(description[0]).as(c.getCommandName()).endsWith(".");
        }
    }

    @Test
    void testComparesAllRowsUnlessToldOtherwiseAndSaysHowMany() throws IOException {
        Path a = gaussianCsv("big-a.csv", 1, 1500, XYZ, new double[3]);
        Path b = gaussianCsv("big-b.csv", 2, 1200, XYZ, new double[] {0.5, 0, 0});
        CliRun.Outcome all = CliRun.run("test", "--reference", a.toString(), "--current", b.toString(), "--permutations", "19");
        assertThat(all.code()).as(all.err()).isZero();
        JsonNode n = MAPPER.readTree(all.out());
        assertThat(n.get("n_ref_used").asInt()).isEqualTo(1500);
        assertThat(n.get("n_cur_used").asInt()).isEqualTo(1200);
        assertThat(all.err()).contains("comparing 1500 of 1500 reference rows and 1200 of 1200 current rows");
        CliRun.Outcome some = CliRun.run("test", "--reference", a.toString(), "--current", b.toString(), "--permutations", "19",
                "--max-rows", "300");
        assertThat(some.code()).as(some.err()).isZero();
        n = MAPPER.readTree(some.out());
        assertThat(n.get("n_ref_used").asInt()).isEqualTo(300);
        assertThat(n.get("n_cur_used").asInt()).isEqualTo(300);
        assertThat(some.err()).contains("comparing 300 of 1500 reference rows and 300 of 1200 current rows");
        assertThat(CliRun.run("test", "--reference", a.toString(), "--current", b.toString(), "--max-rows", "1").usageError())
                .contains("--max-rows must be at least 2");
    }

    @Test
    void testImputesMissingCellsAndStillRefusesText() throws IOException {
        StringBuilder a = new StringBuilder("x,y\n");
        StringBuilder b = new StringBuilder("x,y\n");
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            a.append(i % 10 == 0 ? "NA" : String.format(Locale.ROOT, "%.4f", r.nextGaussian())).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", r.nextGaussian())).append('\n');
            b.append(String.format(Locale.ROOT, "%.4f", r.nextGaussian() + 1)).append(',')
                    .append(i % 4 == 0 ? "" : String.format(Locale.ROOT, "%.4f", r.nextGaussian())).append('\n');
        }
        Path ra = file("na-a.csv", a.toString());
        Path rb = file("na-b.csv", b.toString());
        CliRun.Outcome o = CliRun.run("test", "--reference", ra.toString(), "--current", rb.toString(), "--permutations", "99");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).contains("20 reference and 50 current cells are missing");
        JsonNode n = MAPPER.readTree(o.out());
        assertThat(n.get("n_ref_used").asInt()).isEqualTo(200);
        // a shift of one standard deviation in x is found with 10% of the reference's x missing
        assertThat(n.get("p_value").asDouble()).isLessThan(0.05);
        Path bad = file("na-bad.csv", "x,y\n1,2\nabc,3\n4,5\n");
        assertThat(CliRun.run("test", "--reference", ra.toString(), "--current", bad.toString()).usageError())
                .contains("non-numeric value 'abc'");
    }

    // ---------------------------------------------------------------- bad arguments

    @Test
    void unknownOptionIsOneLineWithExitTwo() {
        String line = CliRun.run("--no-such-option").usageError();
        assertThat(line).contains("--no-such-option");
        assertThat(CliRun.run("--no-such-option").out()).isEmpty();
    }

    @Test
    void unknownOptionOfASubcommandIsOneLineWithExitTwo() throws IOException {
        Path a = gaussianCsv("a.csv", 1, 10, XYZ, new double[3]);
        String line = CliRun.run("test", "--reference", a.toString(), "--current", a.toString(), "--bogus").usageError();
        assertThat(line).startsWith("driftguard test: ").contains("--bogus");
    }

    @Test
    void benchInTheProductJarSaysWhereTheBenchmarksAre() {
        // the bench module is not on this module's class path, as it is not in driftguard.jar
        String line = CliRun.run("bench", "throughput", "--rounds", "3").usageError();
        assertThat(line).startsWith("driftguard bench: ").contains("driftguard-bench.jar");
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        CliRun.run("frobnicate").usageError();
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        assertThat(CliRun.run("test", "--reference", "a.csv").usageError()).contains("--current");
        assertThat(CliRun.run("replay", "--events", "e.jsonl").usageError()).contains("--input");
        assertThat(CliRun.run("run").usageError()).contains("--config");
    }

    @Test
    void nonNumericOptionValueIsAUsageError() throws IOException {
        Path a = gaussianCsv("a.csv", 1, 10, XYZ, new double[3]);
        CliRun.run("test", "--reference", a.toString(), "--current", a.toString(), "--permutations", "many").usageError();
    }

    // ---------------------------------------------------------------- test: bad input

    @Test
    void testWithAMissingFileNamesIt() throws IOException {
        Path a = gaussianCsv("a.csv", 1, 10, XYZ, new double[3]);
        Path missing = dir.resolve("missing.csv");
        String line = CliRun.run("test", "--reference", a.toString(), "--current", missing.toString()).usageError();
        assertThat(line).contains(missing.toString());
        line = CliRun.run("test", "--reference", missing.toString(), "--current", a.toString()).usageError();
        assertThat(line).contains(missing.toString());
    }

    @Test
    void testWithANonNumericCellNamesFileAndLine() throws IOException {
        Path a = gaussianCsv("a.csv", 1, 10, XYZ, new double[3]);
        Path b = file("b.csv", "x1,x2,x3\n1,2,3\n4,5,6\n7,oops,9\n");
        String line = CliRun.run("test", "--reference", a.toString(), "--current", b.toString()).usageError();
        assertThat(line).contains(b + ":4").contains("oops");
        assertThat(CliRun.run("test", "--reference", a.toString(), "--current", b.toString()).out()).isEmpty();
    }

    @Test
    void testWithARaggedRowNamesFileAndLine() throws IOException {
        Path a = file("a.csv", "x1,x2,x3\n1,2,3\n4,5\n7,8,9\n");
        Path b = gaussianCsv("b.csv", 2, 10, XYZ, new double[3]);
        String line = CliRun.run("test", "--reference", a.toString(), "--current", b.toString()).usageError();
        assertThat(line).contains(a + ":3");
    }

    @Test
    void testWithAnInfiniteCellNamesFileAndLine() throws IOException {
        // NaN is a missing value (imputed); an infinity is bad input
        Path a = gaussianCsv("a.csv", 1, 10, XYZ, new double[3]);
        Path b = file("b.csv", "x1,x2,x3\n1,2,3\n4,5,6\n7,8,9\n1,Infinity,2\n");
        String line = CliRun.run("test", "--reference", a.toString(), "--current", b.toString()).usageError();
        assertThat(line).contains(b + ":5").contains("Infinity");
    }

    @Test
    void testWithACurrentFileLackingAColumnIsAUsageError() throws IOException {
        Path a = gaussianCsv("a.csv", 1, 10, XYZ, new double[3]);
        Path b = gaussianCsv("b.csv", 2, 10, new String[] {"x1", "x2", "w"}, new double[3]);
        String line = CliRun.run("test", "--reference", a.toString(), "--current", b.toString()).usageError();
        assertThat(line).contains(b.toString()).contains("x3");
    }

    @Test
    void testWithACurrentFileHavingAnExtraColumnIsAUsageError() throws IOException {
        Path a = gaussianCsv("a.csv", 1, 10, XYZ, new double[3]);
        Path b = gaussianCsv("b.csv", 2, 10, new String[] {"x1", "x2", "x3", "x4"}, new double[4]);
        String line = CliRun.run("test", "--reference", a.toString(), "--current", b.toString()).usageError();
        assertThat(line).contains("column");
    }

    @Test
    void testWithTooFewRowsIsAUsageError() throws IOException {
        Path a = gaussianCsv("a.csv", 1, 10, XYZ, new double[3]);
        Path b = gaussianCsv("b.csv", 2, 1, XYZ, new double[3]);
        CliRun.run("test", "--reference", a.toString(), "--current", b.toString()).usageError();
    }

    @Test
    void testWithZeroPermutationsIsAUsageError() throws IOException {
        Path a = gaussianCsv("a.csv", 1, 10, XYZ, new double[3]);
        assertThat(CliRun.run("test", "--reference", a.toString(), "--current", a.toString(),
                "--permutations", "0").usageError()).contains("--permutations");
    }

    // ---------------------------------------------------------------- test: results

    private JsonNode testJson(Path ref, Path cur, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("test", "--reference", ref.toString(), "--current", cur.toString()));
        args.addAll(List.of(extra));
        CliRun.Outcome o = CliRun.run(args.toArray(new String[0]));
        assertThat(o.code()).as("stderr: %s", o.err()).isZero();
        List<String> lines = o.out().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("stdout is one JSON object").hasSize(1);
        JsonNode n = MAPPER.readTree(lines.get(0));
        assertThat(n.isObject()).isTrue();
        return n;
    }

    private static Set<String> featureNames(JsonNode n) {
        Set<String> names = new TreeSet<>();
        n.get("features").forEach(f -> names.add(f.get("name").asText()));
        return names;
    }

    @Test
    void shiftedSamplesGiveOneJsonObjectWithASmallPValue() throws IOException {
        Path ref = gaussianCsv("ref.csv", 101, 100, XYZ, new double[] {0, 0, 0});
        Path cur = gaussianCsv("cur.csv", 202, 120, XYZ, new double[] {1, 1, 1});
        JsonNode n = testJson(ref, cur);
        for (String field : List.of("mmd2", "sigma", "p_value", "a_distance", "n_ref", "n_cur", "features")) {
            assertThat(n.has(field)).as("field %s in %s", field, n).isTrue();
        }
        assertThat(n.get("n_ref").asInt()).isEqualTo(100);
        assertThat(n.get("n_cur").asInt()).isEqualTo(120);
        assertThat(n.get("mmd2").asDouble()).isPositive();
        assertThat(n.get("sigma").asDouble()).isPositive();
        assertThat(n.get("p_value").asDouble()).isGreaterThan(0.0).isLessThan(0.01);
        assertThat(n.get("a_distance").asDouble()).isBetween(0.5, 2.0);
        assertThat(featureNames(n)).containsExactly("x1", "x2", "x3");
        n.get("features").forEach(f -> assertThat(f.get("score").isNumber()).isTrue());
    }

    @Test
    void samplesFromOneDistributionGiveALargePValue() throws IOException {
        Path ref = gaussianCsv("ref.csv", 303, 100, XYZ, new double[] {0, 0, 0});
        Path cur = gaussianCsv("cur.csv", 404, 100, XYZ, new double[] {0, 0, 0});
        JsonNode n = testJson(ref, cur);
        assertThat(n.get("p_value").asDouble()).isGreaterThan(0.01).isLessThanOrEqualTo(1.0);
        assertThat(n.get("a_distance").asDouble()).isBetween(0.0, 0.5);
        assertThat(n.get("n_ref").asInt()).isEqualTo(100);
        assertThat(n.get("n_cur").asInt()).isEqualTo(100);
    }

    @Test
    void columnsAreMatchedByNameNotPosition() throws IOException {
        double[] means = {0, 6, -6};
        Path ref = gaussianCsv("ref.csv", 505, 80, XYZ, means);
        Path cur = gaussianCsv("cur.csv", 606, 80, new String[] {"x3", "x1", "x2"}, new double[] {-6, 0, 6});
        JsonNode n = testJson(ref, cur, "--permutations", "199");
        assertThat(n.get("p_value").asDouble()).isGreaterThan(0.01);
    }

    @Test
    void columnsOptionRestrictsTheComparison() throws IOException {
        Path ref = gaussianCsv("ref.csv", 707, 60, XYZ, new double[] {0, 0, 0});
        Path cur = gaussianCsv("cur.csv", 808, 60, XYZ, new double[] {0, 0, 3});
        JsonNode only12 = testJson(ref, cur, "--permutations", "199", "--columns", "x1,x2");
        assertThat(featureNames(only12)).containsExactly("x1", "x2");
        assertThat(only12.get("p_value").asDouble()).isGreaterThan(0.01);
        JsonNode all = testJson(ref, cur, "--permutations", "199");
        assertThat(all.get("p_value").asDouble()).isLessThan(0.01);
        assertThat(all.get("features").get(0).get("name").asText()).isEqualTo("x3");
    }

    @Test
    void sameInputAndSeedGiveTheSameOutput() throws IOException {
        Path ref = gaussianCsv("ref.csv", 909, 100, XYZ, new double[] {0, 0, 0});
        Path cur = gaussianCsv("cur.csv", 1010, 100, XYZ, new double[] {0.3, 0, 0});
        String[] args = {"test", "--reference", ref.toString(), "--current", cur.toString(),
            "--permutations", "199", "--seed", "7"};
        CliRun.Outcome first = CliRun.run(args);
        CliRun.Outcome second = CliRun.run(args);
        assertThat(first.code()).isZero();
        assertThat(second.out()).isEqualTo(first.out()).isNotBlank();
    }

    // ---------------------------------------------------------------- replay and run

    @Test
    void replayWithAMissingInputIsAUsageError() {
        Path missing = dir.resolve("nope.csv");
        Path events = dir.resolve("events.jsonl");
        String line = CliRun.run("replay", "--input", missing.toString(), "--events", events.toString()).usageError();
        assertThat(line).contains(missing.toString());
        assertThat(events).doesNotExist();
    }

    @Test
    void replayWritesEventsAndDeadLettersAndSummarisesThem() throws Exception {
        // 6,000 rows of three features, x1 shifted by 3 sd from row 4,500, then one bad row; no
        // time column, so times are row indices and windows of 100 rows line up with them
        Random rnd = new Random(7);
        StringBuilder sb = new StringBuilder("x1,x2,x3\n");
        for (int i = 0; i < 6000; i++) {
            double shift = i >= 4500 ? 3.0 : 0.0;
            sb.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f%n",
                    rnd.nextGaussian() + shift, rnd.nextGaussian(), rnd.nextGaussian()));
        }
        sb.append("1.0,abc,2.0\n");
        Path in = file("shift.csv", sb.toString());
        Path events = dir.resolve("events.jsonl");
        Path dead = dir.resolve("dead.jsonl");
        CliRun.Outcome o = CliRun.run("replay", "--input", in.toString(), "--events", events.toString(), "--dead-letters",
                dead.toString(), "--window", "100", "--reference", "previous");
        assertThat(o.code()).as(o.err()).isZero();

        ObjectMapper om = new ObjectMapper();
        List<JsonNode> ev = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            ev.add(om.readTree(line));
        }
        // 60 windows of good rows; under previous every one from the second on is evaluated
        assertThat(ev).hasSize(59);
        assertThat(ev).allSatisfy(e -> assertThat(e.get("calibrated").isBoolean()).isTrue());
        long uncalibrated = ev.stream().filter(e -> !e.get("calibrated").asBoolean()).count();
        List<Long> alarms = ev.stream().filter(e -> e.get("drift").asBoolean())
                .map(e -> e.get("window_start").asLong()).toList();
        assertThat(alarms).containsExactly(4500L);
        List<String> deadLines = Files.readAllLines(dead);
        assertThat(deadLines).singleElement().satisfies(l -> assertThat(l).contains("non-numeric"));
        assertThat(o.out()).contains(String.format(Locale.ROOT,
                "59 windows evaluated (%d before their key was calibrated), 1 drift alarms, 1 dead letters",
                uncalibrated));
        // the key's first 37 windows decide before it has a null history of 30 statistics (4
        // reference windows, 30 statistics admitted 3 windows late), and the 10 after the alarm
        // while its reference rebuilds (6 settling, 4 reference windows)
        assertThat(uncalibrated).isEqualTo(37 + 10);
        assertThat(ev.stream().filter(e -> e.get("drift").asBoolean()))
                .allSatisfy(e -> assertThat(e.get("calibrated").asBoolean()).isTrue());
    }

    @Test
    void replayWithABadWindowIsAUsageError() throws IOException {
        Path in = gaussianCsv("in.csv", 5, 20, XYZ, new double[3]);
        Path events = dir.resolve("events.jsonl");
        String line = CliRun.run("replay", "--input", in.toString(), "--events", events.toString(),
                "--window", "10x").usageError();
        assertThat(line).contains("10x");
        assertThat(events).doesNotExist();
    }

    @Test
    void replayWithABadReferenceIsAUsageError() throws IOException {
        Path in = gaussianCsv("in.csv", 5, 20, XYZ, new double[3]);
        String line = CliRun.run("replay", "--input", in.toString(), "--events",
                dir.resolve("e.jsonl").toString(), "--reference", "sometimes").usageError();
        assertThat(line).contains("sometimes");
    }

    @Test
    void replayWithAnUnknownColumnNamesTheInput() throws IOException {
        Path in = gaussianCsv("in.csv", 5, 20, XYZ, new double[3]);
        String line = CliRun.run("replay", "--input", in.toString(), "--events",
                dir.resolve("e.jsonl").toString(), "--time-col", "when").usageError();
        assertThat(line).contains(in.toString()).contains("when");
    }

    @Test
    void runWithAMissingConfigIsAUsageError() {
        Path missing = dir.resolve("missing.yaml");
        String line = CliRun.run("run", "--config", missing.toString()).usageError();
        assertThat(line).contains(missing.toString());
    }

    @Test
    void runWithAnUnknownDriftKeyIsAUsageError() throws IOException {
        Path conf = file("c.yaml", "drift:\n  windw:\n    size: 500\n");
        String line = CliRun.run("run", "--config", conf.toString()).usageError();
        assertThat(line).contains("drift.windw.size");
    }

    @Test
    void runWithAnInvalidWindowIsRejectedBeforeAnythingStarts() throws IOException {
        Path conf = file("c.yaml", "kafka:\n  bootstrap-servers: 127.0.0.1:1\n");
        CliRun.run("run", "--config", conf.toString(), "--window", "2").usageError();
    }
}
