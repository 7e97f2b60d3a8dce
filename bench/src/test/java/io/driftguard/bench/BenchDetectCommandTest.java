package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchDetectCommandTest {

    @TempDir Path tmp;

    private static Path fixture() throws URISyntaxException {
        return Paths.get(BenchDetectCommandTest.class.getResource("tcpd/centralia.csv").toURI())
                .getParent();
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl =
                BenchDetectCommand.commandLine(
                        new BenchDetectCommand(
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8)));
        StringWriter clErr = new StringWriter();
        cl.setErr(new PrintWriter(clErr, true));
        int code = cl.execute(args);
        return new Run(
                code,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8) + clErr);
    }

    private static String line(String out, String start) {
        return out.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow();
    }

    @Test
    void tcpdFixtureMatchesThePublishedBinarySegmentationOnTheSameSeries() throws Exception {
        Path out = tmp.resolve("tcpd.json");
        Run r = run("--suite", "tcpd", "--data", fixture().toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        // the published default binseg reports centralia's change after record 9
        assertThat(json.get("centralia").toString()).isEqualTo("[9]");
        assertThat(r.out()).contains("paper's (1)");
        // centralia's published binseg: F1 0.9090909090909091, cover 0.5635978835978837
        assertThat(line(r.out(), "driftguard offline binseg")).contains("0.909 / 0.564");
        assertThat(line(r.out(), "binseg (published)")).contains("0.909 / 0.564");
        assertThat(line(r.out(), "bocpd (published)")).contains("0.909 / 0.612");
        assertThat(line(r.out(), "TCPD: the paper's default table itself"))
                .contains("35 series", "binseg 0.744 / 0.706", "bocpd 0.690 / 0.636");
    }

    @Test
    void tcpdScoresEachSeriesSetAndReportsTheLastRecordBeforeAChange() throws Exception {
        Path dir = tmp.resolve("tcpd");
        Path csv = dir.resolve("csv");
        Files.createDirectories(csv);
        Files.copy(fixture().resolve("centralia.csv"), csv.resolve("centralia.csv"));
        // a step between records 11 and 12; a quality_control_* series with one between 19 and 20
        StringBuilder step = new StringBuilder("t,step\n");
        StringBuilder qc = new StringBuilder("t,qc\n");
        for (int t = 0; t < 30; t++) {
            step.append(t).append(',').append(t >= 12 ? 5 : 0).append('\n');
            qc.append(t).append(',').append(t >= 20 ? 1 : 0).append('\n');
        }
        Files.writeString(csv.resolve("step.csv"), step);
        Files.writeString(csv.resolve("quality_control_9.csv"), qc);
        Files.writeString(
                dir.resolve("annotations.json"),
                "{\"centralia\": {\"6\": [3, 12], \"7\": [], \"8\": [12], \"9\": [4, 8, 12],"
                        + " \"13\": []}, \"step\": {\"1\": [11], \"2\": [12]},"
                        + " \"quality_control_9\": {\"1\": [19]}}");
        Path out = tmp.resolve("pred.json");
        Run r = run("--suite", "tcpd", "--data", dir.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.get("step").toString()).isEqualTo("[11]");
        assertThat(json.get("quality_control_9").toString()).isEqualTo("[19]");
        assertThat(json.get("centralia").toString()).isEqualTo("[9]");
        assertThat(r.out())
                .contains("paper's (1)", "paper's no QC (1)", "all (3)", "all no QC (2)")
                .contains("35 univariate series", "1 of them are here");
        // step and quality_control_9 have no published scores: those columns show "-"
        assertThat(line(r.out(), "binseg (published)")).contains("0.909 / 0.564", "- / -");
        assertThat(line(r.out(), "TCPD: F1 on the paper's series here 0.909"))
                .contains("bocpd's published F1 on the same series 0.909 (not above)")
                .contains("over the paper's 35 series 0.690 (above)");
    }

    @Test
    void theKernelSegmentationReportsTheFirstRecordOfEachNewSegment() {
        // white noise, level +10 from record 120: TCPD annotates the first shifted record
        java.util.Random r = new java.util.Random(5);
        double[][] x = new double[300][1];
        for (int t = 0; t < x.length; t++) {
            x[t][0] = r.nextGaussian() + (t >= 120 ? 10 : 0);
        }
        int[] found =
                BenchDetectCommand.kernelChanges(
                        io.driftguard.operators.segment.KernelChangePoints.Settings.defaults(), x);
        assertThat(found).containsExactly(120);
    }

    @Test
    void badArgumentsExitTwoWithOneLine() {
        Run r = run("--suite", "nope");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().trim().lines().count()).isEqualTo(1);
        assertThat(run("--suite", "tcpd").code()).isEqualTo(2);
        assertThat(run("--windows", "5").code()).isEqualTo(2);
        assertThat(run("--bogus").code()).isEqualTo(2);
        Run policy = run("--job-reference", "bogus");
        assertThat(policy.code()).isEqualTo(2);
        assertThat(policy.err()).contains("--job-reference").contains("bogus");
        assertThat(policy.err().trim().lines().count()).isEqualTo(1);
        assertThat(run("--suite", "nab", "--data", ".", "--job-reference", "fixed").code()).isEqualTo(2);
    }

    @Test
    void moaIsOnTheTestClassPathAndItsBaselinesRun() {
        assertThat(MoaBaselines.available()).isTrue();
        double[][][] windows = SyntheticSuite.MEAN_SHIFT.generate(100, 0, 1).windows();
        for (var f : MoaBaselines.factories()) {
            int[][] alarms = BenchDetectCommand.alarms(f.get(), windows);
            assertThat(alarms[0]).as(f.get().name()).isNotNull();
        }
    }

    @Test
    void driftguardFindsAMeanShiftAndItsFeature() {
        double[][][] windows = SyntheticSuite.MEAN_SHIFT.generate(100, 2, 1).windows();
        int[][] alarms =
                BenchDetectCommand.alarms(
                        new DriftguardDetector(DriftguardDetector.settings(2000)), windows);
        assertThat(alarms[0]).containsExactly(60);
        assertThat(alarms[1]).containsExactly(2);
    }

    @Test
    void driftguardFindsAVarianceChangeWithinThreeWindows() {
        for (int stream = 0; stream < SyntheticSuite.DIMS; stream++) {
            double[][][] windows = SyntheticSuite.VARIANCE.generate(100, stream, 1).windows();
            int[][] alarms =
                    BenchDetectCommand.alarms(
                            new DriftguardDetector(DriftguardDetector.settings(2000)), windows);
            assertThat(alarms[0]).as("stream %d", stream).hasSize(1);
            assertThat(alarms[0][0]).as("stream %d", stream).isBetween(60, 63);
            assertThat(alarms[1]).as("stream %d", stream).containsExactly(stream);
        }
    }

    @Test
    void theBenchmarkReferenceIsEightWindowsAfterTheDefaultSettling() {
        CalibrationSettings s = DriftguardDetector.settings(2000);
        assertThat(s.referenceWindows()).isEqualTo(DriftguardDetector.REFERENCE_WINDOWS).isEqualTo(8);
        assertThat(s.settleWindows()).isEqualTo(CalibrationSettings.defaults().settleWindows());
        assertThat(s.expectedRunLength()).isEqualTo(2000.0);
    }

    @Test
    void underPreviousTheDetectorFindsAMeanShiftAtItsWindow() {
        double[][][] windows = SyntheticSuite.MEAN_SHIFT.generate(100, 2, 1).windows();
        int[][] alarms = BenchDetectCommand.alarms(DriftguardDetector.paired(2000, 1, 1), windows);
        // the window after the change is compared with the changed one: one alarm
        assertThat(alarms[0]).containsExactly(60);
    }

    @Test
    void referenceAndSettleOptionsAreChecked() {
        assertThat(run("--reference", "last-0").code()).isEqualTo(2);
        assertThat(run("--reference", "seasonal").code()).isEqualTo(2);
        assertThat(run("--reference-windows", "0").code()).isEqualTo(2);
        assertThat(run("--settle-windows", "-1").code()).isEqualTo(2);
    }
}
