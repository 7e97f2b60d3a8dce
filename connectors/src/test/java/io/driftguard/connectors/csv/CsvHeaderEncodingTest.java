package io.driftguard.connectors.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.connectors.serde.ParseResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the header line of a CSV file must be valid UTF-8; a bad data row is that row's problem. */
class CsvHeaderEncodingTest {

    @TempDir Path tmp;

    private Path file(byte[]... parts) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        Path f = tmp.resolve("data.csv");
        Files.write(f, b.toByteArray());
        return f;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void invalidBytesInTheFirstDataRowLeaveTheHeaderReadable() throws IOException {
        Path f = file(utf8("\uFEFFtime,key,x\n1700000000000,a,"), new byte[] {(byte) 0xFF}, utf8("\n1700000001000,a,2\n"));
        assertThat(CsvSchema.readHeader(f)).containsExactly("time", "key", "x");
    }

    @Test
    void anInvalidHeaderIsOneLineNamingTheFile() throws IOException {
        Path f = file(utf8("time,ke"), new byte[] {(byte) 0xC3, '('}, utf8("y,x\n1,a,2\n"));
        assertThatThrownBy(() -> CsvSchema.readHeader(f))
                .isInstanceOf(IOException.class)
                .hasMessage(f + ":1: bad header: invalid UTF-8 at byte 7 of the line");
    }

    @Test
    void theOfflineMatrixReaderNamesTheLineOfAnInvalidByte() throws IOException {
        Path f = file(utf8("x,y\n1,2\n3,"), new byte[] {(byte) 0x80}, utf8("\n"));
        assertThatThrownBy(() -> CsvMatrix.read(f, null))
                .isInstanceOf(CsvMatrix.CsvFormatException.class)
                .hasMessage(f + ":3: invalid UTF-8 at byte 2 of the line");
    }

    @Test
    void theParserRejectsALineWithAProblemWithThatProblem() {
        CsvSchema schema = CsvSchema.resolve(List.of("time", "key", "x"), "time", "key", null, null);
        CsvRecordParser p = new CsvRecordParser(schema);
        byte[] raw = {'1', ',', 'a', ',', (byte) 0xFF};
        ParseResult r = p.parse(new CsvLine(0, "1,a,\uFFFD", "invalid UTF-8 at byte 4 of the line", raw));
        assertThat(r.error()).isEqualTo("invalid UTF-8 at byte 4 of the line");
        assertThat(p.parse(new CsvLine(1, "1700000000000,a,2")).isOk()).isTrue();
    }
}
