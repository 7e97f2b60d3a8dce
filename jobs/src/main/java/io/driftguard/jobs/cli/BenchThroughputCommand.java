package io.driftguard.jobs.cli;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.runtime.LocalKafka;
import io.driftguard.jobs.topology.FlinkEnvironments;
import io.driftguard.jobs.topology.KafkaDriftJob;
import io.driftguard.jobs.topology.ReplayJob;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.simd.Simd;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 * Measures records per second: CSV replay on local Flink with sketches on and off, and Kafka in,
 * exactly-once Kafka out, on seeded synthetic data with a mean shift half way.
 */
@Command(
        name = "throughput",
        mixinStandardHelpOptions = true,
        description = {
            "Replay throughput (sketches on and off) and the Kafka end-to-end rate with exactly-once,",
            "on seeded synthetic records (KEYS keys, DIM features, a mean shift half way)."
        })
final class BenchThroughputCommand implements Callable<Integer> {

    @Option(names = "--keys", description = "Keys (default: ${DEFAULT-VALUE}).")
    int keys = 100;

    @Option(names = "--dim", description = "Features per record (default: ${DEFAULT-VALUE}).")
    int dim = 8;

    @Option(names = "--records", description = "Records replayed from CSV (default: ${DEFAULT-VALUE}).")
    int records = 2_000_000;

    @Option(names = "--kafka-records", description = "Records through Kafka; 0 skips it (default: ${DEFAULT-VALUE}).")
    int kafkaRecords = 300_000;

    @Option(names = "--window", description = "Window size in records per key (default: ${DEFAULT-VALUE}).")
    int window = 1000;

    @Option(names = "--parallelism", description = "Parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(
            names = "--rounds",
            description =
                    "Replay rounds, each sketches off then sketches on; the median of the rounds is"
                            + " reported, so that the VM's drift between runs affects both sides"
                            + " alike (default: ${DEFAULT-VALUE}).")
    int rounds = 1;

    @Option(names = "--out", description = "Write the results as JSON to this file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (keys < 1 || dim < 1 || records < keys * 10 || window < 4 || parallelism < 1 || kafkaRecords < 0
                || rounds < 1) {
            throw new UserError(
                    "need keys >= 1, dim >= 1, records >= 10 * keys, window >= 4, parallelism >= 1, rounds >= 1");
        }
        Path dir = Files.createTempDirectory("driftguard-bench");
        Path csv = dir.resolve("synthetic.csv");
        writeCsv(csv, records);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", machine());
        results.put("keys", keys);
        results.put("dim", dim);
        results.put("records", records);
        results.put("window", window);
        results.put("parallelism", parallelism);

        // The previous-window reference evaluates every window from a key's second on; under the
        // default fixed reference a key's first 8 windows only build the reference, and a short
        // replay would measure little evaluation.
        Configuration conf =
                JobConfig.build(
                        Map.of(),
                        Map.of(
                                DriftguardOptions.WINDOW_SIZE.key(), Integer.toString(window),
                                DriftguardOptions.REFERENCE.key(), "previous"));
        DriftSettings on = JobConfig.driftSettings(conf);
        CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(csv), "ts", "key", null, null);
        // Two unmeasured runs, sketches on then off, warm the JVM up, so that the measured runs
        // use compiled code for parsing, sketches and window evaluation alike and each side's own
        // branches are profiled (a streaming job runs for days; on 2 cores the JIT compiler would
        // otherwise take a third of a short run's CPU, and a sketches-off path first run after
        // the warm-up kept speeding up over the following rounds). A
        // replay of a few records per key then measures the fixed cost of a job (local cluster
        // start, deployment, shutdown), so that the steady rate can be reported beside the gross
        // one.
        Path small = dir.resolve("startup.csv");
        writeCsv(small, keys * 10);
        ReplayJob.run(csv, schema, on, parallelism, conf);
        ReplayJob.run(csv, schema, on.withSketches(false), parallelism, conf);
        long startupOff = ReplayJob.run(small, schema, on.withSketches(false), parallelism, conf).millis();
        long startupOn = ReplayJob.run(small, schema, on, parallelism, conf).millis();
        double[] offRates = new double[rounds];
        double[] onRates = new double[rounds];
        double[] offSteady = new double[rounds];
        double[] onSteady = new double[rounds];
        double[] ratios = new double[rounds];
        double[] ratiosSteady = new double[rounds];
        int windowsEvaluated = 0;
        System.out.printf(Locale.ROOT, "vector kernels       : %s%n",
                Simd.enabled() ? "on" : "off (start the JVM with --add-modules jdk.incubator.vector)");
        System.out.printf(Locale.ROOT, "job start and stop   : %d ms (a replay of %d records)%n", startupOn, keys * 10);
        for (int round = 0; round < rounds; round++) {
            ReplayJob.Result off = ReplayJob.run(csv, schema, on.withSketches(false), parallelism, conf);
            ReplayJob.Result onRes = ReplayJob.run(csv, schema, on, parallelism, conf);
            offRates[round] = records * 1000.0 / off.millis();
            onRates[round] = records * 1000.0 / onRes.millis();
            offSteady[round] = records * 1000.0 / Math.max(1, off.millis() - startupOff);
            onSteady[round] = records * 1000.0 / Math.max(1, onRes.millis() - startupOn);
            ratios[round] = onRates[round] / offRates[round];
            ratiosSteady[round] = onSteady[round] / offSteady[round];
            windowsEvaluated = onRes.events().size();
            String tag = rounds == 1 ? "" : String.format(Locale.ROOT, " [round %d]", round + 1);
            System.out.printf(Locale.ROOT, "replay, sketches off : %,10.0f records/s, %,10.0f steady (%d ms)%s%n",
                    offRates[round], offSteady[round], off.millis(), tag);
            System.out.printf(Locale.ROOT, "replay, sketches on  : %,10.0f records/s, %,10.0f steady (%d ms, %d windows evaluated)%s%n",
                    onRates[round], onSteady[round], onRes.millis(), windowsEvaluated, tag);
            System.out.printf(Locale.ROOT, "on/off ratio         : %.2f, %.2f steady%s%n", ratios[round], ratiosSteady[round], tag);
        }
        if (rounds > 1) {
            System.out.printf(Locale.ROOT,
                    "median of %d rounds  : sketches off %,.0f, on %,.0f records/s; on/off %.2f (%.2f steady)%n",
                    rounds, median(offRates), median(onRates), median(ratios), median(ratiosSteady));
        }
        results.put("job_startup_ms", startupOn);
        results.put("vector_kernels", Simd.enabled());
        results.put("rounds", rounds);
        results.put("replay_sketches_off_records_per_s", Math.round(median(offRates)));
        results.put("replay_sketches_on_records_per_s", Math.round(median(onRates)));
        results.put("replay_sketches_off_steady_records_per_s", Math.round(median(offSteady)));
        results.put("replay_sketches_on_steady_records_per_s", Math.round(median(onSteady)));
        results.put("on_off_ratio", median(ratios));
        results.put("on_off_ratio_steady", median(ratiosSteady));
        results.put("on_off_ratio_per_round", java.util.Arrays.stream(ratios).boxed().toList());
        results.put("windows_evaluated", windowsEvaluated);

        if (kafkaRecords > 0) {
            double rate = kafkaRate(conf);
            results.put("kafka_exactly_once_records_per_s", Math.round(rate));
            results.put("kafka_exactly_once_steady_records_per_s", Math.round(kafkaSteadyRate));
            results.put("kafka_job_startup_ms", Math.round(kafkaStartupSeconds * 1000));
            System.out.printf(Locale.ROOT,
                    "kafka exactly-once   : %,10.0f records/s, %,10.0f steady (%d records; job start and stop %.1f s)%n",
                    rate, kafkaSteadyRate, kafkaRecords, kafkaStartupSeconds);
        }
        if (out != null) {
            StringBuilder sb = new StringBuilder("{");
            results.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
                    .append(v instanceof String ? "\"" + v + "\"" : v));
            Files.writeString(out, sb.append("}\n").toString());
        }
        return 0;
    }

    private void writeCsv(Path csv, int rows) throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder("ts,key");
            for (int f = 0; f < dim; f++) {
                sb.append(",x").append(f);
            }
            w.write(sb.append('\n').toString());
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

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version");
    }

    /** The median (the mean of the middle two for an even count). */
    static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return io.driftguard.operators.stats.UnivariateTests.quantileOfSorted(c, 0.5);
    }
}
