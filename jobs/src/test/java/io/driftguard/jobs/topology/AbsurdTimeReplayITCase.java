package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.functions.ReferencePolicy;
import io.driftguard.operators.functions.WindowSpec;
import io.driftguard.operators.record.DeadLetter;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One absurd time among 20,000 epoch-millisecond rows must cost exactly that row: it is
 * dead-lettered with its reason, never moves event time, and the drift events stay those of the
 * file without it.
 */
class AbsurdTimeReplayITCase {

    private static final String HEADER = "time,key,x,y,z";
    private static final long T0 = 1_700_000_000_000L;
    private static final int ROWS = 20_000;

    @TempDir static Path tmp;

    private static List<String> good;
    private static ReplayJob.Result clean;

    @BeforeAll
    static void replayCleanFile() throws Exception {
        good = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < ROWS; i++) {
            String key = String.valueOf((char) ('a' + i % 3));
            double shift = key.equals("c") && i >= 12_000 ? 3.0 : 0;
            good.add(String.format(Locale.ROOT, "%d,%s,%.5f,%.5f,%.5f",
                    T0 + i * 1000L, key, gaussian(rnd) + shift, gaussian(rnd), gaussian(rnd)));
        }
        clean = replay(write("clean.csv", good));
        assertThat(clean.deadLetters()).isEmpty();
        // 20,000 s of data in 10-minute windows: 33 full windows per key and the last partial one
        assertThat(clean.events()).hasSizeGreaterThan(3 * 30);
        assertThat(clean.events()).filteredOn(DriftEvent::drift).extracting(DriftEvent::key).contains("c");
    }

    @Test
    void eachAbsurdTimeCostsOnlyItsOwnRow() throws Exception {
        // {clean index to insert before, time, reason}, from the back so that indices refer to the
        // clean list; each row is its key's and its parse subtask's only absurd one at that point
        String[][] bad = {
            {"16000", "-86400000", "is before 1970"},
            {"13000", "99999999999999", "is more than 1d ahead of the key's newest accepted time"},
            {"10000", "1e300", "overflows"},
            {"7000", "253402300800000", "is after 9999-12-31T23:59:59.999Z"},
            {"4000", "1234567890123456789012345678901234567890", "overflows"},
        };
        List<String> dirty = new ArrayList<>(good);
        for (String[] b : bad) {
            dirty.add(Integer.parseInt(b[0]), b[1] + ",b,0.5,0.5,0.5");
        }
        ReplayJob.Result r = replay(write("dirty.csv", dirty));
        assertThat(r.deadLetters()).as("%d dead letters", r.deadLetters().size()).hasSize(bad.length);
        for (int i = 0; i < bad.length; i++) {
            String[] b = bad[bad.length - 1 - i];
            DeadLetter d = r.deadLetters().get(i);
            // 1-based file lines after the header; rows inserted before shift it by i
            assertThat(d.source()).isEqualTo("dirty.csv:" + (Integer.parseInt(b[0]) + 2 + i));
            assertThat(d.reason()).contains(b[2]).endsWith(" in column time");
            assertThat(d.rawText()).isEqualTo(b[1] + ",b,0.5,0.5,0.5");
        }
        assertSameEvents(r.events());
    }

    @Test
    void absurdRowsAtTheTopAndInARowCostOnlyThemselves() throws Exception {
        // the file's first data row (which its parse subtask has nothing to compare with yet), a
        // row near the top, and two rows in a row of one key
        List<String> dirty = new ArrayList<>(good);
        dirty.add(15_001, "99999999999999,a,0.1,0.2,0.3");
        dirty.add(15_000, "99999999999999,b,0.1,0.2,0.3");
        dirty.add(5, "99999999999999,b,0.1,0.2,0.3");
        dirty.add(0, "99999999999999,c,0.1,0.2,0.3");
        ReplayJob.Result r = replay(write("top.csv", dirty));
        assertThat(r.deadLetters()).extracting(DeadLetter::source)
                .containsExactly("top.csv:2", "top.csv:8", "top.csv:15004", "top.csv:15006");
        assertThat(r.deadLetters()).allSatisfy(d -> assertThat(d.reason()).contains("ahead of"));
        assertSameEvents(r.events());
    }

    /**
     * The clean file's events, field by field. All but {@code change_at}: in a time-window replay
     * it depends on whether a key's previous window had closed (at a periodic watermark) when the
     * next window's first records arrived, so it varies between runs of the same file.
     */
    static void assertSameEvents(List<DriftEvent> actual) {
        List<DriftEvent> expected = clean.events();
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

    private static ReplayJob.Result replay(Path csv) throws Exception {
        WindowSpec w = WindowSpec.parse("10m");
        DriftSettings s = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("previous", w));
        CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(csv), "time", "key", null, null);
        return ReplayJob.run(csv, schema, s, 2, new Configuration());
    }

    private static Path write(String name, List<String> rows) throws Exception {
        Path p = tmp.resolve(name);
        List<String> all = new ArrayList<>(rows.size() + 1);
        all.add(HEADER);
        all.addAll(rows);
        Files.write(p, all, StandardCharsets.UTF_8);
        return p;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
