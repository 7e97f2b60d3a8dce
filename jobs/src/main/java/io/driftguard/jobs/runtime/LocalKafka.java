package io.driftguard.jobs.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker running inside this JVM, for the demo, local runs and tests.
 *
 * <p>Combined broker and controller on free local ports, replication factors and minimum ISR
 * of 1, and no time-based retention (replayed data carries old timestamps and would otherwise be
 * deleted minutes after it is written).
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private LocalKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
    }

    /**
     * Formats and starts a broker.
     *
     * @param baseDir where logs go, or null for a temporary directory deleted on close
     */
    public static LocalKafka start(@Nullable Path baseDir) throws Exception {
        TestKitNodes.Builder nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1);
        if (baseDir != null) {
            nodes.setBaseDirectory(baseDir);
        }
        KafkaClusterTestKit.Builder b =
                new KafkaClusterTestKit.Builder(nodes.build())
                        .setDeleteOnClose(baseDir == null);
        Map<String, Object> props =
                Map.of(
                        "log.retention.ms", "-1",
                        "log.retention.bytes", "-1",
                        "offsets.topic.replication.factor", "1",
                        "offsets.topic.num.partitions", "4",
                        "transaction.state.log.replication.factor", "1",
                        "transaction.state.log.min.isr", "1",
                        "transaction.state.log.num.partitions", "4",
                        "group.initial.rebalance.delay.ms", "0",
                        "auto.create.topics.enable", "false");
        props.forEach(b::setConfigProp);
        KafkaClusterTestKit cluster = b.build();
        // formatting prints the bootstrap metadata to stdout, which would garble command output
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        } finally {
            System.setOut(stdout);
        }
        LocalKafka k = new LocalKafka(cluster);
        LOG.info("Local Kafka broker ready at {}", k.bootstrapServers);
        return k;
    }

    /** Returns the bootstrap servers, e.g. {@code 127.0.0.1:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates topics (ignoring ones that exist) with the given partition count. */
    public void createTopics(int partitions, String... topics) throws Exception {
        createTopics(bootstrapServers, partitions, Map.of(), topics);
    }

    /** Creates topics on any cluster, ignoring ones that exist. */
    public static void createTopics(
            String bootstrapServers, int partitions, Map<String, String> configs, String... topics)
            throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> list = new ArrayList<>();
            for (String t : topics) {
                list.add(new NewTopic(t, partitions, (short) 1).configs(configs));
            }
            var result = admin.createTopics(list);
            for (var f : result.values().values()) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Stops the broker and its controller as an outage would: connections drop, its port refuses
     * new ones, and its log directories stay. {@link #restart} starts it again.
     */
    public void stop() {
        cluster.brokers().values().forEach(BrokerServer::shutdown);
        cluster.controllers().values().forEach(ControllerServer::shutdown);
        LOG.info("Local Kafka broker at {} stopped", bootstrapServers);
    }

    /** Starts a {@link #stop stopped} broker again on the same port and log directories. */
    public void restart() throws Exception {
        cluster.startup();
        cluster.waitForReadyBrokers();
        LOG.info("Local Kafka broker at {} started again", bootstrapServers);
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
