package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.operators.segment.KernelChangePoints;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TSSB's layout, scores and the bench suite, on generated series (no shared data needed). */
class TssbSuiteTest {

    @TempDir Path dir;

    /** A TSSB-layout folder: one series with a frequency change at 700, one without change. */
    private Path layout() throws Exception {
        Path ds = dir.resolve("tssb").resolve("datasets");
        Files.createDirectories(ds);
        Random r = new Random(9);
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int t = 0; t < 1400; t++) {
            double va = t < 700 ? Math.sin(2 * Math.PI * t / 25) : Math.sin(2 * Math.PI * (t - 700) / 9);
            a.append(String.format(Locale.ROOT, "%.6f%n", va + 0.1 * r.nextGaussian()));
            b.append(String.format(Locale.ROOT, "%.6f%n", Math.sin(2 * Math.PI * t / 25) + 0.1 * r.nextGaussian()));
        }
        Files.writeString(ds.resolve("Freq.txt"), a.toString());
        Files.writeString(ds.resolve("Still.txt"), b.toString());
        Files.writeString(ds.resolve("desc.txt"), "Freq,10,700\nStill,10\n");
        return dir;
    }

    @Test
    void readsTheLayoutFromAnyOfItsFolders() throws Exception {
        Path root = layout();
        Path ds = TssbSuite.datasets(root);
        assertThat(ds).isEqualTo(root.resolve("tssb").resolve("datasets"));
        assertThat(TssbSuite.datasets(root.resolve("tssb"))).isEqualTo(ds);
        assertThat(TssbSuite.datasets(ds)).isEqualTo(ds);
        List<TssbSuite.Series> series = TssbSuite.read(ds);
        assertThat(series).hasSize(2);
        assertThat(series.get(0).name()).isEqualTo("Freq");
        assertThat(series.get(0).window()).isEqualTo(10);
        assertThat(series.get(0).changePoints()).containsExactly(700);
        assertThat(series.get(1).changePoints()).isEmpty();
        assertThat(series.get(0).values()).hasSize(1400);
    }

    @Test
    void coveringAndF1FollowTheBenchmark() throws Exception {
        TssbSuite.Series s = new TssbSuite.Series("x", 10, new int[] {40}, new double[100]);
        // no prediction: segments [0,40) and [40,100) each best matched by [0,100)
        TssbSuite.Scored none = TssbSuite.score(s, new int[0]);
        assertThat(none.covering()).isCloseTo((40 * 0.4 + 60 * 0.6) / 100, within(1e-12));
        TssbSuite.Scored exact = TssbSuite.score(s, new int[] {40});
        assertThat(exact.covering()).isCloseTo(1.0, within(1e-12));
        assertThat(exact.f1()).isCloseTo(1.0, within(1e-12));
        // 5 records off is still a hit, 6 is not
        assertThat(TssbSuite.score(s, new int[] {45}).f1()).isCloseTo(1.0, within(1e-12));
        assertThat(TssbSuite.score(s, new int[] {46}).f1()).isLessThan(1.0);
    }

    @Test
    void theSegmentationCoversTheGeneratedSeries() throws Exception {
        List<TssbSuite.Series> series = TssbSuite.read(TssbSuite.datasets(layout()));
        TssbSuite.Scored freq = TssbSuite.run(series.get(0), KernelChangePoints.Settings.defaults(), false);
        assertThat(freq.predicted()).hasSize(1);
        assertThat(Math.abs(freq.predicted()[0] - 700)).isLessThanOrEqualTo(5);
        assertThat(freq.covering()).isGreaterThan(0.98);
        TssbSuite.Scored still = TssbSuite.run(series.get(1), KernelChangePoints.Settings.defaults(), false);
        assertThat(still.predicted()).isEmpty();
        assertThat(still.covering()).isEqualTo(1.0);
    }

    @Test
    void benchDetectRunsTheSuite() throws Exception {
        Path root = layout();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BenchDetectCommand cmd = new BenchDetectCommand(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Path json = dir.resolve("out.json");
        int code = BenchDetectCommand.commandLine(cmd).execute(
                "--suite", "tssb", "--data", root.toString(), "--threads", "1", "--out", json.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(0);
        assertThat(text).contains("ClaSP (published)").contains("85.47%").contains("driftguard segment (estimated window)");
        assertThat(Files.readString(json)).contains("\"tssb\"").contains("\"covering\"");
        int bad = BenchDetectCommand.commandLine(new BenchDetectCommand(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .execute("--suite", "tssb", "--data", dir.resolve("nowhere").toString());
        assertThat(bad).isEqualTo(2);
    }
}
