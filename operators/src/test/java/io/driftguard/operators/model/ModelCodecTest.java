package io.driftguard.operators.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelCodecTest {

    static ModelArtifact artifact(ModelKind kind, long version, long from) {
        int[] hidden = kind == ModelKind.LINEAR ? new int[0] : new int[] {5, 4};
        Architecture arch = new Architecture(kind, 3, hidden, 2, kind == ModelKind.GRU ? 6 : 1);
        FeatureSchema schema = new FeatureSchema(new String[] {"a", "b", "c"}, new double[] {1, 2, 3},
                new double[] {0.5, 1, 2}, 0, 1);
        Lineage l = new Lineage(version - 1, Trigger.DRIFT, 100, 200, "retrain", 10, 199, 180, 0.1, 0.3, 7, 1234,
                55, 12);
        return new ModelArtifact("sensor-\u00e9", version, ModelStatus.ACCEPTED, "", Task.CLASSIFICATION,
                new String[] {"UP", "DOWN"}, arch, schema, Predictor.initialWeights(arch, version), from, l);
    }

    @Test
    void roundTripsEveryKind() {
        for (ModelKind k : ModelKind.values()) {
            ModelArtifact a = artifact(k, 3, 500);
            byte[] b = ModelCodec.encode(a);
            ModelArtifact back = ModelCodec.decode(b);
            assertThat(back).isEqualTo(a);
            assertThat(ModelCodec.encode(back)).isEqualTo(b);
        }
    }

    @Test
    void headerIsTheDocumentedOne() {
        byte[] b = ModelCodec.encode(artifact(ModelKind.MLP, 1, 0));
        assertThat(new String(b, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("DGMV");
        assertThat(b[4]).isEqualTo((byte) 1);
        int len = java.nio.ByteBuffer.wrap(b, 5, 4).getInt();
        assertThat(len).isEqualTo(b.length - 13);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, 0, b.length - 4);
        assertThat(java.nio.ByteBuffer.wrap(b, b.length - 4, 4).getInt()).isEqualTo((int) crc.getValue());
    }

    @Test
    void everyFlippedByteIsRefused() {
        byte[] b = ModelCodec.encode(artifact(ModelKind.LINEAR, 1, 0));
        for (int i = 0; i < b.length; i++) {
            byte[] c = b.clone();
            c[i] ^= 0x5a;
            assertThatThrownBy(() -> ModelCodec.decode(c)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void truncatedWrongVersionAndTrailingBytesAreNamed() {
        byte[] b = ModelCodec.encode(artifact(ModelKind.GRU, 1, 0));
        assertThatThrownBy(() -> ModelCodec.decode(Arrays.copyOf(b, 20))).hasMessageContaining("corrupt");
        assertThatThrownBy(() -> ModelCodec.decode(Arrays.copyOf(b, b.length + 1))).hasMessageContaining("corrupt");
        byte[] v = b.clone();
        v[4] = 9;
        assertThatThrownBy(() -> ModelCodec.decode(v)).hasMessageContaining("format version 9");
        assertThatThrownBy(() -> ModelCodec.decode("this is not a model record".getBytes())).hasMessageContaining("magic");
    }

    @Test
    void artifactRefusesWeightsOfTheWrongShape() {
        ModelArtifact a = artifact(ModelKind.MLP, 1, 0);
        float[][] w = a.weights();
        w[0] = new float[3];
        assertThatThrownBy(() -> new ModelArtifact(a.modelId(), 1, ModelStatus.ACCEPTED, "", a.task(), a.classNames(),
                a.architecture(), a.schema(), w, 0, a.lineage())).hasMessageContaining("parameter tensor 0");
    }
}
