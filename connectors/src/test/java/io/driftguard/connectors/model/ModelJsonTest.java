package io.driftguard.connectors.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ModelJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void metadataWithoutWeights() throws Exception {
        ModelArtifact a = TestModels.mlp("pump-1", 2, 7);
        String line = ModelJson.toJson(a);
        assertThat(line).doesNotContain("\n").doesNotContain("weights");
        JsonNode j = MAPPER.readTree(line);
        assertThat(j.get("model_id").asText()).isEqualTo("pump-1");
        assertThat(j.get("version").asLong()).isEqualTo(2);
        assertThat(j.get("status").asText()).isEqualTo("accepted");
        assertThat(j.get("reason").asText()).isEmpty();
        assertThat(j.get("kind").asText()).isEqualTo("mlp");
        assertThat(j.get("task").asText()).isEqualTo("classification");
        assertThat(j.get("class_names").toString()).isEqualTo("[\"DOWN\",\"UP\"]");
        assertThat(j.get("features").toString()).isEqualTo("[\"temp\",\"load\",\"rpm\"]");
        JsonNode arch = j.get("architecture");
        assertThat(arch.get("inputs").asInt()).isEqualTo(3);
        assertThat(arch.get("hidden").toString()).isEqualTo("[4]");
        assertThat(arch.get("outputs").asInt()).isEqualTo(2);
        assertThat(arch.get("steps").asInt()).isEqualTo(1);
        assertThat(arch.get("parameters").asLong()).isEqualTo(3 * 4 + 4 + 4 * 2 + 2);
        assertThat(j.get("effective_from").asLong()).isEqualTo(2000);
        JsonNode l = j.get("lineage");
        assertThat(l.get("parent_version").asLong()).isEqualTo(1);
        assertThat(l.get("trigger").asText()).isEqualTo("drift");
        assertThat(l.get("trigger_start").asLong()).isEqualTo(2000);
        assertThat(l.get("trigger_end").asLong()).isEqualTo(2500);
        assertThat(l.get("strategy").asText()).isEqualTo("retrain");
        assertThat(l.get("train_from").asLong()).isZero();
        assertThat(l.get("train_to").asLong()).isEqualTo(999);
        assertThat(l.get("train_records").asInt()).isEqualTo(1000);
        assertThat(l.get("candidate_metric").asDouble()).isEqualTo(0.1);
        assertThat(l.get("parent_metric").asDouble()).isEqualTo(0.2);
        assertThat(l.get("seed").asLong()).isEqualTo(7);
        assertThat(l.get("created").asLong()).isEqualTo(1_700_000_000_002L);
        assertThat(l.get("train_millis").asLong()).isEqualTo(12);
        assertThat(l.get("epochs").asInt()).isEqualTo(5);
        byte[] bytes = ModelCodec.encode(a);
        assertThat(j.get("format_version").asInt()).isEqualTo(bytes[4]).isEqualTo(1);
        assertThat(j.get("bytes").asInt()).isEqualTo(bytes.length);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        assertThat(j.get("checksum").asText()).isEqualTo(String.format("%08x", crc.getValue()))
                .isEqualTo(String.format("%08x", ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()));
    }

    @Test
    void nonFiniteMetricsAreNullAndPrettyFormIsTheSameObject() throws Exception {
        ModelArtifact a = TestModels.mlp("pump-1", 1, 7);
        JsonNode line = MAPPER.readTree(ModelJson.toJson(a));
        assertThat(line.get("lineage").get("parent_metric").isNull()).isTrue();
        String pretty = ModelJson.toPrettyJson(a);
        assertThat(pretty.lines().count()).isGreaterThan(10);
        assertThat(MAPPER.readTree(pretty)).isEqualTo(line);
    }
}
