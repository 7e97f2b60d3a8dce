package io.driftguard.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.connectors.csv.CsvSplitter;
import io.driftguard.connectors.serde.Timestamps;
import io.driftguard.operators.segment.KernelChangePoints;
import io.driftguard.operators.segment.SegmentationResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftguard segment}: offline segmentation of the series in a CSV file by changes in their
 * dynamics (kernel change points on delay embeddings, {@link KernelChangePoints}); one JSON object
 * per key per line.
 */
@Command(
        name = "segment",
        mixinStandardHelpOptions = true,
        description = {
            "Offline segmentation of a CSV series by changes in its dynamics: kernel change points"
                    + " (PELT, Gaussian kernel) on delay embeddings, each change checked by a k-NN"
                    + " classifier score.",
            "Prints one JSON object per key per line: the window, bandwidth, penalty and the change"
                    + " points, each with its record index, time, cost reduction, MMD^2, classifier"
                    + " score and segment lengths."
        })
final class SegmentCommand implements Callable<Integer> {

    /** Cells read as missing values (case-insensitive), besides the empty cell. */
    static final Set<String> MISSING = Set.of("na", "nan", "null", "none");

    @Option(names = "--input", required = true, description = "CSV file with a header row.")
    Path input;

    @Option(
            names = "--time-col",
            description = "Time column (epoch ms, ISO-8601 or yyyy-MM-dd HH:mm:ss); records are"
                    + " ordered by it within a key. Default: file order.")
    String timeCol;

    @Option(names = "--key-col", description = "Key column; one segmentation per key. Default: one key.")
    String keyCol;

    @Option(
            names = "--features",
            split = ",",
            description = "Feature columns. Default: every column but the time and key columns.")
    List<String> features;

    @Option(
            names = "--embedding",
            defaultValue = "auto",
            description = "Delay-embedding window m in records, or auto (the dominant period from"
                    + " the autocorrelation function; default: ${DEFAULT-VALUE}).")
    String embedding;

    @Option(
            names = "--penalty",
            defaultValue = "1.0",
            description = "Penalty constant c of beta = c * v * log(N) (default: ${DEFAULT-VALUE}).")
    double penalty;

    @Option(
            names = "--min-windows",
            defaultValue = "8",
            description = "Minimum segment length in windows (default: ${DEFAULT-VALUE}).")
    int minWindows;

    @Option(
            names = "--no-check",
            description = "Keep every change of the penalised optimum (skip the k-NN classifier check).")
    boolean noCheck;

    private final PrintStream stdout;

    SegmentCommand() {
        this(System.out);
    }

    SegmentCommand(PrintStream stdout) {
        this.stdout = stdout;
    }

    /** One key's records in time order. */
    private record Series(String key, List<double[]> rows, List<String> times) {}

    @Override
    public Integer call() throws Exception {
        KernelChangePoints.Settings settings = settings();
        Map<String, Series> byKey = read();
        ObjectMapper om = new ObjectMapper();
        for (Series s : byKey.values()) {
            double[][] x = s.rows().toArray(new double[0][]);
            ObjectNode o = om.createObjectNode();
            o.put("key", s.key());
            o.put("n", x.length);
            if (x.length < 2) {
                o.putArray("change_points");
                o.put("note", "fewer than 2 records");
                stdout.println(om.writeValueAsString(o));
                continue;
            }
            SegmentationResult r = new KernelChangePoints(settings).segment(x);
            o.put("window", r.window());
            o.put("stride", r.stride());
            o.put("points", r.points());
            o.put("min_segment", r.minSegment());
            putNumber(o, "sigma", r.sigma());
            putNumber(o, "penalty", r.penalty());
            ArrayNode cps = o.putArray("change_points");
            for (SegmentationResult.Change c : r.changes()) {
                ObjectNode cn = cps.addObject();
                cn.put("index", c.index());
                if (s.times() != null) {
                    cn.put("time", s.times().get(c.index()));
                }
                putNumber(cn, "cost_reduction", c.costReduction());
                putNumber(cn, "mmd2", c.mmd2());
                putNumber(cn, "score", c.score());
                cn.put("before", c.before());
                cn.put("after", c.after());
            }
            stdout.println(om.writeValueAsString(o));
        }
        return 0;
    }

    private KernelChangePoints.Settings settings() {
        KernelChangePoints.Settings s = KernelChangePoints.Settings.defaults();
        String e = embedding.trim().toLowerCase(Locale.ROOT);
        if (!e.equals("auto")) {
            int m;
            try {
                m = Integer.parseInt(e);
            } catch (NumberFormatException ex) {
                throw new UserError("--embedding must be a positive number of records or auto, got '"
                        + embedding + "'");
            }
            if (m < 1) {
                throw new UserError("--embedding must be a positive number of records or auto, got '"
                        + embedding + "'");
            }
            s = s.withWindow(m);
        }
        if (!(penalty >= 0) || Double.isInfinite(penalty)) {
            throw new UserError("--penalty must be a finite number of at least 0, got " + penalty);
        }
        if (minWindows < 1) {
            throw new UserError("--min-windows must be positive, got " + minWindows);
        }
        s = s.withPenaltyScale(penalty).withMinWindows(minWindows);
        return noCheck ? s.withoutScoreCheck() : s;
    }

    /**
     * The file's series per key, in order of first appearance; within a key records are sorted by
     * time (stable) when there is a time column. A missing cell repeats the feature's previous
     * value in the key (or takes its first value when at the start); a feature with no value at
     * all in a key is 0.
     */
    private Map<String, Series> read() {
        List<String> cells = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String headerLine = r.readLine();
            if (headerLine == null) {
                throw new UserError(input + ": empty file, expected a header row");
            }
            if (!headerLine.isEmpty() && headerLine.charAt(0) == '\uFEFF') {
                headerLine = headerLine.substring(1);
            }
            List<String> header = new ArrayList<>();
            for (String h : CsvSplitter.split(headerLine, cells)) {
                header.add(h.trim());
            }
            int timeIdx = column(header, timeCol, "--time-col");
            int keyIdx = column(header, keyCol, "--key-col");
            List<Integer> featureIdx = new ArrayList<>();
            List<String> names = new ArrayList<>();
            if (features != null && !features.isEmpty()) {
                for (String f : features) {
                    featureIdx.add(column(header, f.trim(), "--features"));
                    names.add(f.trim());
                }
            } else {
                for (int i = 0; i < header.size(); i++) {
                    if (i != timeIdx && i != keyIdx) {
                        featureIdx.add(i);
                        names.add(header.get(i));
                    }
                }
            }
            if (featureIdx.isEmpty()) {
                throw new UserError(input + ": no feature column (header " + header + ")");
            }
            int d = featureIdx.size();
            Map<String, List<Object[]>> raw = new LinkedHashMap<>();
            String line;
            long lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> c = CsvSplitter.split(line, cells);
                if (c.size() != header.size()) {
                    throw new UserError(input + ":" + lineNo + ": expected " + header.size()
                            + " columns, found " + c.size());
                }
                double[] row = new double[d];
                for (int k = 0; k < d; k++) {
                    String cell = c.get(featureIdx.get(k)).trim();
                    if (cell.isEmpty() || MISSING.contains(cell.toLowerCase(Locale.ROOT))) {
                        row[k] = Double.NaN;
                        continue;
                    }
                    try {
                        row[k] = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        throw new UserError(input + ":" + lineNo + ": non-numeric value '" + cell
                                + "' in column " + names.get(k));
                    }
                    if (Double.isInfinite(row[k])) {
                        throw new UserError(input + ":" + lineNo + ": infinite value '" + cell
                                + "' in column " + names.get(k));
                    }
                }
                String key = keyIdx >= 0 ? c.get(keyIdx).trim() : "default";
                long t = 0;
                String timeText = null;
                if (timeIdx >= 0) {
                    timeText = c.get(timeIdx).trim();
                    try {
                        t = Timestamps.parse(timeText);
                    } catch (IllegalArgumentException e) {
                        throw new UserError(input + ":" + lineNo + ": bad time '" + timeText + "' in column "
                                + timeCol + ": " + e.getMessage());
                    }
                }
                raw.computeIfAbsent(key, k -> new ArrayList<>()).add(new Object[] {t, timeText, row});
            }
            if (raw.isEmpty()) {
                throw new UserError(input + ": no data rows");
            }
            Map<String, Series> out = new LinkedHashMap<>();
            for (Map.Entry<String, List<Object[]>> e : raw.entrySet()) {
                List<Object[]> recs = e.getValue();
                if (timeIdx >= 0) {
                    recs.sort(Comparator.comparingLong(o -> (Long) o[0]));
                }
                List<double[]> rows = new ArrayList<>();
                List<String> times = timeIdx >= 0 ? new ArrayList<>() : null;
                for (Object[] o : recs) {
                    rows.add((double[]) o[2]);
                    if (times != null) {
                        times.add((String) o[1]);
                    }
                }
                fillMissing(rows, d);
                out.put(e.getKey(), new Series(e.getKey(), rows, times));
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new UserError(input + ": no such file");
        } catch (IOException e) {
            throw new UserError(input + ": cannot read: " + e.getMessage());
        }
    }

    private int column(List<String> header, String name, String option) {
        if (name == null) {
            return -1;
        }
        int i = header.indexOf(name);
        if (i < 0) {
            throw new UserError(option + ": no column '" + name + "' in " + input + " (header " + header + ")");
        }
        return i;
    }

    /** Carries each feature's last value over missing cells; leading gaps take the first value. */
    static void fillMissing(List<double[]> rows, int d) {
        for (int k = 0; k < d; k++) {
            double first = Double.NaN;
            for (double[] row : rows) {
                if (!Double.isNaN(row[k])) {
                    first = row[k];
                    break;
                }
            }
            double last = Double.isNaN(first) ? 0 : first;
            for (double[] row : rows) {
                if (Double.isNaN(row[k])) {
                    row[k] = last;
                } else {
                    last = row[k];
                }
            }
        }
    }

    private static void putNumber(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }
}
