package io.driftguard.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.connectors.model.ModelJson;
import io.driftguard.connectors.serde.EventJson;
import io.driftguard.jobs.dashboard.DashboardState;
import io.driftguard.jobs.dashboard.HtmlReport;
import io.driftguard.jobs.dashboard.Progress;
import io.driftguard.jobs.dashboard.ReplayProgress;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.topology.ReplayJob;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.connectors.model.DirectoryModelStore;
import io.driftguard.jobs.topology.ModelTopology;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelSettings;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.scoring.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Replays a CSV file through the drift pipeline on local Flink. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Replay a CSV file through the drift pipeline on local Flink and write drift events (JSON lines).")
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, description = "CSV file with a header row.")
    Path input;

    @Option(names = "--events", required = true, description = "Output file of drift events, one JSON object per line.")
    Path events;

    @Option(names = "--dead-letters", description = "Output file of rejected rows with the reason (JSON lines).")
    Path deadLetters;

    @Option(names = "--time-col", description = "Time column (epoch ms, ISO-8601 or yyyy-MM-dd HH:mm:ss UTC); absent: the row index.")
    String timeCol;

    @Option(names = "--key-col", description = "Key column; absent: one key, 'default'.")
    String keyCol;

    @Option(names = "--label-col", description = "Label column (optional).")
    String labelCol;

    @Option(names = "--features", split = ",", description = "Feature columns (default: every other column).")
    List<String> features;

    @Option(names = "--config", description = "YAML configuration file (flags override it).")
    Path config;

    @Option(names = "--predictions", description = "Output file of scored records (JSON lines); needs --task.")
    Path predictions;

    @Option(names = "--models", description = "Model directory the trained versions are written to (default: none).")
    Path models;

    @Option(names = "--report", description = "Also write a self-contained HTML report (charts, keys, alarms, model versions) that opens offline.")
    Path report;

    @Option(names = "--parallelism", description = "Parallelism of the keyed evaluation (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(names = "--quiet", description = "Print only the summary line.")
    boolean quiet;

    @Mixin DriftOptionsMixin drift;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(input) || Files.isDirectory(input)) {
            throw new UserError("cannot read input file " + input);
        }
        if (parallelism < 1) {
            throw new UserError("--parallelism must be at least 1");
        }
        CsvSchema schema;
        try {
            schema = CsvSchema.resolve(CsvSchema.readHeader(input), timeCol, keyCol, labelCol, features);
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(input + ": " + e.getMessage(), e);
        }
        String indexWarning = IndexColumns.warning(IndexColumns.find(input, schema), timeCol != null);
        if (indexWarning != null) {
            System.err.println(indexWarning);
        }
        Map<String, String> fileValues = config == null ? Map.of() : JobConfig.readYaml(config);
        Configuration conf = JobConfig.build(fileValues, drift.toConfig());
        DriftSettings settings = JobConfig.driftSettings(conf);
        ModelSettings model = JobConfig.modelSettings(conf);
        if (model != null && labelCol == null) {
            throw new UserError("--task needs --label-col");
        }
        if (model == null && (predictions != null || models != null)) {
            throw new UserError("--predictions and --models need --task classification or regression");
        }
        quietShutdownHooks();
        // progress on a terminal only: a log or a pipe gets the summary lines alone
        boolean progress = !quiet && System.console() != null;
        long records = progress ? countRecords(input) : 0;
        if (progress) {
            conf = ReplayProgress.withReporter(conf);
        }
        ReplayJob.Result r;
        try (Progress p = progress ? ReplayProgress.start(System.console().writer(), records,
                model == null ? "replay" : "replay, pass 1 of 2 (drift)") : null) {
            r = ReplayJob.run(input, schema, settings, parallelism, conf);
        }
        List<DriftEvent> out = r.events();
        ReplayJob.Scored scored = null;
        if (model != null) {
            try (Progress p = progress ? ReplayProgress.start(System.console().writer(), records,
                    "replay, pass 2 of 2 (model)") : null) {
                scored = ReplayJob.score(input, schema, settings.window(), model, r.events(), ModelTopology.ND4J,
                        parallelism, conf);
            }
            out = scored.events();
            if (predictions != null) {
                JsonLines.writePredictions(predictions, scored.predictions());
            }
            if (models != null) {
                try (DirectoryModelStore store = new DirectoryModelStore(models)) {
                    for (ModelArtifact a : scored.models()) {
                        store.publish(a);
                    }
                }
            }
        }
        JsonLines.writeEvents(events, out);
        if (report != null) {
            writeReport(out, scored);
        }
        if (deadLetters != null) {
            JsonLines.writeDeadLetters(deadLetters, r.deadLetters());
        }
        long alarms = r.events().stream().filter(DriftEvent::drift).count();
        long uncalibrated = r.events().stream().filter(e -> !e.calibrated()).count();
        if (!quiet) {
            for (DriftEvent e : r.events()) {
                if (e.drift()) {
                    System.out.printf(
                            "drift key=%s window=[%d, %d) mmd2=%.5f p=%.4f a_distance=%.3f top=%s%n",
                            e.key(), e.windowStart(), e.windowEnd(), e.mmd2(), e.pValue(),
                            e.aDistance(), e.features().length > 0 ? e.features()[0].name() : "-");
                }
            }
        }
        if (scored != null) {
            printModelSummary(scored, model);
        }
        System.out.printf(
                "replayed %s in %.1f s: %d windows evaluated (%d before their key was calibrated), %d drift"
                        + " alarms, %d dead letters -> %s%n",
                input.getFileName(), (r.millis() + (scored == null ? 0 : scored.millis())) / 1000.0, r.events().size(), uncalibrated, alarms,
                r.deadLetters().size(), events);
        if (report != null) {
            System.out.println("report -> " + report);
        }
        return 0;
    }

    /** Data rows of the CSV file (lines after the header), for the progress line's percentage. */
    private static long countRecords(Path file) throws IOException {
        long lines = 0;
        boolean pending = false;
        byte[] buf = new byte[1 << 16];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
                pending = buf[n - 1] != '\n';
            }
        }
        return Math.max(0, lines + (pending ? 1 : 0) - 1);
    }

    /**
     * Keeps a known exit-time error off the terminal: Flink's local RPC system loads pekko through
     * its own class loader, which is closed when the local cluster stops; a pekko shutdown hook that
     * runs after that fails with NoClassDefFoundError in a "flink-shutdown-hook" thread although
     * there is nothing left to shut down. Any other uncaught error is printed as before.
     */
    static void quietShutdownHooks() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e instanceof NoClassDefFoundError && t.getName().startsWith("flink-shutdown-hook")) {
                return;
            }
            if (previous != null) {
                previous.uncaughtException(t, e);
            } else {
                System.err.print("Exception in thread \"" + t.getName() + "\" ");
                e.printStackTrace(System.err);
            }
        });
    }

    /** The dashboard's view of the replay's outputs, as one HTML file. */
    private void writeReport(List<DriftEvent> out, ReplayJob.Scored scored) throws IOException {
        ObjectMapper json = new ObjectMapper();
        DashboardState state = new DashboardState();
        for (DriftEvent e : out) {
            state.acceptEvent(json.readTree(EventJson.toJson(e)));
        }
        if (scored != null) {
            for (Prediction p : scored.predictions()) {
                state.acceptPrediction(json.readTree(EventJson.toJson(p)));
            }
            for (ModelArtifact a : scored.models()) {
                state.acceptModel(json.readTree(ModelJson.toJson(a)));
            }
        }
        HtmlReport.write(report, state, input.getFileName().toString());
    }

    private static void printModelSummary(ReplayJob.Scored s, ModelSettings model) {
        long labelled = 0;
        double loss = 0;
        for (Prediction p : s.predictions()) {
            if (p.label() == null || p.modelVersion() < 0) {
                continue;
            }
            labelled++;
            if (model.task() == Task.CLASSIFICATION) {
                loss += p.correct() ? 0 : 1;
            } else {
                double e = p.predictedValue() - Double.parseDouble(p.label().trim());
                loss += e * e;
            }
        }
        long accepted = s.models().stream().filter(m -> m.status() == ModelStatus.ACCEPTED).count();
        System.out.printf("model: %d records scored, %d labelled, prequential %s %.4f; %d versions trained,"
                        + " %d accepted, %d rejected%n",
                s.predictions().size(), labelled, model.task() == Task.CLASSIFICATION ? "accuracy" : "MSE",
                labelled == 0 ? Double.NaN : model.task() == Task.CLASSIFICATION ? 1 - loss / labelled : loss / labelled,
                s.models().size(), accepted, s.models().size() - accepted);
    }
}
