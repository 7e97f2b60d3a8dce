package io.driftguard.bench;

import io.driftguard.operators.segment.KernelChangePoints;
import io.driftguard.operators.segment.SegmentationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Time Series Segmentation Benchmark (TSSB; Ermshaus, Schaefer and Leser, ClaSP, DMKD 2023):
 * 75 univariate series built from UCR classes, each with annotated change points and a
 * hand-selected window size.
 *
 * <p>Layout, as in the benchmark's repository: {@code desc.txt} with one line {@code
 * <name>,<window>,<cp1>,<cp2>,...} per series (0-based change points, each the first index of a
 * new segment) and {@code <name>.txt} with one value per line, in {@code DIR}, {@code
 * DIR/datasets} or {@code DIR/tssb/datasets}.
 *
 * <p>Scores: Covering, the benchmark's headline (for each true segment A, |A| times the largest
 * Jaccard index with a predicted segment, summed and divided by n; segments from 0, the change
 * points and n), and F1 with a margin of 5 records in TCPD's definition (index 0 counted as a change
 * in truth and prediction; van den Burg and Williams 2020), the same functions as for TCPD
 * ({@link TcpdMetrics}) with one annotator.
 */
public final class TssbSuite {

    /** Published mean Covering over the 75 series (TSSB README / ClaSP paper), in percent. */
    public static final Map<String, Double> PUBLISHED_COVERING = published();

    /** One TSSB series. */
    public record Series(String name, int window, int[] changePoints, double[] values) {}

    /** One series' result: the predicted changes and the scores. */
    public record Scored(String name, int n, int[] truth, int[] predicted, double covering, double f1) {}

    private TssbSuite() {}

    private static Map<String, Double> published() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("ClaSP", 85.47);
        m.put("PELT", 58.1);
        m.put("BinSeg", 57.49);
        m.put("FLOSS", 56.74);
        m.put("BOCD", 44.88);
        m.put("Window", 40.1);
        return m;
    }

    /** The folder holding desc.txt under {@code dir}, or null. */
    public static Path datasets(Path dir) {
        for (Path p : List.of(dir, dir.resolve("datasets"), dir.resolve("tssb").resolve("datasets"))) {
            if (Files.isRegularFile(p.resolve("desc.txt"))) {
                return p;
            }
        }
        return null;
    }

    /** Reads every series listed in {@code datasets/desc.txt}. */
    public static List<Series> read(Path datasets) throws IOException {
        List<Series> out = new ArrayList<>();
        for (String line : Files.readAllLines(datasets.resolve("desc.txt"), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length < 2) {
                throw new IOException(datasets.resolve("desc.txt") + ": bad line '" + line + "'");
            }
            String name = f[0].trim();
            int window;
            int[] cps = new int[f.length - 2];
            try {
                window = Integer.parseInt(f[1].trim());
                for (int i = 2; i < f.length; i++) {
                    cps[i - 2] = Integer.parseInt(f[i].trim());
                }
            } catch (NumberFormatException e) {
                throw new IOException(datasets.resolve("desc.txt") + ": bad line '" + line + "'", e);
            }
            Path file = datasets.resolve(name + ".txt");
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            double[] values = lines.stream().filter(s -> !s.isBlank()).mapToDouble(s -> parse(file, s)).toArray();
            out.add(new Series(name, window, cps, values));
        }
        return out;
    }

    private static double parse(Path file, String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": non-numeric value '" + s.trim() + "'", e);
        }
    }

    /** Segments one series and scores it; {@code annotatedWindow} uses the series' own window. */
    public static Scored run(Series s, KernelChangePoints.Settings settings, boolean annotatedWindow) {
        double[][] x = new double[s.values().length][1];
        for (int i = 0; i < x.length; i++) {
            x[i][0] = s.values()[i];
        }
        KernelChangePoints.Settings st = annotatedWindow ? settings.withWindow(s.window()) : settings;
        SegmentationResult r = new KernelChangePoints(st).segment(x);
        return score(s, r.indices());
    }

    /** Scores predicted change points (first index of each new segment) of one series. */
    public static Scored score(Series s, int[] predicted) {
        int n = s.values().length;
        List<int[]> truth = List.of(s.changePoints());
        return new Scored(
                s.name(), n, s.changePoints(), predicted, TcpdMetrics.cover(truth, predicted, n),
                TcpdMetrics.f1(truth, predicted, TcpdMetrics.DEFAULT_MARGIN));
    }
}
