package io.driftguard.jobs.topology;

import io.driftguard.connectors.kafka.KafkaBytes;
import io.driftguard.connectors.kafka.KafkaConnectors;
import io.driftguard.connectors.parse.JsonParseFunction;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftMetrics;
import io.driftguard.operators.model.ModelSettings;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.record.SeriesRecord;
import java.util.Locale;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming drift job on Kafka: JSON records in, drift events out (exactly-once by default),
 * dead letters to their own topic. With {@code model.task} set, the deployed model scores every
 * record beside the evaluator: predictions to their topic, versions read from and trained into
 * the models topic, and the drift events carry their window's prequential error.
 */
public final class KafkaDriftJob {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDriftJob.class);

    private KafkaDriftJob() {}

    /** Adds the job's operators to {@code env}. */
    public static void build(StreamExecutionEnvironment env, Configuration conf) {
        build(env, conf, UnaryOperator.identity());
    }

    /**
     * Adds the job's operators to {@code env}, with {@code beforeParse} applied to the raw input
     * stream (tests inject failures there).
     */
    public static void build(StreamExecutionEnvironment env, Configuration conf,
            UnaryOperator<DataStream<KafkaBytes>> beforeParse) {
        DriftSettings settings = JobConfig.driftSettings(conf);
        String servers = conf.get(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS);
        // every source, sink (and the sources' admin clients) gets the kafka.properties.* settings
        Properties client = JobConfig.kafkaClientProperties(conf);
        if (!client.isEmpty()) {
            LOG.info("Kafka client properties: {}", JobConfig.masked(client));
        }
        boolean earliest = "earliest".equalsIgnoreCase(conf.get(DriftguardOptions.KAFKA_STARTING_OFFSETS));
        DataStream<KafkaBytes> raw =
                env.fromSource(
                                KafkaConnectors.inputSource(
                                        servers,
                                        conf.get(DriftguardOptions.KAFKA_INPUT_TOPIC),
                                        conf.get(DriftguardOptions.KAFKA_GROUP_ID),
                                        earliest,
                                        conf.get(DriftguardOptions.KAFKA_BOUNDED),
                                        client),
                                WatermarkStrategy.noWatermarks(),
                                "kafka-input")
                        .uid("driftguard-kafka-source");
        raw = beforeParse.apply(raw);
        SingleOutputStreamOperator<SeriesRecord> parsed =
                raw.process(new JsonParseFunction(conf.get(DriftguardOptions.MAX_LEAD).toMillis(),
                        io.driftguard.jobs.config.JobConfig.missingMarkers(conf))).name("parse-json").uid("driftguard-parse-json");
        DriftTopology.Outputs out =
                DriftTopology.build(
                        parsed,
                        settings,
                        conf.get(DriftguardOptions.OUT_OF_ORDERNESS),
                        conf.get(DriftguardOptions.IDLENESS),
                        false,
                        conf.get(DriftguardOptions.STATE_TTL));
        ModelSettings model = JobConfig.modelSettings(conf);
        DeliveryGuarantee guarantee = guarantee(conf.get(DriftguardOptions.KAFKA_DELIVERY));
        String prefix = conf.get(DriftguardOptions.KAFKA_TRANSACTIONAL_ID_PREFIX);
        DataStream<DriftEvent> events = out.events();
        if (model != null) {
            DataStream<byte[]> versions =
                    env.fromSource(
                                    KafkaConnectors.modelSource(
                                            servers,
                                            conf.get(DriftguardOptions.KAFKA_MODELS_TOPIC),
                                            conf.get(DriftguardOptions.KAFKA_GROUP_ID) + "-models",
                                            client),
                                    WatermarkStrategy.noWatermarks(),
                                    "kafka-models")
                            .uid("driftguard-models-source");
            ModelTopology.Outputs m =
                    ModelTopology.streaming(parsed, out.events(), versions, model, settings.window(), ModelTopology.ND4J,
                            conf.get(DriftguardOptions.STATE_TTL));
            events = m.events();
            m.predictions()
                    .sinkTo(KafkaConnectors.predictionSink(servers, conf.get(DriftguardOptions.KAFKA_PREDICTIONS_TOPIC),
                            prefix + "-predictions", guarantee, client))
                    .name("predictions")
                    .uid("driftguard-predictions-sink");
            m.models()
                    .sinkTo(KafkaConnectors.modelSink(servers, conf.get(DriftguardOptions.KAFKA_MODELS_TOPIC),
                            prefix + "-models", guarantee(conf.get(DriftguardOptions.KAFKA_MODELS_DELIVERY)),
                            client))
                    .name("model-versions")
                    .uid("driftguard-models-sink");
        }
        events
                .sinkTo(
                        KafkaConnectors.driftSink(
                                servers,
                                conf.get(DriftguardOptions.KAFKA_DRIFT_TOPIC),
                                prefix,
                                guarantee,
                                client))
                .name("drift-events")
                .uid("driftguard-drift-sink");
        parsed.getSideOutput(DriftMetrics.DEAD_LETTER_TAG)
                .union(out.deadLetters())
                .sinkTo(
                        KafkaConnectors.deadLetterSink(
                                servers, conf.get(DriftguardOptions.KAFKA_DLQ_TOPIC), client,
                                conf.get(DriftguardOptions.KAFKA_DLQ_MAX_RAW_BYTES)))
                .name("dead-letters")
                .uid("driftguard-dlq-sink");
    }

    /** Parses a delivery guarantee as written in the configuration. */
    public static DeliveryGuarantee guarantee(String text) {
        return switch (text.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            case "none" -> DeliveryGuarantee.NONE;
            default -> throw new IllegalArgumentException(
                    "unknown delivery guarantee '" + text + "' (exactly-once, at-least-once, none)");
        };
    }
}
