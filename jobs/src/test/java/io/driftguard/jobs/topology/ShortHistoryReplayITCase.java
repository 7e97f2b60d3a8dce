package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.functions.WindowSpec;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who starts monitoring: six keys, 40 hourly windows each, defaults throughout. Two keys
 * shift by one standard deviation in every feature half way; the default policy alarms on them
 * within 3 windows, long before a key's history could calibrate it, and on no other key.
 */
class ShortHistoryReplayITCase {

    private static final int KEYS = 6;
    private static final int HOURS = 40;
    private static final int PER_HOUR = 200;
    private static final int FEATURES = 6;
    private static final int CHANGE_HOUR = 20;
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % HOUR;

    @TempDir Path tmp;

    @Test
    void clearChangesInAKeysFirstWindowsAreAlarmedAndQuietKeysAreNot() throws Exception {
        Path csv = tmp.resolve("short.csv");
        SplittableRandom r = new SplittableRandom(42);
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("ts,key");
            for (int f = 0; f < FEATURES; f++) {
                out.write(",x" + f);
            }
            out.write('\n');
            for (int h = 0; h < HOURS; h++) {
                for (int i = 0; i < PER_HOUR; i++) {
                    long ts = T0 + h * HOUR + (long) i * (HOUR / PER_HOUR);
                    for (int k = 0; k < KEYS; k++) {
                        boolean shifted = k < 2 && h >= CHANGE_HOUR;
                        StringBuilder line = new StringBuilder().append(ts).append(",key-").append(k);
                        for (int f = 0; f < FEATURES; f++) {
                            double v = 10 * f + gaussian(r) * (1 + f) + (shifted ? 1 + f : 0);
                            line.append(',').append(String.format(Locale.ROOT, "%.5f", v));
                        }
                        out.write(line.append('\n').toString());
                    }
                }
            }
        }
        CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(csv), "ts", "key", null, null);
        DriftSettings settings = DriftSettings.defaults(WindowSpec.parse("1h"));
        ReplayJob.Result result = ReplayJob.run(csv, schema, settings, 2, new Configuration());

        assertThat(result.deadLetters()).isEmpty();
        Map<String, List<DriftEvent>> byKey =
                result.events().stream().collect(Collectors.groupingBy(DriftEvent::key));
        assertThat(byKey).hasSize(KEYS);
        for (int k = 0; k < KEYS; k++) {
            List<DriftEvent> ev = byKey.get("key-" + k);
            List<Long> alarms = ev.stream().filter(DriftEvent::drift).map(e -> (e.windowStart() - T0) / HOUR).toList();
            if (k < 2) {
                assertThat(alarms).as("key-%d alarms (hours)", k).hasSize(1);
                assertThat(alarms.get(0)).as("key-%d alarm hour", k).isBetween((long) CHANGE_HOUR, CHANGE_HOUR + 2L);
                DriftEvent alarm = ev.stream().filter(DriftEvent::drift).findFirst().orElseThrow();
                assertThat(alarm.calibrated()).isFalse();
                assertThat(alarm.pValue()).isLessThanOrEqualTo(0.001);
                // after the alarm: 6 settling windows and the new reference's first have no event
                assertThat(ev).as("key-%d events", k).hasSize(HOURS - 1 - 7);
            } else {
                assertThat(alarms).as("key-%d alarms (hours)", k).isEmpty();
                // every window but the key's first, which has nothing to be compared with
                assertThat(ev).as("key-%d events", k).hasSize(HOURS - 1);
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
