package io.driftguard.connectors.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvMatrixTest {

    @TempDir Path dir;

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void readsAllColumnsOfASeededFile() throws IOException {
        Random rnd = new Random(3);
        double[][] expected = new double[50][3];
        StringBuilder sb = new StringBuilder("a,b,c\n");
        for (double[] row : expected) {
            for (int j = 0; j < 3; j++) {
                row[j] = rnd.nextGaussian() * (j + 1);
            }
            sb.append(String.format(Locale.ROOT, "%s,%s,%s%n", row[0], row[1], row[2]));
        }
        CsvMatrix m = CsvMatrix.read(write("m.csv", sb.toString()), null);
        assertThat(m.columns()).containsExactly("a", "b", "c");
        assertThat(m.rows()).hasNumberOfRows(50);
        for (int i = 0; i < 50; i++) {
            assertThat(m.rows()[i]).containsExactly(expected[i]);
        }
    }

    @Test
    void selectedColumnsAreKeptInTheRequestedOrder() throws IOException {
        Path f = write("m.csv", "a,b,c\n1,2,3\n4,5,6\n");
        CsvMatrix m = CsvMatrix.read(f, List.of("c", "a"));
        assertThat(m.columns()).containsExactly("c", "a");
        assertThat(m.rows()[0]).containsExactly(3.0, 1.0);
        assertThat(m.rows()[1]).containsExactly(6.0, 4.0);
        assertThat(CsvMatrix.read(f, List.of()).columns()).containsExactly("a", "b", "c");
    }

    @Test
    void byteOrderMarkBlankLinesCrlfAndSpacesAreTolerated() throws IOException {
        Path f = write("m.csv", "\uFEFF x , y \r\n1, 2\r\n\r\n  \r\n\" 3 \",4\r\n");
        CsvMatrix m = CsvMatrix.read(f, null);
        assertThat(m.columns()).containsExactly("x", "y");
        assertThat(m.rows()).hasNumberOfRows(2);
        assertThat(m.rows()[1]).containsExactly(3.0, 4.0);
    }

    @Test
    void headerOnlyGivesNoRows() throws IOException {
        CsvMatrix m = CsvMatrix.read(write("m.csv", "a,b\n"), null);
        assertThat(m.columns()).containsExactly("a", "b");
        assertThat(m.rows()).isEmpty();
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("nope.csv");
        assertThatThrownBy(() -> CsvMatrix.read(f, null))
                .isInstanceOf(CsvMatrix.CsvFormatException.class)
                .hasMessage(f + ": no such file");
    }

    @Test
    void directoryIsReportedAsUnreadable() {
        assertThatThrownBy(() -> CsvMatrix.read(dir, null))
                .isInstanceOf(CsvMatrix.CsvFormatException.class)
                .hasMessageStartingWith(dir + ": ");
    }

    @Test
    void emptyFileIsNamed() throws IOException {
        Path f = write("e.csv", "");
        assertThatThrownBy(() -> CsvMatrix.read(f, null))
                .isInstanceOf(CsvMatrix.CsvFormatException.class)
                .hasMessageStartingWith(f + ": ")
                .hasMessageContaining("empty file");
    }

    @Test
    void raggedRowNamesFileAndOneBasedLine() throws IOException {
        Path f = write("r.csv", "a,b,c\n1,2,3\n4,5\n");
        assertThatThrownBy(() -> CsvMatrix.read(f, null))
                .isInstanceOf(CsvMatrix.CsvFormatException.class)
                .hasMessage(f + ":3: expected 3 columns, found 2");
    }

    @Test
    void raggedRowIsRejectedEvenWhenOnlyOtherColumnsAreSelected() throws IOException {
        Path f = write("r.csv", "a,b,c\n1,2,3,4\n");
        assertThatThrownBy(() -> CsvMatrix.read(f, List.of("a")))
                .hasMessage(f + ":2: expected 3 columns, found 4");
    }

    @Test
    void nonNumericCellNamesFileLineAndColumn() throws IOException {
        Path f = write("n.csv", "a,b\n1,2\n3,4\n5,abc\n");
        assertThatThrownBy(() -> CsvMatrix.read(f, null))
                .isInstanceOf(CsvMatrix.CsvFormatException.class)
                .hasMessage(f + ":4: non-numeric value 'abc' in column b");
    }

    @Test
    void emptyCellIsNonNumeric() throws IOException {
        Path f = write("n.csv", "a,b\n1,\n");
        assertThatThrownBy(() -> CsvMatrix.read(f, null)).hasMessage(f + ":2: non-numeric value '' in column b");
    }

    @Test
    void nonFiniteCellsAreRejected() throws IOException {
        Path nan = write("nan.csv", "a,b\nNaN,1\n");
        assertThatThrownBy(() -> CsvMatrix.read(nan, null))
                .isInstanceOf(CsvMatrix.CsvFormatException.class)
                .hasMessage(nan + ":2: non-finite value 'NaN' in column a");
        Path inf = write("inf.csv", "a,b\n1,2\n1,-Infinity\n");
        assertThatThrownBy(() -> CsvMatrix.read(inf, null))
                .hasMessage(inf + ":3: non-finite value '-Infinity' in column b");
    }

    @Test
    void lineNumbersCountBlankLines() throws IOException {
        Path f = write("b.csv", "a\n1\n\n\nx\n");
        assertThatThrownBy(() -> CsvMatrix.read(f, null)).hasMessage(f + ":5: non-numeric value 'x' in column a");
    }

    @Test
    void unknownSelectedColumnIsReportedOnTheHeaderLine() throws IOException {
        Path f = write("h.csv", "a,b\n1,2\n");
        assertThatThrownBy(() -> CsvMatrix.read(f, List.of("a", "z")))
                .isInstanceOf(CsvMatrix.CsvFormatException.class)
                .hasMessageStartingWith(f + ":1: no column 'z'");
    }

    @Test
    void unterminatedQuoteNamesTheLine() throws IOException {
        Path f = write("q.csv", "a,b\n1,2\n\"3,4\n");
        assertThatThrownBy(() -> CsvMatrix.read(f, null)).hasMessage(f + ":3: unterminated quote");
    }

    @Test
    void missingMarkersBecomeNanOnlyWhenAsked() throws IOException {
        Path f = write("na.csv", "a,b,c\n1,NA,3\n,5,nan\n7,8,null\n");
        CsvMatrix m = CsvMatrix.read(f, null, io.driftguard.connectors.parse.MissingMarkers.DEFAULT);
        assertThat(m.rows()[0][1]).isNaN();
        assertThat(m.rows()[1][0]).isNaN();
        assertThat(m.rows()[1][2]).isNaN();
        assertThat(m.rows()[2][2]).isNaN();
        assertThat(m.rows()[0][0]).isEqualTo(1.0);
        assertThat(m.rows()[2][1]).isEqualTo(8.0);
        // the strict read (no markers) still refuses them, naming the cell
        assertThatThrownBy(() -> CsvMatrix.read(f, null)).hasMessageContaining(":2:").hasMessageContaining("'NA'");
        // an infinity is never a missing value
        Path inf = write("inf.csv", "a\n1\nInfinity\n");
        assertThatThrownBy(() -> CsvMatrix.read(inf, null, io.driftguard.connectors.parse.MissingMarkers.DEFAULT))
                .hasMessageContaining("non-finite");
    }
}
