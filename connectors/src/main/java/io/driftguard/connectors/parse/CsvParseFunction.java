package io.driftguard.connectors.parse;

import io.driftguard.connectors.csv.CsvLine;
import io.driftguard.connectors.csv.CsvRecordParser;
import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.connectors.serde.ParseResult;
import io.driftguard.operators.functions.DriftMetrics;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.record.SeriesRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses CSV data lines, already partitioned by their key column ({@code CsvKeySelector}), into
 * records; bad rows go to the dead-letter side output. Stateless: it is keyed only so that parsing
 * runs in parallel while each key's lines keep their file order.
 */
public final class CsvParseFunction extends KeyedProcessFunction<String, CsvLine, SeriesRecord> {

    private static final long serialVersionUID = 1L;

    private final CsvSchema schema;
    private final String fileName;
    private transient CsvRecordParser parser;
    private transient Counter deadLetters;

    /**
     * @param schema the column roles
     * @param fileName the file name used in dead-letter sources ({@code name:line})
     */
    public CsvParseFunction(CsvSchema schema, String fileName) {
        this.schema = schema;
        this.fileName = fileName;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new CsvRecordParser(schema);
        deadLetters = DriftMetrics.deadLetters(getRuntimeContext());
    }

    @Override
    public void processElement(CsvLine in, Context ctx, Collector<SeriesRecord> out) {
        ParseResult r = parser.parse(in);
        if (r.isOk()) {
            out.collect(r.record());
        } else {
            deadLetters.inc();
            // file line numbers are 1-based and count the header
            ctx.output(
                    DriftMetrics.DEAD_LETTER_TAG,
                    DeadLetter.ofText(fileName + ":" + (in.row() + 2), r.error(), in.text()));
        }
    }
}
