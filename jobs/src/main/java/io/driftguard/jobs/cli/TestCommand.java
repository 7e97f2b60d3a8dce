package io.driftguard.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.driftguard.connectors.csv.CsvMatrix;
import io.driftguard.connectors.parse.MissingMarkers;
import io.driftguard.operators.detect.WindowStatistics;
import io.driftguard.operators.stats.TwoSampleOptions;
import io.driftguard.operators.stats.TwoSampleReport;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The offline two-sample test: one JSON object with the statistics of two CSV samples. */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description = {
            "Offline two-sample test of two CSV files with the same numeric columns.",
            "Prints one JSON object: mmd2, sigma, p_value, the multi-bandwidth p-value, a_distance,",
            "n_ref, n_cur (and the rows used) and per-feature scores. Same input and seed give the",
            "same output. All rows are compared unless --max-rows says otherwise."
        })
final class TestCommand implements Callable<Integer> {

    @Option(names = "--reference", required = true, description = "Reference sample (CSV with a header).")
    Path reference;

    @Option(names = "--current", required = true, description = "Current sample (CSV with the same columns).")
    Path current;

    @Option(names = "--permutations", description = "Permutations B (default: ${DEFAULT-VALUE}).")
    int permutations = 500;

    @Option(names = "--bandwidths", split = ",",
            description = "Bandwidth multipliers of the aggregated test, times the median bandwidth (default: 0.25,0.5,1,2,4).")
    double[] bandwidths;

    @Option(names = "--columns", split = ",", description = "Columns to compare (default: all).")
    List<String> columns;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--max-rows",
            description = "Rows per side the kernel statistics use: a larger side is subsampled uniformly"
                    + " (default: all rows; memory grows with the square of the rows used).")
    Integer maxRows;

    /** Share of the JVM's heap the kernel matrices may take. */
    private static final double HEAP_SHARE = 0.6;

    @Override
    public Integer call() throws Exception {
        if (permutations < 1) {
            throw new UserError("--permutations must be at least 1");
        }
        CsvMatrix ref = read(reference, columns);
        if (columns == null) {
            List<String> curHeader = read(current, null).columns();
            if (!new HashSet<>(ref.columns()).equals(new HashSet<>(curHeader))) {
                throw new UserError("different column sets: " + reference + " has " + ref.columns() + ", "
                        + current + " has " + curHeader);
            }
        }
        // columns are matched by name, so the current file may order them differently
        CsvMatrix cur = read(current, columns == null ? ref.columns() : columns);
        if (ref.rows().length < 2 || cur.rows().length < 2) {
            throw new UserError("each file needs at least 2 data rows: " + reference + " has "
                    + ref.rows().length + ", " + current + " has " + cur.rows().length);
        }
        // missing cells (empty, NA, NaN, null) are imputed by the reference's median of the
        // column, as the streaming job's statistics do
        long missingRef = countMissing(ref.rows());
        long missingCur = countMissing(cur.rows());
        double[][] refRows = ref.rows();
        double[][] curRows = cur.rows();
        if (missingRef + missingCur > 0) {
            double[] medians = WindowStatistics.presentMedians(refRows);
            refRows = WindowStatistics.impute(refRows, medians);
            curRows = WindowStatistics.impute(curRows, medians);
            System.err.printf(java.util.Locale.ROOT,
                    "%d reference and %d current cells are missing; each is imputed by the reference's median"
                            + " of its column%n", missingRef, missingCur);
        }
        if (maxRows != null && maxRows < 2) {
            throw new UserError("--max-rows must be at least 2, got " + maxRows);
        }
        TwoSampleOptions opts = TwoSampleOptions.defaults().withPermutations(permutations).withSeed(seed);
        if (bandwidths != null) {
            opts = opts.withBandwidthMultipliers(bandwidths);
        }
        int m = ref.rows().length;
        int n = cur.rows().length;
        int limit = maxRows != null ? maxRows : Math.max(m, n);
        int usedRef = Math.min(m, limit);
        int usedCur = Math.min(n, limit);
        int levels = opts.bandwidthMultipliers().length + 1;
        long budget = (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE);
        if (kernelBytes(usedRef + usedCur, levels) > budget) {
            // the largest rows per side whose kernel matrices fit
            int fits = (int) Math.floor(Math.sqrt(budget / (4.0 * levels)) / 2);
            throw new UserError(String.format(java.util.Locale.ROOT,
                    "comparing %d + %d rows needs about %.1f GiB for the kernel matrices, more than %.1f GiB"
                            + " of this JVM's heap: pass --max-rows %d (or less), or give the JVM more memory (-Xmx)",
                    usedRef, usedCur, kernelBytes(usedRef + usedCur, levels) / (double) (1L << 30),
                    budget / (double) (1L << 30), fits));
        }
        opts = opts.withMaxSamplesPerSide(limit);
        System.err.printf(java.util.Locale.ROOT, "comparing %d of %d reference rows and %d of %d current rows%n",
                usedRef, m, usedCur, n);
        Object result;
        try {
            result = TwoSampleReport.compute(
                    refRows, curRows, ref.columns().toArray(new String[0]), opts);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        ObjectMapper om = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        System.out.println(om.writeValueAsString(result));
        return 0;
    }

    private static long countMissing(double[][] rows) {
        long n = 0;
        for (double[] r : rows) {
            for (double v : r) {
                if (v != v) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The permutation engine's kernel matrices: one float per pair and bandwidth level. */
    private static long kernelBytes(long rows, int levels) {
        return 4L * levels * rows * rows;
    }

    private static CsvMatrix read(Path file, List<String> cols) {
        try {
            return CsvMatrix.read(file, cols, MissingMarkers.DEFAULT);
        } catch (CsvMatrix.CsvFormatException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
