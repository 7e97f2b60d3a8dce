package io.driftguard.connectors.csv;

import java.io.IOException;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a CSV file as numbered data lines for Flink's {@code FileSource}, skipping the header.
 *
 * <p>Each line is decoded on its own: a line that is not valid UTF-8, or longer than the limit,
 * comes out with its problem and bytes (see {@link CsvLine}) and becomes a dead letter; it does not
 * fail the read.
 *
 * <p>The format is not splittable, so one reader sees the whole file in order and the row numbers
 * are exact; on restore the file source re-reads from the start and skips the records already
 * emitted, which keeps the numbering.
 */
public final class CsvLineFormat extends SimpleStreamFormat<CsvLine> {

    private static final long serialVersionUID = 1L;

    private final int maxLineBytes;

    /** Lines up to {@link Utf8LineReader#DEFAULT_MAX_LINE_BYTES}. */
    public CsvLineFormat() {
        this(Utf8LineReader.DEFAULT_MAX_LINE_BYTES);
    }

    /** @param maxLineBytes longest usable line; longer ones are dead-lettered */
    public CsvLineFormat(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public Reader<CsvLine> createReader(Configuration config, FSDataInputStream stream) {
        Utf8LineReader in = new Utf8LineReader(stream, maxLineBytes);
        return new Reader<>() {
            private long row = -1; // the header is row -1

            @Nullable
            @Override
            public CsvLine read() throws IOException {
                Utf8LineReader.Line line;
                while ((line = in.next()) != null) {
                    long r = row++;
                    if (r >= 0) {
                        return CsvLine.of(r, line);
                    }
                }
                return null;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    @Override
    public TypeInformation<CsvLine> getProducedType() {
        return new CsvLineTypeInfo();
    }
}
