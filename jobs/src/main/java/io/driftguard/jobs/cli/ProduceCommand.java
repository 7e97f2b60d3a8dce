package io.driftguard.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.connectors.csv.CsvLine;
import io.driftguard.connectors.csv.CsvRecordParser;
import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.connectors.csv.CsvSplitter;
import io.driftguard.connectors.serde.ParseResult;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.dashboard.Progress;
import io.driftguard.jobs.runtime.ShippedData;
import io.driftguard.operators.record.SeriesRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sends the rows of a CSV file to the input topic as the JSON records the job reads, keyed by
 * the record's key, at a given rate: the way to feed a running job (a local broker, the
 * docker-compose stack, a cluster) with a file or with the shipped INSECTS stream.
 */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = "Send a CSV file (default: the shipped INSECTS stream) to the input topic as JSON records.")
final class ProduceCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (overrides kafka.bootstrap-servers;"
            + " default 127.0.0.1:9092).")
    String bootstrapServers;

    @Option(names = "--config", description = "YAML configuration: kafka.bootstrap-servers, kafka.input-topic, kafka.properties.*.")
    Path config;

    @Option(names = "--topic", description = "Topic (default: kafka.input-topic, driftguard.input).")
    String topic;

    @Option(names = "--input", description = "CSV file with a header row (default: the shipped INSECTS gradual stream,"
            + " 24,150 rows, 8 features, labelled, key 'insects').")
    Path input;

    @Option(names = "--time-col", description = "Time column (epoch ms, ISO-8601 or yyyy-MM-dd HH:mm:ss UTC); absent:"
            + " --start-ts plus the row index times --step-ms.")
    String timeCol;

    @Option(names = "--key-col", description = "Key column; absent: --key.")
    String keyCol;

    @Option(names = "--key", description = "Key of every record when there is no key column (default: ${DEFAULT-VALUE}).")
    String key = "default";

    @Option(names = "--label-col", description = "Label column (optional).")
    String labelCol;

    @Option(names = "--features", split = ",", description = "Feature columns (default: every other column).")
    List<String> features;

    @Option(names = "--rate", description = "Records per second (0: as fast as the broker takes them; default: ${DEFAULT-VALUE}).")
    int rate = 1000;

    @Option(names = "--start-ts", description = "Time of the first row without a time column, epoch ms (default: now).")
    Long startTs;

    @Option(names = "--step-ms", description = "Milliseconds between rows without a time column (default: ${DEFAULT-VALUE}).")
    long stepMs = 1000;

    @Override
    public Integer call() throws Exception {
        if (rate < 0) {
            throw new UserError("--rate must be at least 0");
        }
        if (stepMs < 0) {
            throw new UserError("--step-ms must be at least 0");
        }
        boolean shipped = input == null;
        if (!shipped && (!Files.isReadable(input) || Files.isDirectory(input))) {
            throw new UserError("cannot read input file " + input);
        }
        Map<String, String> fileValues = config == null ? Map.of() : JobConfig.readYaml(config);
        Map<String, String> flags = new HashMap<>();
        if (bootstrapServers != null) {
            flags.put(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS.key(), bootstrapServers);
        }
        Configuration conf = JobConfig.build(fileValues, flags);
        String servers = conf.get(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS);
        String to = topic != null ? topic : conf.get(DriftguardOptions.KAFKA_INPUT_TOPIC);
        String recordKey = shipped && keyCol == null && "default".equals(key) ? "insects" : key;
        long base = startTs != null ? startTs : System.currentTimeMillis();

        Properties p = JobConfig.kafkaClientProperties(conf);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // a broker that is down or misnamed fails the send within a minute instead of blocking
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");

        long sent = 0;
        long skipped = 0;
        String firstSkip = null;
        // the file's length is read only for the progress line, which only a terminal shows
        long rows = shipped ? 24_150 : System.console() == null ? 0 : Math.max(0, countLines(input) - 1);
        try (BufferedReader r = shipped ? ShippedData.open(ShippedData.INSECTS)
                        : Files.newBufferedReader(input, StandardCharsets.UTF_8);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                Progress progress = Progress.onTerminal("produce", rows, "records").guardSystemStreams()) {
            String header = r.readLine();
            if (header == null) {
                throw new UserError((shipped ? ShippedData.INSECTS : input) + ": empty file, expected a header row");
            }
            CsvSchema schema;
            try {
                schema = CsvSchema.resolve(CsvSplitter.split(header), timeCol, keyCol,
                        shipped && labelCol == null ? "class" : labelCol, features);
            } catch (IllegalArgumentException e) {
                throw new UserError((shipped ? "shipped data" : input.toString()) + ": " + e.getMessage(), e);
            }
            CsvRecordParser parser = new CsvRecordParser(schema);
            long start = System.nanoTime();
            String line;
            long row = 0;
            while ((line = r.readLine()) != null) {
                ParseResult res = parser.parse(new CsvLine(row, line));
                SeriesRecord rec = res.record();
                if (rec == null) {
                    // the job would dead-letter it too; say so here, where the file is at hand
                    skipped++;
                    if (firstSkip == null) {
                        firstSkip = "row " + (row + 1) + ": " + res.error();
                    }
                } else {
                    String k = keyCol != null ? rec.key() : recordKey;
                    long ts = timeCol != null ? rec.ts() : base + row * stepMs;
                    producer.send(new ProducerRecord<>(to, k.getBytes(StandardCharsets.UTF_8), toJson(rec, k, ts)));
                    sent++;
                }
                row++;
                progress.advance(1);
                if (rate > 0 && row % 100 == 0) {
                    long wait = start + row * 1_000_000_000L / rate - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
            producer.flush();
        }
        System.out.printf("produced %d records to %s%s%n", sent, to,
                skipped == 0 ? "" : "; " + skipped + " rows not sent (first: " + firstSkip + ")");
        return 0;
    }

    private static long countLines(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            return lines.count();
        }
    }

    /**
     * A record as the job's JSON input format: features by name, a missing value as
     * {@code null}, the label when there is one.
     */
    static byte[] toJson(SeriesRecord r, String key, long ts) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("key", key);
        o.put("ts", ts);
        String[] names = r.featureNames();
        double[] x = r.features();
        if (names == null) {
            ArrayNode f = o.putArray("features");
            for (double v : x) {
                if (Double.isNaN(v)) {
                    f.addNull();
                } else {
                    f.add(v);
                }
            }
        } else {
            ObjectNode f = o.putObject("features");
            for (int i = 0; i < x.length; i++) {
                if (Double.isNaN(x[i])) {
                    f.putNull(names[i]);
                } else {
                    f.put(names[i], x[i]);
                }
            }
        }
        if (r.label() != null) {
            o.put("label", r.label());
        }
        return JSON.writeValueAsBytes(o);
    }
}
