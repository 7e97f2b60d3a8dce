package io.driftguard.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SegmentCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path dir;

    /** Two keys: "a" changes from a sine of period 20 to one of period 7 at row 600; "b" never. */
    private Path seededCsv() throws Exception {
        Random r = new Random(17);
        StringBuilder sb = new StringBuilder("ts,sensor,value\n");
        for (int t = 0; t < 1200; t++) {
            double a = t < 600 ? Math.sin(2 * Math.PI * t / 20) : Math.sin(2 * Math.PI * (t - 600) / 7);
            double b = Math.sin(2 * Math.PI * t / 20);
            long ts = 1_700_000_000_000L + 1000L * t;
            sb.append(String.format(Locale.ROOT, "%d,a,%.5f%n", ts, a + 0.1 * r.nextGaussian()));
            sb.append(String.format(Locale.ROOT, "%d,b,%.5f%n", ts, b + 0.1 * r.nextGaussian()));
        }
        Path f = dir.resolve("series.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    private record Outcome(int code, String out, String err) {}

    private Outcome run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        PrintStream realOut = System.out;
        System.setOut(ps);
        try {
            // built after the redirection: the command keeps the stream it is constructed with
            CommandLine cl = DriftguardCli.newCommandLine();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Outcome(code, bytes.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(realOut);
        }
    }

    @Test
    void findsTheKnownChangeOfOneKeyAndNoneInTheOther() throws Exception {
        Path csv = seededCsv();
        Outcome o = run("segment", "--input", csv.toString(), "--time-col", "ts", "--key-col", "sensor");
        assertThat(o.code()).as(o.err()).isEqualTo(0);
        List<String> lines = o.out().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(2);
        JsonNode a = MAPPER.readTree(lines.get(0));
        JsonNode b = MAPPER.readTree(lines.get(1));
        assertThat(a.get("key").asText()).isEqualTo("a");
        assertThat(a.get("n").asInt()).isEqualTo(1200);
        JsonNode cps = a.get("change_points");
        assertThat(cps).hasSize(1);
        int index = cps.get(0).get("index").asInt();
        assertThat(Math.abs(index - 600)).isLessThanOrEqualTo(3);
        assertThat(cps.get(0).get("time").asText()).isEqualTo(Long.toString(1_700_000_000_000L + 1000L * index));
        assertThat(cps.get(0).get("mmd2").asDouble()).isGreaterThan(0.1);
        assertThat(cps.get(0).get("score").asDouble()).isGreaterThan(0.9);
        assertThat(cps.get(0).get("before").asInt() + cps.get(0).get("after").asInt()).isEqualTo(1200);
        assertThat(b.get("key").asText()).isEqualTo("b");
        assertThat(b.get("change_points")).isEmpty();
        assertThat(a.get("window").asInt()).isPositive();
    }

    @Test
    void aGivenEmbeddingWindowIsUsed() throws Exception {
        Path csv = seededCsv();
        Outcome o = run("segment", "--input", csv.toString(), "--key-col", "sensor", "--features", "value",
                "--embedding", "20");
        assertThat(o.code()).as(o.err()).isEqualTo(0);
        JsonNode a = MAPPER.readTree(o.out().lines().findFirst().orElseThrow());
        assertThat(a.get("window").asInt()).isEqualTo(20);
        assertThat(a.get("change_points")).hasSize(1);
        assertThat(a.get("change_points").get(0).has("time")).isFalse();
    }

    @Test
    void badArgumentsExitWithCodeTwoAndOneLine() throws Exception {
        Path csv = seededCsv();
        for (String[] args : new String[][] {
            {"segment", "--input", csv.toString(), "--embedding", "zero"},
            {"segment", "--input", csv.toString(), "--embedding", "0"},
            {"segment", "--input", csv.toString(), "--penalty", "-1"},
            {"segment", "--input", csv.toString(), "--key-col", "nope"},
            {"segment", "--input", dir.resolve("missing.csv").toString()},
            {"segment"}
        }) {
            Outcome o = run(args);
            assertThat(o.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(o.err().lines().filter(l -> !l.isBlank()).count()).as(o.err()).isEqualTo(1);
        }
    }
}
