package io.driftguard.jobs.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every driftguard configuration key, with its default and description.
 *
 * <p>The YAML file of {@code driftguard run --config F} and the command-line flags map onto these
 * keys; Flink's own keys (for example {@code parallelism.default},
 * {@code execution.checkpointing.interval}) may sit in the same file and are passed to Flink.
 */
public final class DriftguardOptions {

    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("127.0.0.1:9092")
                    .withDescription("Kafka bootstrap servers.");

    public static final ConfigOption<String> KAFKA_INPUT_TOPIC =
            ConfigOptions.key("kafka.input-topic")
                    .stringType()
                    .defaultValue("driftguard.input")
                    .withDescription("Topic of input records (JSON, DESIGN section 3).");

    public static final ConfigOption<String> KAFKA_DRIFT_TOPIC =
            ConfigOptions.key("kafka.drift-topic")
                    .stringType()
                    .defaultValue("driftguard.drift")
                    .withDescription("Topic drift events are written to, keyed by record key.");

    public static final ConfigOption<String> KAFKA_DLQ_TOPIC =
            ConfigOptions.key("kafka.dlq-topic")
                    .stringType()
                    .defaultValue("driftguard.dlq")
                    .withDescription("Topic of dead letters (bad input with the reason).");

    public static final ConfigOption<String> KAFKA_GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("driftguard")
                    .withDescription("Consumer group id of the input source.");

    public static final ConfigOption<String> KAFKA_STARTING_OFFSETS =
            ConfigOptions.key("kafka.starting-offsets")
                    .stringType()
                    .defaultValue("earliest")
                    .withDescription(
                            "Where a new consumer group starts: earliest (committed offsets, else"
                                    + " the earliest) or latest.");

    public static final ConfigOption<Boolean> KAFKA_BOUNDED =
            ConfigOptions.key("kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Stop at the offsets that are latest when the job starts (replay of a"
                                    + " topic).");

    public static final ConfigOption<String> KAFKA_DELIVERY =
            ConfigOptions.key("kafka.delivery-guarantee")
                    .stringType()
                    .defaultValue("exactly-once")
                    .withDescription(
                            "Delivery guarantee of the drift-event sink: exactly-once (Kafka"
                                    + " transactions, read with isolation.level=read_committed),"
                                    + " at-least-once or none.");

    public static final ConfigOption<String> KAFKA_TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("driftguard")
                    .withDescription("Prefix of the exactly-once sink's transactional ids.");

    /**
     * Prefix of Kafka client settings passed to every source, sink and admin client of the job:
     * {@code kafka.properties.security.protocol: SASL_SSL} sets {@code security.protocol}. Values of
     * secret settings are masked wherever the configuration is printed or logged.
     */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    public static final ConfigOption<Integer> KAFKA_DLQ_MAX_RAW_BYTES =
            ConfigOptions.key("kafka.dlq-max-raw-bytes")
                    .intType()
                    .defaultValue(64 * 1024)
                    .withDescription(
                            "Most bytes of a dead letter's raw input kept in the dead-letter topic; longer"
                                    + " input is cut to this many bytes and its reason ends with"
                                    + " \"[raw truncated from N bytes]\", so that an oversized record never"
                                    + " exceeds the producer's max.request.size.");

    public static final ConfigOption<Duration> STATE_TTL =
            ConfigOptions.key("drift.state.ttl")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "A key's evaluator state (open windows, references, embeddings) expires after this"
                                    + " long without a record of the key (processing time); 0 keeps it forever."
                                    + " An expired key starts afresh like a new key.");

    public static final ConfigOption<String> WINDOW_SIZE =
            ConfigOptions.key("drift.window.size")
                    .stringType()
                    .defaultValue("500")
                    .withDescription(
                            "Window per key: a duration (30s, 10m, 1h) for event-time windows or a"
                                    + " record count (500).");

    public static final ConfigOption<String> REFERENCE =
            ConfigOptions.key("drift.reference")
                    .stringType()
                    .defaultValue("fixed")
                    .withDescription(
                            "fixed (pooled reference, the decision bench detect measures), previous,"
                                    + " last-K or seasonal:<period>.");

    public static final ConfigOption<Integer> PERMUTATIONS =
            ConfigOptions.key("drift.mmd.permutations")
                    .intType()
                    .defaultValue(200)
                    .withDescription("Permutations of the MMD test per evaluated window.");

    public static final ConfigOption<Integer> RESERVOIR_SIZE =
            ConfigOptions.key("drift.sketch.reservoir-size")
                    .intType()
                    .defaultValue(256)
                    .withDescription("Records kept per window in the seeded reservoir sample.");

    public static final ConfigOption<Integer> KLL_K =
            ConfigOptions.key("drift.sketch.kll-k")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "KLL accuracy parameter of per-feature quantile sketches (about 1.65% rank"
                                    + " error at 200); 0, the default, keeps none: no event field reads"
                                    + " them, and they would be the largest part of the per-record sketch cost.");

    public static final ConfigOption<Integer> RFF_FEATURES =
            ConfigOptions.key("drift.sketch.rff-features")
                    .intType()
                    .defaultValue(128)
                    .withDescription("Random Fourier features (cos/sin pairs) per window embedding.");

    public static final ConfigOption<Boolean> SKETCHES_ENABLED =
            ConfigOptions.key("drift.sketch.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Keep per-window sketches and evaluate windows; false only counts"
                                    + " records per window (for throughput comparisons).");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("drift.watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("Bounded out-of-orderness of event-time watermarks.");

    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("drift.watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("A source split without records this long stops holding back watermarks.");

    public static final ConfigOption<Double> FALSE_ALARM_ERL =
            ConfigOptions.key("drift.false-alarm.erl")
                    .doubleType()
                    .defaultValue(2000.0)
                    .withDescription(
                            "False-alarm budget per key: expected number of windows between false"
                                    + " alarms when nothing changes.");

    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("drift.seed")
                    .longType()
                    .defaultValue(42L)
                    .withDescription("Seed of reservoirs, random features and permutations.");

    public static final ConfigOption<Duration> MAX_LEAD =
            ConfigOptions.key("drift.watermark.max-lead")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription(
                            "Largest lead of a record's time over its key's newest accepted time; records"
                                    + " further ahead are dead letters and never move the watermark.");

    public static final ConfigOption<String> MISSING_MARKERS =
            ConfigOptions.key("input.missing-markers")
                    .stringType()
                    .defaultValue(io.driftguard.connectors.parse.MissingMarkers.DEFAULT_SPEC)
                    .withDescription(
                            "Comma-separated feature values that mean \"missing\" (any case; an empty entry is the"
                                    + " empty cell, null also a JSON null): they become NaN, are sketched and tested,"
                                    + " and the record is kept. A record whose every feature is missing is a dead letter.");

    public static final ConfigOption<String> KAFKA_MODELS_TOPIC =
            ConfigOptions.key("kafka.models-topic")
                    .stringType()
                    .defaultValue("driftguard.models")
                    .withDescription("Model versions: compacted, keyed by <model id>@<version>.");

    public static final ConfigOption<String> KAFKA_MODELS_DELIVERY =
            ConfigOptions.key("kafka.models-delivery-guarantee")
                    .stringType()
                    .defaultValue("at-least-once")
                    .withDescription(
                            "Sink of trained versions: at-least-once publishes a version as soon as it is"
                                    + " validated (a repeat is recognised and ignored); exactly-once publishes it"
                                    + " at the next checkpoint, which delays the swap by up to the checkpoint"
                                    + " interval.");

    public static final ConfigOption<String> KAFKA_PREDICTIONS_TOPIC =
            ConfigOptions.key("kafka.predictions-topic")
                    .stringType()
                    .defaultValue("driftguard.predictions")
                    .withDescription("Scored records, keyed by record key.");

    public static final ConfigOption<String> MODEL_TASK =
            ConfigOptions.key("model.task")
                    .stringType()
                    .defaultValue("none")
                    .withDescription(
                            "none (no model), classification or regression: the deployed model predicts each"
                                    + " record's label.");

    public static final ConfigOption<String> MODEL_KIND =
            ConfigOptions.key("model.kind")
                    .stringType()
                    .defaultValue("mlp")
                    .withDescription("mlp (feed-forward, ReLU), linear (softmax or least squares) or gru.");

    public static final ConfigOption<String> MODEL_HIDDEN =
            ConfigOptions.key("model.hidden")
                    .stringType()
                    .defaultValue("32")
                    .withDescription("Hidden layer sizes, comma-separated (mlp and gru).");

    public static final ConfigOption<Integer> MODEL_STEPS =
            ConfigOptions.key("model.steps")
                    .intType()
                    .defaultValue(8)
                    .withDescription("Records per GRU input: the key's last T records.");

    public static final ConfigOption<String> MODEL_SCOPE =
            ConfigOptions.key("model.scope")
                    .stringType()
                    .defaultValue("key")
                    .withDescription("key (one model per key) or shared (one model for all keys).");

    public static final ConfigOption<String> MODEL_ADAPT =
            ConfigOptions.key("model.adapt")
                    .stringType()
                    .defaultValue("retrain")
                    .withDescription(
                            "none (the first model stays), retrain, fine-tune, weights, meda, adversarial,"
                                    + " pseudo, a comma-separated list of them (the best on held-out data is"
                                    + " judged), or auto (all of them).");

    public static final ConfigOption<Integer> MODEL_INITIAL_RECORDS =
            ConfigOptions.key("model.initial-records")
                    .intType()
                    .defaultValue(500)
                    .withDescription("Labelled records of a key before its first model (the prior predicts until then).");

    public static final ConfigOption<Integer> MODEL_RETRAIN_RECORDS =
            ConfigOptions.key("model.retrain-records")
                    .intType()
                    .defaultValue(300)
                    .withDescription("Labelled records after the estimated change that a retrain waits for.");

    public static final ConfigOption<Integer> MODEL_BUFFER =
            ConfigOptions.key("model.buffer")
                    .intType()
                    .defaultValue(4000)
                    .withDescription("Newest records kept per key; a training run takes at most this many labelled ones.");

    public static final ConfigOption<Double> MODEL_ACCEPT_MARGIN =
            ConfigOptions.key("model.accept-margin")
                    .doubleType()
                    .defaultValue(0.02)
                    .withDescription(
                            "A candidate serves only when its held-out loss is at most the serving version's times"
                                    + " (1 - margin).");

    public static final ConfigOption<Integer> MODEL_ERROR_BLOCK =
            ConfigOptions.key("model.error-block")
                    .intType()
                    .defaultValue(200)
                    .withDescription("Labelled records per block of the error-drift test.");

    public static final ConfigOption<Double> MODEL_ERROR_ALPHA =
            ConfigOptions.key("model.error-alpha")
                    .doubleType()
                    .defaultValue(0.001)
                    .withDescription("One-sided significance of the error-drift test per block.");

    public static final ConfigOption<Double> MODEL_LEARNING_RATE =
            ConfigOptions.key("model.learning-rate")
                    .doubleType()
                    .defaultValue(0.01)
                    .withDescription("Adam's step size.");

    public static final ConfigOption<Integer> MODEL_EPOCHS =
            ConfigOptions.key("model.epochs")
                    .intType()
                    .defaultValue(30)
                    .withDescription("Training epochs at most (early stopping on the held-out fifth).");

    public static final ConfigOption<Integer> MODEL_BATCH =
            ConfigOptions.key("model.batch-size")
                    .intType()
                    .defaultValue(256)
                    .withDescription("Minibatch size.");

    public static final ConfigOption<Integer> MODEL_PATIENCE =
            ConfigOptions.key("model.patience")
                    .intType()
                    .defaultValue(4)
                    .withDescription("Epochs without a better held-out loss before training stops.");

    public static final ConfigOption<Integer> MODEL_FREEZE_LAYERS =
            ConfigOptions.key("model.freeze-layers")
                    .intType()
                    .defaultValue(0)
                    .withDescription("Hidden layers, from the input, that the fine-tune strategy keeps frozen.");

    public static final ConfigOption<Double> MODEL_PAST_MARGIN =
            ConfigOptions.key("model.past-margin")
                    .doubleType()
                    .defaultValue(-1.0)
                    .withDescription(
                            "How much more loss than the serving version a candidate may have on the samples kept"
                                    + " of earlier regimes; -1 (off) only records the check.");

    private DriftguardOptions() {}
}
