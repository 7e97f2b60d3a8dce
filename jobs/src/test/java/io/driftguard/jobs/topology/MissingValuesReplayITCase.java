package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.detect.FeatureScore;
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

/**
 * Missing values (empty cells, {@code NA}, {@code null}, {@code NaN}) are data: a CSV replay keeps
 * the records that hold them and dead-letters only the records whose every feature is missing or
 * that hold an infinity.
 */
class MissingValuesReplayITCase {

    private static final long T0 = 1_700_000_000_000L;

    @TempDir Path tmp;

    @Test
    void recordsWithMissingCellsAreKeptAndOnlyBadOnesAreDeadLetters() throws Exception {
        SplittableRandom rnd = new SplittableRandom(41);
        List<String> rows = new ArrayList<>();
        rows.add("time,key,x,y,z");
        String[] markers = {"", "NA", "na", "null", "NaN", " NA "};
        int withMissing = 0;
        for (int i = 0; i < 6000; i++) {
            String[] cells = new String[3];
            boolean missing = false;
            for (int f = 0; f < 3; f++) {
                cells[f] = String.format(Locale.ROOT, "%.5f", gaussian(rnd));
                if (rnd.nextDouble() < 0.1 && !(f == 2 && missing)) {
                    cells[f] = markers[rnd.nextInt(markers.length)];
                    missing = true;
                }
            }
            withMissing += missing ? 1 : 0;
            rows.add((T0 + i * 1000L) + "," + "abc".charAt(i % 3) + "," + String.join(",", cells));
        }
        // two records with every feature missing and one with an infinity: the only dead letters
        rows.add(1001, (T0 + 999_500L) + ",a,NA,,null");
        rows.add(3001, (T0 + 2_999_500L) + ",b,NaN,NA,NA");
        rows.add(5001, (T0 + 4_999_500L) + ",c,Infinity,1,2");
        Path csv = tmp.resolve("missing.csv");
        Files.write(csv, rows, StandardCharsets.UTF_8);
        WindowSpec w = WindowSpec.parse("10m");
        DriftSettings s = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("previous", w));
        ReplayJob.Result r = ReplayJob.run(csv, CsvSchema.resolve(CsvSchema.readHeader(csv), "time", "key", null, null),
                s, 2, new Configuration());
        assertThat(withMissing).isGreaterThan(1500);
        assertThat(r.deadLetters()).extracting(DeadLetter::source)
                .containsExactlyInAnyOrder("missing.csv:1002", "missing.csv:3002", "missing.csv:5002");
        assertThat(r.deadLetters()).extracting(DeadLetter::reason)
                .containsExactlyInAnyOrder("every feature is missing", "every feature is missing",
                        "non-finite value 'Infinity' in column x");
        assertThat(r.events()).hasSizeGreaterThan(3 * 8);
        for (DriftEvent e : r.events()) {
            assertThat(e.pValue()).isBetween(0.0, 1.0);
            for (FeatureScore f : e.features()) {
                assertThat(f.score()).isFinite();
            }
        }
        // every kept record is in a window: the events' windows cover 6,000 records but the
        // first window of each key, which has no reference
        long covered = r.events().stream().mapToLong(DriftEvent::nCur).sum();
        assertThat(covered).isGreaterThan(6000 - 3 * 700).isLessThanOrEqualTo(6000);
        // each event reports the features' missing rates (about 10% each) beside the reference's
        for (DriftEvent e : r.events()) {
            assertThat(e.missing()).extracting(io.driftguard.operators.detect.MissingRate::name)
                    .containsExactly("x", "y", "z");
            for (io.driftguard.operators.detect.MissingRate m : e.missing()) {
                assertThat(m.rate()).isBetween(0.0, 0.3);
                assertThat(m.referenceRate()).isBetween(0.0, 0.3);
            }
        }
    }

    /**
     * 2,000 hourly records of the Beijing air-quality data (station Dongsi), 670 of them with a
     * missing ({@code NA}) column (before, each of them was a dead letter): replayed with no time
     * column (record index as time) and count windows of 100, none is a dead letter.
     */
    @Test
    void beijingAirQualityWithNaCellsHasNoDeadLetters() throws Exception {
        Path csv = tmp.resolve("dongsi.csv");
        try (var in = MissingValuesReplayITCase.class.getResourceAsStream(
                "/io/driftguard/jobs/topology/beijing/PRSA_Data_Dongsi_rows1001-3000.csv")) {
            Files.copy(in, csv);
        }
        List<String> features = List.of("PM2.5", "PM10", "SO2", "NO2", "CO", "O3", "TEMP", "PRES", "DEWP", "RAIN", "WSPM");
        CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(csv), null, null, null, features);
        DriftSettings s = DriftSettings.defaults(WindowSpec.parse("100"));
        ReplayJob.Result r = ReplayJob.run(csv, schema, s, 1, new Configuration());
        assertThat(r.deadLetters()).isEmpty();
        // weather moves this series between weeks: windows are evaluated until an alarm, and
        // again once the reference has rebuilt after it
        assertThat(r.events()).hasSizeGreaterThanOrEqualTo(4);
        for (DriftEvent e : r.events()) {
            assertThat(e.nCur()).isEqualTo(100);
            // the event names the missing rates: CO (feature 4) lacks values throughout the slice
            assertThat(e.missing()).hasSize(11);
            assertThat(e.missing()[4].name()).isEqualTo("CO");
            assertThat(e.missing()[7].rate()).isZero(); // PRES is never missing
            assertThat(e.mmd2()).isFinite();
            assertThat(e.aDistance()).isBetween(0.0, 2.0);
            for (FeatureScore f : e.features()) {
                assertThat(f.score()).isFinite();
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
