package io.driftguard.jobs.topology;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftMetrics;
import io.driftguard.operators.functions.DelayEmbeddingFunction;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.functions.WindowDriftFunction;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.record.SeriesRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The drift topology shared by every job: watermarks, key by record key, the optional delay
 * embedding, per-key windows with sketches, evaluation against the reference, drift events and
 * dead letters.
 */
public final class DriftTopology {

    /** Operator uid of the per-key evaluator; stable so savepoints map onto its state. */
    public static final String EVALUATOR_UID = "driftguard-evaluator";

    /** Operator uid of the delay embedding ahead of the evaluator (with {@code drift.embedding.dimension} > 1). */
    public static final String EMBEDDING_UID = "driftguard-embedding";

    private DriftTopology() {}

    /** The outputs of the topology. */
    public record Outputs(DataStream<DriftEvent> events, DataStream<DeadLetter> deadLetters) {}

    /**
     * Wires the evaluator behind a parsed record stream.
     *
     * @param records parsed records (dead letters of parsing are the caller's)
     * @param settings evaluator settings
     * @param outOfOrderness bounded out-of-orderness of event-time watermarks
     * @param idleness idle-source timeout, or null for none
     */
    public static Outputs build(
            DataStream<SeriesRecord> records,
            DriftSettings settings,
            Duration outOfOrderness,
            Duration idleness) {
        return build(records, settings, outOfOrderness, idleness, false);
    }

    /**
     * Wires the evaluator; with {@code partitionedByKey} the records are already partitioned by
     * {@link SeriesRecord#key()} exactly as a key-by would, and are not shuffled again.
     */
    public static Outputs build(
            DataStream<SeriesRecord> records,
            DriftSettings settings,
            Duration outOfOrderness,
            Duration idleness,
            boolean partitionedByKey) {
        return build(records, settings, outOfOrderness, idleness, partitionedByKey, Duration.ZERO);
    }

    /**
     * Wires the evaluator; a key's evaluator state expires after {@code stateTtl} without access
     * ({@code drift.state.ttl}; zero keeps it forever).
     */
    public static Outputs build(
            DataStream<SeriesRecord> records,
            DriftSettings settings,
            Duration outOfOrderness,
            Duration idleness,
            boolean partitionedByKey,
            Duration stateTtl) {
        DataStream<SeriesRecord> timed = records;
        if (!settings.window().countBased()) {
            WatermarkStrategy<SeriesRecord> wm =
                    WatermarkStrategy.<SeriesRecord>forBoundedOutOfOrderness(outOfOrderness)
                            .withTimestampAssigner((r, previous) -> r.ts());
            if (idleness != null) {
                wm = wm.withIdleness(idleness);
            }
            timed = records.assignTimestampsAndWatermarks(wm).name("watermarks").uid("driftguard-watermarks");
        }
        KeyedStream<SeriesRecord, String> keyed =
                partitionedByKey
                        ? DataStreamUtils.reinterpretAsKeyedStream(
                                timed, SeriesRecord::key, TypeInformation.of(String.class))
                        : timed.keyBy(SeriesRecord::key, TypeInformation.of(String.class));
        if (settings.embedding().enabled()) {
            // the embedding keeps the partitioning by key: the evaluator reads its output in place
            DataStream<SeriesRecord> embedded =
                    keyed.process(new DelayEmbeddingFunction(settings.embedding(), stateTtl),
                                    TypeInformation.of(SeriesRecord.class))
                            .name("delay-embedding")
                            .uid(EMBEDDING_UID);
            keyed = DataStreamUtils.reinterpretAsKeyedStream(embedded, SeriesRecord::key, TypeInformation.of(String.class));
        }
        SingleOutputStreamOperator<DriftEvent> events =
                keyed.process(new WindowDriftFunction(settings, stateTtl), TypeInformation.of(DriftEvent.class))
                        .name("drift-evaluator")
                        .uid(EVALUATOR_UID);
        return new Outputs(events, events.getSideOutput(DriftMetrics.DEAD_LETTER_TAG));
    }
}
