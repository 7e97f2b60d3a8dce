package io.driftguard.bench;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.connectors.csv.CsvSplitter;
import io.driftguard.jobs.cli.UserError;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.dashboard.Progress;
import io.driftguard.jobs.runtime.LocalKafka;
import io.driftguard.jobs.topology.FlinkEnvironments;
import io.driftguard.jobs.topology.KafkaDriftJob;
import io.driftguard.jobs.topology.ModelTopology;
import io.driftguard.jobs.topology.ReplayJob;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.model.ModelSettings;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.scoring.Prediction;
import io.driftguard.operators.scoring.ScoringFunction;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftguard bench adapt}: the deployed model's quality with and without retraining on
 * real drifting streams (ELEC2, INSECTS gradual), beside the published reference points, and the
 * time from a drift alarm to the first record scored by the retrained version in a running job.
 */
@Command(
        name = "adapt",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark adaptation: prequential accuracy of the deployed model with --adapt none and retrain"
                    + " on ELEC2 and INSECTS gradual (from --data) beside the no-change classifier and MOA's"
                    + " Hoeffding Adaptive Tree, and the swap latency (drift alarm to the first record scored"
                    + " by the new version) in a running Kafka job."
        })
public final class BenchAdaptCommand implements Callable<Integer> {

    /** Published and measured reference points (prequential accuracy, %). */
    private static final Map<String, double[]> REFERENCE = Map.of(
            "ELEC2", new double[] {85.33, 83.39},
            "INSECTS gradual", new double[] {36.59, 61.70});

    /** The strategy name of retraining on a schedule. */
    static final String PERIODIC = "periodic";

    /** Records per window of the latency run. */
    private static final int LATENCY_WINDOW = 4000;

    private Progress progress = Progress.drawnOn(null, "", 0, "", null);

    @Option(names = "--data", description = "data root holding elec/elec.csv and insects_gradual_balanced/ (default: ../shared/data)")
    Path data = Path.of("..", "shared", "data");

    @Option(names = "--window", description = "drift window in records for the quality runs (default: ${DEFAULT-VALUE})")
    int window = 500;

    @Option(names = "--strategies", description = "adaptations compared, comma-separated; each is a model.adapt value"
            + " or periodic (default: ${DEFAULT-VALUE})")
    String strategies = "none,periodic,retrain,fine-tune,weights,meda,adversarial,pseudo,auto";

    @Option(names = "--periodic-windows", description = "windows between the retrains of the periodic row"
            + " (default: ${DEFAULT-VALUE})")
    int periodicWindows = 4;

    @Option(names = "--lag-labels", description = "model.lag-labels of every quality run: the key's last N labels"
            + " appended to each record's inputs (default: ${DEFAULT-VALUE})")
    int lagLabels = 0;

    @Option(names = {"-D", "--set"}, description = "any configuration key for every quality run, e.g."
            + " -D model.kind=linear")
    Map<String, String> extra = new java.util.LinkedHashMap<>();

    @Option(names = "--skip-quality", description = "only measure the swap latency")
    boolean skipQuality;

    @Option(names = "--skip-latency", description = "only measure the quality")
    boolean skipLatency;

    @Option(names = "--latency-rounds", description = "alarms timed (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--latency-adapt", description = "model.adapt of the latency run (default: ${DEFAULT-VALUE})")
    String latencyAdapt = "retrain";

    @Option(names = "--rate", description = "records per second flowing during the latency run (default: ${DEFAULT-VALUE})")
    int rate = 4000;

    @Override
    public Integer call() throws Exception {
        if (!skipQuality) {
            // one drift pass and one scoring pass per strategy, on each of the two data sets
            long replays = 2L * (1 + strategies.split(",").length);
            try (Progress p = Progress.onTerminal("bench adapt, quality", replays, "replays").guardSystemStreams()) {
                progress = p;
                quality();
            }
        }
        if (!skipLatency) {
            int total = LATENCY_WINDOW * 6 * (rounds + 1);
            try (Progress p = Progress.onTerminal("bench adapt, swap latency", total, "records")
                    .guardSystemStreams()) {
                progress = p;
                latency(total);
            }
        }
        return 0;
    }

    private void quality() throws Exception {
        Path elec = data.resolve("elec").resolve("elec.csv");
        Path insects = data.resolve("insects_gradual_balanced").resolve("gradual_balanced_24150.csv");
        if (!Files.isReadable(elec) || !Files.isReadable(insects)) {
            throw new UserError("need " + elec + " and " + insects + " (--data)");
        }
        Path tmp = Files.createTempDirectory("driftguard-bench-adapt");
        Path insectsCsv = withHeader(insects, tmp.resolve("insects.csv"), 33);
        Map<String, String> shown = new HashMap<>(extra);
        shown.put(DriftguardOptions.MODEL_TASK.key(), "classification");
        ModelSettings described = JobConfig.modelSettings(JobConfig.build(Map.of(), shown));
        System.out.println("prequential accuracy (test-then-train, cumulative; the prior counts until a key's first"
                + " model serves), window " + window + " records, reference fixed, model "
                + described.kind().cliName() + java.util.Arrays.toString(described.hidden())
                + (described.inputSteps() > 1 ? " over " + described.inputSteps() + " records" : "")
                + ", lag labels " + lagLabels + (extra.isEmpty() ? "" : ", set: " + extra));
        System.out.println();
        Map<String, double[]> rows = new java.util.LinkedHashMap<>();
        Map<String, String> versions = new java.util.LinkedHashMap<>();
        String[] names = {"ELEC2", "INSECTS gradual"};
        Path[] files = {elec, insectsCsv};
        for (int f = 0; f < files.length; f++) {
            CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(files[f]), null, null, "class", null);
            Map<String, String> c = new HashMap<>(extra);
            c.put(DriftguardOptions.WINDOW_SIZE.key(), Integer.toString(window));
            c.put(DriftguardOptions.MODEL_TASK.key(), "classification");
            c.put(DriftguardOptions.MODEL_LAG_LABELS.key(), Integer.toString(lagLabels));
            Configuration conf = JobConfig.build(Map.of(), c);
            DriftSettings drift = JobConfig.driftSettings(conf);
            ModelSettings model = JobConfig.modelSettings(conf);
            progress.phase(names[f] + ", drift");
            ReplayJob.Result events = ReplayJob.run(files[f], schema, drift, 2, conf);
            progress.advance(1);
            for (String adapt : strategies.split(",")) {
                String name = adapt.trim();
                // periodic: retrain on a schedule, blind to drift, through the same retraining path
                boolean periodic = name.equals(PERIODIC);
                ModelSettings m = model.withStrategies(ModelSettings.parseStrategies(periodic ? "retrain" : name));
                List<DriftEvent> triggers = periodic ? periodic(events.events(), periodicWindows) : events.events();
                long t0 = System.nanoTime();
                progress.phase(names[f] + ", " + name);
                ReplayJob.Scored scored = ReplayJob.score(files[f], schema, drift.window(), m, triggers,
                        ModelTopology.ND4J, 2, conf);
                long rejected = scored.models().stream().filter(v -> v.status() == ModelStatus.REJECTED).count();
                rows.computeIfAbsent(name, k -> new double[files.length])[f] = accuracy(scored.predictions());
                versions.merge(name, (f == 0 ? "" : " / ") + (scored.models().size() - rejected) + " (" + rejected + ")",
                        String::concat);
                progress.advance(1);
                System.err.printf(Locale.ROOT, "%s %s: %.2f%% in %.0f s%n", names[f], name,
                        rows.get(name)[f], (System.nanoTime() - t0) / 1e9);
            }
        }
        // the references over the same files in the same run: the no-change classifier, and MOA's
        // learners when MOA is on the class path (driftguard-bench.jar)
        double[] noChange = new double[files.length];
        boolean moa = MoaBaselines.available();
        double[][] moaAccuracy = new double[MoaPrequential.Learner.values().length][files.length];
        for (int f = 0; f < files.length; f++) {
            noChange[f] = noChange(files[f], "class");
            for (int l = 0; moa && l < moaAccuracy.length; l++) {
                MoaPrequential.Learner learner = MoaPrequential.Learner.values()[l];
                progress.phase(names[f] + ", " + learner.label);
                moaAccuracy[l][f] = MoaPrequential.accuracy(files[f], "class", learner);
            }
        }
        System.out.printf("| adaptation | %s | %s | versions published (rejected), %s / %s |%n", names[0], names[1],
                names[0], names[1]);
        System.out.println("| --- | --- | --- | --- |");
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            String label = e.getKey().equals(PERIODIC)
                    ? "periodic (retrain every " + periodicWindows + " windows; drift alarms ignored)" : e.getKey();
            System.out.printf(Locale.ROOT, "| %s | %.2f%% | %.2f%% | %s |%n", label, e.getValue()[0],
                    e.getValue()[1], versions.get(e.getKey()));
        }
        System.out.printf(Locale.ROOT, "| no-change classifier (previous label) | %.2f%% | %.2f%% | |%n",
                noChange[0], noChange[1]);
        if (moa) {
            for (MoaPrequential.Learner learner : MoaPrequential.Learner.values()) {
                System.out.printf(Locale.ROOT, "| %s (prequential, this run) | %.2f%% | %.2f%% | |%n", learner.label,
                        moaAccuracy[learner.ordinal()][0], moaAccuracy[learner.ordinal()][1]);
            }
        } else {
            System.out.printf(Locale.ROOT, "| MOA Hoeffding Adaptive Tree (EvaluatePrequential, measured earlier)"
                    + " | %.2f%% | %.2f%% | |%n", REFERENCE.get("ELEC2")[1], REFERENCE.get("INSECTS gradual")[1]);
            System.out.println("| MOA Adaptive Random Forest (EvaluatePrequential, measured earlier) | 90.05% | 77.98% | |");
            System.out.println(MoaBaselines.absenceMessage().replace("the ADWIN, PageHinkleyDM and DDM baselines",
                    "running MOA's classifiers in this run"));
        }
    }

    /**
     * The drift pass's events with every {@code every}-th window of each key marked as drift (no
     * change point: a retrain then learns from the records after that window's start) and no
     * other: retraining on a schedule, blind to what the detector found.
     */
    static List<DriftEvent> periodic(List<DriftEvent> events, int every) {
        Map<String, Integer> seen = new HashMap<>();
        List<DriftEvent> out = new ArrayList<>(events.size());
        List<DriftEvent> sorted = new ArrayList<>(events);
        sorted.sort(java.util.Comparator.comparingLong(DriftEvent::windowStart));
        for (DriftEvent e : sorted) {
            int n = seen.merge(e.key(), 1, Integer::sum);
            out.add(e.toBuilder().decision(n % every == 0, e.calibrated()).changeAt(null).build());
        }
        return out;
    }

    /**
     * Cumulative accuracy (%) of predicting each record's class as the previous record's (the first
     * record counts as wrong).
     */
    static double noChange(Path csv, String classColumn) throws Exception {
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            int c = CsvSplitter.split(r.readLine()).indexOf(classColumn);
            String previous = null;
            long n = 0;
            long right = 0;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String y = CsvSplitter.split(line).get(c).trim();
                right += y.equals(previous) ? 1 : 0;
                n++;
                previous = y;
            }
            return 100.0 * right / Math.max(1, n);
        }
    }

    static double accuracy(List<Prediction> predictions) {
        long n = 0;
        long right = 0;
        for (Prediction p : predictions) {
            if (p.label() != null) {
                n++;
                right += p.correct() ? 1 : 0;
            }
        }
        return 100.0 * right / Math.max(1, n);
    }

    /** Copies a headerless CSV of {@code features} columns and a class, adding the header f0..,class. */
    static Path withHeader(Path in, Path out, int features) throws Exception {
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
                BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            StringBuilder h = new StringBuilder();
            for (int i = 0; i < features; i++) {
                h.append('f').append(i).append(',');
            }
            w.write(h.append("class\n").toString());
            String line;
            while ((line = r.readLine()) != null) {
                w.write(line);
                w.write('\n');
            }
        }
        return out;
    }

    /**
     * A running Kafka job with the default model; one key of 8 features and 4 classes changes
     * its distribution and concept every 6 windows of 4,000 records, and records keep flowing at
     * {@code rate}. Each alarm's retrain takes the window's 4,000 labelled records; the scoring
     * operator times each swap (alarm received to first record scored by the new version).
     */
    private void latency(int total) throws Exception {
        int windowRecords = LATENCY_WINDOW;
        System.out.println();
        System.out.println("swap latency: default model (mlp [32]), d = 8, 4 classes, adapt " + latencyAdapt
                + " on 4,000 records, records flowing at " + rate + "/s");
        try (LocalKafka kafka = LocalKafka.start(null)) {
            String servers = kafka.bootstrapServers();
            kafka.createTopics(2, "bench.input", "bench.drift", "bench.dlq", "bench.predictions");
            LocalKafka.createTopics(servers, 1, Map.of("cleanup.policy", "compact"), "bench.models");
            Map<String, String> c = new HashMap<>();
            c.put(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS.key(), servers);
            c.put(DriftguardOptions.KAFKA_INPUT_TOPIC.key(), "bench.input");
            c.put(DriftguardOptions.KAFKA_DRIFT_TOPIC.key(), "bench.drift");
            c.put(DriftguardOptions.KAFKA_DLQ_TOPIC.key(), "bench.dlq");
            c.put(DriftguardOptions.KAFKA_PREDICTIONS_TOPIC.key(), "bench.predictions");
            c.put(DriftguardOptions.KAFKA_MODELS_TOPIC.key(), "bench.models");
            c.put(DriftguardOptions.WINDOW_SIZE.key(), Integer.toString(windowRecords));
            c.put(DriftguardOptions.REFERENCE.key(), "previous");
            c.put(DriftguardOptions.MODEL_TASK.key(), "classification");
            c.put(DriftguardOptions.MODEL_ADAPT.key(), latencyAdapt);
            c.put(DriftguardOptions.MODEL_INITIAL_RECORDS.key(), "2000");
            c.put(DriftguardOptions.KAFKA_DELIVERY.key(), "at-least-once");
            Configuration conf = JobConfig.build(Map.of(), c);
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(5));
            StreamExecutionEnvironment env = FlinkEnvironments.local(conf, 2);
            KafkaDriftJob.build(env, conf);
            JobClient job = env.executeAsync("driftguard bench adapt");
            produce(servers, "bench.input", total, windowRecords);
            // let the last windows drain before stopping
            Thread.sleep(3000);
            job.stopWithSavepoint(false, Files.createTempDirectory("driftguard-bench-sp").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();
            JobExecutionResult result = job.getJobExecutionResult().get();
            List<Long> latencies = result.getAccumulatorResult(ScoringFunction.SWAP_LATENCIES);
            List<Long> sorted = new ArrayList<>(latencies == null ? List.of() : latencies);
            sorted.sort(null);
            System.out.println("alarms answered by a new version: " + sorted.size() + "; latency ms: " + sorted
                    + (sorted.isEmpty() ? "" : "; median " + sorted.get(sorted.size() / 2)));
        }
    }

    private void produce(String servers, String topic, int total, int windowRecords) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        SplittableRandom rnd = new SplittableRandom(17);
        double[][] concept = new double[4][8];
        long start = System.nanoTime();
        long ts0 = System.currentTimeMillis();
        byte[] key = "bench".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < total; i++) {
                int regime = i / (6 * windowRecords);
                if (i % (6 * windowRecords) == 0) {
                    for (double[] row : concept) {
                        for (int j = 0; j < row.length; j++) {
                            row[j] = rnd.nextDouble() * 2 - 1;
                        }
                    }
                }
                double[] x = new double[8];
                StringBuilder sb = new StringBuilder(200);
                sb.append("{\"key\":\"bench\",\"ts\":").append(ts0 + i).append(",\"features\":[");
                for (int j = 0; j < 8; j++) {
                    x[j] = gaussian(rnd) + (regime % 2) * 1.5;
                    sb.append(j > 0 ? "," : "").append(String.format(Locale.ROOT, "%.5f", x[j]));
                }
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int cl = 0; cl < 4; cl++) {
                    double s = 0;
                    for (int j = 0; j < 8; j++) {
                        s += concept[cl][j] * x[j];
                    }
                    if (s > bestScore) {
                        bestScore = s;
                        best = cl;
                    }
                }
                sb.append("],\"label\":\"c").append(best).append("\"}");
                producer.send(new ProducerRecord<>(topic, key, sb.toString().getBytes(StandardCharsets.UTF_8)));
                progress.advance(1);
                if (i % 200 == 0) {
                    long wait = start + (long) i * 1_000_000_000L / rate - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
            producer.flush();
        }
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
