package io.driftguard.connectors.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a CSV file as numbered data lines for Flink's {@code FileSource}, skipping the header.
 *
 * <p>The format is not splittable, so one reader sees the whole file in order and the row numbers
 * are exact; on restore the file source re-reads from the start and skips the records already
 * emitted, which keeps the numbering.
 */
public final class CsvLineFormat extends SimpleStreamFormat<CsvLine> {

    private static final long serialVersionUID = 1L;

    @Override
    public Reader<CsvLine> createReader(Configuration config, FSDataInputStream stream) {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
        return new Reader<>() {
            private long row = -1; // the header is row -1

            @Nullable
            @Override
            public CsvLine read() throws IOException {
                String line;
                while ((line = in.readLine()) != null) {
                    long r = row++;
                    if (r >= 0) {
                        return new CsvLine(r, line);
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
        return TypeInformation.of(CsvLine.class);
    }
}
