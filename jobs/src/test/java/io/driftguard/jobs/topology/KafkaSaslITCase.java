package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job against a broker that only accepts SASL/PLAIN clients (and authorizes with ACLs, the
 * job's user being a super user): the {@code kafka.properties.*} settings reach every source,
 * sink and admin client (the input and models sources, the drift, predictions, models and
 * dead-letter sinks), and the password appears in no log line at INFO or above.
 */
class KafkaSaslITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String PASSWORD = JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD;
    private static KafkaClusterTestKit cluster;
    private static String servers;

    @BeforeAll
    static void startSaslBroker() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .build();
        KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(nodes);
        Map.of("log.retention.ms", "-1",
                        "offsets.topic.replication.factor", "1",
                        "offsets.topic.num.partitions", "2",
                        "transaction.state.log.replication.factor", "1",
                        "transaction.state.log.min.isr", "1",
                        "transaction.state.log.num.partitions", "2",
                        "group.initial.rebalance.delay.ms", "0",
                        "auto.create.topics.enable", "false")
                .forEach(b::setConfigProp);
        cluster = b.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        servers = cluster.bootstrapServers();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The SASL/PLAIN client settings of a user. */
    private static Properties sasl(String user, String password) {
        Properties p = new Properties();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return p;
    }

    @Test
    void theJobRunsAgainstASaslBrokerThroughKafkaPropertiesAndLogsNoSecret() throws Exception {
        Properties admin = sasl(JaasUtils.KAFKA_PLAIN_ADMIN, PASSWORD);
        // the broker refuses a client without (or with wrong) credentials
        Properties wrong = sasl(JaasUtils.KAFKA_PLAIN_ADMIN, "not-the-password");
        wrong.put("bootstrap.servers", servers);
        wrong.put("default.api.timeout.ms", "5000");
        wrong.put("request.timeout.ms", "3000");
        try (Admin a = Admin.create(wrong)) {
            assertThatThrownBy(() -> a.listTopics().names().get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
        }

        String input = "sasl.input";
        String drift = "sasl.drift";
        String dlq = "sasl.dlq";
        String preds = "sasl.predictions";
        String models = "sasl.models";
        Properties ap = new Properties();
        ap.putAll(admin);
        ap.put("bootstrap.servers", servers);
        try (Admin a = Admin.create(ap)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t : List.of(input, drift, dlq, preds)) {
                topics.add(new NewTopic(t, 2, (short) 1));
            }
            topics.add(new NewTopic(models, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
            a.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
        long now = System.currentTimeMillis();
        int perKey = 1000;
        SplittableRandom rnd = new SplittableRandom(3);
        try (KafkaProducer<byte[], byte[]> p = TestTopics.producer(servers, admin)) {
            for (int i = 0; i < perKey; i++) {
                for (String key : new String[] {"a", "b"}) {
                    double temp = rnd.nextDouble() * 2 - 1 + (i >= perKey / 2 ? 3 : 0);
                    double load = rnd.nextDouble() * 2 - 1;
                    String json = String.format(Locale.ROOT,
                            "{\"key\":\"%s\",\"ts\":%d,\"features\":{\"temp\":%.5f,\"load\":%.5f},\"label\":\"%s\"}",
                            key, now + i, temp, load, load > 0 ? "up" : "down");
                    p.send(new ProducerRecord<>(input, key.getBytes(StandardCharsets.UTF_8),
                            json.getBytes(StandardCharsets.UTF_8)));
                }
            }
            p.send(new ProducerRecord<>(input, null, "{\"key\":\"a\",\"ts\":".getBytes(StandardCharsets.UTF_8)));
            p.flush();
        }

        Map<String, String> c = new HashMap<>();
        c.put(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS.key(), servers);
        c.put(DriftguardOptions.KAFKA_INPUT_TOPIC.key(), input);
        c.put(DriftguardOptions.KAFKA_DRIFT_TOPIC.key(), drift);
        c.put(DriftguardOptions.KAFKA_DLQ_TOPIC.key(), dlq);
        c.put(DriftguardOptions.KAFKA_PREDICTIONS_TOPIC.key(), preds);
        c.put(DriftguardOptions.KAFKA_MODELS_TOPIC.key(), models);
        c.put(DriftguardOptions.KAFKA_TRANSACTIONAL_ID_PREFIX.key(), "sasl-" + now);
        c.put(DriftguardOptions.WINDOW_SIZE.key(), "200");
        c.put(DriftguardOptions.REFERENCE.key(), "previous");
        c.put(DriftguardOptions.MODEL_TASK.key(), "classification");
        c.put(DriftguardOptions.MODEL_INITIAL_RECORDS.key(), "300");
        c.put(DriftguardOptions.MODEL_EPOCHS.key(), "3");
        for (String k : admin.stringPropertyNames()) {
            c.put(DriftguardOptions.KAFKA_PROPERTIES_PREFIX + k, admin.getProperty(k));
        }
        Configuration conf = JobConfig.build(Map.of(), c);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        assertThat(JobConfig.masked(conf).toString()).doesNotContain(PASSWORD).contains(JobConfig.MASK);

        try (SecretWatch watch = SecretWatch.start(PASSWORD)) {
            StreamExecutionEnvironment env = FlinkEnvironments.create(conf);
            env.setParallelism(2);
            KafkaDriftJob.build(env, conf);
            JobClient job = env.executeAsync("driftguard sasl itcase");
            try {
                Duration t = Duration.ofSeconds(120);
                // 5 windows of 200 per key, 4 of them evaluated against the previous one
                List<ConsumerRecord<byte[], byte[]>> events = TestTopics.readCommitted(servers, admin, drift,
                        all -> all.size() >= 8, Duration.ZERO, t);
                assertThat(events).hasSizeGreaterThanOrEqualTo(8);
                List<ConsumerRecord<byte[], byte[]>> scored = TestTopics.readCommitted(servers, admin, preds,
                        all -> all.size() >= 2 * perKey, Duration.ZERO, t);
                assertThat(scored).hasSize(2 * perKey);
                List<ConsumerRecord<byte[], byte[]>> dead = TestTopics.readCommitted(servers, admin, dlq,
                        all -> !all.isEmpty(), Duration.ZERO, t);
                assertThat(dead).hasSize(1);
                // a trained version went out through the models sink and back in through the models source
                List<ConsumerRecord<byte[], byte[]>> versions = TestTopics.readCommitted(servers, admin, models,
                        all -> !all.isEmpty(), Duration.ZERO, t);
                assertThat(versions).isNotEmpty();
            } finally {
                job.cancel().get();
            }
            assertThat(watch.events()).as("log events seen").isPositive();
            assertThat(watch.leaks()).as("log lines with the password").isEmpty();
        }
    }

    /**
     * Raises the root's and the clients' loggers to INFO (the existing appenders keep the level they
     * had) and records each log line or stack trace that contains the secret, until closed.
     */
    static final class SecretWatch extends AbstractAppender implements AutoCloseable {

        private final String secret;
        private final AtomicLong seen = new AtomicLong();
        private final AtomicReference<List<String>> leaks = new AtomicReference<>(new ArrayList<>());
        private final LoggerContext ctx;

        private SecretWatch(String secret, LoggerContext ctx) {
            super("secret-watch", null, null, true, Property.EMPTY_ARRAY);
            this.secret = secret;
            this.ctx = ctx;
        }

        static SecretWatch start(String secret) {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            var cfg = ctx.getConfiguration();
            SecretWatch w = new SecretWatch(secret, ctx);
            w.start();
            cfg.addAppender(w);
            LoggerConfig root = cfg.getRootLogger();
            // the existing appenders keep the root's level: the raised levels only feed the watch
            Level before = root.getLevel();
            for (Appender a : List.copyOf(root.getAppenders().values())) {
                root.removeAppender(a.getName());
                root.addAppender(a, before, null);
            }
            root.addAppender(w, Level.INFO, null);
            root.setLevel(Level.INFO);
            for (String name : List.of("org.apache.kafka.clients", "org.apache.kafka.common.config",
                    "org.apache.flink", "io.driftguard")) {
                LoggerConfig lc = cfg.getLoggerConfig(name);
                if (lc.getName().equals(name)) {
                    lc.setLevel(Level.INFO);
                } else {
                    cfg.addLogger(name, new LoggerConfig(name, Level.INFO, true));
                }
            }
            ctx.updateLoggers();
            return w;
        }

        @Override
        public void append(LogEvent e) {
            seen.incrementAndGet();
            StringBuilder sb = new StringBuilder(e.getMessage().getFormattedMessage());
            for (Throwable t = e.getThrown(); t != null; t = t.getCause()) {
                sb.append(' ').append(t);
            }
            if (sb.indexOf(secret) >= 0) {
                synchronized (this) {
                    leaks.get().add(e.getLoggerName() + ": " + sb);
                }
            }
        }

        long events() {
            return seen.get();
        }

        synchronized List<String> leaks() {
            return new ArrayList<>(leaks.get());
        }

        @Override
        public void close() {
            ctx.reconfigure();
            stop();
        }
    }
}
