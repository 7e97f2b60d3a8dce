package io.driftguard.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.connectors.serde.JsonRecordParser;
import io.driftguard.connectors.serde.ParseResult;
import io.driftguard.jobs.runtime.KafkaBroker;
import io.driftguard.operators.record.SeriesRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftguard produce} against a real local broker: every parsable CSV row arrives once, in
 * order per key, keyed by its key, in the JSON format the job's own parser reads back to the same
 * record; a row that cannot be parsed is reported and not sent.
 */
class ProduceCommandITCase {

    @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

    @Test
    void aCsvArrivesAsTheJobsJsonRecords(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, String.join("\n",
                "t,sensor,a,b,y",
                "1000,s1,0.5,1.5,up",
                "2000,s2,-1,NA,down",
                "3000,s1,2.25,3,up",
                "oops,s2,1,2,down",
                "5000,s2,4,\"5\",up",
                ""));
        kafka.createTopics(2, "produce.input");
        CliRun.Outcome o = CliRun.run("produce", "--bootstrap-servers", kafka.bootstrapServers(), "--topic",
                "produce.input",
                "--input", csv.toString(), "--time-col", "t", "--key-col", "sensor", "--label-col", "y", "--rate", "0");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("produced 4 records to produce.input").contains("1 rows not sent (first: row 4");

        List<ConsumerRecord<byte[], byte[]>> got = read("produce.input", 4);
        assertThat(got).hasSize(4);
        JsonRecordParser parser = new JsonRecordParser();
        List<String> s1 = new ArrayList<>();
        List<String> s2 = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : got) {
            ParseResult p = parser.parse(r.value());
            assertThat(p.error()).isNull();
            SeriesRecord rec = p.record();
            // the Kafka key is the record's key: one key's records share a partition, in order
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(rec.key());
            String text = rec.ts() + " " + java.util.Arrays.toString(rec.features()) + " " + rec.label();
            (rec.key().equals("s1") ? s1 : s2).add(text);
        }
        assertThat(s1).containsExactly("1000 [0.5, 1.5] up", "3000 [2.25, 3.0] up");
        // the missing cell travels as null and is read back as a missing value
        assertThat(s2).containsExactly("2000 [-1.0, NaN] down", "5000 [4.0, 5.0] up");
    }

    @Test
    void theShippedStreamIsTheDefaultAndRowsWithoutTimeAreSpacedBySteps() throws Exception {
        kafka.createTopics(1, "produce.shipped");
        CliRun.Outcome o = CliRun.run("produce", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "produce.shipped",
                "--rate", "0", "--start-ts", "1700000000000", "--step-ms", "500");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("produced 24150 records to produce.shipped");
        List<ConsumerRecord<byte[], byte[]>> got = read("produce.shipped", 24_150);
        assertThat(got).hasSize(24_150);
        JsonRecordParser parser = new JsonRecordParser();
        SeriesRecord first = parser.parse(got.get(0).value()).record();
        SeriesRecord last = parser.parse(got.get(got.size() - 1).value()).record();
        assertThat(first.key()).isEqualTo("insects");
        assertThat(first.dimension()).isEqualTo(8);
        assertThat(first.label()).isNotNull();
        assertThat(first.ts()).isEqualTo(1_700_000_000_000L);
        assertThat(last.ts()).isEqualTo(1_700_000_000_000L + 24_149L * 500);
    }

    @Test
    void badArgumentsAreUsageErrors(@TempDir Path dir) {
        CliRun.Outcome rate = CliRun.run("produce", "--rate", "-1");
        assertThat(rate.usageError()).contains("--rate must be at least 0");
        CliRun.Outcome missing = CliRun.run("produce", "--input", dir.resolve("nope.csv").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read input file");
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // a second past the expected count catches a duplicate
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                if (settle == Long.MAX_VALUE && out.size() >= expected) {
                    settle = System.nanoTime() + 1_000_000_000L;
                }
            }
        }
        return out;
    }
}
