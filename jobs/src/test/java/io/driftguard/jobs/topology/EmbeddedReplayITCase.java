package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.detect.FeatureScore;
import io.driftguard.operators.functions.DriftSettings;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drift.embedding.dimension} and {@code drift.embedding.delay} through a CSV replay: a
 * noisy oscillation that changes its frequency, not its values' distribution, at row 12,000 is
 * alarmed at the change with the embedding, with lag features in its attribution, and not
 * without it.
 */
class EmbeddedReplayITCase {

    private static final int ROWS = 16_000;
    private static final int CHANGE = 12_000;

    @TempDir Path tmp;

    private Path csv() throws Exception {
        Path csv = tmp.resolve("oscillation.csv");
        SplittableRandom rnd = new SplittableRandom(11);
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("x\n");
            double phase = 0;
            for (int t = 0; t < ROWS; t++) {
                phase += 2 * Math.PI / (t < CHANGE ? 20.3 : 8.7);
                double noise = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
                out.write(String.format(Locale.ROOT, "%.5f%n", Math.sin(phase) + 0.3 * noise));
            }
        }
        return csv;
    }

    private static List<DriftEvent> replay(Path csv, Map<String, String> extra) throws Exception {
        Configuration conf = JobConfig.build(Map.of(), extra);
        DriftSettings settings = JobConfig.driftSettings(conf);
        CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(csv), null, null, null, null);
        return ReplayJob.run(csv, schema, settings, 1, conf).events();
    }

    @Test
    void theEmbeddingFromTheConfigurationSeesAFrequencyChange() throws Exception {
        Path csv = csv();
        List<DriftEvent> embedded = replay(csv, Map.of("drift.window.size", "200",
                "drift.embedding.dimension", "3", "drift.embedding.delay", "3"));
        List<DriftEvent> alarms = embedded.stream().filter(DriftEvent::drift).toList();
        assertThat(alarms).isNotEmpty();
        // windows start 6 rows late (the largest lag); the first alarm's window holds the change or follows it
        DriftEvent first = alarms.get(0);
        assertThat(first.windowEnd()).isGreaterThan(CHANGE).isLessThanOrEqualTo(CHANGE + 3 * 200 + 6);
        assertThat(alarms).allSatisfy(e -> assertThat(e.windowEnd()).isGreaterThan(CHANGE));
        assertThat(Arrays.stream(first.features()).map(FeatureScore::name).toList())
                .containsExactlyInAnyOrder("x", "x@lag3", "x@lag6");

        List<DriftEvent> plain = replay(csv, Map.of("drift.window.size", "200"));
        assertThat(plain.stream().filter(e -> e.drift() && e.windowEnd() > CHANGE && e.windowEnd() <= CHANGE + 800))
                .as("alarms at the change on the values alone").isEmpty();
        assertThat(plain.get(0).features()).hasSize(1);
    }
}
