package io.driftguard.jobs.bench;

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

    @Test
    void tcpdFixtureWritesPredictionsPerSeriesAndScores() throws Exception {
        Path out = tmp.resolve("tcpd.json");
        Run r = run("--suite", "tcpd", "--data", fixture().toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.has("centralia")).isTrue();
        assertThat(json.get("centralia").isArray()).isTrue();
        assertThat(r.out()).contains("binseg (paper, default)").contains("0.744");
    }

    @Test
    void badArgumentsExitTwoWithOneLine() {
        Run r = run("--suite", "nope");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().trim().lines().count()).isEqualTo(1);
        assertThat(run("--suite", "tcpd").code()).isEqualTo(2);
        assertThat(run("--windows", "5").code()).isEqualTo(2);
        assertThat(run("--bogus").code()).isEqualTo(2);
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
    void referenceAndSettleOptionsAreChecked() {
        assertThat(run("--reference-windows", "0").code()).isEqualTo(2);
        assertThat(run("--settle-windows", "-1").code()).isEqualTo(2);
    }
}
