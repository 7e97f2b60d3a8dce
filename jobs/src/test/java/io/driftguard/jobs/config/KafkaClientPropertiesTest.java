package io.driftguard.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.jobs.cli.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kafka.properties.*}: passed through to the clients, secrets masked when printed. */
class KafkaClientPropertiesTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"svc\" password=\"hunter2-s3cret\";";

    @Test
    void nestedYamlUnderKafkaPropertiesBecomesClientProperties(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, """
                kafka:
                  bootstrap-servers: broker:9093
                  properties:
                    security.protocol: SASL_SSL
                    sasl.mechanism: SCRAM-SHA-512
                    sasl.jaas.config: '%s'
                    ssl.truststore.location: /etc/kafka/truststore.jks
                    ssl.truststore.password: changeit
                """.formatted(JAAS));
        Configuration c = JobConfig.build(JobConfig.readYaml(f), Map.of());
        Properties p = JobConfig.kafkaClientProperties(c);
        assertThat(p).containsOnlyKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config",
                "ssl.truststore.location", "ssl.truststore.password");
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("sasl.jaas.config")).isEqualTo(JAAS);
        assertThat(p.getProperty("ssl.truststore.password")).isEqualTo("changeit");
    }

    @Test
    void unknownKafkaKeysOtherThanPropertiesStayRejected() {
        assertThatThrownBy(() -> JobConfig.build(Map.of("kafka.security.protocol", "SSL"), Map.of()))
                .isInstanceOf(UserError.class).hasMessageContaining("kafka.security.protocol");
        assertThatThrownBy(() -> JobConfig.build(Map.of("kafka.properties.", "x"), Map.of()))
                .isInstanceOf(UserError.class);
        // a command-line override wins over the file, as for every key
        Configuration c = JobConfig.build(Map.of("kafka.properties.client.id", "a"),
                Map.of("kafka.properties.client.id", "b"));
        assertThat(JobConfig.kafkaClientProperties(c).getProperty("client.id")).isEqualTo("b");
    }

    @Test
    void secretsAreMaskedInThePrintedConfiguration() {
        Configuration c = JobConfig.build(Map.of(
                "kafka.properties.sasl.jaas.config", JAAS,
                "kafka.properties.ssl.keystore.password", "ks-pass-1",
                "kafka.properties.ssl.key.password", "key-pass-1",
                "kafka.properties.sasl.oauthbearer.token.endpoint.url", "https://idp/token",
                "kafka.properties.security.protocol", "SASL_SSL",
                "s3.secret-key", "aws-secret-1",
                "kafka.bootstrap-servers", "broker:9093",
                "drift.window.size", "500"), Map.of());
        Map<String, String> shown = JobConfig.masked(c);
        String text = shown.toString();
        assertThat(text).doesNotContain("hunter2-s3cret", "ks-pass-1", "key-pass-1", "aws-secret-1");
        assertThat(shown).containsEntry("kafka.properties.sasl.jaas.config", JobConfig.MASK)
                .containsEntry("kafka.properties.security.protocol", "SASL_SSL")
                .containsEntry("kafka.bootstrap-servers", "broker:9093")
                .containsEntry("drift.window.size", "500");
        assertThat(JobConfig.masked(JobConfig.kafkaClientProperties(c)))
                .containsEntry("sasl.jaas.config", JobConfig.MASK)
                .containsEntry("ssl.key.password", JobConfig.MASK)
                .containsEntry("security.protocol", "SASL_SSL");
        // Flink's own log masking agrees for these keys, so its configuration dumps leak nothing either
        for (String k : shown.keySet()) {
            if (JobConfig.MASK.equals(shown.get(k)) && !k.contains("token")) {
                assertThat(org.apache.flink.configuration.GlobalConfiguration.isSensitive(k)).as(k).isTrue();
            }
        }
    }
}
