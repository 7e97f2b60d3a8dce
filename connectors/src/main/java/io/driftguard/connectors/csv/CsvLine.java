package io.driftguard.connectors.csv;

import java.util.Arrays;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One data line of a CSV file with its position.
 *
 * @param row 0-based index among the data rows (the header is not counted)
 * @param text the line without its line terminator
 * @param problem why the line cannot be read as text (invalid UTF-8, too long), or null
 * @param raw the line's bytes when it has a problem, for its dead letter; else null
 */
@TypeInfo(CsvLineSerializer.TypeFactory.class)
public record CsvLine(long row, String text, @Nullable String problem, @Nullable byte[] raw) {

    public CsvLine {
        Objects.requireNonNull(text, "text");
    }

    /** A line read as text. */
    public CsvLine(long row, String text) {
        this(row, text, null, null);
    }

    /** A line as {@link Utf8LineReader} read it. */
    public static CsvLine of(long row, Utf8LineReader.Line line) {
        return new CsvLine(row, line.text(), line.problem(), line.raw());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvLine that
                && row == that.row
                && text.equals(that.text)
                && Objects.equals(problem, that.problem)
                && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(row, text, problem) + Arrays.hashCode(raw);
    }
}
