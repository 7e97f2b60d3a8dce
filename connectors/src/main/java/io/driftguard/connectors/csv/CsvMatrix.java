package io.driftguard.connectors.csv;

import com.fasterxml.jackson.core.io.NumberInput;
import io.driftguard.connectors.parse.MissingMarkers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A numeric CSV file read whole: a header of column names and rows of finite numbers.
 *
 * <p>For offline two-sample tests; problems are reported as {@link CsvFormatException} naming the
 * file and the 1-based line.
 *
 * @param columns the header
 * @param rows the values, one array per data line
 */
public record CsvMatrix(List<String> columns, double[][] rows) {

    /** A problem with the file's content or access, with the file and line in the message. */
    public static final class CsvFormatException extends IOException {
        private static final long serialVersionUID = 1L;

        public CsvFormatException(String message) {
            super(message);
        }
    }

    /**
     * Reads a file whose every column (or the selected ones) is numeric.
     *
     * @param columns columns to keep, or null for all
     * @throws CsvFormatException on a missing file, ragged row, non-numeric or non-finite cell
     */
    public static CsvMatrix read(Path file, List<String> columns) throws CsvFormatException {
        return read(file, columns, MissingMarkers.NONE);
    }

    /**
     * Reads a file whose every column (or the selected ones) is numeric, a cell that is one of
     * {@code missing}'s markers becoming NaN (a missing value).
     *
     * @param columns columns to keep, or null for all
     * @throws CsvFormatException on a missing file, ragged row, non-numeric or non-finite cell
     */
    public static CsvMatrix read(Path file, List<String> columns, MissingMarkers missing) throws CsvFormatException {
        List<String> cells = new ArrayList<>();
        try (Utf8LineReader r = new Utf8LineReader(Files.newInputStream(file))) {
            String headerLine = text(file, 1, r.next());
            if (headerLine == null) {
                throw new CsvFormatException(file + ": empty file, expected a header row");
            }
            if (!headerLine.isEmpty() && headerLine.charAt(0) == '\uFEFF') {
                headerLine = headerLine.substring(1);
            }
            List<String> header = new ArrayList<>();
            for (String h : split(file, 1, headerLine, cells)) {
                header.add(h.trim());
            }
            int[] idx;
            List<String> kept;
            if (columns == null || columns.isEmpty()) {
                idx = new int[header.size()];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = i;
                }
                kept = header;
            } else {
                idx = new int[columns.size()];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = header.indexOf(columns.get(i));
                    if (idx[i] < 0) {
                        throw new CsvFormatException(
                                file + ":1: no column '" + columns.get(i) + "' in header " + header);
                    }
                }
                kept = List.copyOf(columns);
            }
            List<double[]> rows = new ArrayList<>();
            String line;
            long lineNo = 1;
            Utf8LineReader.Line next;
            while ((next = r.next()) != null) {
                lineNo++;
                line = text(file, lineNo, next);
                if (line.isBlank()) {
                    continue;
                }
                List<String> c = split(file, lineNo, line, cells);
                if (c.size() != header.size()) {
                    throw new CsvFormatException(
                            file + ":" + lineNo + ": expected " + header.size() + " columns, found " + c.size());
                }
                double[] row = new double[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    String cell = c.get(idx[i]).trim();
                    if (missing.isMissing(cell)) {
                        row[i] = Double.NaN;
                        continue;
                    }
                    double v;
                    try {
                        v = NumberInput.parseDouble(cell, true);
                    } catch (NumberFormatException e) {
                        throw new CsvFormatException(
                                file + ":" + lineNo + ": non-numeric value '" + cell + "' in column "
                                        + header.get(idx[i]));
                    }
                    if (!Double.isFinite(v)) {
                        throw new CsvFormatException(
                                file + ":" + lineNo + ": non-finite value '" + cell + "' in column "
                                        + header.get(idx[i]));
                    }
                    row[i] = v;
                }
                rows.add(row);
            }
            return new CsvMatrix(kept, rows.toArray(new double[0][]));
        } catch (NoSuchFileException e) {
            throw new CsvFormatException(file + ": no such file");
        } catch (CsvFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new CsvFormatException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** The line's text; null at the end; a line that is not usable text is an error. */
    private static String text(Path file, long lineNo, Utf8LineReader.Line line) throws CsvFormatException {
        if (line == null) {
            return null;
        }
        if (line.problem() != null) {
            throw new CsvFormatException(file + ":" + lineNo + ": " + line.problem());
        }
        return line.text();
    }

    private static List<String> split(Path file, long lineNo, String line, List<String> cells)
            throws CsvFormatException {
        try {
            return CsvSplitter.split(line, cells);
        } catch (IllegalArgumentException e) {
            throw new CsvFormatException(file + ":" + lineNo + ": " + e.getMessage());
        }
    }
}
