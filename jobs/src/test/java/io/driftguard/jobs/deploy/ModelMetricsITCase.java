package io.driftguard.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.topology.ModelTopology;
import io.driftguard.jobs.topology.ReplayJob;
import io.driftguard.operators.functions.DriftMetrics;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelSettings;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.scoring.ModelMetrics;
import io.driftguard.operators.scoring.Prediction;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model's metrics, as a metric reporter sees them (Flink's InMemoryReporter), agree with what
 * the replay produced: every prediction counted, every training run counted by outcome, the
 * serving version the newest accepted one, the prequential error that of the predictions.
 */
class ModelMetricsITCase {

    @Test
    void modelMetricsMatchTheReplaysOutputs(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("shift.csv");
        Random rnd = new Random(11);
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("x0,x1,y\n");
            // windows of 100 records: the fixed reference calibrates over the first 42, the change follows
            for (int i = 0; i < 7000; i++) {
                double shift = i < 5000 ? 0 : 2;
                double x0 = rnd.nextGaussian() + shift;
                double x1 = rnd.nextGaussian();
                w.write(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", x0, x1, x0 - x1 > shift ? "up" : "down"));
            }
        }
        Configuration base = JobConfig.build(Map.of(), Map.of("drift.window.size", "100", "model.task", "classification"));
        // one reporter per pass: each local cluster closes its reporters, and a closed one cannot be handed out again
        InMemoryReporter detection = InMemoryReporter.createWithRetainedMetrics();
        InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();
        Configuration conf = new Configuration(base);
        detection.addToConfiguration(conf);
        Configuration scoring = new Configuration(base);
        reporter.addToConfiguration(scoring);
        DriftSettings settings = JobConfig.driftSettings(conf);
        ModelSettings model = JobConfig.modelSettings(conf);
        CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(csv), null, null, "y", null);

        ReplayJob.Result r;
        ReplayJob.Scored s;
        Snapshot first = new Snapshot(detection);
        try {
            r = ReplayJob.run(csv, schema, settings, 1, conf);
        } finally {
            first.stop();
        }
        Snapshot second = new Snapshot(reporter);
        try {
            s = ReplayJob.score(csv, schema, settings.window(), model, r.events(), ModelTopology.ND4J, 1, scoring);
        } finally {
            second.stop();
        }

        List<ModelArtifact> accepted = s.models().stream().filter(m -> m.status() == ModelStatus.ACCEPTED).toList();
        assertThat(accepted).as("the initial model at least").isNotEmpty();
        long labelled = s.predictions().stream().filter(p -> p.label() != null).count();
        List<Prediction> modelled = s.predictions().stream().filter(p -> p.label() != null && p.modelVersion() >= 0).toList();
        double error = modelled.stream().filter(p -> !p.correct()).count() / (double) modelled.size();

        assertThat(sum(reporter, ModelMetrics.PREDICTIONS)).isEqualTo(7000).isEqualTo(s.predictions().size());
        assertThat(sum(reporter, ModelMetrics.PREDICTIONS_LABELLED)).isEqualTo(labelled);
        assertThat(sum(reporter, ModelMetrics.RETRAINS_ACCEPTED)).isEqualTo(accepted.size());
        assertThat(sum(reporter, ModelMetrics.RETRAINS_REJECTED)).isEqualTo(s.models().size() - accepted.size());
        assertThat(sum(reporter, ModelMetrics.RETRAINS_ATTEMPTED)).isEqualTo(s.models().size());
        assertThat(sum(reporter, ModelMetrics.MODELS_REJECTED)).isZero();
        assertThat(gauge(reporter, ModelMetrics.SERVING_VERSION))
                .isEqualTo(accepted.stream().mapToLong(ModelArtifact::version).max().orElseThrow());
        assertThat(gauge(reporter, ModelMetrics.TRAINING_MILLIS)).isPositive();
        // no reporter polled the gauge during the run, so its first read covers every labelled record
        assertThat(gauge(reporter, ModelMetrics.PREQUENTIAL_ERROR)).isCloseTo(error, within(1e-9));
        // and the drift side, from the first pass
        assertThat(sum(detection, DriftMetrics.WINDOWS_EVALUATED)).isEqualTo(r.events().size());
        assertThat(sum(detection, DriftMetrics.DRIFT_ALARMS))
                .isEqualTo(r.events().stream().filter(e -> e.drift()).count()).isPositive();
    }

    /**
     * Keeps the metrics a reporter holds while a pass runs: the local cluster closes the reporter
     * when the job ends, which empties it, but the metric objects keep their final values.
     */
    private static final class Snapshot {
        private static final Map<InMemoryReporter, Map<String, Metric>> KEPT = new ConcurrentHashMap<>();
        private final InMemoryReporter reporter;
        private final Map<String, Metric> kept = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        Snapshot(InMemoryReporter reporter) {
            this.reporter = reporter;
            KEPT.put(reporter, kept);
            thread = new Thread(() -> {
                while (running) {
                    copy();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "metric-snapshot");
            thread.setDaemon(true);
            thread.start();
        }

        private void copy() {
            for (Map.Entry<MetricGroup, Map<String, Metric>> g : reporter.getMetricsByGroup().entrySet()) {
                for (Map.Entry<String, Metric> m : g.getValue().entrySet()) {
                    // reading the identifier only: a gauge's value is never read here
                    kept.putIfAbsent(g.getKey().getMetricIdentifier(m.getKey()), m.getValue());
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
            copy();
        }
    }

    /** Every metric called {@code name} in the driftguard group. */
    private static List<Metric> find(InMemoryReporter reporter, String name) {
        List<Metric> out = new ArrayList<>();
        Map<String, Metric> kept = Snapshot.KEPT.getOrDefault(reporter, Map.of());
        for (Map.Entry<String, Metric> m : kept.entrySet()) {
            if (m.getKey().endsWith("." + DriftMetrics.GROUP + "." + name)) {
                out.add(m.getValue());
            }
        }
        assertThat(out).as("metric %s registered (%s metrics seen)", name, kept.size()).isNotEmpty();
        return out;
    }

    private static long sum(InMemoryReporter reporter, String name) {
        return find(reporter, name).stream().mapToLong(m -> ((Counter) m).getCount()).sum();
    }

    private static double gauge(InMemoryReporter reporter, String name) {
        double max = Double.NEGATIVE_INFINITY;
        for (Metric m : find(reporter, name)) {
            Object v = ((Gauge<?>) m).getValue();
            if (v instanceof Number n && !Double.isNaN(n.doubleValue())) {
                max = Math.max(max, n.doubleValue());
            }
        }
        return max;
    }
}
