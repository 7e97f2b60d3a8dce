package io.driftguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The published per-series scores of the TCPD benchmark's default experiment (van den Burg and
 * Williams 2020; TCPDBench, MIT licence), read from the shipped table {@value #RESOURCE}; see the
 * README beside it for the source and commits.
 *
 * <p>{@link #defaultTableSeries()} are the series the paper's default table averages over: the
 * univariate series on which every method has both scores (35). {@link #mean} averages one
 * method over any set of series, so that published and measured scores can be compared on
 * exactly the same series.
 */
public final class TcpdPublishedScores {

    /** The classpath resource holding the table. */
    public static final String RESOURCE = "tcpd/default_scores.csv";

    /** The paper's default-table means over its 35 univariate series: {F1, cover}. */
    public static final Map<String, double[]> PAPER_TABLE = paperTable();

    private static final TcpdPublishedScores SHIPPED = read();

    private final List<String> methods;
    private final Map<String, Boolean> univariate;
    private final Map<String, double[]> f1;
    private final Map<String, double[]> cover;

    private TcpdPublishedScores(
            List<String> methods,
            Map<String, Boolean> univariate,
            Map<String, double[]> f1,
            Map<String, double[]> cover) {
        this.methods = methods;
        this.univariate = univariate;
        this.f1 = f1;
        this.cover = cover;
    }

    /** The shipped table. */
    public static TcpdPublishedScores shipped() {
        return SHIPPED;
    }

    /** The methods, in the table's column order. */
    public List<String> methods() {
        return methods;
    }

    /** Whether the table has a row for {@code series}. */
    public boolean has(String series) {
        return univariate.containsKey(series);
    }

    /** The published F1 of {@code method} on {@code series}, NaN when it has none. */
    public double f1(String series, String method) {
        return value(f1, series, method);
    }

    /** The published cover of {@code method} on {@code series}, NaN when it has none. */
    public double cover(String series, String method) {
        return value(cover, series, method);
    }

    /** The series the paper's default table averages over, sorted. */
    public List<String> defaultTableSeries() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : univariate.entrySet()) {
            String s = e.getKey();
            if (e.getValue() && complete(f1.get(s)) && complete(cover.get(s))) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The mean published {F1, cover} of {@code method} over {@code series}; NaN where a series
     * has no published score (or the set is empty).
     */
    public double[] mean(String method, Collection<String> series) {
        if (series.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double sf = 0;
        double sc = 0;
        for (String s : series) {
            sf += f1(s, method);
            sc += cover(s, method);
        }
        return new double[] {sf / series.size(), sc / series.size()};
    }

    private double value(Map<String, double[]> table, String series, String method) {
        int k = methods.indexOf(method);
        if (k < 0) {
            throw new IllegalArgumentException("no published method '" + method + "'");
        }
        double[] row = table.get(series);
        return row == null ? Double.NaN : row[k];
    }

    private static boolean complete(double[] row) {
        return row != null && Arrays.stream(row).allMatch(Double::isFinite);
    }

    /** Parses the table's CSV text (lines starting with {@code #} are comments). */
    static TcpdPublishedScores parse(BufferedReader in) throws IOException {
        List<String> methods = null;
        Map<String, Boolean> uni = new LinkedHashMap<>();
        Map<String, double[]> f1 = new LinkedHashMap<>();
        Map<String, double[]> cover = new LinkedHashMap<>();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (methods == null) {
                if (cells.length < 4
                        || !cells[0].equals("series")
                        || !cells[1].equals("univariate")
                        || !cells[2].equals("metric")) {
                    throw new IOException("expected a series,univariate,metric,... header: " + line);
                }
                methods = List.of(Arrays.copyOfRange(cells, 3, cells.length));
                continue;
            }
            if (cells.length != methods.size() + 3) {
                throw new IOException("expected " + (methods.size() + 3) + " cells: " + line);
            }
            double[] row = new double[methods.size()];
            for (int k = 0; k < row.length; k++) {
                String c = cells[k + 3].trim();
                row[k] = c.isEmpty() ? Double.NaN : Double.parseDouble(c);
            }
            uni.put(cells[0], Boolean.parseBoolean(cells[1]));
            switch (cells[2]) {
                case "f1" -> f1.put(cells[0], row);
                case "cover" -> cover.put(cells[0], row);
                default -> throw new IOException("unknown metric '" + cells[2] + "': " + line);
            }
        }
        if (methods == null) {
            throw new IOException("no header");
        }
        TreeSet<String> names = new TreeSet<>(uni.keySet());
        Map<String, Boolean> sorted = new LinkedHashMap<>();
        for (String s : names) {
            sorted.put(s, uni.get(s));
        }
        return new TcpdPublishedScores(
                methods,
                Collections.unmodifiableMap(sorted),
                Collections.unmodifiableMap(f1),
                Collections.unmodifiableMap(cover));
    }

    private static TcpdPublishedScores read() {
        InputStream in = TcpdPublishedScores.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("resource " + RESOURCE + " is missing");
        }
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return parse(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static Map<String, double[]> paperTable() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("binseg", new double[] {0.744, 0.706});
        m.put("bocpd", new double[] {0.690, 0.636});
        return Collections.unmodifiableMap(m);
    }
}
