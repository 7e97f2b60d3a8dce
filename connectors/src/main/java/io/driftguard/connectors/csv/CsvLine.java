package io.driftguard.connectors.csv;

import java.util.Objects;

/**
 * One data line of a CSV file with its position.
 *
 * @param row 0-based index among the data rows (the header is not counted)
 * @param text the line without its line terminator
 */
public record CsvLine(long row, String text) {
    public CsvLine {
        Objects.requireNonNull(text, "text");
    }
}
