package io.driftguard.jobs.cli;

import io.driftguard.jobs.config.DriftguardOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Command-line flags that map onto the {@code drift.*} and {@code model.*} configuration keys. */
final class DriftOptionsMixin {

    @Option(names = "--window", description = "Window: a duration (30s, 10m, 1h) or a record count (500). Key drift.window.size.")
    String window;

    @Option(names = "--reference", description = "fixed (default), previous, last-K or seasonal:<period>. Key drift.reference.")
    String reference;

    @Option(names = "--permutations", description = "MMD permutations per window. Key drift.mmd.permutations.")
    Integer permutations;

    @Option(names = "--reservoir", description = "Records sampled per window. Key drift.sketch.reservoir-size.")
    Integer reservoir;

    @Option(names = "--erl", description = "False-alarm budget: expected windows between false alarms per key. Key drift.false-alarm.erl.")
    Double erl;

    @Option(names = "--seed", description = "Seed of sampling and permutations. Key drift.seed.")
    Long seed;

    @Option(names = "--task", description = "classification or regression: deploy a model that predicts the label column. Key model.task.")
    String task;

    @Option(names = "--adapt", description = "none (the first model stays), retrain (default), fine-tune, weights, meda, adversarial, pseudo, adarnn (GRU models), a comma-separated list, or auto (all but adarnn). Key model.adapt.")
    String adapt;

    @Option(names = "--model", description = "Model kind: mlp (default), linear or gru. Key model.kind.")
    String modelKind;

    @Option(names = "--model-scope", description = "key (one model per key, default) or shared. Key model.scope.")
    String modelScope;

    @Option(names = "--lag-labels", description = "Append the key's last N labels to each record's inputs (0: off, default). Key model.lag-labels.")
    Integer lagLabels;

    @Option(names = {"-D", "--set"}, description = "Any configuration key, e.g. -D drift.sketch.kll-k=400.")
    Map<String, String> extra = new LinkedHashMap<>();

    /** Returns the given flags as configuration keys. */
    Map<String, String> toConfig() {
        Map<String, String> m = new LinkedHashMap<>(extra);
        put(m, DriftguardOptions.WINDOW_SIZE.key(), window);
        put(m, DriftguardOptions.REFERENCE.key(), reference);
        put(m, DriftguardOptions.PERMUTATIONS.key(), permutations);
        put(m, DriftguardOptions.RESERVOIR_SIZE.key(), reservoir);
        put(m, DriftguardOptions.FALSE_ALARM_ERL.key(), erl);
        put(m, DriftguardOptions.SEED.key(), seed);
        put(m, DriftguardOptions.MODEL_TASK.key(), task);
        put(m, DriftguardOptions.MODEL_ADAPT.key(), adapt);
        put(m, DriftguardOptions.MODEL_KIND.key(), modelKind);
        put(m, DriftguardOptions.MODEL_SCOPE.key(), modelScope);
        put(m, DriftguardOptions.MODEL_LAG_LABELS.key(), lagLabels);
        return m;
    }

    private static void put(Map<String, String> m, String key, Object v) {
        if (v != null) {
            m.put(key, v.toString());
        }
    }
}
