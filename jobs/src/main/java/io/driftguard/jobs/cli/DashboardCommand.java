package io.driftguard.jobs.cli;

import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.dashboard.DashboardServer;
import io.driftguard.jobs.dashboard.DashboardState;
import io.driftguard.jobs.dashboard.Followers;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The live drift dashboard over event files or Kafka topics. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the live drift dashboard of drift events, predictions and model versions.",
            "Every key's state, and per key MMD^2, p-value, A-distance, alarms, responsible features,",
            "prequential error and model versions. Reads files (followed as they grow) or the Kafka",
            "topics, and runs until interrupted."
        })
final class DashboardCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--events", description = "Drift events file (JSON lines), followed as it grows.")
        Path events;

        @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers: read the drift, predictions and models topics.")
        String bootstrapServers;
    }

    @Option(names = "--predictions", description = "Predictions file (JSON lines), with --events.")
    Path predictions;

    @Option(names = "--models", description = "Model directory (as replay --models writes it), with --events.")
    Path models;

    @Option(names = "--config", description = "YAML configuration: kafka.drift-topic, kafka.predictions-topic, kafka.models-topic, kafka.properties.*.")
    Path config;

    @Option(names = "--port", description = "Port (0: any free port; default: ${DEFAULT-VALUE}).")
    int port = 8686;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host = "127.0.0.1";

    /** Counted down to stop a running dashboard (tests); otherwise it runs until the JVM is interrupted. */
    static volatile CountDownLatch stop;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new UserError("--port must be between 0 and 65535");
        }
        DashboardState state = new DashboardState();
        Followers.Feed feed;
        String from;
        if (source.events != null) {
            if (!Files.isReadable(source.events) || Files.isDirectory(source.events)) {
                throw new UserError("cannot read events file " + source.events);
            }
            if (predictions != null && (!Files.isReadable(predictions) || Files.isDirectory(predictions))) {
                throw new UserError("cannot read predictions file " + predictions);
            }
            if (models != null && Files.exists(models) && !Files.isDirectory(models)) {
                throw new UserError("--models must be a directory: " + models);
            }
            feed = Followers.files(state, source.events, predictions, models, 250);
            from = source.events + (predictions == null ? "" : ", " + predictions) + (models == null ? "" : ", " + models);
        } else {
            if (predictions != null || models != null) {
                throw new UserError("--predictions and --models go with --events; with Kafka the topics are read");
            }
            Map<String, String> fileValues = config == null ? Map.of() : JobConfig.readYaml(config);
            Map<String, String> flags = new LinkedHashMap<>();
            flags.put(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS.key(), source.bootstrapServers);
            Configuration conf = JobConfig.build(fileValues, flags);
            String drift = conf.get(DriftguardOptions.KAFKA_DRIFT_TOPIC);
            String preds = conf.get(DriftguardOptions.KAFKA_PREDICTIONS_TOPIC);
            String modelsTopic = conf.get(DriftguardOptions.KAFKA_MODELS_TOPIC);
            feed = Followers.kafka(state, source.bootstrapServers, JobConfig.kafkaClientProperties(conf), drift, preds,
                    modelsTopic);
            from = "Kafka " + source.bootstrapServers + " (topics " + drift + ", " + preds + ", " + modelsTopic + ")";
        }
        try (feed; DashboardServer server = startServer(state, host, port)) {
            System.out.println("driftguard dashboard at " + server.address() + " reading " + from);
            System.out.println("(Ctrl-C to stop)");
            System.out.flush();
            CountDownLatch latch = stop == null ? new CountDownLatch(1) : stop;
            latch.await();
        }
        return 0;
    }

    /** Starts the server, with a one-line error when the port is taken. */
    static DashboardServer startServer(DashboardState state, String host, int port) throws IOException {
        try {
            return DashboardServer.start(state, host, port);
        } catch (BindException e) {
            throw new UserError("cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); try --port 0");
        }
    }
}
