package io.driftguard.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.operators.detect.calibration.CalibrationSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code driftguard bench detect}: detection quality of driftguard's calibrated decisions beside
 * MOA's ADWIN, Page-Hinkley and DDM (per feature) and an always-fire detector.
 */
@Command(
        name = "detect",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark drift detection: synthetic suites with known change points, TCPD, NAB"
                    + " realKnownCause and INSECTS gradual; prints a table and writes JSON.",
            "With --suite tcpd, --out receives {\"<series>\": [0-based change indices], ...};"
                    + " F1 and cover are scored when <data>/annotations.json exists."
        })
public final class BenchDetectCommand implements Callable<Integer> {

    /** Published TCPD default-experiment results (van den Burg and Williams 2020, Table 3). */
    static final Map<String, double[]> TCPD_PAPER_DEFAULT = paperRows();

    @Spec CommandSpec spec;

    @Option(
            names = "--suite",
            defaultValue = "synthetic",
            description = "synthetic, tcpd, insects, nab or all (default: ${DEFAULT-VALUE})")
    String suite;

    @Option(
            names = "--data",
            description =
                    "data root (holding tcpd/, nab/, insects_gradual_balanced/) or one data set's"
                            + " folder")
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
            names = "--threads",
            description = "worker threads (default: available processors)")
    Integer threads;

    private final PrintStream stdout;
    private final PrintStream stderr;

    public BenchDetectCommand() {
        this(System.out, System.err);
    }

    BenchDetectCommand(PrintStream stdout, PrintStream stderr) {
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
                case "insects" -> root.set("insects", runInsects(json, resolve("insects")));
                case "nab" -> root.set("nab", runNab(json, resolve("nab")));
                case "all" -> {
                    root.set("synthetic", runSynthetic(json, pool));
                    if (data == null) {
                        stderr.println("no --data: skipping tcpd, nab and insects");
                    } else {
                        root.set("tcpd", runTcpd(json, resolve("tcpd")));
                        root.set("insects", runInsects(json, resolve("insects")));
                        root.set("nab", runNab(json, resolve("nab")));
                    }
                }
                default -> throw new IllegalStateException(suite);
            }
        } finally {
            pool.shutdownNow();
        }
        writeJson(json, root);
        return 0;
    }

    private void validate() {
        if (!List.of("synthetic", "tcpd", "insects", "nab", "all").contains(suite)) {
            throw bad("--suite must be synthetic, tcpd, insects, nab or all, got '" + suite + "'");
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
        if (referenceWindows != null && referenceWindows < 1) {
            throw bad("--reference-windows must be positive, got " + referenceWindows);
        }
        if (settleWindows != null && settleWindows < 0) {
            throw bad("--settle-windows must be at least 0, got " + settleWindows);
        }
        if (threads != null && threads < 1) {
            throw bad("--threads must be positive, got " + threads);
        }
        if (List.of("tcpd", "insects", "nab").contains(suite) && data == null) {
            throw bad("--suite " + suite + " needs --data DIR");
        }
        if (data != null && !Files.isDirectory(data)) {
            throw bad("--data " + data + " is not a readable directory");
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

    /** The detectors, fresh for one stream; {@code season} > 0 gives driftguard that season. */
    private List<Supplier<WindowDetector>> detectors(int season) {
        List<Supplier<WindowDetector>> out = new ArrayList<>();
        CalibrationSettings s = settings();
        out.add(() -> new DriftguardDetector(s, season));
        out.addAll(MoaBaselines.factories());
        out.add(AlwaysFireDetector::new);
        return out;
    }

    // ---- synthetic ----

    private ObjectNode runSynthetic(ObjectMapper json, ExecutorService pool)
            throws InterruptedException, ExecutionException {
        ObjectNode node = json.createObjectNode();
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
                int[] shifted = new int[cps.length];
                for (int c = 0; c < cps.length; c++) {
                    shifted[c] = s.singleFeature() ? i % SyntheticSuite.DIMS : -1;
                }
                for (int k = 0; k < dets.size(); k++) {
                    int[][] alarms = perDetector.get(k);
                    scores.get(k).add(windows, cps, shifted, alarms[0], alarms[1]);
                }
            }
            ObjectNode suiteNode = node.putObject(s.label());
            for (int k = 0; k < dets.size(); k++) {
                String name = dets.get(k).get().name();
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

    private List<int[][]> runStream(SyntheticSuite s, int index, List<Supplier<WindowDetector>> dets) {
        SyntheticStream stream = s.generate(windows, index, seed);
        List<int[][]> out = new ArrayList<>();
        for (Supplier<WindowDetector> f : dets) {
            out.add(alarms(f.get(), stream.windows()));
        }
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
        ObjectNode predictions = node.putObject("predictions");
        ObjectNode perSeries = node.putObject("scores");
        double f1Sum = 0;
        double coverSum = 0;
        double zeroF1Sum = 0;
        double zeroCoverSum = 0;
        int scored = 0;
        stdout.println("TCPD: " + TcpdChangeDetector.describe());
        for (Path f : files) {
            SeriesData series = SeriesData.readTcpd(f);
            int[] cps = new TcpdChangeDetector().detect(series.rows());
            ArrayNode arr = predictions.putArray(series.name());
            for (int c : cps) {
                arr.add(c);
            }
            boolean synthetic = series.name().startsWith("quality_control");
            if (annotations != null && annotations.has(series.name()) && !synthetic) {
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
                double f1 = TcpdMetrics.f1(ann, cps, TcpdMetrics.DEFAULT_MARGIN);
                double cover = TcpdMetrics.cover(ann, cps, series.length());
                ObjectNode s = perSeries.putObject(series.name());
                s.put("f1", f1);
                s.put("cover", cover);
                s.put("n", series.length());
                f1Sum += f1;
                coverSum += cover;
                zeroF1Sum += TcpdMetrics.f1(ann, new int[0], TcpdMetrics.DEFAULT_MARGIN);
                zeroCoverSum += TcpdMetrics.cover(ann, new int[0], series.length());
                scored++;
            }
        }
        if (scored > 0) {
            double f1 = f1Sum / scored;
            double cover = coverSum / scored;
            node.put("series_scored", scored);
            node.put("f1", f1);
            node.put("cover", cover);
            ObjectNode paper = node.putObject("paper_default");
            stdout.printf(
                    Locale.ROOT,
                    "TCPD real series scored: %d (quality_control_* excluded), margin %d%n",
                    scored, TcpdMetrics.DEFAULT_MARGIN);
            stdout.printf(Locale.ROOT, "%-28s %7s %7s%n", "method", "F1", "cover");
            stdout.printf(Locale.ROOT, "%-28s %7.3f %7.3f%n", "driftguard (this run)", f1, cover);
            ObjectNode zero = node.putObject("zero_this_run");
            zero.put("f1", zeroF1Sum / scored);
            zero.put("cover", zeroCoverSum / scored);
            stdout.printf(
                    Locale.ROOT, "%-28s %7.3f %7.3f%n", "no change (this run)", zeroF1Sum / scored,
                    zeroCoverSum / scored);
            for (Map.Entry<String, double[]> e : TCPD_PAPER_DEFAULT.entrySet()) {
                ObjectNode row = paper.putObject(e.getKey());
                putNumber(row, "f1", e.getValue()[0]);
                putNumber(row, "cover", e.getValue()[1]);
                stdout.printf(
                        Locale.ROOT, "%-28s %7s %7s%n", e.getKey() + " (paper, default)",
                        fmt(e.getValue()[0]), fmt(e.getValue()[1]));
            }
        } else {
            stdout.println("TCPD: no annotations.json beside the series, predictions only");
        }
        return node;
    }

    private static Map<String, double[]> paperRows() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("binseg", new double[] {0.744, 0.706});
        m.put("bocpd", new double[] {0.690, Double.NaN});
        return m;
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
        for (Path f : files) {
            SeriesData s = SeriesData.readNab(f);
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
