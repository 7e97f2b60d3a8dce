package io.driftguard.jobs.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftguard.jobs.cli.UserError;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.functions.LagEmbedding;
import io.driftguard.operators.functions.ReferencePolicy;
import io.driftguard.operators.functions.WindowSpec;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Loads the job configuration: a YAML file (nested or flat keys) overlaid with command-line
 * values, validated against {@link DriftguardOptions}.
 */
public final class JobConfig {

    private static final Set<String> KNOWN_KEYS = knownKeys();

    private JobConfig() {}

    /**
     * Reads a YAML file into a flat key/value map.
     *
     * @throws UserError when the file is missing or not YAML
     */
    public static Map<String, String> readYaml(Path file) {
        if (!Files.isReadable(file)) {
            throw new UserError("cannot read config file " + file);
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            Map<String, String> flat = new LinkedHashMap<>();
            if (root != null && !root.isNull() && !root.isMissingNode()) {
                if (!root.isObject()) {
                    throw new UserError(file + ": the top level must be a mapping of keys to values");
                }
                flatten("", root, flat);
            }
            return flat;
        } catch (IOException e) {
            throw new UserError(file + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Builds the configuration from a file's values and overrides (overrides win).
     *
     * @throws UserError on an unknown driftguard key (a likely typo)
     */
    public static Configuration build(Map<String, String> fileValues, Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>(fileValues);
        all.putAll(overrides);
        for (String k : all.keySet()) {
            if (k.startsWith(DriftguardOptions.KAFKA_PROPERTIES_PREFIX)) {
                if (k.length() == DriftguardOptions.KAFKA_PROPERTIES_PREFIX.length()) {
                    throw new UserError("configuration key '" + k + "' names no Kafka client property");
                }
            } else if ((k.startsWith("drift.") || k.startsWith("kafka.") || k.startsWith("model.")
                            || k.startsWith("input."))
                    && !KNOWN_KEYS.contains(k)) {
                throw new UserError("unknown configuration key '" + k + "'");
            }
        }
        return Configuration.fromMap(all);
    }

    /**
     * The Kafka client settings of a configuration: every {@code kafka.properties.X} as {@code X},
     * for every source, sink and admin client the job creates.
     */
    public static Properties kafkaClientProperties(Configuration c) {
        Properties p = new Properties();
        String prefix = DriftguardOptions.KAFKA_PROPERTIES_PREFIX;
        for (Map.Entry<String, String> e : c.toMap().entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getKey().length() > prefix.length()) {
                p.setProperty(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return p;
    }

    /** The text that stands for a secret value wherever configuration is printed or logged. */
    public static final String MASK = "******";

    /**
     * Whether a setting's value is a secret that must never be printed or logged: its name contains
     * password, secret, sasl.jaas.config, token or key (driftguard's own keys excepted: none of them
     * is a secret). Erring towards masking: {@code key.serializer} is masked too.
     */
    public static boolean isSecret(String key) {
        if (KNOWN_KEYS.contains(key)) {
            return false;
        }
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("sasl.jaas.config")
                || k.contains("token") || k.contains("key") || k.contains("credential");
    }

    /** The configuration's explicitly set values, sorted by key, with secret values masked. */
    public static Map<String, String> masked(Configuration c) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : c.toMap().entrySet()) {
            out.put(e.getKey(), isSecret(e.getKey()) ? MASK : e.getValue());
        }
        return out;
    }

    /** Kafka client properties with secret values masked, for messages and logs. */
    public static Map<String, String> masked(Properties p) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            out.put(k, isSecret(k) ? MASK : p.getProperty(k));
        }
        return out;
    }

    /**
     * Parses the evaluator settings from a configuration.
     *
     * @throws UserError on invalid values
     */
    public static DriftSettings driftSettings(Configuration c) {
        try {
            WindowSpec w = WindowSpec.parse(c.get(DriftguardOptions.WINDOW_SIZE));
            ReferencePolicy r = ReferencePolicy.parse(c.get(DriftguardOptions.REFERENCE), w);
            return new DriftSettings(
                    w,
                    r,
                    c.get(DriftguardOptions.PERMUTATIONS),
                    c.get(DriftguardOptions.RESERVOIR_SIZE),
                    c.get(DriftguardOptions.KLL_K),
                    c.get(DriftguardOptions.RFF_FEATURES),
                    c.get(DriftguardOptions.SKETCHES_ENABLED),
                    c.get(DriftguardOptions.FALSE_ALARM_ERL),
                    c.get(DriftguardOptions.SEED),
                    64,
                    new LagEmbedding(c.get(DriftguardOptions.EMBEDDING_DIMENSION), c.get(DriftguardOptions.EMBEDDING_DELAY)));
        } catch (IllegalArgumentException e) {
            throw new UserError(firstLine(e.getMessage()), e);
        }
    }

    /**
     * Parses {@code input.missing-markers}.
     *
     * @throws UserError on an invalid marker
     */
    public static io.driftguard.connectors.parse.MissingMarkers missingMarkers(Configuration c) {
        try {
            return io.driftguard.connectors.parse.MissingMarkers.parse(c.get(DriftguardOptions.MISSING_MARKERS));
        } catch (IllegalArgumentException e) {
            throw new UserError("input.missing-markers: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Parses the model settings, or returns null when {@code model.task} is {@code none}.
     *
     * @throws UserError on invalid values
     */
    @javax.annotation.Nullable
    public static io.driftguard.operators.model.ModelSettings modelSettings(Configuration c) {
        String task = c.get(DriftguardOptions.MODEL_TASK).trim();
        if (task.equalsIgnoreCase("none")) {
            return null;
        }
        try {
            String[] parts = c.get(DriftguardOptions.MODEL_HIDDEN).split(",");
            int[] hidden = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                hidden[i] = Integer.parseInt(parts[i].trim());
            }
            long seed = c.get(DriftguardOptions.SEED);
            var train = new io.driftguard.operators.model.TrainConfig(
                    c.get(DriftguardOptions.MODEL_LEARNING_RATE),
                    c.get(DriftguardOptions.MODEL_EPOCHS),
                    c.get(DriftguardOptions.MODEL_BATCH),
                    c.get(DriftguardOptions.MODEL_PATIENCE),
                    1e-4,
                    seed);
            return new io.driftguard.operators.model.ModelSettings(
                    io.driftguard.operators.model.Task.parse(task),
                    io.driftguard.operators.model.ModelKind.parse(c.get(DriftguardOptions.MODEL_KIND)),
                    hidden,
                    c.get(DriftguardOptions.MODEL_STEPS),
                    io.driftguard.operators.model.ModelSettings.Scope.parse(c.get(DriftguardOptions.MODEL_SCOPE)),
                    io.driftguard.operators.model.ModelSettings.Adapt.parse(c.get(DriftguardOptions.MODEL_ADAPT)),
                    c.get(DriftguardOptions.MODEL_INITIAL_RECORDS),
                    c.get(DriftguardOptions.MODEL_RETRAIN_RECORDS),
                    c.get(DriftguardOptions.MODEL_BUFFER),
                    train,
                    c.get(DriftguardOptions.MODEL_ACCEPT_MARGIN),
                    c.get(DriftguardOptions.MODEL_ERROR_BLOCK),
                    c.get(DriftguardOptions.MODEL_ERROR_ALPHA),
                    seed,
                    io.driftguard.operators.model.ModelSettings.parseStrategies(c.get(DriftguardOptions.MODEL_ADAPT)),
                    c.get(DriftguardOptions.MODEL_FREEZE_LAYERS),
                    c.get(DriftguardOptions.MODEL_PAST_MARGIN),
                    c.get(DriftguardOptions.MODEL_LAG_LABELS));
        } catch (IllegalArgumentException e) {
            throw new UserError(firstLine(e.getMessage()), e);
        }
    }

    /** Returns every driftguard key with its default and description, for documentation. */
    public static Map<String, ConfigOption<?>> options() {
        Map<String, ConfigOption<?>> out = new LinkedHashMap<>();
        for (Field f : DriftguardOptions.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    out.put(o.key(), o);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    private static Set<String> knownKeys() {
        return new HashSet<>(options().keySet());
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode n : node) {
                if (sb.length() > 0) {
                    sb.append(';');
                }
                sb.append(n.asText());
            }
            out.put(prefix, sb.toString());
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
