package io.driftguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Readers for the real data sets' CSV layouts.
 *
 * @param name the series name
 * @param rows {@code rows[record][feature]}
 * @param timestamps the time column as text per record, or null
 */
public record SeriesData(String name, double[][] rows, List<String> timestamps) {

    /** Records in the series. */
    public int length() {
        return rows.length;
    }

    /**
     * A TCPD series in its csv layout: a header {@code t[,time],<series>...}; every column other
     * than {@code t} and {@code time} is a dimension; an empty, non-numeric or non-finite cell
     * repeats the dimension's previous value, and cells before a dimension's first value take that
     * first value (missing values imputed by carrying the nearest earlier value, else the nearest
     * later one).
     *
     * @throws IOException when the file is empty, has no series column, or a dimension has no
     *     finite value at all
     */
    public static SeriesData readTcpd(Path csv) throws IOException {
        String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(csv + ": empty file");
        }
        String[] header = splitCsv(lines.get(0));
        List<Integer> cols = new ArrayList<>();
        int timeCol = -1;
        for (int i = 0; i < header.length; i++) {
            String h = header[i].trim();
            if (h.equals("t")) {
                continue;
            }
            if (h.equals("time")) {
                timeCol = i;
                continue;
            }
            cols.add(i);
        }
        if (cols.isEmpty()) {
            throw new IOException(csv + ": no series column in header " + lines.get(0));
        }
        List<double[]> rows = new ArrayList<>();
        List<String> times = timeCol >= 0 ? new ArrayList<>() : null;
        double[] last = new double[cols.size()];
        java.util.Arrays.fill(last, Double.NaN);
        for (int l = 1; l < lines.size(); l++) {
            if (lines.get(l).isBlank()) {
                continue;
            }
            String[] cells = splitCsv(lines.get(l));
            double[] row = new double[cols.size()];
            for (int c = 0; c < cols.size(); c++) {
                int i = cols.get(c);
                double v = i < cells.length ? parse(cells[i]) : Double.NaN;
                row[c] = Double.isFinite(v) ? v : last[c];
                last[c] = row[c];
            }
            rows.add(row);
            if (times != null) {
                times.add(timeCol < cells.length ? cells[timeCol] : "");
            }
        }
        for (int c = 0; c < cols.size(); c++) {
            if (!Double.isFinite(last[c])) {
                throw new IOException(
                        csv + ": column '" + header[cols.get(c)].trim() + "' has no numeric value");
            }
            double first = Double.NaN;
            for (double[] row : rows) {
                if (Double.isFinite(row[c])) {
                    first = row[c];
                    break;
                }
            }
            for (double[] row : rows) {
                if (Double.isFinite(row[c])) {
                    break;
                }
                row[c] = first;
            }
        }
        return new SeriesData(name, rows.toArray(new double[0][]), times);
    }

    /** A NAB series: header {@code timestamp,value}. */
    public static SeriesData readNab(Path csv) throws IOException {
        String name = csv.getParent().getFileName() + "/" + csv.getFileName();
        List<double[]> rows = new ArrayList<>();
        List<String> times = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null || !line.startsWith("timestamp")) {
                throw new IOException(csv + ": expected a timestamp,value header");
            }
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = splitCsv(line);
                times.add(cells[0]);
                rows.add(new double[] {parse(cells[1])});
            }
        }
        return new SeriesData(name, rows.toArray(new double[0][]), times);
    }

    /**
     * INSECTS without header: numeric feature columns and an integer class as the last column
     * (dropped).
     */
    public static SeriesData readInsects(Path csv) throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                double[] row = new double[cells.length - 1];
                for (int i = 0; i < row.length; i++) {
                    row[i] = parse(cells[i]);
                }
                rows.add(row);
            }
        }
        return new SeriesData(
                csv.getFileName().toString(), rows.toArray(new double[0][]), null);
    }

    /** Consecutive windows of {@code size} records; a trailing partial window is dropped. */
    public double[][][] windows(int size) {
        int count = rows.length / size;
        double[][][] out = new double[count][][];
        for (int w = 0; w < count; w++) {
            out[w] = new double[size][];
            System.arraycopy(rows, w * size, out[w], 0, size);
        }
        return out;
    }

    private static double parse(String cell) {
        String s = cell.trim();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String[] splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}
