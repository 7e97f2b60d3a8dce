package io.driftguard.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.detect.FeatureScore;
import io.driftguard.operators.record.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The required fields of a drift event (DESIGN section 3). */
    private static final List<String> REQUIRED =
            List.of(
                    "key",
                    "window_start",
                    "window_end",
                    "reference_start",
                    "reference_end",
                    "n_ref",
                    "n_cur",
                    "mmd2",
                    "p_value",
                    "a_distance",
                    "drift",
                    "features");

    private static DriftEvent event(
            String key, double sigma, double aggP, Long changeAt, double mu, Long nearest, double nearestDist) {
        return DriftEvent.builder(key, 1_000L, 2_000L)
                .reference(0L, 1_000L, 480L)
                .current(512L)
                .mmd(0.0421, sigma)
                .pValues(0.004, aggP)
                .aDistance(1.125)
                .decision(true, true)
                .features(new FeatureScore[] {new FeatureScore("temp", 0.8), new FeatureScore("load", 0.2)})
                .changeAt(changeAt)
                .mu(mu)
                .nearest(nearest, nearestDist)
                .build();
    }

    private static JsonNode read(String json) throws Exception {
        assertThat(json).doesNotContain("\n").doesNotContain("\r");
        return MAPPER.readTree(json);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void driftEventHasTheDesignFieldNamesAndValues() throws Exception {
        JsonNode n = read(EventJson.toJson(event("sensor-17", 1.75, 0.01, 1_500L, 0.3, 500L, 0.002)));
        assertThat(fieldNames(n)).containsAll(REQUIRED);
        assertThat(n.get("key").asText()).isEqualTo("sensor-17");
        assertThat(n.get("window_start").isIntegralNumber()).isTrue();
        assertThat(n.get("window_start").asLong()).isEqualTo(1_000L);
        assertThat(n.get("window_end").asLong()).isEqualTo(2_000L);
        assertThat(n.get("reference_start").asLong()).isZero();
        assertThat(n.get("reference_end").asLong()).isEqualTo(1_000L);
        assertThat(n.get("n_ref").asLong()).isEqualTo(480L);
        assertThat(n.get("n_cur").asLong()).isEqualTo(512L);
        assertThat(n.get("mmd2").asDouble()).isEqualTo(0.0421);
        assertThat(n.get("sigma").asDouble()).isEqualTo(1.75);
        assertThat(n.get("p_value").asDouble()).isEqualTo(0.004);
        assertThat(n.get("p_value_multi").asDouble()).isEqualTo(0.01);
        assertThat(n.get("a_distance").asDouble()).isEqualTo(1.125);
        assertThat(n.get("drift").isBoolean()).isTrue();
        assertThat(n.get("drift").asBoolean()).isTrue();
        assertThat(n.get("calibrated").isBoolean()).isTrue();
        assertThat(n.get("calibrated").asBoolean()).isTrue();
        assertThat(n.get("p_value_kind").asText()).isEqualTo("calibrated");
        assertThat(n.get("change_at").asLong()).isEqualTo(1_500L);
        assertThat(n.get("mu").asDouble()).isEqualTo(0.3);
        assertThat(n.get("nearest_window_start").asLong()).isEqualTo(500L);
        assertThat(n.get("nearest_mmd2").asDouble()).isEqualTo(0.002);

        JsonNode features = n.get("features");
        assertThat(features.isArray()).isTrue();
        assertThat(features).hasSize(2);
        assertThat(fieldNames(features.get(0))).containsExactly("name", "score");
        assertThat(features.get(0).get("name").asText()).isEqualTo("temp");
        assertThat(features.get(0).get("score").asDouble()).isEqualTo(0.8);
        assertThat(features.get(1).get("name").asText()).isEqualTo("load");
        assertThat(features.get(1).get("score").asDouble()).isEqualTo(0.2);
    }

    @Test
    void nonFiniteOptionalStatisticsAndNullOptionalsAreOmitted() throws Exception {
        String json =
                EventJson.toJson(event("k", Double.NaN, Double.NaN, null, Double.NaN, null, Double.NaN));
        assertThat(json).doesNotContain("NaN").doesNotContain("Infinity").doesNotContain("null");
        JsonNode n = read(json);
        assertThat(fieldNames(n)).containsAll(REQUIRED);
        assertThat(n.has("sigma")).isFalse();
        assertThat(n.has("p_value_multi")).isFalse();
        assertThat(n.has("change_at")).isFalse();
        assertThat(n.has("mu")).isFalse();
        assertThat(n.has("nearest_window_start")).isFalse();
        assertThat(n.has("nearest_mmd2")).isFalse();
        assertThat(n.has("missing")).isFalse();
    }

    @Test
    void missingRatesAreWrittenOnlyWhenAFeatureHadMissingValues() throws Exception {
        DriftEvent e = event("k", 1.0, Double.NaN, null, Double.NaN, null, Double.NaN).withMissing(
                new io.driftguard.operators.detect.MissingRate[] {
                    new io.driftguard.operators.detect.MissingRate("temp", 0.3, 0.02),
                    new io.driftguard.operators.detect.MissingRate("load", 0.0, 0.0)
                });
        JsonNode n = read(EventJson.toJson(e));
        assertThat(n.get("missing")).hasSize(2);
        assertThat(n.get("missing").get(0).get("name").asText()).isEqualTo("temp");
        assertThat(n.get("missing").get(0).get("rate").asDouble()).isEqualTo(0.3);
        assertThat(n.get("missing").get(0).get("reference_rate").asDouble()).isEqualTo(0.02);
        assertThat(n.get("missing").get(1).get("rate").asDouble()).isZero();
        // kept by withModel, and part of equality
        assertThat(e.withModel(null).missing()).isEqualTo(e.missing());
        assertThat(e).isNotEqualTo(e.withMissing(null));
        assertThat(read(EventJson.toJson(e.withMissing(null))).has("missing")).isFalse();
    }

    @Test
    void infiniteOptionalStatisticIsOmitted() throws Exception {
        JsonNode n =
                read(EventJson.toJson(
                        event("k", Double.POSITIVE_INFINITY, 0.5, null, Double.NEGATIVE_INFINITY, 7L, Double.NaN)));
        assertThat(n.has("sigma")).isFalse();
        assertThat(n.has("mu")).isFalse();
        assertThat(n.get("nearest_window_start").asLong()).isEqualTo(7L);
        assertThat(n.has("nearest_mmd2")).isFalse();
    }

    @Test
    void noDriftAndEmptyFeatures() throws Exception {
        DriftEvent e =
                DriftEvent.builder("k", 0, 10).reference(0, 0, 0).current(10).mmd(-0.001, 1).pValues(1.0, 1.0)
                        .aDistance(0.0).decision(false, false).build();
        JsonNode n = read(EventJson.toJson(e));
        assertThat(n.get("drift").asBoolean()).isFalse();
        assertThat(n.get("calibrated").asBoolean()).isFalse();
        assertThat(n.get("p_value_kind").asText()).isEqualTo("permutation");
        // before calibration, with no permutation test run: the classifier test's p-value
        DriftEvent c =
                DriftEvent.builder("k", 0, 10).reference(0, 0, 0).current(10).mmd(-0.001, 1)
                        .pValues(0.4, Double.NaN).aDistance(0.1).decision(false, false).build();
        assertThat(read(EventJson.toJson(c)).get("p_value_kind").asText()).isEqualTo("classifier");
        assertThat(n.get("features").isArray()).isTrue();
        assertThat(n.get("features")).isEmpty();
        assertThat(n.get("mmd2").asDouble()).isEqualTo(-0.001);
        assertThat(n.get("p_value").asDouble()).isEqualTo(1.0);
    }

    @Test
    void keysAndFeatureNamesWithSpecialCharactersAreEscaped() throws Exception {
        String key = "a \"quoted\"\nkey\\with\ttabs and \u00e9 \u2603";
        DriftEvent e =
                DriftEvent.builder(key, 0, 1).reference(0, 0, 2).current(2).mmd(0, 1).pValues(0.5, 0.5).aDistance(0)
                        .decision(false, true).features(new FeatureScore[] {new FeatureScore("x,\"y\"", 1)}).build();
        JsonNode n = read(EventJson.toJson(e));
        assertThat(n.get("key").asText()).isEqualTo(key);
        // calibrated is its own field, not drift's value again
        assertThat(n.get("drift").asBoolean()).isFalse();
        assertThat(n.get("calibrated").asBoolean()).isTrue();
        assertThat(n.get("features").get(0).get("name").asText()).isEqualTo("x,\"y\"");
    }

    @Test
    void bytesAreTheUtf8OfTheText() {
        DriftEvent e = event("cl\u00e9", 1, 0.5, null, Double.NaN, null, Double.NaN);
        assertThat(EventJson.toBytes(e)).isEqualTo(EventJson.toJson(e).getBytes(StandardCharsets.UTF_8));
        DeadLetter d = DeadLetter.ofText("f.csv:3", "r", "\u00fc");
        assertThat(EventJson.toBytes(d)).isEqualTo(EventJson.toJson(d).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void deadLetterHasSourceReasonAndRawText() throws Exception {
        String raw = "{\"key\": \"k\", \"ts\": 1, \"features\": [1, \"x\"]}";
        DeadLetter d =
                DeadLetter.ofText(
                        "driftguard.input/3@1207", "features hold a non-numeric or non-finite value", raw);
        JsonNode n = read(EventJson.toJson(d));
        assertThat(fieldNames(n)).containsExactly("source", "reason", "raw");
        assertThat(n.get("source").asText()).isEqualTo("driftguard.input/3@1207");
        assertThat(n.get("reason").asText()).isEqualTo("features hold a non-numeric or non-finite value");
        assertThat(n.get("raw").asText()).isEqualTo(raw);
    }

    @Test
    void deadLetterWithMultiLineAndInvalidUtf8RawStaysOneValidLine() throws Exception {
        byte[] raw = {'a', '\n', 'b', (byte) 0xFF, 'c'};
        JsonNode n = read(EventJson.toJson(new DeadLetter("in.csv:9", "bad", raw)));
        assertThat(n.get("raw").asText()).isEqualTo("a\nb\uFFFDc");
    }

    @Test
    void modelFieldsAndPredictionsAreWritten() throws Exception {
        DriftEvent e = event("k", 1.0, Double.NaN, null, Double.NaN, null, Double.NaN)
                .withModel(new io.driftguard.operators.model.PrequentialWindow(3, 2, 200, 150, 0.8, Double.NaN, Double.NaN));
        JsonNode n = MAPPER.readTree(EventJson.toJson(e));
        assertThat(n.get("model_version").asLong()).isEqualTo(3);
        assertThat(n.get("model_version_first").asLong()).isEqualTo(2);
        assertThat(n.get("n_labelled").asLong()).isEqualTo(150);
        assertThat(n.get("accuracy").asDouble()).isEqualTo(0.8);
        assertThat(n.has("mse")).isFalse();
        JsonNode p = MAPPER.readTree(EventJson.toJson(new io.driftguard.operators.scoring.Prediction(
                "k", 7, "UP", "DOWN", Double.NaN, new double[] {0.25, 0.75}, new String[] {"UP", "DOWN"}, 4)));
        assertThat(p.get("prediction").asText()).isEqualTo("DOWN");
        assertThat(p.get("label").asText()).isEqualTo("UP");
        assertThat(p.get("probabilities").get("DOWN").asDouble()).isEqualTo(0.75);
        assertThat(p.get("model_version").asLong()).isEqualTo(4);
        JsonNode r = MAPPER.readTree(EventJson.toJson(new io.driftguard.operators.scoring.Prediction(
                "k", 7, null, null, 3.5, null, null, 0)));
        assertThat(r.get("prediction").asDouble()).isEqualTo(3.5);
        assertThat(r.has("label")).isFalse();
    }
}
