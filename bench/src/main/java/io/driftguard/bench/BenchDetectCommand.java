package io.driftguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.jobs.dashboard.Progress;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.segment.KernelChangePoints;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code driftguard bench detect}: detection quality of driftguard's calibrated decisions beside
 * MOA's ADWIN, Page-Hinkley and DDM (per feature) and an always-fire detector; on TSSB and TCPD,
 * the offline segmentation ({@link KernelChangePoints}) beside the published tables.
 */
@Command(
        name = "detect",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark drift detection: synthetic suites with known change points, TCPD, TSSB,"
                    + " NAB realKnownCause and INSECTS gradual; prints a table and writes JSON.",
            "With --suite tssb, the offline segmentation (driftguard segment's kernel change"
                    + " points) is scored on the Time Series Segmentation Benchmark (desc.txt and"
                    + " <name>.txt in DIR, DIR/datasets or DIR/tssb/datasets): mean Covering and F1"
                    + " (margin 5) beside the published Covering of ClaSP, PELT, BinSeg, FLOSS,"
                    + " BOCD and Window.",
            "With --suite tcpd, --out receives {\"<series>\": [change indices], ...}, each the"
                    + " 0-based index of the last record before a change (TCPDBench's convention);"
                    + " F1 and cover are scored when <data>/annotations.json exists, beside the"
                    + " published default scores over the same series."
        })
public final class BenchDetectCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--suite",
            defaultValue = "synthetic",
            description =
                    "synthetic, tcpd, tssb, insects, nab or all (default: ${DEFAULT-VALUE})")
    String suite;

    @Option(
            names = "--data",
            description =
                    "data root (holding tcpd/, tssb/, nab/, insects_gradual_balanced/) or one data"
                            + " set's folder")
    Path data;

    @Option(names = "--out", description = "JSON output file")
    Path out;

    @Option(
            names = "--windows",
            defaultValue = "500",
            description = "windows per synthetic stream (default: ${DEFAULT-VALUE})")
    int windows;

    @Option(
            names = "--streams",
            defaultValue = "10",
            description = "streams per synthetic suite (default: ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--erl",
            defaultValue = "2000",
            description =
                    "false-alarm budget of driftguard's detector, expected windows between false"
                            + " alarms (default: ${DEFAULT-VALUE})")
    double erl;

    @Option(
            names = "--reference",
            defaultValue = "fixed",
            description =
                    "driftguard's reference policy in the detector runs: fixed (seasonal suites get"
                            + " seasonal:P), previous or last-K, each the detector class the job runs for it"
                            + " (default: ${DEFAULT-VALUE})")
    String reference;

    @Option(
            names = "--reference-windows",
            description =
                    "windows pooled into driftguard's fixed reference (default: "
                            + DriftguardDetector.REFERENCE_WINDOWS
                            + ")")
    Integer referenceWindows;

    @Option(
            names = "--settle-windows",
            description =
                    "windows driftguard skips after a confirmed change before the new reference"
                            + " (default: the calibration default)")
    Integer settleWindows;

    @Option(
            names = "--job-reference",
            description =
                    "also replay each synthetic suite through the streaming job (local Flink, count"
                            + " windows of 200) under this reference policy, as `replay --reference`"
                            + " takes it (previous, fixed, last-K, seasonal:RECORDS), and score its"
                            + " drift events")
    String jobReference;

    @Option(
            names = "--threads",
            description = "worker threads (default: available processors)")
    Integer threads;

    private final PrintStream rawOut;
    private final PrintStream rawErr;
    // the streams below clear the progress line before they write
    private PrintStream stdout;
    private PrintStream stderr;
    private volatile Progress progress = Progress.drawnOn(null, "", 0, "", null);

    public BenchDetectCommand() {
        this(System.out, System.err);
    }

    BenchDetectCommand(PrintStream stdout, PrintStream stderr) {
        this.rawOut = stdout;
        this.rawErr = stderr;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs the command on its own, exit code 2 with a one-line message on bad arguments. */
    public static void main(String[] args) {
        System.exit(commandLine(new BenchDetectCommand()).execute(args));
    }

    /** A command line for {@code command} whose argument errors print one line and exit 2. */
    public static CommandLine commandLine(BenchDetectCommand command) {
        CommandLine cl = new CommandLine(command);
        cl.setParameterExceptionHandler(
                (ex, args) -> {
                    ex.getCommandLine().getErr().println("driftguard bench detect: " + ex.getMessage());
                    return 2;
                });
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        ObjectNode config = root.putObject("config");
        config.put("suite", suite);
        config.put("windows", windows);
        config.put("streams", streams);
        config.put("seed", seed);
        config.put("expected_run_length", erl);
        config.put("reference_windows", settings().referenceWindows());
        config.put("settle_windows", settings().settleWindows());
        config.put("window_records", SyntheticSuite.WINDOW);
        config.put("recall_tolerance_windows", WindowScore.DEFAULT_TOLERANCE);
        config.put("moa", MoaBaselines.available());
        if (!MoaBaselines.available()) {
            stderr.println(MoaBaselines.absenceMessage());
        }
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        threads != null ? threads : Runtime.getRuntime().availableProcessors());
        try {
            switch (suite) {
                case "synthetic" -> root.set("synthetic", runSynthetic(json, pool));
                case "tcpd" -> {
                    ObjectNode tcpd = runTcpd(json, resolve("tcpd"));
                    writeJson(json, tcpd.get("predictions"));
                    return 0;
                }
                case "tssb" -> root.set("tssb", runTssb(json, resolve("tssb"), pool));
                case "insects" -> root.set("insects", runInsects(json, resolve("insects")));
                case "nab" -> root.set("nab", runNab(json, resolve("nab")));
                case "all" -> {
                    root.set("synthetic", runSynthetic(json, pool));
                    if (data == null) {
                        stderr.println("no --data: skipping tcpd, nab and insects");
                    } else {
                        root.set("tcpd", runTcpd(json, resolve("tcpd")));
                        if (TssbSuite.datasets(resolve("tssb")) != null) {
                            root.set("tssb", runTssb(json, resolve("tssb"), pool));
                        }
                        root.set("insects", runInsects(json, resolve("insects")));
                        root.set("nab", runNab(json, resolve("nab")));
                    }
                }
                default -> throw new IllegalStateException(suite);
            }
        } finally {
            pool.shutdownNow();
            begin(null, 0, "");
        }
        writeJson(json, root);
        return 0;
    }

    /**
     * Ends the current progress line and, unless {@code label} is null, starts one over
     * {@code total} {@code unit}s (drawn on a terminal only).
     */
    private Progress begin(String label, long total, String unit) {
        progress.close();
        progress = label == null ? Progress.drawnOn(null, "", 0, "", null)
                : Progress.onTerminal("bench detect " + label, total, unit);
        stdout = progress.guard(rawOut);
        stderr = progress.guard(rawErr);
        return progress;
    }

    private void validate() {
        if (!List.of("synthetic", "tcpd", "tssb", "insects", "nab", "all").contains(suite)) {
            throw bad(
                    "--suite must be synthetic, tcpd, tssb, insects, nab or all, got '" + suite + "'");
        }
        if (windows < 100) {
            throw bad("--windows must be at least 100, got " + windows);
        }
        if (streams < 1) {
            throw bad("--streams must be positive, got " + streams);
        }
        if (!(erl >= 2) || Double.isInfinite(erl)) {
            throw bad("--erl must be a finite number of at least 2, got " + erl);
        }
        if (pairedWindows() < 0) {
            throw bad("--reference must be fixed, previous or last-K with K >= 1, got '" + reference + "'");
        }
        if (referenceWindows != null && referenceWindows < 1) {
            throw bad("--reference-windows must be positive, got " + referenceWindows);
        }
        if (settleWindows != null && settleWindows < 0) {
            throw bad("--settle-windows must be at least 0, got " + settleWindows);
        }
        if (threads != null && threads < 1) {
            throw bad("--threads must be positive, got " + threads);
        }
        if (List.of("tcpd", "tssb", "insects", "nab").contains(suite) && data == null) {
            throw bad("--suite " + suite + " needs --data DIR");
        }
        if (data != null && !Files.isDirectory(data)) {
            throw bad("--data " + data + " is not a readable directory");
        }
        if (jobReference != null) {
            if (!List.of("synthetic", "all").contains(suite)) {
                throw bad("--job-reference runs the synthetic suites: use --suite synthetic or all");
            }
            try {
                JobSuiteRunner.settings(jobReference, erl, seed);
            } catch (RuntimeException e) {
                throw bad("--job-reference: " + e.getMessage());
            }
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** driftguard's calibration: the defaults with the budget and reference chosen here. */
    CalibrationSettings settings() {
        CalibrationSettings base = DriftguardDetector.settings(erl);
        return base.withReference(
                referenceWindows != null ? referenceWindows : base.referenceWindows(),
                settleWindows != null ? settleWindows : base.settleWindows());
    }

    /** K of {@code --reference last-K}, 1 for previous, 0 for fixed, -1 when not understood. */
    int pairedWindows() {
        if (reference.equals("fixed")) {
            return 0;
        }
        if (reference.equals("previous")) {
            return 1;
        }
        if (reference.startsWith("last-")) {
            try {
                int k = Integer.parseInt(reference.substring("last-".length()));
                return k >= 1 ? k : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * The detectors, fresh for one stream; {@code season} > 0 gives driftguard that season (under
     * {@code --reference fixed}).
     */
    private List<Supplier<WindowDetector>> detectors(int season) {
        List<Supplier<WindowDetector>> out = new ArrayList<>();
        CalibrationSettings s = settings();
        int k = pairedWindows();
        out.add(k > 0 ? () -> DriftguardDetector.paired(erl, k, seed) : () -> new DriftguardDetector(s, season));
        out.addAll(MoaBaselines.factories());
        out.add(AlwaysFireDetector::new);
        return out;
    }

    // ---- synthetic ----

    private ObjectNode runSynthetic(ObjectMapper json, ExecutorService pool)
            throws Exception {
        ObjectNode node = json.createObjectNode();
        begin("synthetic", (long) SyntheticSuite.values().length * streams, "streams");
        stdout.printf(
                Locale.ROOT,
                "synthetic suites: %d streams x %d windows x %d records, %d features, seed %d,"
                        + " driftguard budget %.0f windows, reference %d + settle %d windows%n",
                streams, windows, SyntheticSuite.WINDOW, SyntheticSuite.DIMS, seed, erl,
                settings().referenceWindows(), settings().settleWindows());
        stdout.printf(
                Locale.ROOT,
                "%-16s %-16s %7s %6s %9s %7s %7s %6s %6s%n",
                "suite", "detector", "changes", "alarms", "FA/1000w", "recall", "delay", "F1",
                "attr");
        for (SyntheticSuite s : SyntheticSuite.values()) {
            List<Supplier<WindowDetector>> dets = detectors(s.season());
            List<Future<List<int[][]>>> futures = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                int index = i;
                futures.add(pool.submit(() -> runStream(s, index, dets)));
            }
            List<WindowScore> scores = new ArrayList<>();
            for (int k = 0; k < dets.size(); k++) {
                scores.add(new WindowScore());
            }
            int[] cps = s.changeWindows(windows);
            for (int i = 0; i < streams; i++) {
                List<int[][]> perDetector = futures.get(i).get();
                for (int k = 0; k < dets.size(); k++) {
                    int[][] alarms = perDetector.get(k);
                    scores.get(k).add(windows, cps, shiftedFeatures(s, i, cps), alarms[0], alarms[1]);
                }
            }
            List<String> names = new ArrayList<>();
            for (Supplier<WindowDetector> d : dets) {
                names.add(d.get().name());
            }
            if (jobReference != null) {
                List<SyntheticStream> all = new ArrayList<>();
                for (int i = 0; i < streams; i++) {
                    all.add(s.generate(windows, i, seed));
                }
                List<int[][]> jobAlarms =
                        JobSuiteRunner.alarms(all, jobReference, erl, seed, 2, tempDir());
                WindowScore sc = new WindowScore();
                for (int i = 0; i < streams; i++) {
                    sc.add(windows, cps, shiftedFeatures(s, i, cps), jobAlarms.get(i)[0], jobAlarms.get(i)[1]);
                }
                scores.add(sc);
                names.add("job " + jobReference);
            }
            ObjectNode suiteNode = node.putObject(s.label());
            for (int k = 0; k < names.size(); k++) {
                String name = names.get(k);
                WindowScore sc = scores.get(k);
                suiteNode.set(name, scoreJson(json, sc));
                stdout.printf(
                        Locale.ROOT,
                        "%-16s %-16s %7d %6d %9.2f %7s %7s %6s %6s%n",
                        s.label(), name, sc.changes(), sc.alarms(), sc.falseAlarmsPer1000(),
                        fmt(sc.recall()), fmt(sc.medianDelay()), fmt(sc.f1()),
                        fmt(sc.attribution()));
            }
        }
        return node;
    }

    /** The system's temporary folder: the job's CSVs are written there and deleted after use. */
    private static Path tempDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Per change of stream {@code index}, the only feature it moves, or -1. */
    private static int[] shiftedFeatures(SyntheticSuite s, int index, int[] cps) {
        int[] shifted = new int[cps.length];
        for (int c = 0; c < cps.length; c++) {
            shifted[c] = s.singleFeature() ? index % SyntheticSuite.DIMS : -1;
        }
        return shifted;
    }

    private List<int[][]> runStream(SyntheticSuite s, int index, List<Supplier<WindowDetector>> dets) {
        SyntheticStream stream = s.generate(windows, index, seed);
        List<int[][]> out = new ArrayList<>();
        for (Supplier<WindowDetector> f : dets) {
            out.add(alarms(f.get(), stream.windows()));
        }
        progress.advance(1);
        return out;
    }

    /** Runs a detector over windows: {alarm windows, top features}. */
    static int[][] alarms(WindowDetector det, double[][][] windows) {
        List<Integer> at = new ArrayList<>();
        List<Integer> top = new ArrayList<>();
        for (int w = 0; w < windows.length; w++) {
            WindowDetector.Decision d = det.onWindow(windows[w]);
            if (d.drift()) {
                at.add(w);
                top.add(d.topFeature());
            }
        }
        return new int[][] {
            at.stream().mapToInt(Integer::intValue).toArray(),
            top.stream().mapToInt(Integer::intValue).toArray()
        };
    }

    private static ObjectNode scoreJson(ObjectMapper json, WindowScore sc) {
        ObjectNode n = json.createObjectNode();
        n.put("windows", sc.windows());
        n.put("changes", sc.changes());
        n.put("alarms", sc.alarms());
        n.put("detected", sc.detected());
        n.put("false_alarms", sc.falseAlarms());
        putNumber(n, "false_alarms_per_1000_windows", sc.falseAlarmsPer1000());
        putNumber(n, "recall_within_3", sc.recall());
        putNumber(n, "precision", sc.precision());
        putNumber(n, "f1", sc.f1());
        putNumber(n, "median_delay_windows", sc.medianDelay());
        putNumber(n, "attribution_top1", sc.attribution());
        return n;
    }

    // ---- TCPD ----

    /** A series set the TCPD scores are averaged over. */
    private record TcpdSet(String key, String label, List<String> series) {}

    /** One scored TCPD series: {F1, cover, no-change F1, no-change cover}. */
    private record TcpdScore(String name, int dims, double[] values) {}

    private ObjectNode runTcpd(ObjectMapper json, Path dir) throws IOException {
        Path csvDir = Files.isDirectory(dir.resolve("csv")) ? dir.resolve("csv") : dir;
        Path annotationsFile = dir.resolve("annotations.json");
        JsonNode annotations =
                Files.isRegularFile(annotationsFile) ? json.readTree(annotationsFile.toFile()) : null;
        List<Path> files;
        try (Stream<Path> list = Files.list(csvDir)) {
            files = list.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw bad("no <name>.csv files in " + csvDir);
        }
        ObjectNode node = json.createObjectNode();
        node.put("configuration", TcpdChangeDetector.describe());
        node.put(
                "index_convention",
                "0-based index of the last record before each change (R changepoint cpts - 1)");
        ObjectNode predictions = node.putObject("predictions");
        KernelChangePoints.Settings kernelSettings = KernelChangePoints.Settings.defaults();
        ObjectNode kernelNode = node.putObject("kernel_segmentation");
        kernelNode.put("configuration", kernelSettings.describe());
        kernelNode.put(
                "index_convention",
                "0-based index of the first record of each new segment (TCPD's segment starts)");
        ObjectNode kernelPredictions = kernelNode.putObject("predictions");
        ObjectNode perSeries = node.putObject("scores");
        Map<String, TcpdScore> scored = new LinkedHashMap<>();
        begin("tcpd", files.size(), "series");
        stdout.println("TCPD: " + TcpdChangeDetector.describe());
        stdout.println("TCPD: driftguard segment: " + kernelSettings.describe());
        for (Path f : files) {
            SeriesData series = SeriesData.readTcpd(f);
            progress.phase(series.name());
            int[] cps = new TcpdChangeDetector().detect(series.rows());
            ArrayNode arr = predictions.putArray(series.name());
            for (int c : cps) {
                arr.add(c);
            }
            int[] kcps = kernelChanges(kernelSettings, series.rows());
            ArrayNode karr = kernelPredictions.putArray(series.name());
            for (int c : kcps) {
                karr.add(c);
            }
            if (annotations != null && annotations.has(series.name())) {
                List<int[]> ann = new ArrayList<>();
                Iterator<JsonNode> it = annotations.get(series.name()).elements();
                while (it.hasNext()) {
                    JsonNode a = it.next();
                    int[] v = new int[a.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.get(i).asInt();
                    }
                    ann.add(v);
                }
                int n = series.length();
                int[] kept = TcpdMetrics.clean(cps, n);
                int[] kkept = TcpdMetrics.clean(kcps, n);
                double[] v = {
                    TcpdMetrics.f1(ann, kept, TcpdMetrics.DEFAULT_MARGIN),
                    TcpdMetrics.cover(ann, kept, n),
                    TcpdMetrics.f1(ann, new int[0], TcpdMetrics.DEFAULT_MARGIN),
                    TcpdMetrics.cover(ann, new int[0], n),
                    TcpdMetrics.f1(ann, kkept, TcpdMetrics.DEFAULT_MARGIN),
                    TcpdMetrics.cover(ann, kkept, n)
                };
                int dims = n == 0 ? 0 : series.rows()[0].length;
                scored.put(series.name(), new TcpdScore(series.name(), dims, v));
                ObjectNode s = perSeries.putObject(series.name());
                s.put("f1", v[0]);
                s.put("cover", v[1]);
                s.put("zero_f1", v[2]);
                s.put("zero_cover", v[3]);
                s.put("kernel_f1", v[4]);
                s.put("kernel_cover", v[5]);
                s.put("n", n);
                s.put("dimensions", dims);
            }
            progress.advance(1);
        }
        if (scored.isEmpty()) {
            stdout.println("TCPD: no annotations.json beside the series, predictions only");
            return node;
        }
        TcpdPublishedScores published = TcpdPublishedScores.shipped();
        List<String> paperSeries = published.defaultTableSeries();
        List<TcpdSet> sets = tcpdSets(scored.keySet(), paperSeries);
        List<String> absent =
                paperSeries.stream().filter(s -> !scored.containsKey(s)).toList();
        stdout.printf(
                Locale.ROOT,
                "TCPD: %d series, %d annotated; F1 (margin %d) and cover of van den Burg and"
                        + " Williams (2020) on predictions cleaned as the benchmark does (distinct,"
                        + " 1 <= i <= n - 2)%n",
                files.size(), scored.size(), TcpdMetrics.DEFAULT_MARGIN);
        stdout.printf(
                Locale.ROOT,
                "TCPD: the paper's default table averages %d univariate series on which every method"
                        + " has a result (quality_control_* included; uk_coal_employ, bitcoin and"
                        + " scanline_126007 left out); %d of them are here%s%n",
                paperSeries.size(), sets.get(0).series().size(),
                absent.isEmpty() ? "" : ", absent: " + String.join(" ", absent));
        ObjectNode setsNode = node.putObject("sets");
        List<String> methods = published.methods();
        // rows: driftguard, no change, then each published method; columns: the sets
        String[][] table = new String[methods.size() + 3][sets.size() + 1];
        table[0][0] = "driftguard offline binseg";
        table[1][0] = "driftguard segment";
        table[2][0] = "no change (this run)";
        for (int j = 0; j < methods.size(); j++) {
            table[j + 3][0] = methods.get(j) + " (published)";
        }
        for (int k = 0; k < sets.size(); k++) {
            TcpdSet set = sets.get(k);
            ObjectNode sn = setsNode.putObject(set.key());
            sn.put("description", set.label());
            sn.put("series_count", set.series().size());
            ArrayNode names = sn.putArray("series");
            double[] sum = new double[6];
            for (String name : set.series()) {
                names.add(name);
                double[] v = scored.get(name).values();
                for (int i = 0; i < 6; i++) {
                    sum[i] += v[i];
                }
            }
            int count = set.series().size();
            double[] mean = new double[6];
            for (int i = 0; i < 6; i++) {
                mean[i] = count == 0 ? Double.NaN : sum[i] / count;
            }
            putNumber(sn, "f1", mean[0]);
            putNumber(sn, "cover", mean[1]);
            ObjectNode zero = sn.putObject("zero_this_run");
            putNumber(zero, "f1", mean[2]);
            putNumber(zero, "cover", mean[3]);
            ObjectNode kernel = sn.putObject("kernel_segmentation");
            putNumber(kernel, "f1", mean[4]);
            putNumber(kernel, "cover", mean[5]);
            table[0][k + 1] = pair(mean[0], mean[1]);
            table[1][k + 1] = pair(mean[4], mean[5]);
            table[2][k + 1] = pair(mean[2], mean[3]);
            ObjectNode pub = sn.putObject("published_same_series");
            for (int j = 0; j < methods.size(); j++) {
                double[] pm = published.mean(methods.get(j), set.series());
                ObjectNode row = pub.putObject(methods.get(j));
                putNumber(row, "f1", pm[0]);
                putNumber(row, "cover", pm[1]);
                table[j + 3][k + 1] = pair(pm[0], pm[1]);
            }
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s", "F1 / cover"));
        for (TcpdSet set : sets) {
            header.append(String.format(Locale.ROOT, " %-19s", shortLabel(set)));
        }
        stdout.println(header.toString().stripTrailing());
        for (String[] row : table) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s", row[0]));
            for (int k = 1; k < row.length; k++) {
                line.append(String.format(Locale.ROOT, " %-19s", row[k]));
            }
            stdout.println(line.toString().stripTrailing());
        }
        for (TcpdSet set : sets) {
            stdout.printf(Locale.ROOT, "  %s: %s%n", shortLabel(set), set.label());
        }
        ObjectNode paper = node.putObject("paper_default_table");
        paper.put("series_count", paperSeries.size());
        StringBuilder paperLine = new StringBuilder();
        for (Map.Entry<String, double[]> e : TcpdPublishedScores.PAPER_TABLE.entrySet()) {
            ObjectNode row = paper.putObject(e.getKey());
            putNumber(row, "f1", e.getValue()[0]);
            putNumber(row, "cover", e.getValue()[1]);
            paperLine
                    .append(paperLine.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(pair(e.getValue()[0], e.getValue()[1]));
        }
        stdout.printf(
                Locale.ROOT,
                "TCPD: the paper's default table itself (F1 / cover over its %d series): %s%n",
                paperSeries.size(), paperLine);
        JsonNode main = setsNode.get(sets.get(0).key());
        if (main.get("series_count").asInt() > 0) {
            double ours = main.get("f1").asDouble();
            JsonNode bocpd = main.get("published_same_series").get("bocpd");
            double bocpdSame = bocpd.get("f1").isNumber() ? bocpd.get("f1").asDouble() : Double.NaN;
            double bocpdPaper = TcpdPublishedScores.PAPER_TABLE.get("bocpd")[0];
            stdout.printf(
                    Locale.ROOT,
                    "TCPD: F1 on the paper's series here %s, bocpd's published F1 on the same"
                            + " series %s (%s), over the paper's %d series %s (%s)%n",
                    fmt(ours), fmt(bocpdSame), ours > bocpdSame ? "above" : "not above",
                    paperSeries.size(), fmt(bocpdPaper),
                    ours > bocpdPaper ? "above" : "not above");
        }
        return node;
    }

    /**
     * The kernel segmentation's changes of one TCPD series: the 0-based index of the first record
     * of each new segment, TCPD's own convention (its metrics cut a series into segments that
     * start at the change points, and on the synthetic quality_control series the annotators
     * mark the first shifted record). The binary segmentation keeps TCPDBench's R convention,
     * the last record before the change, which its published scores were computed with.
     */
    static int[] kernelChanges(KernelChangePoints.Settings settings, double[][] rows) {
        return new KernelChangePoints(settings).segment(rows).indices();
    }

    /**
     * The series sets scored: the paper's default-table series present (first, the headline),
     * those less quality_control_*, every annotated series, and every one less quality_control_*.
     */
    private static List<TcpdSet> tcpdSets(
            Collection<String> annotated, List<String> paperSeries) {
        List<String> all = annotated.stream().sorted().toList();
        List<String> paper = all.stream().filter(paperSeries::contains).toList();
        List<String> paperReal = paper.stream().filter(s -> !qualityControl(s)).toList();
        List<String> real = all.stream().filter(s -> !qualityControl(s)).toList();
        return List.of(
                new TcpdSet(
                        "paper_default_series",
                        "the paper's default-table series present (univariate, no missing values,"
                                + " quality_control_* included)",
                        paper),
                new TcpdSet(
                        "paper_default_series_without_qc",
                        "the same less quality_control_* (real univariate series)",
                        paperReal),
                new TcpdSet("all_series", "every annotated series present", all),
                new TcpdSet(
                        "all_series_without_qc",
                        "every annotated series present less quality_control_*",
                        real));
    }

    private static String shortLabel(TcpdSet set) {
        int n = set.series().size();
        return switch (set.key()) {
            case "paper_default_series" -> "paper's (" + n + ")";
            case "paper_default_series_without_qc" -> "paper's no QC (" + n + ")";
            case "all_series" -> "all (" + n + ")";
            default -> "all no QC (" + n + ")";
        };
    }

    private static boolean qualityControl(String series) {
        return series.startsWith("quality_control");
    }

    private static String pair(double f1, double cover) {
        return fmt(f1) + " / " + fmt(cover);
    }

    // ---- TSSB ----

    private static <T> T counted(Progress p, T done) {
        p.advance(1);
        return done;
    }

    private ObjectNode runTssb(ObjectMapper json, Path dir, ExecutorService pool) throws Exception {
        Path ds = TssbSuite.datasets(dir);
        if (ds == null) {
            throw bad(
                    "TSSB layout not found under " + dir
                            + " (desc.txt in DIR, DIR/datasets or DIR/tssb/datasets)");
        }
        List<TssbSuite.Series> series;
        try {
            series = TssbSuite.read(ds);
        } catch (IOException | IllegalArgumentException e) {
            throw bad("cannot read TSSB: " + e.getMessage());
        }
        KernelChangePoints.Settings settings = KernelChangePoints.Settings.defaults();
        long start = System.nanoTime();
        List<Future<TssbSuite.Scored>> auto = new ArrayList<>();
        List<Future<TssbSuite.Scored>> annotated = new ArrayList<>();
        Progress p = begin("tssb", 2L * series.size(), "segmentations");
        for (TssbSuite.Series s : series) {
            auto.add(pool.submit(() -> counted(p, TssbSuite.run(s, settings, false))));
            annotated.add(pool.submit(() -> counted(p, TssbSuite.run(s, settings, true))));
        }
        ObjectNode node = json.createObjectNode();
        node.put("configuration", settings.describe());
        node.put("series_count", series.size());
        node.put("f1_margin", TcpdMetrics.DEFAULT_MARGIN);
        String[] labels = {
            "estimated_window", "annotated_window", "no_change"
        };
        double[][] sums = new double[3][2];
        int[] found = new int[3];
        int truth = 0;
        ObjectNode per = node.putObject("series");
        for (int i = 0; i < series.size(); i++) {
            TssbSuite.Series s = series.get(i);
            truth += s.changePoints().length;
            TssbSuite.Scored[] rows = {
                auto.get(i).get(), annotated.get(i).get(), TssbSuite.score(s, new int[0])
            };
            ObjectNode sn = per.putObject(s.name());
            sn.put("n", s.values().length);
            sn.put("window", s.window());
            ArrayNode t = sn.putArray("truth");
            for (int c : s.changePoints()) {
                t.add(c);
            }
            for (int k = 0; k < 3; k++) {
                sums[k][0] += rows[k].covering();
                sums[k][1] += rows[k].f1();
                found[k] += rows[k].predicted().length;
                if (k < 2) {
                    ObjectNode r = sn.putObject(labels[k]);
                    ArrayNode a = r.putArray("predicted");
                    for (int c : rows[k].predicted()) {
                        a.add(c);
                    }
                    putNumber(r, "covering", rows[k].covering());
                    putNumber(r, "f1", rows[k].f1());
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int count = series.size();
        stdout.printf(
                Locale.ROOT,
                "TSSB: %d series, %d annotated change points, from %s; %s%n",
                count, truth, ds, settings.describe());
        stdout.printf(
                Locale.ROOT,
                "TSSB: Covering as the benchmark defines it; F1 with margin %d (TCPD's definition)%n",
                TcpdMetrics.DEFAULT_MARGIN);
        stdout.printf(Locale.ROOT, "%-46s %9s %8s %8s%n", "method", "covering", "F1", "changes");
        String[] names = {
            "driftguard segment (estimated window)",
            "driftguard segment (TSSB's annotated window)",
            "no change (this run)"
        };
        ObjectNode means = node.putObject("mean");
        for (int k = 0; k < 3; k++) {
            double cov = sums[k][0] / count;
            double f1 = sums[k][1] / count;
            ObjectNode m = means.putObject(labels[k]);
            putNumber(m, "covering", cov);
            putNumber(m, "f1", f1);
            m.put("changes", found[k]);
            stdout.printf(
                    Locale.ROOT, "%-46s %8.2f%% %8.3f %8d%n", names[k], 100 * cov, f1, found[k]);
        }
        ObjectNode pub = node.putObject("published_covering_percent");
        for (Map.Entry<String, Double> e : TssbSuite.PUBLISHED_COVERING.entrySet()) {
            pub.put(e.getKey(), e.getValue());
            stdout.printf(
                    Locale.ROOT, "%-46s %8.2f%% %8s %8s%n", e.getKey() + " (published)", e.getValue(),
                    "-", "-");
        }
        node.put("seconds", seconds);
        stdout.printf(Locale.ROOT, "TSSB: %.1f s for both configurations%n", seconds);
        return node;
    }

    // ---- INSECTS ----

    static final int INSECTS_WINDOW = 200;
    static final int INSECTS_DRIFT = 14_028;

    private ObjectNode runInsects(ObjectMapper json, Path dir) throws IOException {
        Path csv = dir.resolve("gradual_balanced_24150.csv");
        if (!Files.isRegularFile(csv)) {
            throw bad("INSECTS file not found: " + csv);
        }
        SeriesData series = SeriesData.readInsects(csv);
        double[][][] ws = series.windows(INSECTS_WINDOW);
        ObjectNode node = json.createObjectNode();
        node.put("window_records", INSECTS_WINDOW);
        node.put("drift_centre", INSECTS_DRIFT);
        stdout.printf(
                Locale.ROOT,
                "INSECTS gradual: %d records, %d features, windows of %d, drift centred at %d%n",
                series.length(), series.rows()[0].length, INSECTS_WINDOW, INSECTS_DRIFT);
        stdout.printf(
                Locale.ROOT, "%-16s %8s %14s %s%n", "detector", "alarms", "before 10000",
                "alarm record indices (window ends)");
        for (Supplier<WindowDetector> f : detectors(0)) {
            WindowDetector det = f.get();
            int[][] a = alarms(det, ws);
            ObjectNode d = node.putObject(det.name());
            ArrayNode at = d.putArray("alarm_records");
            int early = 0;
            StringBuilder list = new StringBuilder();
            for (int w : a[0]) {
                int end = (w + 1) * INSECTS_WINDOW;
                at.add(end);
                early += end < 10_000 ? 1 : 0;
                if (list.length() < 120) {
                    list.append(end).append(' ');
                }
            }
            d.put("alarms", a[0].length);
            d.put("alarms_before_10000", early);
            stdout.printf(
                    Locale.ROOT, "%-16s %8d %14d %s%n", det.name(), a[0].length, early,
                    list.toString().trim());
        }
        return node;
    }

    // ---- NAB ----

    static final int NAB_WINDOW = 50;

    private ObjectNode runNab(ObjectMapper json, Path dir) throws IOException {
        Path series = dir.resolve("data").resolve("realKnownCause");
        Path labels = dir.resolve("labels").resolve("combined_windows.json");
        if (!Files.isDirectory(series) || !Files.isRegularFile(labels)) {
            throw bad("NAB layout not found under " + dir + " (data/realKnownCause, labels/)");
        }
        JsonNode windowsJson = json.readTree(labels.toFile());
        List<Path> files;
        try (Stream<Path> list = Files.list(series)) {
            files = list.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        ObjectNode node = json.createObjectNode();
        node.put("window_records", NAB_WINDOW);
        Map<String, long[]> totals = new LinkedHashMap<>();
        begin("nab", files.size(), "series");
        for (Path f : files) {
            SeriesData s = SeriesData.readNab(f);
            progress.phase(s.name());
            List<int[]> labelled = new ArrayList<>();
            JsonNode w = windowsJson.get("realKnownCause/" + f.getFileName());
            if (w != null) {
                for (JsonNode pair : w) {
                    labelled.add(
                            new int[] {
                                rowAtOrAfter(s.timestamps(), pair.get(0).asText()),
                                rowAtOrAfter(s.timestamps(), pair.get(1).asText())
                            });
                }
            }
            double[][][] ws = s.windows(NAB_WINDOW);
            ObjectNode fileNode = node.putObject(s.name());
            for (Supplier<WindowDetector> factory : detectors(0)) {
                WindowDetector det = factory.get();
                int[][] a = alarms(det, ws);
                boolean[] hit = new boolean[labelled.size()];
                int outside = 0;
                for (int aw : a[0]) {
                    int startRec = aw * NAB_WINDOW;
                    int endRec = startRec + NAB_WINDOW;
                    boolean inside = false;
                    for (int i = 0; i < labelled.size(); i++) {
                        if (startRec <= labelled.get(i)[1] && endRec > labelled.get(i)[0]) {
                            hit[i] = true;
                            inside = true;
                        }
                    }
                    outside += inside ? 0 : 1;
                }
                int hits = 0;
                for (boolean h : hit) {
                    hits += h ? 1 : 0;
                }
                ObjectNode d = fileNode.putObject(det.name());
                d.put("labelled_windows", labelled.size());
                d.put("labelled_windows_hit", hits);
                d.put("alarms", a[0].length);
                d.put("alarms_outside_labels", outside);
                d.put("windows", ws.length);
                long[] t = totals.computeIfAbsent(det.name(), k -> new long[4]);
                t[0] += labelled.size();
                t[1] += hits;
                t[2] += outside;
                t[3] += ws.length;
            }
            progress.advance(1);
        }
        stdout.printf(
                Locale.ROOT,
                "NAB realKnownCause: %d series, windows of %d records; a labelled anomaly window"
                        + " counts as hit when an alarm window overlaps it%n",
                files.size(), NAB_WINDOW);
        stdout.printf(
                Locale.ROOT, "%-16s %12s %16s %14s%n", "detector", "hit/labelled",
                "alarms outside", "outside/1000w");
        ObjectNode tot = node.putObject("total");
        for (Map.Entry<String, long[]> e : totals.entrySet()) {
            long[] t = e.getValue();
            ObjectNode d = tot.putObject(e.getKey());
            d.put("labelled_windows", t[0]);
            d.put("labelled_windows_hit", t[1]);
            d.put("alarms_outside_labels", t[2]);
            d.put("windows", t[3]);
            stdout.printf(
                    Locale.ROOT, "%-16s %12s %16d %14.1f%n", e.getKey(), t[1] + "/" + t[0], t[2],
                    1000.0 * t[2] / t[3]);
        }
        return node;
    }

    private static int rowAtOrAfter(List<String> timestamps, String ts) {
        String key = ts.length() >= 19 ? ts.substring(0, 19) : ts;
        for (int i = 0; i < timestamps.size(); i++) {
            if (timestamps.get(i).compareTo(key) >= 0) {
                return i;
            }
        }
        return timestamps.size() - 1;
    }

    // ---- helpers ----

    private Path resolve(String set) {
        if (data == null) {
            throw bad("--suite " + set + " needs --data DIR");
        }
        String folder = set.equals("insects") ? "insects_gradual_balanced" : set;
        Path sub = data.resolve(folder);
        return Files.isDirectory(sub) ? sub : data;
    }

    private void writeJson(ObjectMapper json, JsonNode node) {
        if (out == null) {
            return;
        }
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            json.writeValue(out.toFile(), node);
            stdout.println("wrote " + out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    private static void putNumber(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
    }
}
