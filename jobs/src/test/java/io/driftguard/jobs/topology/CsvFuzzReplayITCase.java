package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.connectors.csv.Utf8LineReader;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.functions.ReferencePolicy;
import io.driftguard.operators.functions.WindowSpec;
import io.driftguard.operators.record.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of CSV replay: 10,000 malformed lines of many kinds among 20,000 valid rows. Each
 * malformed line is a dead letter with its reason and bytes, the replay completes, and the events
 * are those of the valid rows alone.
 */
class CsvFuzzReplayITCase {

    private static final String HEADER = "time,key,x,y,z";
    private static final long T0 = 1_700_000_000_000L;
    private static final int ROWS = 20_000;
    private static final int MALFORMED = 10_000;
    private static final String[] KEYS = {"a", "b", "c"};

    @TempDir Path tmp;

    /**
     * A physical line of the dirty file, the line break written after it, and the reason its dead
     * letter must give (null: a valid row).
     */
    private record Line(byte[] bytes, String reason, String sep) {
        Line(byte[] bytes, String reason) {
            this(bytes, reason, "\n");
        }
    }

    @Test
    void malformedLinesAreDeadLetteredAndTheValidRowsKeepTheirEvents() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20);
        List<String> good = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            String key = KEYS[i % 3];
            double shift = key.equals("c") && i >= 12_000 ? 3.0 : 0;
            good.add(String.format(Locale.ROOT, "%d,%s,%.5f,%.5f,%.5f",
                    T0 + i * 1000L, key, gaussian(rnd) + shift, gaussian(rnd), gaussian(rnd)));
        }
        // malformed lines go before random valid rows; a few kinds are placed on purpose: right
        // after the header (inside the header reader's first buffer) and the first data row
        List<List<Line>> before = new ArrayList<>();
        for (int i = 0; i <= ROWS; i++) {
            before.add(new ArrayList<>());
        }
        before.get(0).add(new Line(bytes("1700000000000,a,", new byte[] {(byte) 0xFF, (byte) 0xFE}, ",1,2"),
                "invalid UTF-8 at byte 16"));
        before.get(1).add(new Line(bytes(T0 + ",b,1.0,", new byte[] {(byte) 0xC3, '('}, ",2.0"),
                "invalid UTF-8 at byte"));
        Fuzzer fuzzer = new Fuzzer(rnd);
        int physical = 2;
        int oversized = 0;
        while (physical < MALFORMED) {
            int at = rnd.nextInt(ROWS + 1);
            List<Line> lines = fuzzer.next(at, oversized < 3);
            if (lines.get(0).bytes().length > Utf8LineReader.DEFAULT_MAX_LINE_BYTES) {
                oversized++;
            }
            before.get(at).addAll(lines);
            physical += lines.size();
        }

        List<Line> dirty = new ArrayList<>();
        for (int i = 0; i <= ROWS; i++) {
            dirty.addAll(before.get(i));
            if (i < ROWS) {
                dirty.add(new Line(good.get(i).getBytes(StandardCharsets.UTF_8), null));
            }
        }
        Path cleanFile = tmp.resolve("clean.csv");
        Files.write(cleanFile, (HEADER + "\n" + String.join("\n", good) + "\n").getBytes(StandardCharsets.UTF_8));
        Path dirtyFile = tmp.resolve("dirty.csv");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((HEADER + "\n").getBytes(StandardCharsets.UTF_8));
        for (Line l : dirty) {
            out.writeBytes(l.bytes());
            out.writeBytes(l.sep().getBytes(StandardCharsets.UTF_8));
        }
        Files.write(dirtyFile, out.toByteArray());

        WindowSpec w = WindowSpec.parse("10m");
        DriftSettings s = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("previous", w));
        CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(dirtyFile), "time", "key", null, null);
        ReplayJob.Result clean = ReplayJob.run(cleanFile, schema, s, 2, new Configuration());
        ReplayJob.Result r = ReplayJob.run(dirtyFile, schema, s, 2, new Configuration());

        assertThat(clean.deadLetters()).isEmpty();
        List<Integer> malformedLines = new ArrayList<>();
        for (int i = 0; i < dirty.size(); i++) {
            if (dirty.get(i).reason() != null) {
                malformedLines.add(i);
            }
        }
        assertThat(malformedLines.size()).isGreaterThanOrEqualTo(MALFORMED);
        assertThat(oversized).isEqualTo(3);
        java.util.Set<String> got = new java.util.HashSet<>();
        r.deadLetters().forEach(d -> got.add(d.source()));
        List<String> missing = new ArrayList<>();
        for (int i : malformedLines) {
            if (!got.contains("dirty.csv:" + (i + 2)) && missing.size() < 20) {
                missing.add((i + 2) + ": " + new String(dirty.get(i).bytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(missing).as("malformed lines without a dead letter").isEmpty();
        assertThat(r.deadLetters()).as("%d dead letters", r.deadLetters().size()).hasSize(malformedLines.size());
        for (int k = 0; k < malformedLines.size(); k++) {
            int i = malformedLines.get(k);
            Line l = dirty.get(i);
            DeadLetter d = r.deadLetters().get(k);
            // file lines are 1-based after the header
            assertThat(d.source()).isEqualTo("dirty.csv:" + (i + 2));
            assertThat(d.reason()).as("line %d: %s", i + 2, d.rawText()).contains(l.reason())
                    .doesNotContain("\n").hasSizeLessThan(300);
            byte[] expected = l.bytes().length > Utf8LineReader.DEFAULT_MAX_LINE_BYTES
                    ? Arrays.copyOf(l.bytes(), Utf8LineReader.KEPT_BYTES)
                    : l.bytes();
            assertThat(d.raw()).as("line %d", i + 2).isEqualTo(expected);
        }
        assertThat(clean.events()).hasSizeGreaterThan(90);
        assertThat(clean.events()).filteredOn(DriftEvent::drift).isNotEmpty();
        assertSameEvents(r.events(), clean.events());
    }

    /** Generates malformed lines near a valid row's position, each kind with its reason. */
    private static final class Fuzzer {
        private final SplittableRandom rnd;
        private int aheadDrawn;

        Fuzzer(SplittableRandom rnd) {
            this.rnd = rnd;
        }

        List<Line> next(int at, boolean mayBeOversized) {
            long ts = T0 + at * 1000L;
            String key = KEYS[rnd.nextInt(3)];
            String f1 = num();
            String f2 = num();
            String f3 = num();
            String valid = ts + "," + key + "," + f1 + "," + f2 + "," + f3;
            int kind = rnd.nextInt(mayBeOversized ? 24 : 23);
            return switch (kind) {
                case 0 -> {
                    // truncated before the last comma
                    String t = valid.substring(0, 1 + rnd.nextInt(valid.lastIndexOf(',')));
                    yield one(t, "expected 5 columns, found " + t.split(",", -1).length);
                }
                case 1 -> one(ts + "," + key + "," + f1 + "," + word() + "," + f3, "non-numeric value");
                case 2 -> one(ts + "," + key + "," + pick("1e400", "-1e400", "9".repeat(400), "-" + "9".repeat(400))
                        + "," + f2 + "," + f3, "non-finite value");
                // NaN, NA, null and empty cells are missing values, not bad input (row kept); a
                // row whose every feature is missing, or with an infinity, is a dead letter
                case 3 -> rnd.nextBoolean()
                        ? one(ts + "," + key + "," + f1 + "," + pick("Infinity", "-Infinity", "+Infinity")
                                + "," + f3, "non-finite value")
                        : one(ts + "," + key + "," + pick("NaN", "NA", "") + "," + pick("null", "na", " ")
                                + "," + pick("nan", "NULL", ""), "every feature is missing");
                case 4 -> one(valid + "," + num(), "expected 5 columns, found 6");
                case 5 -> one(ts + "," + key + "," + f1 + "," + f2, "expected 5 columns, found 4");
                case 6 -> one(pick("", " ", "  ") + "," + key + "," + f1 + "," + f2 + "," + f3, "missing time");
                case 7 -> {
                    String[][] absurd = {
                        {"1234567890123456789012345678901234567890", "overflows"},
                        {"1e300", "overflows"},
                        {"-1e300", "overflows"},
                        {"9223372036854775808", "overflows"},
                        {"253402300800000", "is after 9999-12-31T23:59:59.999Z"},
                        {"+10000-01-01T00:00:00Z", "is after 9999-12-31T23:59:59.999Z"},
                        {"-5", "is before 1970"},
                        {"-" + ts, "is before 1970"},
                        {"1969-07-20T20:17:40Z", "is before 1970"},
                    };
                    String[] a = absurd[rnd.nextInt(absurd.length)];
                    yield one(a[0] + "," + key + "," + f1 + "," + f2 + "," + f3, a[1]);
                }
                case 8 -> {
                    // more than the lead (a day) ahead of the key: just beyond it, or absurdly far.
                    // Successive ones lie more than a day apart (the rows' own times span 0.23
                    // days), so that no two of them confirm each other as a jump.
                    aheadDrawn++;
                    long t = rnd.nextBoolean()
                            ? ts + 2 * 86_400_000L * aheadDrawn
                            : 99_999_999_999_999L + 1_000_000_000L * aheadDrawn;
                    yield one(t + "," + key + "," + f1 + "," + f2 + "," + f3, "ahead of");
                }
                case 9 -> one(pick("yesterday", "2023-13-45", "2023-11-14T25:00:00Z", "12:30", "0x1F", "1.2.3")
                        + "," + key + "," + f1 + "," + f2 + "," + f3, "unparsable time");
                case 10 -> {
                    byte[][] seqs = {
                        {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC3, '('}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                    };
                    byte[] v = valid.getBytes(StandardCharsets.UTF_8);
                    int pos = rnd.nextInt(v.length + 1);
                    byte[] seq = seqs[rnd.nextInt(seqs.length)];
                    yield List.of(new Line(bytes(new String(v, 0, pos, StandardCharsets.UTF_8), seq,
                            new String(v, pos, v.length - pos, StandardCharsets.UTF_8)), "invalid UTF-8 at byte " + pos));
                }
                case 11 -> {
                    // a truncated multi-byte character at the end of the line
                    byte[] v = (valid + "€").getBytes(StandardCharsets.UTF_8);
                    yield List.of(new Line(Arrays.copyOf(v, v.length - 1), "invalid UTF-8 at byte " + (v.length - 3)));
                }
                case 12 -> one(ts + ",\"" + key + "\"x," + f1 + "," + f2 + "," + f3, "text after closing quote");
                case 13 -> one(ts + "," + key + ",\"" + f1 + "," + f2 + "," + f3, "unterminated quote");
                case 14 -> one("\"" + ts + "\"\"1\"," + key + "," + f1 + "," + f2 + "," + f3, "unparsable time");
                case 15 -> {
                    // a quoted field with a line break: the two halves are two malformed lines
                    yield List.of(
                            new Line((ts + "," + key + ",\"" + f1).getBytes(StandardCharsets.UTF_8), "unterminated quote",
                                    pick("\n", "\r\n", "\r")),
                            new Line((f1 + "\"," + f2 + "," + f3).getBytes(StandardCharsets.UTF_8), "expected 5 columns, found 3"));
                }
                case 16 -> one(pick("", " ", "\t", " \t "), "empty line");
                case 17 -> one(ts + "," + pick("", " ", "\"\"") + "," + f1 + "," + f2 + "," + f3, "missing key");
                case 18 -> one(ts + "," + key + "," + f1 + "," + "\u00001\u00002" + "," + f3, "non-numeric value");
                case 19 -> one(ts + "," + key + "," + pick("1,5", "1;5,2") + "," + f2 + "," + f3,
                        "expected 5 columns, found 6");
                case 20 -> {
                    // long but within the limit: a cell of thousands of characters
                    String junk = "x".repeat(1000 + rnd.nextInt(20_000));
                    yield one(ts + "," + key + "," + f1 + "," + junk + "," + f3, "non-numeric value 'xxxxx");
                }
                case 21 -> one(String.join(",", java.util.Collections.nCopies(6 + rnd.nextInt(300), "1")),
                        "expected 5 columns");
                case 22 -> one(ts + "," + key + "," + f1 + "," + pick("true", "1e", "--1", "1.0.0", "½", "١٢") + "," + f3,
                        "non-numeric value");
                default -> {
                    // over the line limit
                    StringBuilder sb = new StringBuilder(valid).append(',');
                    while (sb.length() <= Utf8LineReader.DEFAULT_MAX_LINE_BYTES + 1000) {
                        sb.append("1234567,");
                    }
                    yield one(sb.toString(), "exceeds the limit of " + Utf8LineReader.DEFAULT_MAX_LINE_BYTES + " bytes");
                }
            };
        }

        private String num() {
            return String.format(Locale.ROOT, "%.5f", gaussian(rnd));
        }

        private String word() {
            return pick("abc", "true", "0x1G", "1a", "--1", "1.2.3", "inf", "e5", "½", "1e");
        }

        private String pick(String... options) {
            return options[rnd.nextInt(options.length)];
        }

        private static List<Line> one(String text, String reason) {
            return List.of(new Line(text.getBytes(StandardCharsets.UTF_8), reason));
        }
    }

    private static byte[] bytes(String head, byte[] middle, String tail) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        b.writeBytes(middle);
        b.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    /**
     * Field by field, all but {@code change_at}, which in a time-window replay depends on when a
     * key's previous window closed at a periodic watermark and varies between runs of one file.
     */
    private static void assertSameEvents(List<DriftEvent> actual, List<DriftEvent> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            for (RecordComponent c : DriftEvent.class.getRecordComponents()) {
                if (c.getName().equals("changeAt")) {
                    continue;
                }
                try {
                    assertThat(c.getAccessor().invoke(actual.get(i))).as("event %d %s", i, c.getName())
                            .isEqualTo(c.getAccessor().invoke(expected.get(i)));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
