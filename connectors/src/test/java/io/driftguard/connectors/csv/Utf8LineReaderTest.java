package io.driftguard.connectors.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8LineReaderTest {

    private static List<Utf8LineReader.Line> read(byte[] bytes, int maxLineBytes) throws IOException {
        List<Utf8LineReader.Line> out = new ArrayList<>();
        try (Utf8LineReader r = new Utf8LineReader(new ByteArrayInputStream(bytes), maxLineBytes)) {
            Utf8LineReader.Line l;
            while ((l = r.next()) != null) {
                out.add(l);
            }
        }
        return out;
    }

    private static List<String> texts(String s) throws IOException {
        return read(s.getBytes(StandardCharsets.UTF_8), 1 << 20).stream().map(Utf8LineReader.Line::text).toList();
    }

    @Test
    void splitsLinesLikeBufferedReader() throws IOException {
        String[] cases = {"", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\r", "\n\n", "a\r\n\r\nb", "x,\"y\"\n€,ü\n"};
        for (String c : cases) {
            assertThat(texts(c)).as(c.replace("\r", "\\r").replace("\n", "\\n"))
                    .containsExactlyElementsOf(new BufferedReader(new StringReader(c)).lines().toList());
        }
    }

    @Test
    void linesAcrossBufferBoundariesAndSlowStreamsComeOutWhole() throws IOException {
        SplittableRandom rnd = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            int n = rnd.nextInt(i % 97 == 0 ? 70_000 : 60);
            for (int j = 0; j < n; j++) {
                sb.append((char) ('a' + rnd.nextInt(26)));
            }
            sb.append(i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\n" : "\r");
        }
        String s = sb.toString();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        List<String> expected = new BufferedReader(new StringReader(s)).lines().toList();
        // a stream that hands out a few bytes at a time, so that \r and \n fall on read boundaries
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + rnd.nextInt(7)));
            }
        };
        List<String> got = new ArrayList<>();
        try (Utf8LineReader r = new Utf8LineReader(trickle, 1 << 20)) {
            Utf8LineReader.Line l;
            while ((l = r.next()) != null) {
                assertThat(l.problem()).isNull();
                got.add(l.text());
            }
        }
        assertThat(got).containsExactlyElementsOf(expected);
        assertThat(read(bytes, 1 << 20)).extracting(Utf8LineReader.Line::text).containsExactlyElementsOf(expected);
    }

    @Test
    void anInvalidLineIsReportedWithItsBytesAndTheOthersAreRead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("time,x\n".getBytes(StandardCharsets.UTF_8));
        byte[] bad = {'1', ',', (byte) 0xC3, '(', ',', (byte) 0xFF};
        b.writeBytes(bad);
        b.write('\n');
        b.writeBytes("2,\uFFFD ok\n".getBytes(StandardCharsets.UTF_8));
        List<Utf8LineReader.Line> lines = read(b.toByteArray(), 1 << 20);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).problem()).isNull();
        assertThat(lines.get(1).problem()).isEqualTo("invalid UTF-8 at byte 2 of the line");
        assertThat(lines.get(1).raw()).containsExactly(bad);
        assertThat(lines.get(2).problem()).as("U+FFFD itself is valid text").isNull();
        assertThat(lines.get(2).text()).isEqualTo("2,\uFFFD ok");
    }

    @Test
    void encodedSurrogatesAndOverlongFormsAreInvalid() throws IOException {
        byte[][] bad = {
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // U+D800 encoded
            {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
            {(byte) 0xE2, (byte) 0x82}, // truncated 3-byte sequence at the end of the line
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
        };
        for (byte[] seq : bad) {
            byte[] line = new byte[seq.length + 2];
            line[0] = 'a';
            line[1] = ',';
            System.arraycopy(seq, 0, line, 2, seq.length);
            List<Utf8LineReader.Line> got = read(line, 100);
            assertThat(got).hasSize(1);
            assertThat(got.get(0).problem()).isEqualTo("invalid UTF-8 at byte 2 of the line");
            assertThat(got.get(0).raw()).containsExactly(line);
        }
    }

    @Test
    void anOverlongLineIsReportedWithItsFirstBytesAndReadingGoesOn() throws IOException {
        int max = 100_000;
        String big = "9".repeat(250_000);
        byte[] bytes = ("a,1\n" + big + "\nb,2\n" + "c".repeat(max) + "\n").getBytes(StandardCharsets.UTF_8);
        List<Utf8LineReader.Line> lines = read(bytes, max);
        assertThat(lines).extracting(Utf8LineReader.Line::text).containsExactly("a,1", "", "b,2", "c".repeat(max));
        assertThat(lines.get(1).problem()).isEqualTo("line of 250000 bytes exceeds the limit of 100000 bytes");
        assertThat(lines.get(1).raw()).hasSize(Utf8LineReader.KEPT_BYTES);
        assertThat(lines.get(3).problem()).as("exactly the limit").isNull();
    }
}
