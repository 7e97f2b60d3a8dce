package io.driftguard.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.jobs.dashboard.DashboardState;
import io.driftguard.jobs.dashboard.Followers;
import io.driftguard.jobs.runtime.LocalKafka;
import io.driftguard.operators.model.ModelCodec;
import io.driftguard.operators.model.ModelStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's Kafka feed: drift events, predictions and model versions from their topics, a
 * corrupt model record counted, and records produced after it started followed.
 */
class DashboardKafkaITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void followsTheDriftPredictionsAndModelsTopics() throws Exception {
        try (LocalKafka kafka = LocalKafka.start(null)) {
            String servers = kafka.bootstrapServers();
            kafka.createTopics(2, "d.drift", "d.preds");
            kafka.createTopics(1, "d.models");
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            DashboardState state = new DashboardState();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                String event = "{\"key\":\"pump-1\",\"window_start\":0,\"window_end\":100,\"mmd2\":0.3,\"p_value\":0.001,"
                        + "\"a_distance\":1.5,\"drift\":true,\"calibrated\":true,\"features\":[{\"name\":\"temp\",\"score\":0.7}],"
                        + "\"model_version\":1,\"n_labelled\":10,\"accuracy\":0.6}";
                producer.send(record("d.drift", "pump-1", event.getBytes(StandardCharsets.UTF_8)));
                producer.send(record("d.models", "pump-1@1",
                        ModelCodec.encode(ModelCommandTest.model("pump-1", 1, ModelStatus.ACCEPTED, "", 1))));
                producer.send(record("d.models", "pump-1@9", "not a model".getBytes(StandardCharsets.UTF_8)));
                producer.flush();
                try (Followers.Feed feed = Followers.kafka(state, servers, new Properties(), "d.drift", "d.preds", "d.models")) {
                    await(() -> state.keyCount() == 1 && has(state, "pump-1", "models", 1));
                    JsonNode overview = JSON.readTree(state.overviewJson("", null, "key", false, 0, 10));
                    assertThat(overview.get("model_records_rejected").asInt()).isEqualTo(1);
                    assertThat(overview.get("rows").get(0).get("state").asText()).isEqualTo("drift");

                    // produced while the dashboard runs
                    for (int i = 0; i < 150; i++) {
                        producer.send(record("d.preds", "pump-2", String.format(
                                "{\"key\":\"pump-2\",\"ts\":%d,\"label\":\"a\",\"prediction\":\"%s\",\"model_version\":2}",
                                1000 + i, i % 3 == 0 ? "b" : "a").getBytes(StandardCharsets.UTF_8)));
                    }
                    producer.flush();
                    await(() -> state.keyCount() == 2 && has(state, "pump-2", "prediction_error", 1));
                    JsonNode pump2 = JSON.readTree(state.keyJson("pump-2"));
                    assertThat(pump2.get("predictions").asInt()).isEqualTo(150);
                    assertThat(pump2.get("prediction_error").get(0).get(1).asDouble()).isEqualTo(0.34);
                }
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static boolean has(DashboardState state, String key, String field, int size) {
        try {
            String json = state.keyJson(key);
            return json != null && JSON.readTree(json).path(field).size() >= size;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
