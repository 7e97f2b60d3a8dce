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
                    .withDescription(
                            "Kafka bootstrap servers");

    public static final ConfigOption<String> KAFKA_INPUT_TOPIC =
            ConfigOptions.key("kafka.input-topic")
                    .stringType()
                    .defaultValue("driftguard.input")
                    .withDescription(
                            "input records");

    public static final ConfigOption<String> KAFKA_DRIFT_TOPIC =
            ConfigOptions.key("kafka.drift-topic")
                    .stringType()
                    .defaultValue("driftguard.drift")
                    .withDescription(
                            "drift events");

    public static final ConfigOption<String> KAFKA_DLQ_TOPIC =
            ConfigOptions.key("kafka.dlq-topic")
                    .stringType()
                    .defaultValue("driftguard.dlq")
                    .withDescription(
                            "dead letters");

    public static final ConfigOption<String> KAFKA_GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("driftguard")
                    .withDescription(
                            "consumer group");

    public static final ConfigOption<String> KAFKA_STARTING_OFFSETS =
            ConfigOptions.key("kafka.starting-offsets")
                    .stringType()
                    .defaultValue("earliest")
                    .withDescription(
                            "`earliest` (committed, else earliest) or `latest`");

    public static final ConfigOption<Boolean> KAFKA_BOUNDED =
            ConfigOptions.key("kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "stop at the offsets current at start (replay of a topic)");

    public static final ConfigOption<String> KAFKA_DELIVERY =
            ConfigOptions.key("kafka.delivery-guarantee")
                    .stringType()
                    .defaultValue("exactly-once")
                    .withDescription(
                            "drift sink: `exactly-once`, `at-least-once` or `none`");

    public static final ConfigOption<String> KAFKA_TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("driftguard")
                    .withDescription(
                            "prefix of the sink's transactional ids");

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
                            "raw bytes kept in a dead letter; longer inputs are cut and the reason says from "
                                    + "how many bytes");

    public static final ConfigOption<Duration> STATE_TTL =
            ConfigOptions.key("drift.state.ttl")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "a key's evaluator and scoring state expire after this long without a record "
                                    + "(`0`: never); model versions do not");

    public static final ConfigOption<String> WINDOW_SIZE =
            ConfigOptions.key("drift.window.size")
                    .stringType()
                    .defaultValue("500")
                    .withDescription(
                            "a duration (`30s`, `10m`, `1h`) or a record count");

    public static final ConfigOption<String> REFERENCE =
            ConfigOptions.key("drift.reference")
                    .stringType()
                    .defaultValue("fixed")
                    .withDescription(
                            "`fixed` (8 pooled windows, rebuilt after each alarm; the decision `bench detect` "
                                    + "measures; clear changes alarm from a key's 3rd window, calibrated decisions from "
                                    + "its 42nd), `previous`, `last-K`, `seasonal:<period>` (see jobs/README.md for how "
                                    + "they compare)");

    public static final ConfigOption<Integer> PERMUTATIONS =
            ConfigOptions.key("drift.mmd.permutations")
                    .intType()
                    .defaultValue(200)
                    .withDescription(
                            "permutations of a window whose first 63 give a p-value below 0.1");

    public static final ConfigOption<Integer> RESERVOIR_SIZE =
            ConfigOptions.key("drift.sketch.reservoir-size")
                    .intType()
                    .defaultValue(256)
                    .withDescription(
                            "records sampled per window for the exact tests");

    public static final ConfigOption<Integer> KLL_K =
            ConfigOptions.key("drift.sketch.kll-k")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "KLL accuracy of per-feature quantile sketches kept in each window (about 1.65% "
                                    + "rank error at 200); `0` keeps none: no event field reads them, and they would be "
                                    + "the largest part of a record's sketch cost");

    public static final ConfigOption<Integer> RFF_FEATURES =
            ConfigOptions.key("drift.sketch.rff-features")
                    .intType()
                    .defaultValue(128)
                    .withDescription(
                            "random Fourier feature pairs of the window embeddings");

    public static final ConfigOption<Boolean> SKETCHES_ENABLED =
            ConfigOptions.key("drift.sketch.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "`false` only counts records (throughput baseline)");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("drift.watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "bounded out-of-orderness of event time");

    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("drift.watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "idle partitions stop holding back the watermark");

    public static final ConfigOption<Integer> EMBEDDING_DIMENSION =
            ConfigOptions.key("drift.embedding.dimension")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "delay embedding ahead of the evaluator: each record becomes its features and those "
                                    + "of the key's records `drift.embedding.delay`, 2 x delay, ... records earlier "
                                    + "(named `name@lagK`), so that MMD, the A-distance and attribution see changes "
                                    + "of shape, frequency or autocorrelation that leave each record's distribution "
                                    + "as it was; `1`: none. A key's first (dimension - 1) x delay records only fill "
                                    + "its lags; a record then costs d x dimension values in every sketch");

    public static final ConfigOption<Integer> EMBEDDING_DELAY =
            ConfigOptions.key("drift.embedding.delay")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "records between consecutive lags of the delay embedding (`driftguard segment` "
                                    + "estimates a series' period from its autocorrelation; a quarter of it is a "
                                    + "common choice)");

    public static final ConfigOption<Double> FALSE_ALARM_ERL =
            ConfigOptions.key("drift.false-alarm.erl")
                    .doubleType()
                    .defaultValue(2000.0)
                    .withDescription(
                            "expected windows between false alarms per key (the budget `bench detect` "
                                    + "measures)");

    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("drift.seed")
                    .longType()
                    .defaultValue(42L)
                    .withDescription(
                            "seed of sampling, random features and permutations, and of model training");

    public static final ConfigOption<Duration> MAX_LEAD =
            ConfigOptions.key("drift.watermark.max-lead")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription(
                            "largest lead of a record's time over its key's newest accepted time; records "
                                    + "further ahead are dead letters");

    public static final ConfigOption<String> MISSING_MARKERS =
            ConfigOptions.key("input.missing-markers")
                    .stringType()
                    .defaultValue(io.driftguard.connectors.parse.MissingMarkers.DEFAULT_SPEC)
                    .withDescription(
                            "comma-separated feature values that mean \"missing\" (any case; an empty entry is "
                                    + "the empty cell, `null` also a JSON `null`): they become NaN and the record is "
                                    + "kept; a record whose every feature is missing is a dead letter");

    public static final ConfigOption<String> KAFKA_MODELS_TOPIC =
            ConfigOptions.key("kafka.models-topic")
                    .stringType()
                    .defaultValue("driftguard.models")
                    .withDescription(
                            "model versions (created compacted by the demo; create it with "
                                    + "`cleanup.policy=compact`)");

    public static final ConfigOption<String> KAFKA_MODELS_DELIVERY =
            ConfigOptions.key("kafka.models-delivery-guarantee")
                    .stringType()
                    .defaultValue("at-least-once")
                    .withDescription(
                            "trained versions are published as soon as they are validated (a repeat is "
                                    + "ignored); `exactly-once` waits for the next checkpoint");

    public static final ConfigOption<String> KAFKA_PREDICTIONS_TOPIC =
            ConfigOptions.key("kafka.predictions-topic")
                    .stringType()
                    .defaultValue("driftguard.predictions")
                    .withDescription(
                            "scored records");

    public static final ConfigOption<String> MODEL_TASK =
            ConfigOptions.key("model.task")
                    .stringType()
                    .defaultValue("none")
                    .withDescription(
                            "`classification` or `regression` deploys a model on the label (`--task`)");

    public static final ConfigOption<String> MODEL_KIND =
            ConfigOptions.key("model.kind")
                    .stringType()
                    .defaultValue("mlp")
                    .withDescription(
                            "`mlp` (ReLU), `linear` (softmax or least squares) or `gru` over a key's last "
                                    + "`model.steps` records (`--model`)");

    public static final ConfigOption<String> MODEL_HIDDEN =
            ConfigOptions.key("model.hidden")
                    .stringType()
                    .defaultValue("32")
                    .withDescription(
                            "hidden layer sizes, comma-separated");

    public static final ConfigOption<Integer> MODEL_STEPS =
            ConfigOptions.key("model.steps")
                    .intType()
                    .defaultValue(8)
                    .withDescription(
                            "records per GRU input");

    public static final ConfigOption<Integer> MODEL_LAG_LABELS =
            ConfigOptions.key("model.lag-labels")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "`0` off; N appends the key's last N labels to each record's inputs (one-hot per lag for "
                                    + "classification, the previous targets for regression): a record is predicted with "
                                    + "the labels of the key's labelled records before it, never its own; the model's "
                                    + "schema names them `label[t-k]` (`--lag-labels`; at most 64)");

    public static final ConfigOption<String> MODEL_SCOPE =
            ConfigOptions.key("model.scope")
                    .stringType()
                    .defaultValue("key")
                    .withDescription(
                            "one model per key, or `shared` by all keys (`--model-scope`)");

    public static final ConfigOption<String> MODEL_ADAPT =
            ConfigOptions.key("model.adapt")
                    .stringType()
                    .defaultValue("retrain")
                    .withDescription(
                            "`none` keeps the first model; otherwise the adaptation after drift alarms and "
                                    + "confirmed error rises: `retrain`, `fine-tune`, `weights`, `meda`, `adversarial`, "
                                    + "`pseudo`, `adarnn` (AdaRNN across the key's history; `model.kind gru` only), a "
                                    + "comma-separated list (the best on held-out data is judged) or `auto` (all but "
                                    + "`adarnn`) (`--adapt`; see `operators/README.md`)");

    public static final ConfigOption<Integer> MODEL_INITIAL_RECORDS =
            ConfigOptions.key("model.initial-records")
                    .intType()
                    .defaultValue(500)
                    .withDescription(
                            "labelled records before a key's first model");

    public static final ConfigOption<Integer> MODEL_RETRAIN_RECORDS =
            ConfigOptions.key("model.retrain-records")
                    .intType()
                    .defaultValue(300)
                    .withDescription(
                            "labelled records after the estimated change that a retrain waits for");

    public static final ConfigOption<Integer> MODEL_BUFFER =
            ConfigOptions.key("model.buffer")
                    .intType()
                    .defaultValue(4000)
                    .withDescription(
                            "newest records kept per key; a training run takes at most this many labelled "
                                    + "ones, the newest fifth held out");

    public static final ConfigOption<Double> MODEL_ACCEPT_MARGIN =
            ConfigOptions.key("model.accept-margin")
                    .doubleType()
                    .defaultValue(0.02)
                    .withDescription(
                            "a candidate serves only when its held-out loss is at most the serving version's "
                                    + "times (1 - margin)");

    public static final ConfigOption<Integer> MODEL_ERROR_BLOCK =
            ConfigOptions.key("model.error-block")
                    .intType()
                    .defaultValue(200)
                    .withDescription("the error-drift test: labelled records per block, compared with the serving version's first block");

    public static final ConfigOption<Double> MODEL_ERROR_ALPHA =
            ConfigOptions.key("model.error-alpha")
                    .doubleType()
                    .defaultValue(0.001)
                    .withDescription("the error-drift test's one-sided significance per block");

    public static final ConfigOption<Double> MODEL_LEARNING_RATE =
            ConfigOptions.key("model.learning-rate")
                    .doubleType()
                    .defaultValue(0.01)
                    .withDescription("Adam's step size");

    public static final ConfigOption<Integer> MODEL_EPOCHS =
            ConfigOptions.key("model.epochs")
                    .intType()
                    .defaultValue(30)
                    .withDescription("training epochs at most (early stopping on the held-out fifth)");

    public static final ConfigOption<Integer> MODEL_BATCH =
            ConfigOptions.key("model.batch-size")
                    .intType()
                    .defaultValue(256)
                    .withDescription("minibatch size");

    public static final ConfigOption<Integer> MODEL_PATIENCE =
            ConfigOptions.key("model.patience")
                    .intType()
                    .defaultValue(4)
                    .withDescription("epochs without a better held-out loss before training stops");

    public static final ConfigOption<Integer> MODEL_FREEZE_LAYERS =
            ConfigOptions.key("model.freeze-layers")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "hidden layers, from the input, that `fine-tune` keeps frozen");

    public static final ConfigOption<Double> MODEL_PAST_MARGIN =
            ConfigOptions.key("model.past-margin")
                    .doubleType()
                    .defaultValue(-1.0)
                    .withDescription(
                            "`-1` turns it off; else how much more loss than the serving version a candidate may have on the samples "
                                    + "kept of earlier regimes (the check is always recorded in the lineage; turn it on "
                                    + "for regimes that recur with the same concept: under prior or concept shift it "
                                    + "blocks adaptation)");

    private DriftguardOptions() {}
}
