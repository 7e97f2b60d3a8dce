package io.driftguard.connectors.parse;

import io.driftguard.connectors.kafka.KafkaBytes;
import io.driftguard.connectors.serde.JsonRecordParser;
import io.driftguard.connectors.serde.ParseResult;
import io.driftguard.operators.functions.DriftMetrics;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.record.SeriesRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses JSON Kafka values into records; bad input goes to the dead-letter side output.
 *
 * <p>Times are guarded by a {@link TimeGuard} per subtask: a record whose time is more than the
 * lead ahead of its key's newest time (or, for a key this subtask has not seen, of the newest time
 * it accepted) is a dead letter and never reaches the watermark. A key's records share a Kafka
 * partition, so the per-key decisions follow the partition's order; the first record a subtask
 * parses is its first reference.
 */
public final class JsonParseFunction extends ProcessFunction<KafkaBytes, SeriesRecord> {

    private static final long serialVersionUID = 1L;

    private final long maxLeadMillis;
    private final MissingMarkers missing;
    private transient JsonRecordParser parser;
    private transient TimeGuard guard;
    private transient Counter deadLetters;

    /** A parser with the default lead, {@link TimeGuard#DEFAULT_MAX_LEAD_MILLIS}. */
    public JsonParseFunction() {
        this(TimeGuard.DEFAULT_MAX_LEAD_MILLIS);
    }

    /**
     * @param maxLeadMillis largest lead of a record's time over its reference
     *     ({@code Long.MAX_VALUE}: no limit)
     */
    public JsonParseFunction(long maxLeadMillis) {
        this(maxLeadMillis, MissingMarkers.DEFAULT);
    }

    /**
     * @param maxLeadMillis largest lead of a record's time over its reference
     *     ({@code Long.MAX_VALUE}: no limit)
     * @param missing the feature texts that are missing values ({@code input.missing-markers})
     */
    public JsonParseFunction(long maxLeadMillis, MissingMarkers missing) {
        if (maxLeadMillis < 0) {
            throw new IllegalArgumentException("max lead must not be negative, got " + maxLeadMillis);
        }
        this.maxLeadMillis = maxLeadMillis;
        this.missing = java.util.Objects.requireNonNull(missing, "missing");
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new JsonRecordParser(missing);
        guard = new TimeGuard(maxLeadMillis, TimeGuard.DEFAULT_MAX_KEYS);
        deadLetters = DriftMetrics.deadLetters(getRuntimeContext());
    }

    @Override
    public void processElement(KafkaBytes in, Context ctx, Collector<SeriesRecord> out) {
        ParseResult r = parser.parse(in.value());
        String why = r.isOk() ? guard.admit(r.record().key(), r.record().ts()) : r.error();
        if (why == null) {
            out.collect(r.record());
        } else {
            deadLetters.inc();
            ctx.output(DriftMetrics.DEAD_LETTER_TAG, new DeadLetter(in.source(), why + (r.isOk() ? " in ts" : ""), in.value()));
        }
    }
}
