package io.driftguard.jobs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import io.driftguard.jobs.runtime.ShippedData;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import io.driftguard.operators.model.ModelSettings;
import io.driftguard.operators.scoring.Prediction;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay with a deployed model (ND4J training inline) on the first 8,000 records of the shipped
 * INSECTS stream: the same input and configuration give the same predictions and model versions,
 * byte for byte, and retraining beats the frozen first model.
 */
class ReplayModelITCase {

    @Test
    void replaysWithAModelAreReproducibleAndRetrainingBeatsAFrozenModel(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("insects.csv");
        try (BufferedReader r = ShippedData.open(ShippedData.INSECTS);
                BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            for (int i = 0; i <= 8000; i++) {
                w.write(r.readLine());
                w.write('\n');
            }
        }
        CsvSchema schema = CsvSchema.resolve(CsvSchema.readHeader(csv), null, null, "class", null);
        Map<String, String> c = new HashMap<>();
        c.put(DriftguardOptions.WINDOW_SIZE.key(), "200");
        c.put(DriftguardOptions.MODEL_TASK.key(), "classification");
        Configuration conf = JobConfig.build(Map.of(), c);
        DriftSettings drift = JobConfig.driftSettings(conf);
        ModelSettings model = JobConfig.modelSettings(conf);
        List<DriftEvent> events = ReplayJob.run(csv, schema, drift, 2, conf).events();

        ReplayJob.Scored first = ReplayJob.score(csv, schema, drift.window(), model, events, ModelTopology.ND4J, 2, conf);
        ReplayJob.Scored second = ReplayJob.score(csv, schema, drift.window(), model, events, ModelTopology.ND4J, 2, conf);
        assertThat(second.predictions()).isEqualTo(first.predictions());
        assertThat(first.models()).hasSizeGreaterThan(1);
        assertThat(second.models()).hasSameSizeAs(first.models());
        for (int i = 0; i < first.models().size(); i++) {
            ModelArtifact a = first.models().get(i);
            assertThat(ModelCodec.encode(second.models().get(i))).as("version %s", a.version())
                    .isEqualTo(ModelCodec.encode(a));
        }
        assertThat(second.events()).isEqualTo(first.events());
        assertThat(first.events()).allSatisfy(e -> assertThat(e.model()).isNotNull());

        ReplayJob.Scored frozen = ReplayJob.score(csv, schema, drift.window(),
                model.withAdapt(ModelSettings.Adapt.NONE), events, ModelTopology.ND4J, 2, conf);
        assertThat(frozen.models()).hasSize(1);
        assertThat(accuracy(first.predictions())).isGreaterThan(accuracy(frozen.predictions()));
    }

    private static double accuracy(List<Prediction> p) {
        return p.stream().filter(Prediction::correct).count() / (double) p.size();
    }
}
