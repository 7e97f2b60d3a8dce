package io.driftguard.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.connectors.csv.CsvSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexColumnsTest {

    @TempDir Path dir;

    @Test
    void aColumnThatRisesByOneOnEveryRowOfEachKeyIsAnIndex() throws Exception {
        // two keys interleaved, each with its own row counter t, a noisy value and a slow ramp
        StringBuilder sb = new StringBuilder("t,key,value,ramp\n");
        Random r = new Random(1);
        for (int i = 0; i < 400; i++) {
            sb.append(i / 2).append(",k").append(i % 2).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", r.nextGaussian())).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", i * 0.3)).append('\n');
        }
        Path csv = dir.resolve("series.csv");
        Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
        CsvSchema noTime = CsvSchema.resolve(CsvSchema.readHeader(csv), null, "key", null, null);
        assertThat(IndexColumns.find(csv, noTime)).containsExactly("t");
        assertThat(IndexColumns.warning(List.of("t"), false))
                .contains("feature column t rises by exactly 1 on every row of each key")
                .contains("pass --time-col t");
        // named as the time column, it is no feature and nothing is found
        CsvSchema withTime = CsvSchema.resolve(CsvSchema.readHeader(csv), "t", "key", null, null);
        assertThat(IndexColumns.find(csv, withTime)).isEmpty();
        assertThat(IndexColumns.warning(List.of(), true)).isNull();
    }

    @Test
    void aCounterThatSkipsOrATooShortFileIsNotFlagged() throws Exception {
        StringBuilder sb = new StringBuilder("n,value\n");
        for (int i = 0; i < 100; i++) {
            sb.append(i == 50 ? 52 : i).append(',').append(i % 7).append('\n');
        }
        Path csv = dir.resolve("skip.csv");
        Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
        assertThat(IndexColumns.find(csv, CsvSchema.resolve(CsvSchema.readHeader(csv), null, null, null, null))).isEmpty();
        Path shortCsv = dir.resolve("short.csv");
        Files.writeString(shortCsv, "n,value\n0,1\n1,2\n2,3\n", StandardCharsets.UTF_8);
        assertThat(IndexColumns.find(shortCsv, CsvSchema.resolve(CsvSchema.readHeader(shortCsv), null, null, null, null)))
                .isEmpty();
    }
}
