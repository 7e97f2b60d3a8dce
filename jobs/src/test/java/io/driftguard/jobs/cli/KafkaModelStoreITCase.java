package io.driftguard.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.connectors.model.KafkaModelStore;
import io.driftguard.jobs.runtime.KafkaBroker;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The models topic on a real in-process KRaft broker: the store and {@code driftguard model} over it. */
class KafkaModelStoreITCase {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

    private static Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }

    @Test
    void versionsRoundTripThroughACompactedTopicAndCorruptRecordsAreReported() throws Exception {
        String topic = "models.roundtrip";
        try (KafkaModelStore store = new KafkaModelStore(client(), topic, Duration.ofSeconds(20));
                Admin admin = Admin.create(client())) {
            assertThat(store.list()).as("a missing topic holds no versions").isEmpty();
            assertThat(store.ensureTopic(admin)).isTrue();
            assertThat(store.ensureTopic(admin)).isFalse();
            assertThat(store.cleanupPolicy(admin)).isEqualTo("compact");
            assertThat(store.nextVersion("pump-1")).isEqualTo(1);

            ModelArtifact v1 = ModelCommandTest.model("pump-1", 1, ModelStatus.ACCEPTED, "", 1);
            ModelArtifact v2 = ModelCommandTest.model("pump-1", 2, ModelStatus.ACCEPTED, "", 2);
            ModelArtifact other = ModelCommandTest.model("pump-0", 1, ModelStatus.ACCEPTED, "", 3);
            store.publish(v2);
            store.publish(v1);
            store.publish(other);
            byte[] corrupt = io.driftguard.operators.model.ModelCodec.encode(
                    ModelCommandTest.model("pump-1", 3, ModelStatus.ACCEPTED, "", 4));
            corrupt[corrupt.length / 2] ^= 0x11;
            try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
                raw.send(new ProducerRecord<>(topic, bytes("pump-1@3"), corrupt)).get();
                // a valid record under the wrong key
                raw.send(new ProducerRecord<>(topic, bytes("pump-1@9"),
                        io.driftguard.operators.model.ModelCodec.encode(v1))).get();
            }

            assertThat(store.list()).containsExactly(other, v1, v2);
            assertThat(store.rejected()).hasSize(2);
            assertThat(store.rejected().get(0)).startsWith(topic + "-0@3 key pump-1@3: ")
                    .contains("checksum mismatch");
            assertThat(store.rejected().get(1)).startsWith(topic + "-0@4 key pump-1@9: holds pump-1@1");
            // keys of corrupt records still count
            assertThat(store.nextVersion("pump-1")).isEqualTo(10);
            assertThat(store.nextVersion("pump-0")).isEqualTo(2);

            // a revocation under the same key replaces the version
            ModelArtifact revoked = v2.revoked("bad labels");
            store.publish(revoked);
            assertThat(store.list()).containsExactly(other, v1, revoked);
            assertThat(new KafkaModelStore(client(), topic).list("pump-1")).containsExactly(v1, revoked);
        }
    }

    @Test
    void theModelCommandReadsAndRollsBackOnTheTopic() throws Exception {
        String topic = "models.cli";
        try (KafkaModelStore store = new KafkaModelStore(client(), topic, Duration.ofSeconds(20));
                Admin admin = Admin.create(client())) {
            store.ensureTopic(admin);
            for (int v = 1; v <= 3; v++) {
                store.publish(ModelCommandTest.model("m", v, ModelStatus.ACCEPTED, "", v));
            }
        }
        String[] source = {"--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic,
            "-D", "client.id=model-cli-test"};
        CliRun.Outcome list = CliRun.run(concat(new String[] {"model", "list"}, source));
        CliRun.Outcome rollback = CliRun.run(concat(new String[] {"model", "rollback", "--model-id", "m",
            "--to-version", "1"}, source));
        CliRun.Outcome missing = CliRun.run(concat(new String[] {"model", "rollback", "--model-id", "m",
            "--to-version", "8"}, source));
        assertThat(list.code()).isZero();
        assertThat(list.outLines().stream().map(l -> json(l).get("version").asLong()).toList())
                .containsExactly(1L, 2L, 3L);
        assertThat(rollback.code()).isZero();
        assertThat(json(rollback.out()).get("version").asLong()).isEqualTo(4);
        assertThat(json(rollback.out()).get("lineage").get("parent_version").asLong()).isEqualTo(1);
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.usageError()).contains("has no version 8");
        List<ModelArtifact> after = new KafkaModelStore(client(), topic).list("m");
        assertThat(after).hasSize(4);
        assertThat(after.get(3).weights()).isDeepEqualTo(after.get(0).weights());
        assertThat(after.get(3).lineage().strategy()).isEqualTo("rollback");
    }

    private static KafkaProducer<byte[], byte[]> rawProducer() {
        Properties p = client();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
