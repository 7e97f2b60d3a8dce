package io.driftguard.bench;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.topology.ReplayJob;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.detect.FeatureScore;
import io.driftguard.operators.functions.DriftSettings;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * Runs synthetic streams through the streaming job itself: the streams become the keys of one CSV
 * (record r of window w at time w * WINDOW + r), replayed on local Flink in count windows of
 * {@link SyntheticSuite#WINDOW} records under a reference policy, and each key's drift events
 * become its alarms. So the job's decisions, under any policy including the default, are scored
 * exactly as the detectors of {@link BenchDetectCommand} are.
 */
final class JobSuiteRunner {

    private JobSuiteRunner() {}

    /**
     * Per stream, in order: {alarm window indices, top feature of each alarm}.
     *
     * @param reference a reference policy as {@code --reference} takes it (previous, fixed, last-K,
     *     seasonal:RECORDS)
     * @param dir a folder for the CSV
     */
    static List<int[][]> alarms(
            List<SyntheticStream> streams, String reference, double erl, long seed, int parallelism, Path dir)
            throws Exception {
        Path csv = Files.createTempFile(dir, "suite", ".csv");
        try {
            int windows = write(streams, csv);
            Configuration conf = settings(reference, erl, seed);
            DriftSettings settings = JobConfig.driftSettings(conf);
            CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(csv), "ts", "key", null, null);
            List<DriftEvent> events = ReplayJob.run(csv, schema, settings, parallelism, conf).events();
            List<List<int[]>> perStream = new ArrayList<>();
            for (int i = 0; i < streams.size(); i++) {
                perStream.add(new ArrayList<>());
            }
            for (DriftEvent e : events) {
                if (!e.drift()) {
                    continue;
                }
                int stream = Integer.parseInt(e.key().substring(1));
                int window = (int) (e.windowStart() / SyntheticSuite.WINDOW);
                if (window < windows) {
                    perStream.get(stream).add(new int[] {window, topFeature(e)});
                }
            }
            List<int[][]> out = new ArrayList<>();
            for (List<int[]> alarms : perStream) {
                alarms.sort((a, b) -> Integer.compare(a[0], b[0]));
                out.add(new int[][] {
                    alarms.stream().mapToInt(a -> a[0]).toArray(),
                    alarms.stream().mapToInt(a -> a[1]).toArray()
                });
            }
            return out;
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /**
     * The job configuration: count windows of {@link SyntheticSuite#WINDOW} records, the policy,
     * budget and seed.
     *
     * @throws RuntimeException (a {@code UserError}) on an invalid policy
     */
    static Configuration settings(String reference, double erl, long seed) {
        Configuration conf =
                JobConfig.build(
                        Map.of(),
                        Map.of(
                                DriftguardOptions.WINDOW_SIZE.key(), Integer.toString(SyntheticSuite.WINDOW),
                                DriftguardOptions.REFERENCE.key(), reference,
                                DriftguardOptions.FALSE_ALARM_ERL.key(), Double.toString(erl),
                                DriftguardOptions.SEED.key(), Long.toString(seed)));
        JobConfig.driftSettings(conf); // parses the policy against the window
        return conf;
    }

    /** Writes the streams as keys s0, s1, ... with columns x0..x(d-1); returns windows per stream. */
    private static int write(List<SyntheticStream> streams, Path csv) throws Exception {
        int windows = streams.get(0).windows().length;
        int dims = streams.get(0).windows()[0][0].length;
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write(SyntheticCsv.header(dims));
            StringBuilder sb = new StringBuilder();
            for (int win = 0; win < windows; win++) {
                for (int r = 0; r < SyntheticSuite.WINDOW; r++) {
                    for (int s = 0; s < streams.size(); s++) {
                        double[] x = streams.get(s).windows()[win][r];
                        sb.setLength(0);
                        sb.append((long) win * SyntheticSuite.WINDOW + r).append(",s").append(s);
                        for (double v : x) {
                            // full precision: the job must see the values the other detectors see
                            sb.append(',').append(v);
                        }
                        w.write(sb.append('\n').toString());
                    }
                }
            }
        }
        return windows;
    }

    /** Index of the event's most responsible feature, listed first (names x0, x1, ...), or -1. */
    private static int topFeature(DriftEvent e) {
        FeatureScore[] f = e.features();
        return f.length == 0 ? -1 : Integer.parseInt(f[0].name().substring(1));
    }
}
