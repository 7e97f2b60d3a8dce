package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.jobs.runtime.ShippedData;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.detect.PooledReferenceDetector;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.functions.ReferencePolicy;
import io.driftguard.operators.functions.WindowSpec;
import io.driftguard.operators.record.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV replay on local Flink: real data with a known change, and malformed input. */
class ReplayJobITCase {

    @TempDir Path tmp;

    @Test
    void insectsRaisesAnAlarmAtTheGradualChangeAndNoneLongBefore() throws Exception {
        Path csv = ShippedData.extract(ShippedData.INSECTS, tmp.resolve("insects.csv"));
        // the detection benchmark's windows: with the fixed reference the job runs the benchmarked
        // decision, and a window of 200 fits the reservoir whole
        WindowSpec w = WindowSpec.ofCount(200);
        DriftSettings s = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("fixed", w));
        CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(csv), null, null, "class", null);
        ReplayJob.Result r = ReplayJob.run(csv, schema, s, 2, new Configuration());

        assertThat(r.deadLetters()).isEmpty();
        List<DriftEvent> alarms = r.events().stream().filter(DriftEvent::drift).toList();
        int change = ShippedData.INSECTS_CHANGE_ROW;
        assertThat(alarms).as("an alarm while the change is under way")
                .anySatisfy(e -> assertThat(e.windowEnd()).isBetween(change - 4000L, change + 2000L));
        assertThat(alarms).as("no alarm long before the change")
                .allSatisfy(e -> assertThat(e.windowEnd()).isGreaterThan(change - 6000L));
        // exactly the alarms of the detector the detection benchmark runs, fed the same windows
        List<Long> expected = new ArrayList<>();
        PooledReferenceDetector det = PooledReferenceDetector.fixed(PooledReferenceDetector.settings(s.expectedRunLength()));
        List<double[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] x = new double[cells.length - 1];
            for (int f = 0; f < x.length; f++) {
                x[f] = Double.parseDouble(cells[f]);
            }
            rows.add(x);
        }
        int decided = 0;
        for (int end = 200; end <= rows.size(); end += 200) {
            PooledReferenceDetector.Verdict v = det.onWindow(rows.subList(end - 200, end).toArray(new double[0][]));
            decided += v.decided() ? 1 : 0;
            if (v.drift()) {
                expected.add((long) end);
            }
        }
        assertThat(alarms).extracting(DriftEvent::windowEnd).containsExactlyElementsOf(expected);
        assertThat(r.events()).hasSize(decided);
        // the records carry classes, so events report MEDA's factor (NaN where too few records of
        // a class fall in both samples)
        List<DriftEvent> withMu = r.events().stream().filter(e -> !Double.isNaN(e.mu())).toList();
        assertThat(withMu.size()).isGreaterThanOrEqualTo(r.events().size() * 3 / 4);
        assertThat(withMu).allSatisfy(e -> assertThat(e.mu()).isBetween(0.0, 1.0));
    }

    @Test
    void malformedRowsAreDeadLetteredAndLeaveTheEventsUnchanged() throws Exception {
        List<String> good = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 1600; i++) {
            String key = i % 2 == 0 ? "a" : "b";
            double shift = key.equals("b") && i >= 1000 ? 1.5 : 0;
            good.add(String.format(Locale.ROOT, "%d,%s,%.6f,%.6f,%.6f",
                    1_700_000_000_000L + i * 1000L, key, gaussian(rnd) + shift, gaussian(rnd), gaussian(rnd)));
        }
        String header = "time,key,x,y,z";
        Path clean = write("clean.csv", header, good);

        List<String> dirty = new ArrayList<>(good);
        // inserted from the back so that the indices refer to the clean list
        String[][] bad = {
            {"1500", "1700001500000,b,1.0,2.0"},
            {"1200", "1700001200000,a,1.0,abc,2.0"},
            // NaN, NA and null are missing values: only a row with every feature missing is bad
            {"900", "1700000900000,b,NaN,NA,null"},
            {"600", "1700000600000,a,1.0,Infinity,2.0"},
            {"300", ",a,1.0,2.0,3.0"},
            {"10", "yesterday,b,1.0,2.0,3.0"},
        };
        for (String[] b : bad) {
            dirty.add(Integer.parseInt(b[0]), b[1]);
        }
        Path dirtyFile = write("dirty.csv", header, dirty);

        WindowSpec w = WindowSpec.ofCount(200);
        DriftSettings s = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("previous", w));
        ReplayJob.Result a = ReplayJob.run(clean, schema(clean), s, 2, new Configuration());
        ReplayJob.Result b = ReplayJob.run(dirtyFile, schema(dirtyFile), s, 2, new Configuration());

        assertThat(a.deadLetters()).isEmpty();
        assertThat(b.deadLetters()).hasSize(bad.length);
        assertThat(b.deadLetters()).extracting(DeadLetter::reason).containsExactly(
                "unparsable time 'yesterday' in column time",
                "missing time in column time",
                "non-finite value 'Infinity' in column y",
                "every feature is missing",
                "non-numeric value 'abc' in column y",
                "expected 5 columns, found 4");
        assertThat(b.deadLetters()).allSatisfy(d -> assertThat(d.source()).startsWith("dirty.csv:"));
        assertThat(b.deadLetters().get(0).rawText()).isEqualTo("yesterday,b,1.0,2.0,3.0");
        assertThat(a.events()).hasSize(2 * 3);
        assertThat(b.events()).containsExactlyElementsOf(a.events());
        assertThat(a.events()).filteredOn(DriftEvent::drift)
                .extracting(DriftEvent::key).containsOnly("b");
    }

    private CsvSchema schema(Path csv) throws Exception {
        return CsvSchema.resolve(CsvSchema.readHeader(csv), "time", "key", null, null);
    }

    private Path write(String name, String header, List<String> rows) throws Exception {
        Path p = tmp.resolve(name);
        List<String> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        Files.write(p, all, StandardCharsets.UTF_8);
        return p;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
