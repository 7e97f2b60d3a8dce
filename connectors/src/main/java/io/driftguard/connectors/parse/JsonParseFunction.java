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

/** Parses JSON Kafka values into records; bad input goes to the dead-letter side output. */
public final class JsonParseFunction extends ProcessFunction<KafkaBytes, SeriesRecord> {

    private static final long serialVersionUID = 1L;

    private transient JsonRecordParser parser;
    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        parser = new JsonRecordParser();
        deadLetters = DriftMetrics.deadLetters(getRuntimeContext());
    }

    @Override
    public void processElement(KafkaBytes in, Context ctx, Collector<SeriesRecord> out) {
        ParseResult r = parser.parse(in.value());
        if (r.isOk()) {
            out.collect(r.record());
        } else {
            deadLetters.inc();
            ctx.output(DriftMetrics.DEAD_LETTER_TAG, new DeadLetter(in.source(), r.error(), in.value()));
        }
    }
}
