package io.driftguard.connectors.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSchemaTest {

    private static final List<String> HEADER = List.of("ts", "sensor", "temp", "load", "y");

    @Test
    void rolesAreResolvedAndTheRestAreFeaturesInHeaderOrder() {
        CsvSchema s = CsvSchema.resolve(HEADER, "ts", "sensor", "y", null);
        assertThat(s.header()).containsExactlyElementsOf(HEADER);
        assertThat(s.timeIndex()).isZero();
        assertThat(s.keyIndex()).isEqualTo(1);
        assertThat(s.labelIndex()).isEqualTo(4);
        assertThat(s.featureIndices()).containsExactly(2, 3);
        assertThat(s.featureNames()).containsExactly("temp", "load");
    }

    @Test
    void withoutRolesEveryColumnIsAFeature() {
        CsvSchema s = CsvSchema.resolve(HEADER, null, null, null, null);
        assertThat(s.timeIndex()).isEqualTo(-1);
        assertThat(s.keyIndex()).isEqualTo(-1);
        assertThat(s.labelIndex()).isEqualTo(-1);
        assertThat(s.featureIndices()).containsExactly(0, 1, 2, 3, 4);
        assertThat(s.featureNames()).containsExactlyElementsOf(HEADER);
    }

    @Test
    void emptyNamesMeanAbsent() {
        CsvSchema s = CsvSchema.resolve(HEADER, "", "", "", List.of());
        assertThat(s.timeIndex()).isEqualTo(-1);
        assertThat(s.featureIndices()).hasSize(5);
    }

    @Test
    void explicitFeatureListKeepsItsOrderAndLeavesOtherColumnsOut() {
        CsvSchema s = CsvSchema.resolve(HEADER, "ts", null, null, List.of("load", "temp"));
        assertThat(s.featureIndices()).containsExactly(3, 2);
        assertThat(s.featureNames()).containsExactly("load", "temp");
    }

    @Test
    void headerCellsAreTrimmed() {
        CsvSchema s = CsvSchema.resolve(List.of(" ts ", " a", "b "), "ts", null, null, null);
        assertThat(s.header()).containsExactly("ts", "a", "b");
        assertThat(s.timeIndex()).isZero();
        assertThat(s.featureNames()).containsExactly("a", "b");
    }

    @Test
    void unknownColumnsAreNamedWithTheirOption() {
        assertThatThrownBy(() -> CsvSchema.resolve(HEADER, "time", null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--time-col")
                .hasMessageContaining("'time'");
        assertThatThrownBy(() -> CsvSchema.resolve(HEADER, null, "id", null, null))
                .hasMessageContaining("--key-col")
                .hasMessageContaining("'id'");
        assertThatThrownBy(() -> CsvSchema.resolve(HEADER, null, null, "label", null))
                .hasMessageContaining("--label-col")
                .hasMessageContaining("'label'");
        assertThatThrownBy(() -> CsvSchema.resolve(HEADER, null, null, null, List.of("temp", "humidity")))
                .hasMessageContaining("--features")
                .hasMessageContaining("'humidity'");
    }

    @Test
    void aFileWithNoFeatureColumnIsRejected() {
        assertThatThrownBy(() -> CsvSchema.resolve(List.of("ts", "key"), "ts", "key", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no feature columns");
    }

    @Test
    void readHeaderSkipsAByteOrderMarkAndHandlesQuotes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("h.csv");
        Files.writeString(f, "\uFEFFts,\"a,b\",c\n1,2,3\n", StandardCharsets.UTF_8);
        assertThat(CsvSchema.readHeader(f)).containsExactly("ts", "a,b", "c");
    }

    @Test
    void readHeaderOfAnEmptyFileFails(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("empty.csv");
        Files.writeString(f, "");
        assertThatThrownBy(() -> CsvSchema.readHeader(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("empty file");
    }

    @Test
    void readHeaderWithAnUnterminatedQuoteNamesLineOne(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "a,\"b\n1,2\n");
        assertThatThrownBy(() -> CsvSchema.readHeader(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(f + ":1:");
    }
}
