package io.driftguard.jobs.cli;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.connectors.csv.CsvSplitter;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds feature columns that are a time or row index in disguise: on every row of every key
 * (among the first {@link #ROWS} rows of the file) the value is the key's previous value plus
 * exactly one. Such a column moves in every window, so every window would "drift" with it as the
 * top feature; {@code replay} warns before it runs.
 */
final class IndexColumns {

    /** Rows of the file looked at. */
    static final int ROWS = 10_000;

    /** Steps per key and column needed before a column is called an index. */
    static final int MIN_STEPS = 20;

    private IndexColumns() {}

    /** The feature columns that rise by exactly one on every row of each key. */
    static List<String> find(Path csv, CsvSchema schema) throws IOException {
        int d = schema.featureIndices().length;
        boolean[] index = new boolean[d];
        java.util.Arrays.fill(index, true);
        long[] steps = new long[d];
        Map<String, double[]> last = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            in.readLine();
            String line;
            List<String> cells = new ArrayList<>();
            for (int row = 0; row < ROWS && (line = in.readLine()) != null; row++) {
                try {
                    CsvSplitter.split(line, cells);
                } catch (IllegalArgumentException e) {
                    continue; // a malformed line is the replay's dead letter, not this check's
                }
                String key = schema.keyIndex() >= 0 && schema.keyIndex() < cells.size()
                        ? cells.get(schema.keyIndex()) : CsvSchema.DEFAULT_KEY;
                double[] prev = last.computeIfAbsent(key, k -> {
                    double[] p = new double[d];
                    java.util.Arrays.fill(p, Double.NaN);
                    return p;
                });
                for (int f = 0; f < d; f++) {
                    int c = schema.featureIndices()[f];
                    double v;
                    try {
                        v = c < cells.size() ? Double.parseDouble(cells.get(c).trim()) : Double.NaN;
                    } catch (NumberFormatException e) {
                        v = Double.NaN;
                    }
                    if (!Double.isNaN(prev[f])) {
                        if (v - prev[f] == 1.0) {
                            steps[f]++;
                        } else {
                            index[f] = false;
                        }
                    }
                    prev[f] = v;
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (int f = 0; f < d; f++) {
            if (index[f] && steps[f] >= MIN_STEPS) {
                out.add(schema.featureNames()[f]);
            }
        }
        return out;
    }

    /** The warning printed for such columns, or null when there are none. */
    static String warning(List<String> columns, boolean hasTimeColumn) {
        if (columns.isEmpty()) {
            return null;
        }
        String names = String.join(", ", columns);
        return "warning: feature column" + (columns.size() == 1 ? " " : "s ") + names
                + (columns.size() == 1 ? " rises" : " rise") + " by exactly 1 on every row of each key: "
                + (columns.size() == 1 ? "it looks like a time or index column" : "they look like time or index columns")
                + ", which moves in every window; "
                + (hasTimeColumn ? "leave it out with --features" : "pass --time-col " + columns.get(0)
                        + " or leave it out with --features");
    }
}
