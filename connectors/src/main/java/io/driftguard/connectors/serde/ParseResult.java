package io.driftguard.connectors.serde;

import io.driftguard.operators.record.SeriesRecord;
import javax.annotation.Nullable;

/**
 * The outcome of parsing one input: a record, or the reason it was rejected.
 *
 * @param record the parsed record, or null when rejected
 * @param error the one-line reason, or null when parsed
 */
public record ParseResult(@Nullable SeriesRecord record, @Nullable String error) {

    public ParseResult {
        if ((record == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of record and error must be set");
        }
    }

    public static ParseResult ok(SeriesRecord record) {
        return new ParseResult(record, null);
    }

    public static ParseResult error(String reason) {
        return new ParseResult(null, reason);
    }

    public boolean isOk() {
        return record != null;
    }
}
