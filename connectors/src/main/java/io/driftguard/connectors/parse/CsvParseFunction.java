package io.driftguard.connectors.parse;

import io.driftguard.connectors.csv.CsvLine;
import io.driftguard.connectors.csv.CsvRecordParser;
import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.connectors.serde.ParseResult;
import io.driftguard.operators.functions.DriftMetrics;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.record.SeriesRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses CSV data lines, already partitioned by their key column ({@code CsvKeySelector}), into
 * records; bad rows go to the dead-letter side output. It is keyed only so that parsing runs in
 * parallel while each key's lines keep their file order.
 *
 * <p>Times are guarded by a {@link TimeGuard}: a row whose time is more than the lead ahead of
 * its key's newest time (or, for a key's first row, of the newest time this subtask accepted) is a
 * dead letter and never reaches the watermark. The subtask's very first row has nothing to be
 * compared with, so it waits for the subtask's next row (or the end of the input): if it is more
 * than the lead ahead of that row, it is dead-lettered and the next row takes its place. Every
 * subtask receives its lines from the one file reader in file order, so these decisions are the
 * same on every run. The guard lives in the subtask, not in Flink state: a replay that fails is
 * not resumed but run again.
 */
public final class CsvParseFunction extends KeyedProcessFunction<String, CsvLine, SeriesRecord> {

    private static final long serialVersionUID = 1L;

    private final CsvSchema schema;
    private final String fileName;
    private final long maxLeadMillis;
    private final MissingMarkers missing;
    private transient CsvRecordParser parser;
    private transient TimeGuard guard;
    private transient Counter deadLetters;
    // the subtask's first parsed row, until another row or the end of the input confirms its time
    private transient SeriesRecord held;
    private transient CsvLine heldLine;

    /**
     * A parser with the default lead, {@link TimeGuard#DEFAULT_MAX_LEAD_MILLIS}.
     *
     * @param schema the column roles
     * @param fileName the file name used in dead-letter sources ({@code name:line})
     */
    public CsvParseFunction(CsvSchema schema, String fileName) {
        this(schema, fileName, TimeGuard.DEFAULT_MAX_LEAD_MILLIS);
    }

    /**
     * @param schema the column roles
     * @param fileName the file name used in dead-letter sources ({@code name:line})
     * @param maxLeadMillis largest lead of a row's time over its reference ({@code Long.MAX_VALUE}:
     *     no limit)
     */
    public CsvParseFunction(CsvSchema schema, String fileName, long maxLeadMillis) {
        this(schema, fileName, maxLeadMillis, MissingMarkers.DEFAULT);
    }

    /**
     * @param schema the column roles
     * @param fileName the file name used in dead-letter sources ({@code name:line})
     * @param maxLeadMillis largest lead of a row's time over its reference ({@code Long.MAX_VALUE}:
     *     no limit)
     * @param missing the cell texts that are missing values ({@code input.missing-markers})
     */
    public CsvParseFunction(CsvSchema schema, String fileName, long maxLeadMillis, MissingMarkers missing) {
        if (maxLeadMillis < 0) {
            throw new IllegalArgumentException("max lead must not be negative, got " + maxLeadMillis);
        }
        this.schema = schema;
        this.fileName = fileName;
        this.maxLeadMillis = maxLeadMillis;
        this.missing = java.util.Objects.requireNonNull(missing, "missing");
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new CsvRecordParser(schema, missing);
        guard = new TimeGuard(maxLeadMillis, TimeGuard.DEFAULT_MAX_KEYS);
        deadLetters = DriftMetrics.deadLetters(getRuntimeContext());
    }

    @Override
    public void processElement(CsvLine in, Context ctx, Collector<SeriesRecord> out) {
        ParseResult r = parser.parse(in);
        if (!r.isOk()) {
            reject(ctx, in, r.error());
            return;
        }
        SeriesRecord rec = r.record();
        if (held != null) {
            if (guard.isAhead(held.ts(), rec.ts())) {
                reject(ctx, heldLine, "time " + TimeGuard.describe(held.ts()) + " is more than "
                        + TimeGuard.duration(maxLeadMillis) + " ahead of the next row's time "
                        + TimeGuard.describe(rec.ts()) + timeColumn());
                hold(rec, in, ctx);
                return;
            }
            release(out);
        } else if (!guard.hasReference()) {
            hold(rec, in, ctx);
            return;
        }
        admit(rec, in, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SeriesRecord> out) {
        // the end of the input: the first row met no other
        if (held != null) {
            release(out);
        }
    }

    private void hold(SeriesRecord rec, CsvLine line, Context ctx) {
        held = rec;
        heldLine = line;
        // fires when the bounded input ends and the maximum watermark passes
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    private void release(Collector<SeriesRecord> out) {
        // no reference yet, so the guard admits it and it becomes the reference
        guard.admit(held.key(), held.ts());
        out.collect(held);
        held = null;
        heldLine = null;
    }

    private void admit(SeriesRecord rec, CsvLine in, Context ctx, Collector<SeriesRecord> out) {
        String why = guard.admit(rec.key(), rec.ts());
        if (why == null) {
            out.collect(rec);
        } else {
            reject(ctx, in, why + timeColumn());
        }
    }

    private String timeColumn() {
        return schema.timeIndex() >= 0 ? " in column " + schema.header().get(schema.timeIndex()) : "";
    }

    private void reject(Context ctx, CsvLine in, String reason) {
        deadLetters.inc();
        byte[] raw = in.raw() != null ? in.raw() : in.text().getBytes(StandardCharsets.UTF_8);
        // file line numbers are 1-based and count the header
        ctx.output(DriftMetrics.DEAD_LETTER_TAG, new DeadLetter(fileName + ":" + (in.row() + 2), reason, raw));
    }
}
