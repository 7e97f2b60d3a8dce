package io.driftguard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.jobs.cli.UserError;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.dashboard.Progress;
import io.driftguard.jobs.runtime.Directories;
import io.driftguard.jobs.runtime.LocalKafka;
import io.driftguard.jobs.topology.FlinkEnvironments;
import io.driftguard.jobs.topology.KafkaDriftJob;
import io.driftguard.jobs.topology.ReplayJob;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.functions.WindowSpec;
import io.driftguard.operators.simd.Simd;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures records per second: CSV replay on local Flink with sketches on and off at one or more
 * window lengths, and Kafka in, exactly-once Kafka out, on seeded synthetic data with a mean shift
 * half way. With two window lengths or more it splits the sketches' cost into a part per record
 * and a part per evaluated window, and says from which window length the on/off ratio reaches 0.7.
 */
@Command(
        name = "throughput",
        mixinStandardHelpOptions = true,
        description =
                "Replay throughput (sketches on and off, per window length) and the Kafka end-to-end rate"
                        + " with exactly-once, on seeded synthetic records (KEYS keys, DIM features, a mean"
                        + " shift half way); the sketches' cost per record and per evaluated window.")
final class BenchThroughputCommand implements Callable<Integer> {

    @Option(names = "--keys", description = "Keys (default: ${DEFAULT-VALUE}).")
    int keys = 100;

    @Option(names = "--dim", description = "Features per record (default: ${DEFAULT-VALUE}).")
    int dim = 8;

    @Option(
            names = "--records",
            description =
                    "Records replayed from CSV; 0 picks enough for two windows per key at the longest"
                            + " window, at least 2,000,000 (default: ${DEFAULT-VALUE}).")
    int records = 0;

    @Option(names = "--kafka-records", description = "Records through Kafka; 0 skips it (default: ${DEFAULT-VALUE}).")
    int kafkaRecords = 300_000;

    @Option(
            names = "--window",
            split = ",",
            description =
                    "Windows to measure, comma-separated: a record count per key (5000) or an event-time"
                            + " duration (1m; each key gets one record per millisecond of event time, so 1m"
                            + " holds 60,000 records per key). The Kafka run uses the first"
                            + " (default: ${DEFAULT-VALUE}).")
    List<String> windows = List.of("5000", "1m");

    @Option(names = "--parallelism", description = "Parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(
            names = "--rounds",
            description =
                    "Replay rounds, each one run with the sketches off and one with them on for every"
                            + " window, in alternating order (off first in the first round); the median of"
                            + " the rounds is reported, so that the VM's drift between runs affects both"
                            + " sides alike (default: ${DEFAULT-VALUE}).")
    int rounds = 1;

    @Option(names = "--out", description = "Write the results as JSON to this file.")
    Path out;

    @Option(
            names = "--moa",
            negatable = true,
            description =
                    "Also time MOA's ADWIN on every feature of every key over the same CSV, one thread, once"
                            + " per round (only with driftguard-bench.jar, which ships MOA; default: ${DEFAULT-VALUE}).")
    boolean moa = true;

    @Option(
            names = {"-D", "--set"},
            description =
                    "A configuration key for the measured job, e.g. -D drift.sketch.kll-k=0 (no quantile"
                            + " sketches); --window sets the window, and the reference defaults to previous.")
    Map<String, String> extra = new LinkedHashMap<>();

    /** The ratio target that {@link #decompose} sizes windows for. */
    static final double TARGET_RATIO = 0.7;

    /** Records of warm-up replay per window setting at most. */
    private static final int WARMUP_RECORDS = 2_000_000;

    private Progress progress = Progress.drawnOn(null, "", 0, "", null);

    /** One measured window setting: as given, and its records per key and window. */
    record Setting(String text, long recordsPerWindow) {}

    /** One window setting's medians over the rounds. */
    record Measured(Setting setting, double off, double on, double offSteady, double onSteady, double ratio,
            double ratioSteady, double[] ratios, int windowsEvaluated) {}

    @Override
    public Integer call() throws Exception {
        if (keys < 1 || dim < 1 || records < 0 || (records > 0 && records < keys * 10) || parallelism < 1
                || kafkaRecords < 0 || rounds < 1) {
            throw new UserError(
                    "need keys >= 1, dim >= 1, records 0 (automatic) or >= 10 * keys, parallelism >= 1,"
                            + " kafka-records >= 0, rounds >= 1");
        }
        List<Setting> settings = settings(windows);
        // built first, so that a bad -D is a usage error before minutes of work
        Configuration[] confs = new Configuration[settings.size()];
        for (int i = 0; i < confs.length; i++) {
            confs[i] = jobConfig(settings.get(i));
        }
        long longest = settings.stream().mapToLong(Setting::recordsPerWindow).max().orElseThrow();
        long auto = Math.max(2_000_000L, 2L * keys * longest);
        if (records == 0 && auto > Integer.MAX_VALUE - 8) {
            throw new UserError("windows of " + longest + " records per key over " + keys
                    + " keys need more records than one replay holds; pass a shorter --window");
        }
        int n = records > 0 ? records : (int) auto;
        // The CSVs are large (about 90 bytes a record): always removed, also when a run fails.
        Path dir = Files.createTempDirectory("driftguard-bench");
        // a terminal shows the measured runs done and the time left; prints clear that line first
        int runs = rounds * settings.size() * 2 + (moa ? rounds : 0) + (kafkaRecords > 0 ? 1 : 0);
        try (Progress p = Progress.onTerminal("bench throughput", runs, "runs").guardSystemStreams()) {
            progress = p;
            return measure(dir, settings, confs, n);
        } finally {
            Directories.deleteTree(dir);
        }
    }

    /**
     * The measured job's configuration: the previous-window reference unless -D sets another, the
     * other -D keys, and the window. A bad key or value is a usage error.
     */
    private Configuration jobConfig(Setting setting) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(DriftguardOptions.REFERENCE.key(), "previous");
        c.putAll(extra);
        c.put(DriftguardOptions.WINDOW_SIZE.key(), setting.text());
        // both throw a UserError (a usage error) on an unknown key or a bad value
        Configuration conf = JobConfig.build(Map.of(), c);
        JobConfig.driftSettings(conf);
        return conf;
    }

    /** Parses the window settings; a bad one is a usage error. */
    private List<Setting> settings(List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            throw new UserError("--window needs at least one window");
        }
        List<Setting> out = new ArrayList<>();
        for (String t : texts) {
            WindowSpec spec;
            try {
                spec = WindowSpec.parse(t);
            } catch (IllegalArgumentException e) {
                throw new UserError("--window " + t + ": " + e.getMessage());
            }
            // the generated series gives every key one record per millisecond of event time
            long perWindow = spec.size();
            if (perWindow < 4) {
                throw new UserError("--window " + t + ": need at least 4 records per key and window");
            }
            out.add(new Setting(t.trim(), perWindow));
        }
        return out;
    }

    private int measure(Path dir, List<Setting> settings, Configuration[] confs, int n) throws Exception {
        System.out.printf(Locale.ROOT, "vector kernels       : %s%n",
                Simd.enabled() ? "on" : "off (start the JVM with --add-modules jdk.incubator.vector)");
        Path csv = dir.resolve("synthetic.csv");
        // a default run takes minutes: say what is happening before each silent phase
        System.out.printf(Locale.ROOT, "generating           : %,d records over %d keys, %d features (%s)%n", n, keys,
                dim, dir);
        writeCsv(csv, n);
        Path warmCsv = csv;
        if (n > WARMUP_RECORDS) {
            warmCsv = dir.resolve("warmup.csv");
            writeCsv(warmCsv, WARMUP_RECORDS);
        }
        Path small = dir.resolve("startup.csv");
        writeCsv(small, keys * 10);
        CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(csv), "ts", "key", null, null);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", machine());
        results.put("keys", keys);
        results.put("dim", dim);
        results.put("records", n);
        results.put("parallelism", parallelism);
        results.put("rounds", rounds);
        results.put("vector_kernels", Simd.enabled());
        results.put("config", new LinkedHashMap<>(extra));
        if (!extra.isEmpty()) {
            System.out.printf(Locale.ROOT, "configuration        : %s%n", extra);
        }

        int s = settings.size();
        DriftSettings[] on = new DriftSettings[s];
        long[] startupOff = new long[s];
        long[] startupOn = new long[s];
        for (int i = 0; i < s; i++) {
            // The previous-window reference evaluates every window from a key's second on; under
            // the default fixed reference a key's first 8 windows only build the reference, and a
            // short replay would measure little evaluation.
            on[i] = JobConfig.driftSettings(confs[i]);
            // Two unmeasured runs, sketches on then off, warm the JVM up, so that the measured
            // runs use compiled code for parsing, sketches and window evaluation alike and each
            // side's own branches are profiled (a streaming job runs for days; on 2 cores the JIT
            // compiler would otherwise take a third of a short run's CPU). A replay of a few
            // records per key then measures the fixed cost of a job (local cluster start,
            // deployment, shutdown), so that the steady rate can be reported beside the gross one.
            long warmPerKey = Math.min(n, WARMUP_RECORDS) / keys;
            // A warm-up replay holding fewer than two windows per key evaluates none, and the
            // first measured round would run the evaluation uncompiled: count windows of a
            // quarter of it (three evaluated per key) compile that too.
            long evalWindow = 2 * settings.get(i).recordsPerWindow() > warmPerKey ? Math.max(4, warmPerKey / 4) : 0;
            progress.phase("warming up, window " + settings.get(i).text());
            System.out.printf(Locale.ROOT, "warming up           : window %s%s%n", settings.get(i).text(),
                    evalWindow == 0 ? "" : String.format(Locale.ROOT,
                            " (and windows of %d records, to compile the evaluation)", evalWindow));
            ReplayJob.run(warmCsv, schema, on[i], parallelism, confs[i]);
            ReplayJob.run(warmCsv, schema, on[i].withSketches(false), parallelism, confs[i]);
            if (evalWindow > 0) {
                Configuration evalConf = jobConfig(new Setting(Long.toString(evalWindow), evalWindow));
                ReplayJob.run(warmCsv, schema, JobConfig.driftSettings(evalConf), parallelism, evalConf);
            }
            startupOff[i] = ReplayJob.run(small, schema, on[i].withSketches(false), parallelism, confs[i]).millis();
            startupOn[i] = ReplayJob.run(small, schema, on[i], parallelism, confs[i]).millis();
        }
        System.out.printf(Locale.ROOT, "job start and stop   : %d ms (a replay of %d records)%n", startupOn[0], keys * 10);

        double[][] offRates = new double[s][rounds];
        double[][] onRates = new double[s][rounds];
        double[][] offSteady = new double[s][rounds];
        double[][] onSteady = new double[s][rounds];
        double[][] ratios = new double[s][rounds];
        double[][] ratiosSteady = new double[s][rounds];
        // Process CPU per record (all threads: tasks, JIT, GC), beside the wall-clock rates: it
        // shows whether a side left a core idle, which a wall-clock ratio cannot tell.
        double[][] offCpu = new double[s][rounds];
        double[][] onCpu = new double[s][rounds];
        int[] evaluated = new int[s];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < s; i++) {
                progress.phase("window " + settings.get(i).text() + ", round " + (round + 1) + " of " + rounds);
                // The second, fourth, ... rounds run sketches on first: a side that always ran
                // second would carry any drift of the machine within a round, and the first
                // side's leftovers, alone.
                boolean onFirst = round % 2 == 1;
                Run offRun;
                Run onRun;
                if (onFirst) {
                    onRun = measuredRun(csv, schema, on[i], parallelism, confs[i]);
                    offRun = measuredRun(csv, schema, on[i].withSketches(false), parallelism, confs[i]);
                } else {
                    offRun = measuredRun(csv, schema, on[i].withSketches(false), parallelism, confs[i]);
                    onRun = measuredRun(csv, schema, on[i], parallelism, confs[i]);
                }
                progress.advance(2);
                ReplayJob.Result off = offRun.result();
                ReplayJob.Result onRes = onRun.result();
                offCpu[i][round] = offRun.cpuNanos() / 1e3 / n;
                onCpu[i][round] = onRun.cpuNanos() / 1e3 / n;
                offRates[i][round] = n * 1000.0 / off.millis();
                onRates[i][round] = n * 1000.0 / onRes.millis();
                offSteady[i][round] = n * 1000.0 / Math.max(1, off.millis() - startupOff[i]);
                onSteady[i][round] = n * 1000.0 / Math.max(1, onRes.millis() - startupOn[i]);
                ratios[i][round] = onRates[i][round] / offRates[i][round];
                ratiosSteady[i][round] = onSteady[i][round] / offSteady[i][round];
                evaluated[i] = onRes.events().size();
                String tag = String.format(Locale.ROOT, " [window %s%s]", settings.get(i).text(),
                        rounds == 1 ? "" : ", round " + (round + 1));
                String offLine = String.format(Locale.ROOT,
                        "replay, sketches off : %,10.0f records/s, %,10.0f steady (%d ms; %.2f us CPU per record,"
                                + " %.2f cores busy)%s%n",
                        offRates[i][round], offSteady[i][round], off.millis(), offCpu[i][round],
                        offCpu[i][round] * n / 1e3 / off.millis(), tag);
                String onLine = String.format(Locale.ROOT,
                        "replay, sketches on  : %,10.0f records/s, %,10.0f steady (%d ms, %d windows evaluated;"
                                + " %.2f us CPU per record, %.2f cores busy)%s%n",
                        onRates[i][round], onSteady[i][round], onRes.millis(), evaluated[i], onCpu[i][round],
                        onCpu[i][round] * n / 1e3 / onRes.millis(), tag);
                // in the order the two ran
                System.out.print(onFirst ? onLine + offLine : offLine + onLine);
                System.out.printf(Locale.ROOT, "on/off ratio         : %.2f, %.2f steady, %.2f by CPU per record%s%n",
                        ratios[i][round], ratiosSteady[i][round], offCpu[i][round] / onCpu[i][round], tag);
            }
        }
        List<Measured> measured = new ArrayList<>();
        List<Map<String, Object>> perWindow = new ArrayList<>();
        for (int i = 0; i < s; i++) {
            Measured m = new Measured(settings.get(i), median(offRates[i]), median(onRates[i]), median(offSteady[i]),
                    median(onSteady[i]), median(ratios[i]), median(ratiosSteady[i]), ratios[i], evaluated[i]);
            measured.add(m);
            Interval interval = medianInterval(ratios[i]);
            if (rounds > 1) {
                System.out.printf(Locale.ROOT,
                        "median of %d rounds  : sketches off %,.0f, on %,.0f records/s; on/off %.2f (%.2f steady);"
                                + " CPU per record off %.2f us, on %.2f us [window %s]%n",
                        rounds, m.off(), m.on(), m.ratio(), m.ratioSteady(), median(offCpu[i]), median(onCpu[i]),
                        m.setting().text());
                System.out.printf(Locale.ROOT, "on/off median        : %s [window %s]%n",
                        interval == null
                                ? "no 95% interval from fewer than 6 rounds"
                                : String.format(Locale.ROOT, "%.0f%% interval %.2f-%.2f (rank-based, rounds as independent)",
                                        100 * interval.coverage(), interval.low(), interval.high()),
                        m.setting().text());
            }
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("window", m.setting().text());
            w.put("records_per_window", m.setting().recordsPerWindow());
            w.put("replay_sketches_off_records_per_s", Math.round(m.off()));
            w.put("replay_sketches_on_records_per_s", Math.round(m.on()));
            w.put("replay_sketches_off_steady_records_per_s", Math.round(m.offSteady()));
            w.put("replay_sketches_on_steady_records_per_s", Math.round(m.onSteady()));
            w.put("on_off_ratio", m.ratio());
            w.put("on_off_ratio_steady", m.ratioSteady());
            w.put("on_off_ratio_per_round", Arrays.stream(m.ratios()).boxed().toList());
            if (interval != null) {
                w.put("on_off_ratio_median_interval", List.of(interval.low(), interval.high()));
                w.put("on_off_ratio_median_interval_coverage", interval.coverage());
            }
            w.put("windows_evaluated", m.windowsEvaluated());
            w.put("cpu_us_per_record_sketches_off", median(offCpu[i]));
            w.put("cpu_us_per_record_sketches_on", median(onCpu[i]));
            perWindow.add(w);
        }
        results.put("job_startup_ms", startupOn[0]);
        results.put("windows", perWindow);
        Decomposition d = decompose(measured);
        if (d != null) {
            boolean ok = d.plausible();
            results.put("sketch_us_per_record", d.sketchMicros());
            results.put("evaluation_ms_per_window", d.evaluationMillis());
            results.put("fit_plausible", ok);
            results.put("on_off_ratio_long_windows", d.longWindowRatio());
            results.put("records_per_window_for_ratio_0_7",
                    ok && d.windowForTarget() > 0 ? Math.round(d.windowForTarget()) : null);
            System.out.printf(Locale.ROOT,
                    "sketches on cost     : %.2f us per record + %.1f ms per window evaluated (wall-clock at"
                            + " parallelism %d; fitted to the shortest and longest window)%n",
                    d.sketchMicros(), d.evaluationMillis(), parallelism);
            String verdict;
            if (!ok) {
                verdict = "no conclusion: a fitted cost is not positive, the runs are too short or too noisy"
                        + " (use more records or rounds)";
            } else if (d.windowForTarget() > 0) {
                verdict = String.format(Locale.ROOT, "from windows of about %,d records per key",
                        Math.round(d.windowForTarget()));
            } else {
                verdict = "not at any window length (the per-record sketch alone exceeds the budget)";
            }
            System.out.printf(Locale.ROOT, "on/off ratio >= %.1f  : %s%n", TARGET_RATIO, verdict);
            if (ok) {
                System.out.printf(Locale.ROOT, "on/off, long windows : %.2f (the sketch alone)%n", d.longWindowRatio());
            }
        }

        if (moa) {
            progress.phase("moa adwin");
            moaRates(csv, n, measured.get(0), results);
        }

        if (kafkaRecords > 0) {
            progress.phase("kafka, exactly-once");
            double rate = kafkaRate(confs[0]);
            progress.advance(1);
            results.put("kafka_window", settings.get(0).text());
            results.put("kafka_exactly_once_records_per_s", Math.round(rate));
            results.put("kafka_exactly_once_steady_records_per_s", Math.round(kafkaSteadyRate));
            results.put("kafka_job_startup_ms", Math.round(kafkaStartupSeconds * 1000));
            System.out.printf(Locale.ROOT,
                    "kafka exactly-once   : %,10.0f records/s, %,10.0f steady (%d records; job start and stop %.1f s)%n",
                    rate, kafkaSteadyRate, kafkaRecords, kafkaStartupSeconds);
        }
        if (out != null) {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), results);
        }
        return 0;
    }

    /**
     * The sketches-on side's extra cost split into a part per record and a part per evaluated
     * window, both wall-clock at the measured parallelism, and the window length from which the
     * on/off ratio reaches {@link #TARGET_RATIO} (0 when none does), and the ratio that windows
     * approach as they grow, off / (off + s).
     */
    record Decomposition(
            double sketchMicros, double evaluationMillis, double windowForTarget, double longWindowRatio) {
        /**
         * Whether both fitted costs are positive: short or noisy runs can give a fit that no
         * job has, and then nothing is inferred from it.
         */
        boolean plausible() {
            return sketchMicros > 0 && evaluationMillis > 0;
        }
    }

    /**
     * Fits extra(W) = s + e / W, the sketches-on side's extra wall-clock time per record at
     * windows of W records per key (1 / on - 1 / off), through the shortest and the longest
     * window; null with fewer than two window lengths. The sketches-off time per record is the
     * longest window's. The ratio off / (off + s + e / W) reaches the target from W = e / (off (1 /
     * target - 1) - s).
     */
    static Decomposition decompose(List<Measured> measured) {
        Measured shortest = null;
        Measured longest = null;
        for (Measured m : measured) {
            if (shortest == null || m.setting().recordsPerWindow() < shortest.setting().recordsPerWindow()) {
                shortest = m;
            }
            if (longest == null || m.setting().recordsPerWindow() > longest.setting().recordsPerWindow()) {
                longest = m;
            }
        }
        if (shortest == null || shortest.setting().recordsPerWindow() == longest.setting().recordsPerWindow()) {
            return null;
        }
        double w1 = shortest.setting().recordsPerWindow();
        double w2 = longest.setting().recordsPerWindow();
        double c1 = 1e6 / shortest.on() - 1e6 / shortest.off();
        double c2 = 1e6 / longest.on() - 1e6 / longest.off();
        double e = (c1 - c2) / (1 / w1 - 1 / w2); // microseconds per window
        double sketch = c2 - e / w2;
        double off = 1e6 / longest.off();
        double budget = off * (1 / TARGET_RATIO - 1) - sketch;
        double window = budget > 0 ? Math.max(0, e) / budget : 0;
        return new Decomposition(sketch, e / 1000, budget > 0 ? Math.max(1, window) : 0, off / (off + sketch));
    }

    private void writeCsv(Path csv, int rows) throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write(SyntheticCsv.header(dim));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < rows; i++) {
                sb.setLength(0);
                int k = i % keys;
                double shift = i > rows / 2 ? 0.5 : 0.0;
                sb.append(i / keys).append(",k").append(k);
                for (int f = 0; f < dim; f++) {
                    // five decimals, like a sensor export
                    sb.append(',').append(Math.round((gaussian(rnd) + (f == 0 ? shift : 0)) * 1e5) / 1e5);
                }
                w.write(sb.append('\n').toString());
            }
        }
    }

    /**
     * MOA's ADWIN per feature and key over the same CSV, one thread, once per round; the median
     * beside the first window setting's sketches-on rate (steady: the job's start and stop
     * subtracted, as MOA has none).
     */
    private void moaRates(Path csv, int n, Measured first, Map<String, Object> results) throws Exception {
        if (!io.driftguard.bench.MoaBaselines.available()) {
            System.out.println("moa adwin            : skipped; " + io.driftguard.bench.MoaBaselines.absenceMessage());
            return;
        }
        // one unmeasured pass compiles MOA's code and warms the file cache
        io.driftguard.bench.MoaAdwinRate.run(csv);
        double[] rates = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            System.gc();
            io.driftguard.bench.MoaAdwinRate.Result r = io.driftguard.bench.MoaAdwinRate.run(csv);
            rates[round] = r.rate();
            progress.advance(1);
            System.out.printf(Locale.ROOT, "moa adwin, 1 thread  : %,10.0f records/s (%d x %d detectors, %,d changes)%s%n",
                    r.rate(), keys, dim, r.changes(), rounds == 1 ? "" : " [round " + (round + 1) + "]");
        }
        double moaRate = median(rates);
        double ratio = first.onSteady() / moaRate;
        System.out.printf(Locale.ROOT,
                "sketches on vs moa   : %.2f (steady sketches-on rate %,.0f over ADWIN's %,.0f records/s, window %s)%n",
                ratio, first.onSteady(), moaRate, first.setting().text());
        results.put("moa_adwin_records_per_s", Math.round(moaRate));
        results.put("moa_adwin_records_per_s_per_round", Arrays.stream(rates).boxed().toList());
        results.put("sketches_on_steady_over_moa_adwin", ratio);
    }

    private double kafkaRate(Configuration base) throws Exception {
        try (LocalKafka kafka = LocalKafka.start(null)) {
            String servers = kafka.bootstrapServers();
            Map<String, String> c = new LinkedHashMap<>(base.toMap());
            c.put(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS.key(), servers);
            c.put(DriftguardOptions.KAFKA_BOUNDED.key(), "true");
            Configuration conf = JobConfig.build(Map.of(), c);
            kafka.createTopics(parallelism, "driftguard.input", "driftguard.drift", "driftguard.dlq");
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
            SplittableRandom rnd = new SplittableRandom(11);
            long now = System.currentTimeMillis();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < kafkaRecords; i++) {
                    sb.setLength(0);
                    String key = "k" + (i % keys);
                    sb.append("{\"key\":\"").append(key).append("\",\"ts\":").append(now + i).append(",\"features\":[");
                    for (int f = 0; f < dim; f++) {
                        sb.append(f > 0 ? "," : "").append(String.format(Locale.ROOT, "%.5f", gaussian(rnd)));
                    }
                    sb.append("]}");
                    producer.send(new ProducerRecord<>("driftguard.input", key.getBytes(StandardCharsets.UTF_8),
                            sb.toString().getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
            }
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
            // One unmeasured pass over the topic compiles the JSON and Kafka paths, as the CSV
            // warm-up does for replay.
            Configuration warmup = new Configuration(conf);
            warmup.set(DriftguardOptions.KAFKA_TRANSACTIONAL_ID_PREFIX, "driftguard-bench-warmup");
            // its own consumer group: the measured run must not start from its committed offsets
            warmup.set(DriftguardOptions.KAFKA_GROUP_ID, "driftguard-bench-warmup");
            timeJob(warmup);
            // the same job over an empty topic measures its fixed start and stop cost
            kafka.createTopics(parallelism, "driftguard.bench-empty");
            Configuration empty = new Configuration(conf);
            empty.set(DriftguardOptions.KAFKA_INPUT_TOPIC, "driftguard.bench-empty");
            empty.set(DriftguardOptions.KAFKA_TRANSACTIONAL_ID_PREFIX, "driftguard-bench-empty");
            double startup = timeJob(empty);
            double seconds = timeJob(conf);
            kafkaStartupSeconds = startup;
            kafkaSteadyRate = kafkaRecords / Math.max(1e-3, seconds - startup);
            return kafkaRecords / seconds;
        }
    }

    private double kafkaStartupSeconds;
    private double kafkaSteadyRate;

    private double timeJob(Configuration conf) throws Exception {
        StreamExecutionEnvironment env = FlinkEnvironments.local(conf, parallelism);
        KafkaDriftJob.build(env, conf);
        long t0 = System.nanoTime();
        JobClient job = env.executeAsync("driftguard bench kafka");
        job.getJobExecutionResult().get();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** A measured replay and the process CPU time it took. */
    private record Run(ReplayJob.Result result, long cpuNanos) {}

    /**
     * One measured replay and the process CPU it used. The heap is collected first, so that a run
     * does not pay for the garbage of the one before it.
     */
    private static Run measuredRun(Path csv, CsvSchema schema, DriftSettings settings, int parallelism,
            Configuration conf) throws Exception {
        System.gc();
        long cpu0 = processCpuNanos();
        ReplayJob.Result r = ReplayJob.run(csv, schema, settings, parallelism, conf);
        return new Run(r, processCpuNanos() - cpu0);
    }

    /** CPU time of this process so far (all threads), or 0 where the JVM does not report it. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime())
                : 0;
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version");
    }

    /**
     * A distribution-free confidence interval for the median of independent rounds: the k-th
     * smallest and k-th largest values, k the largest with P(Binomial(n, 1/2) < k) <= 2.5%, so that
     * the coverage 1 - 2 P(Binomial(n, 1/2) < k) is at least 95%. Null below 6 rounds, where no
     * such pair exists.
     */
    static Interval medianInterval(double[] v) {
        int n = v.length;
        double[] below = new double[n + 1]; // below[k] = P(Binomial(n, 1/2) < k)
        double logTerm = n * Math.log(0.5); // ln P(B = 0), in logs so that no term underflows early
        for (int k = 1; k <= n; k++) {
            below[k] = below[k - 1] + Math.exp(logTerm);
            logTerm += Math.log((double) (n - k + 1) / k);
        }
        int k = 0;
        while (k + 1 <= n / 2 && below[k + 1] <= 0.025) {
            k++;
        }
        if (k == 0) {
            return null;
        }
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return new Interval(c[k - 1], c[n - k], 1 - 2 * below[k]);
    }

    /** A confidence interval and its coverage. */
    record Interval(double low, double high, double coverage) {}

    /** The median (the mean of the middle two for an even count). */
    static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return io.driftguard.operators.stats.UnivariateTests.quantileOfSorted(c, 0.5);
    }
}
