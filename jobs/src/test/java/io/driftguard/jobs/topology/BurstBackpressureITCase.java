package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.runtime.LocalKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst does not exhaust memory or lose data: the input topic holds {@value #RECORDS} records
 * (several times what the job processes per second) before the job starts, and the job (the
 * Kafka drift job, detection only, exactly-once drift sink, checkpoints every second) runs in a
 * JVM of its own with a heap of {@value #HEAP_MB} MiB, a local cluster with small network and
 * managed memory, and exits on an OutOfMemoryError. It must read the whole burst and commit every
 * window's drift event exactly once (the windows are computed here from the input), while the
 * source is held back by backpressure (Flink's accumulated backpressured time of the source task,
 * from a metric reporter in that JVM), not by buffering the burst in memory.
 */
class BurstBackpressureITCase {

    private static final String[] KEYS = {"b1", "b2", "b3", "b4"};
    private static final int WINDOW = 500;
    private static final int PER_KEY = 250_000;
    private static final int RECORDS = KEYS.length * PER_KEY;
    private static final int HEAP_MB = 192;
    private static final ObjectMapper OM = new ObjectMapper();

    @Test
    void aBurstIsReadUnderBackpressureWithinASmallHeapAndEveryWindowIsCommittedOnce(@TempDir Path dir)
            throws Exception {
        try (LocalKafka kafka = LocalKafka.start(null)) {
            String servers = kafka.bootstrapServers();
            kafka.createTopics(2, "burst.in", "burst.drift", "burst.dlq");
            long base = System.currentTimeMillis();
            long t0 = System.nanoTime();
            produce(servers, base);
            long produceMillis = (System.nanoTime() - t0) / 1_000_000;

            Path result = dir.resolve("result.properties");
            Path log = dir.resolve("job.log");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx" + HEAP_MB + "m");
            cmd.add("-XX:+UseParallelGC");
            cmd.add("-XX:+ExitOnOutOfMemoryError");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Job.class.getName());
            cmd.add(servers);
            cmd.add("burst-" + base);
            cmd.add(result.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            t0 = System.nanoTime();
            Process p = pb.start();
            boolean exited = p.waitFor(150, TimeUnit.SECONDS);
            long jobMillis = (System.nanoTime() - t0) / 1_000_000;
            if (!exited) {
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(log);
            assertThat(exited).as("the job's JVM exited in time; its output:%n%s", tail(out)).isTrue();
            assertThat(out).as("the job's output").doesNotContain("OutOfMemoryError");
            assertThat(p.exitValue()).as("the job's JVM exit code; its output:%n%s", tail(out)).isZero();

            Properties r = new Properties();
            try (var in = Files.newInputStream(result)) {
                r.load(in);
            }
            long read = Long.parseLong(r.getProperty("records.read"));
            long firstMillis = Long.parseLong(r.getProperty("millis.first"));
            long lastMillis = Long.parseLong(r.getProperty("millis.last"));
            long backPressured = Long.parseLong(r.getProperty("backpressured.ms"));
            long busy = Long.parseLong(r.getProperty("busy.ms"));
            long peakHeap = Long.parseLong(r.getProperty("heap.peak"));
            long maxHeap = Long.parseLong(r.getProperty("heap.max"));
            double rate = read * 1000.0 / Math.max(1, lastMillis - firstMillis);

            // every window's event, committed once: windows computed from the input
            Map<String, Integer> expected = new TreeMap<>();
            for (String key : KEYS) {
                for (int w = 1; w < PER_KEY / WINDOW; w++) {
                    expected.put(key + "@" + (base + (long) w * WINDOW), 1);
                }
            }
            List<ConsumerRecord<byte[], byte[]>> events = TestTopics.readCommitted(servers, new Properties(),
                    "burst.drift", all -> all.size() >= expected.size(), Duration.ofSeconds(2),
                    Duration.ofSeconds(60));
            Map<String, Integer> seen = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> e : events) {
                JsonNode n = json(e);
                assertThat(n.get("n_cur").asLong()).isEqualTo(WINDOW);
                seen.merge(n.get("key").asText() + "@" + n.get("window_start").asLong(), 1, Integer::sum);
            }
            System.out.printf(Locale.ROOT,
                    "BurstBackpressureITCase: %d records produced in %d ms; job JVM %d ms (-Xmx%dm); %d records"
                            + " read at %.0f records/s over %d ms; source backpressured %d ms, busy %d ms;"
                            + " peak heap used %.1f MiB of %.1f MiB (after GC at most %.1f MiB); %s young and %s old GCs; %d drift events%n",
                    RECORDS, produceMillis, jobMillis, HEAP_MB, read, rate, lastMillis - firstMillis, backPressured,
                    busy, peakHeap / 1048576.0, maxHeap / 1048576.0,
                    Long.parseLong(r.getProperty("heap.live")) / 1048576.0, r.getProperty("gc.young"),
                    r.getProperty("gc.old"), events.size());
            assertThat(read).as("records the source read").isEqualTo(RECORDS);
            assertThat(seen).as("drift events by key and window").isEqualTo(expected);
            // held back, not buffered: the source spent a tenth of the burst's time or more waiting
            // for buffers downstream
            assertThat(backPressured).as("source backpressured time (ms)")
                    .isGreaterThanOrEqualTo((lastMillis - firstMillis) / 10);
        }
    }

    /**
     * The job's JVM: runs the Kafka drift job over the burst (bounded: it ends at the offsets of
     * its start) on a local cluster and writes what a metric reporter and the JVM saw to a file.
     * Arguments: bootstrap servers, transactional id prefix, result file.
     */
    public static final class Job {

        private Job() {}

        public static void main(String[] args) throws Exception {
            Map<String, String> c = new HashMap<>();
            c.put(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS.key(), args[0]);
            c.put(DriftguardOptions.KAFKA_INPUT_TOPIC.key(), "burst.in");
            c.put(DriftguardOptions.KAFKA_DRIFT_TOPIC.key(), "burst.drift");
            c.put(DriftguardOptions.KAFKA_DLQ_TOPIC.key(), "burst.dlq");
            c.put(DriftguardOptions.KAFKA_BOUNDED.key(), "true");
            c.put(DriftguardOptions.KAFKA_GROUP_ID.key(), "burst");
            c.put(DriftguardOptions.KAFKA_TRANSACTIONAL_ID_PREFIX.key(), args[1]);
            c.put(DriftguardOptions.WINDOW_SIZE.key(), Integer.toString(WINDOW));
            c.put(DriftguardOptions.REFERENCE.key(), "previous");
            Configuration conf = JobConfig.build(Map.of(), c);
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            // a small local task manager: network buffers and managed memory are direct memory,
            // which the JVM caps at the heap size by default
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("16m"));
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("16m"));
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("16m"));
            conf.setString("rest.bind-port", "0");
            InMemoryReporter reporter = InMemoryReporter.create();
            reporter.addToConfiguration(conf);
            Sampler sampler = new Sampler(reporter);
            sampler.start();
            StreamExecutionEnvironment env = FlinkEnvironments.create(conf);
            env.setParallelism(2);
            KafkaDriftJob.build(env, conf);
            env.execute("driftguard burst");
            sampler.finish();
            Properties r = sampler.result();
            try (OutputStream out = Files.newOutputStream(Path.of(args[2]))) {
                r.store(out, "burst");
            }
            System.exit(0);
        }
    }

    /**
     * Samples, every 50 ms, the heap in use and the source task's record count, accumulated
     * backpressured and busy time (summed over its subtasks) while the job runs.
     */
    private static final class Sampler extends Thread {
        private final InMemoryReporter reporter;
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final long start = System.nanoTime();
        private volatile boolean running = true;
        private long peakHeap;
        private long liveHeap;
        private long read;
        private long backPressured;
        private long busy;
        private long firstMillis = -1;
        private long lastMillis = -1;

        Sampler(InMemoryReporter reporter) {
            super("burst-sampler");
            setDaemon(true);
            this.reporter = reporter;
        }

        @Override
        public void run() {
            while (running) {
                sample();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private synchronized void sample() {
            peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
            long afterGc = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    afterGc += pool.getCollectionUsage().getUsed();
                }
            }
            liveHeap = Math.max(liveHeap, afterGc);
            long records = 0;
            long bp = 0;
            long b = 0;
            boolean found = false;
            for (Map.Entry<MetricGroup, Map<String, Metric>> g : reporter.getMetricsByGroup().entrySet()) {
                String task = g.getKey().getAllVariables().getOrDefault("<task_name>", "");
                boolean operator = g.getKey().getAllVariables().containsKey("<operator_name>");
                if (!task.startsWith("Source: kafka-input") || operator) {
                    continue;
                }
                for (Map.Entry<String, Metric> m : g.getValue().entrySet()) {
                    switch (m.getKey()) {
                        case "numRecordsOut" -> {
                            records += ((Counter) m.getValue()).getCount();
                            found = true;
                        }
                        case "accumulateBackPressuredTimeMs" -> bp += number(m.getValue());
                        case "accumulateBusyTimeMs" -> b += number(m.getValue());
                        default -> { }
                    }
                }
            }
            if (!found) {
                return;
            }
            long now = (System.nanoTime() - start) / 1_000_000;
            if (records > 0 && firstMillis < 0) {
                firstMillis = now;
            }
            if (records > read) {
                lastMillis = now;
            }
            read = Math.max(read, records);
            backPressured = Math.max(backPressured, bp);
            busy = Math.max(busy, b);
        }

        private static long number(Metric m) {
            Object v = ((Gauge<?>) m).getValue();
            return v instanceof Number n ? n.longValue() : 0;
        }

        void finish() throws InterruptedException {
            running = false;
            join();
        }

        synchronized Properties result() {
            Properties r = new Properties();
            r.setProperty("records.read", Long.toString(read));
            r.setProperty("millis.first", Long.toString(firstMillis));
            r.setProperty("millis.last", Long.toString(lastMillis));
            r.setProperty("backpressured.ms", Long.toString(backPressured));
            r.setProperty("busy.ms", Long.toString(busy));
            r.setProperty("heap.peak", Long.toString(peakHeap));
            r.setProperty("heap.live", Long.toString(liveHeap));
            r.setProperty("heap.max", Long.toString(memory.getHeapMemoryUsage().getMax()));
            long young = 0;
            long old = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc.getName().contains("Old") || gc.getName().contains("MarkSweep")) {
                    old += gc.getCollectionCount();
                } else {
                    young += gc.getCollectionCount();
                }
            }
            r.setProperty("gc.young", Long.toString(young));
            r.setProperty("gc.old", Long.toString(old));
            return r;
        }
    }

    /** {@link #PER_KEY} records of every key, interleaved, key ki's record i at time base + i. */
    private static void produce(String servers, long base) {
        Properties batching = new Properties();
        batching.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        batching.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        SplittableRandom rnd = new SplittableRandom(7);
        try (KafkaProducer<byte[], byte[]> p = TestTopics.producer(servers, batching)) {
            for (int i = 0; i < PER_KEY; i++) {
                for (String key : KEYS) {
                    // b2 shifts its first feature from its 100th window on
                    double shift = key.equals("b2") && i >= 100 * WINDOW ? 1.5 : 0;
                    String json = String.format(Locale.ROOT,
                            "{\"key\":\"%s\",\"ts\":%d,\"features\":{\"x\":%.4f,\"y\":%.4f}}",
                            key, base + i, rnd.nextGaussian() + shift, rnd.nextGaussian());
                    p.send(new ProducerRecord<>("burst.in", key.getBytes(StandardCharsets.UTF_8),
                            json.getBytes(StandardCharsets.UTF_8)));
                }
            }
            p.flush();
        }
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> r) {
        try {
            return OM.readTree(r.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
