package io.driftguard.jobs.cli;

import io.driftguard.connectors.csv.CsvLine;
import io.driftguard.connectors.csv.CsvRecordParser;
import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.connectors.csv.CsvSplitter;
import io.driftguard.connectors.serde.ParseResult;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.dashboard.DashboardServer;
import io.driftguard.jobs.dashboard.DashboardState;
import io.driftguard.jobs.dashboard.Followers;
import io.driftguard.jobs.runtime.LocalKafka;
import io.driftguard.jobs.runtime.ShippedData;
import io.driftguard.jobs.topology.FlinkEnvironments;
import io.driftguard.jobs.topology.KafkaDriftJob;
import io.driftguard.operators.model.Lineage;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.record.SeriesRecord;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded default: a local Kafka broker and local Flink, the shipped INSECTS stream replayed
 * through Kafka into the drift job, drift events printed as they arrive.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Replay the shipped INSECTS stream through a local Kafka broker into the drift job on local Flink.",
            "The stream is real sensor data whose distribution changes around record 14,028; a model",
            "predicts each record's insect class and retrains after the change. The drift events, with",
            "the window's prequential accuracy and model version, and the model versions are printed as",
            "they arrive, then a summary. Exits by itself; with --dashboard it keeps serving the dashboard",
            "until interrupted."
        })
final class DemoCommand implements Callable<Integer> {

    private static final String KEY = "insects";
    private static final long BASE_TS = 1_700_000_000_000L;
    private static final long STEP_MS = 1_000L;
    private static final long SHIPPED_RECORDS = 24_150;

    @Option(names = "--window", description = "Window size in records (default: ${DEFAULT-VALUE}).")
    int window = 200;

    @Option(names = "--reference", description = "Reference policy (default: ${DEFAULT-VALUE}).")
    String reference = "fixed";

    @Option(names = "--rate", description = "Records produced per second while the job runs (default: ${DEFAULT-VALUE}).")
    int rate = 1000;

    @Option(names = "--no-model", description = "Detection only: no model, no predictions.")
    boolean noModel;

    @Option(names = "--timeout", description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 240;

    @Option(names = "--dashboard", description = "Serve the live dashboard over the demo's topics, and keep serving it"
            + " (and the broker) after the stream ends, until interrupted.")
    boolean dashboard;

    @Option(names = "--dashboard-port", description = "Dashboard port on 127.0.0.1 (0: any free port; default: ${DEFAULT-VALUE}).")
    int dashboardPort = 8686;

    @Override
    public Integer call() throws Exception {
        ReplayCommand.quietShutdownHooks();
        say("driftguard demo: local Kafka + local Flink + the INSECTS gradual-drift stream (24,150 records, 8 features)");
        long t0 = System.nanoTime();
        try (LocalKafka kafka = LocalKafka.start(null)) {
            String servers = kafka.bootstrapServers();
            Map<String, String> c = new LinkedHashMap<>();
            c.put(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS.key(), servers);
            // with a model the job also follows the models topic, which has no end: the demo
            // produces while the job runs and stops the job with a final savepoint at the end
            c.put(DriftguardOptions.KAFKA_BOUNDED.key(), Boolean.toString(noModel));
            c.put(DriftguardOptions.WINDOW_SIZE.key(), Integer.toString(window));
            c.put(DriftguardOptions.REFERENCE.key(), reference);
            if (!noModel) {
                c.put(DriftguardOptions.MODEL_TASK.key(), "classification");
            }
            Configuration conf = JobConfig.build(Map.of(), c);
            String input = conf.get(DriftguardOptions.KAFKA_INPUT_TOPIC);
            String drift = conf.get(DriftguardOptions.KAFKA_DRIFT_TOPIC);
            String dlq = conf.get(DriftguardOptions.KAFKA_DLQ_TOPIC);
            String preds = conf.get(DriftguardOptions.KAFKA_PREDICTIONS_TOPIC);
            String models = conf.get(DriftguardOptions.KAFKA_MODELS_TOPIC);
            kafka.createTopics(2, input, drift, dlq, preds);
            LocalKafka.createTopics(servers, 1, Map.of("cleanup.policy", "compact"), models);
            say("Kafka broker at " + servers + "; topics " + input + ", " + drift + ", " + dlq
                    + (noModel ? "" : ", " + preds + ", " + models));

            DashboardState view = new DashboardState();
            DashboardServer server = dashboard ? DashboardCommand.startServer(view, "127.0.0.1", dashboardPort) : null;
            Followers.Feed feed = dashboard ? Followers.kafka(view, servers, new Properties(), drift, preds, models) : null;
            if (server != null) {
                say("dashboard at " + server.address() + " (live while the stream plays)");
            }
            try (server; feed) {
                Thread producer = null;
                if (noModel) {
                    int produced = produce(servers, input, 0);
                    say("produced " + produced + " records (and 3 malformed ones) to " + input);
                }
                conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(noModel ? 2 : 1));
                StreamExecutionEnvironment env = FlinkEnvironments.local(conf, 2);
                KafkaDriftJob.build(env, conf);
                JobClient job = env.executeAsync("driftguard demo");
                say("Flink job " + job.getJobID() + " running: windows of " + window + " records, reference '"
                        + reference + "', exactly-once drift events to " + drift);
                if (!noModel) {
                    say("model: a feed-forward network per key predicts the insect class; it is trained after 500"
                            + " labelled records and retrained on drift alarms and confirmed error rises");
                    producer = new Thread(() -> {
                        try {
                            int produced = produce(servers, input, rate);
                            say("  (produced " + produced + " records and 3 malformed ones to " + input + ")");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, "demo-producer");
                    producer.setDaemon(true);
                    producer.start();
                    say("producing the stream to " + input + " at " + rate + " records/s");
                }
                say("");
                Summary s = follow(servers, drift, dlq, noModel ? null : preds, noModel ? null : models, job, t0);
                say("");
                say(String.format("done in %.0f s: %d windows evaluated (%d before the key was calibrated),"
                        + " %d drift alarms, %d dead letters",
                        (System.nanoTime() - t0) / 1e9, s.events, s.uncalibrated, s.alarms, s.deadLetters));
                if (!noModel) {
                    say(String.format("model: %d records scored, prequential accuracy %.1f%% (the prior counts until"
                            + " the first model serves); %d versions published, %d candidates rejected",
                            s.predictions, 100.0 * s.correct / Math.max(1, s.predictions), s.accepted, s.rejected));
                }
                if (s.firstAlarmRecord >= 0) {
                    say("first alarm at record " + s.firstAlarmRecord + " (the change is centred at record "
                            + ShippedData.INSECTS_CHANGE_ROW + ")");
                }
                say("Run it on your own data: driftguard replay --input your.csv --events events.jsonl,"
                        + " or driftguard run --config driftguard.yaml against your Kafka (see README.md).");
                if (server != null) {
                    say("dashboard at " + server.address() + "; Ctrl-C to stop");
                    new java.util.concurrent.CountDownLatch(1).await();
                }
                return s.events > 0 ? 0 : 1;
            }
        }
    }

    /** Produces the shipped stream; {@code rate} records per second, or as fast as possible when 0. */
    private static int produce(String servers, String topic, int rate) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        int n = 0;
        long start = System.nanoTime();
        try (BufferedReader r = ShippedData.open(ShippedData.INSECTS);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            CsvSchema schema = CsvSchema.resolve(CsvSplitter.split(r.readLine()), null, null, "class", null);
            CsvRecordParser parser = new CsvRecordParser(schema);
            byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
            String line;
            long row = 0;
            while ((line = r.readLine()) != null) {
                ParseResult res = parser.parse(new CsvLine(row, line));
                SeriesRecord rec = res.record();
                if (rec == null) {
                    throw new IllegalStateException("shipped data row " + row + ": " + res.error());
                }
                producer.send(new ProducerRecord<>(topic, key, ProduceCommand.toJson(rec, KEY, BASE_TS + row * STEP_MS)));
                n++;
                row++;
                if (rate > 0 && row % 100 == 0) {
                    long due = start + row * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                if (row == 5000) {
                    // bad input is dead-lettered, never fatal
                    producer.send(new ProducerRecord<>(topic, key, "{\"key\":\"insects\",\"ts\":1,".getBytes(StandardCharsets.UTF_8)));
                    producer.send(new ProducerRecord<>(topic, key,
                            ("{\"key\":\"insects\",\"ts\":" + (BASE_TS + row * STEP_MS) + ",\"features\":[1,2]}").getBytes(StandardCharsets.UTF_8)));
                    producer.send(new ProducerRecord<>(topic, key,
                            "{\"key\":\"insects\",\"features\":[1,2,3,4,5,6,7,8]}".getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
        return n;
    }

    private static final class Summary {
        long events;
        long uncalibrated;
        long alarms;
        long deadLetters;
        long firstAlarmRecord = -1;
        long predictions;
        long correct;
        long accepted;
        long rejected;
    }

    private Summary follow(String servers, String drift, String dlq, String preds, String models, JobClient job,
            long t0) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "driftguard-demo-viewer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        ObjectMapper om = new ObjectMapper();
        Summary s = new Summary();
        var result = job.getJobExecutionResult();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            java.util.List<String> topics = new java.util.ArrayList<>(java.util.List.of(drift, dlq));
            if (preds != null) {
                topics.add(preds);
                topics.add(models);
            }
            consumer.subscribe(topics);
            boolean stopping = false;
            boolean finished = false;
            int quietPolls = 0;
            while (true) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> rec : records) {
                    if (rec.topic().equals(models)) {
                        ModelArtifact m = ModelCodec.decode(rec.value());
                        Lineage l = m.lineage();
                        if (m.status() == ModelStatus.ACCEPTED) {
                            s.accepted++;
                        } else {
                            s.rejected++;
                        }
                        say(String.format("  model v%d %s (%s, %d records %d-%d, held-out error %.3f vs %s %.3f)%s",
                                m.version(), m.status().jsonName(), l.trigger().jsonName(), l.trainRecords(),
                                (l.trainFrom() - BASE_TS) / STEP_MS, (l.trainTo() - BASE_TS) / STEP_MS,
                                l.candidateMetric(), l.parentVersion() == 0 ? "prior" : "v" + l.parentVersion(),
                                l.parentMetric(), m.status() == ModelStatus.ACCEPTED
                                        ? ", serves from record " + (m.effectiveFrom() - BASE_TS) / STEP_MS : ""));
                        continue;
                    }
                    JsonNode n = om.readTree(rec.value());
                    if (rec.topic().equals(preds)) {
                        s.predictions++;
                        if (n.path("label").asText().equals(n.path("prediction").asText())) {
                            s.correct++;
                        }
                        continue;
                    }
                    if (rec.topic().equals(dlq)) {
                        s.deadLetters++;
                        say("  dead letter: " + n.path("reason").asText() + " (" + n.path("source").asText() + ")");
                        continue;
                    }
                    s.events++;
                    boolean alarm = n.path("drift").asBoolean();
                    if (!n.path("calibrated").asBoolean()) {
                        s.uncalibrated++;
                    }
                    long startRecord = (n.path("window_start").asLong() - BASE_TS) / STEP_MS;
                    long endRecord = (n.path("window_end").asLong() - 1 - BASE_TS) / STEP_MS + 1;
                    JsonNode top = n.path("features").path(0);
                    String model = n.has("model_version")
                            ? String.format("  acc=%5.1f%% v%d", 100 * n.path("accuracy").asDouble(),
                                    n.path("model_version").asLong())
                            : "";
                    say(String.format("  records %5d-%5d  mmd2=%8.5f  p=%.4f  A-dist=%.2f%s  %s%s",
                            startRecord, endRecord, n.path("mmd2").asDouble(), n.path("p_value").asDouble(),
                            n.path("a_distance").asDouble(), model,
                            alarm ? "DRIFT" : n.path("calibrated").asBoolean() ? "ok" : "ok (calibrating)",
                            alarm ? "  top feature " + top.path("name").asText() : ""));
                    if (alarm) {
                        s.alarms++;
                        if (s.firstAlarmRecord < 0) {
                            s.firstAlarmRecord = endRecord;
                        }
                    }
                }
                quietPolls = records.isEmpty() ? quietPolls + 1 : 0;
                if (preds != null && !stopping && s.predictions >= SHIPPED_RECORDS) {
                    // every record is scored: stop with a final savepoint, which commits the rest
                    stopping = true;
                    job.stopWithSavepoint(true, java.nio.file.Files.createTempDirectory("driftguard-demo-sp")
                            .toUri().toString(), org.apache.flink.core.execution.SavepointFormatType.CANONICAL);
                }
                if (!finished && result.isDone()) {
                    result.get(); // rethrows a job failure
                    finished = true;
                }
                if (finished && quietPolls >= 4) {
                    return s;
                }
                if ((System.nanoTime() - t0) / 1e9 > timeoutSeconds) {
                    job.cancel();
                    throw new IllegalStateException("demo did not finish within " + timeoutSeconds + " s");
                }
            }
        }
    }

    private static void say(String s) {
        System.out.println(s);
        System.out.flush();
    }
}
