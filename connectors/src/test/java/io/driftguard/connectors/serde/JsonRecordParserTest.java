package io.driftguard.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.record.SeriesRecord;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonRecordParserTest {

    private final JsonRecordParser parser = new JsonRecordParser();

    private ParseResult parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private SeriesRecord ok(String json) {
        ParseResult r = parse(json);
        assertThat(r.error()).as("error for %s", json).isNull();
        assertThat(r.isOk()).isTrue();
        return r.record();
    }

    private String error(String json) {
        ParseResult r = parse(json);
        assertThat(r.isOk()).as("parsed %s", json).isFalse();
        assertThat(r.record()).isNull();
        assertThat(r.error()).doesNotContain("\n");
        return r.error();
    }

    @Test
    void arrayFeaturesWithNumericLabel() {
        SeriesRecord r =
                ok("{\"key\": \"sensor-17\", \"ts\": 1700000000123,"
                        + " \"features\": [0.31, 12.0, -4.2], \"label\": 1}");
        assertThat(r.key()).isEqualTo("sensor-17");
        assertThat(r.ts()).isEqualTo(1_700_000_000_123L);
        assertThat(r.features()).containsExactly(0.31, 12.0, -4.2);
        assertThat(r.featureNames()).isNull();
        assertThat(r.label()).isEqualTo("1");
        assertThat(r.dimension()).isEqualTo(3);
    }

    @Test
    void objectFeaturesKeepTheirOrderAndNames() {
        SeriesRecord r =
                ok("{\"label\": \"UP\", \"features\": {\"temp\": 0.31, \"load\": 12, \"a\": -1e-3},"
                        + " \"ts\": 5, \"key\": \"k\"}");
        assertThat(r.featureNames()).containsExactly("temp", "load", "a");
        assertThat(r.features()).containsExactly(0.31, 12.0, -0.001);
        assertThat(r.label()).isEqualTo("UP");
        assertThat(r.ts()).isEqualTo(5L);
    }

    @Test
    void fractionalLabelIsKeptAsWritten() {
        assertThat(ok("{\"key\":\"k\",\"ts\":1,\"features\":[1],\"label\":3.7}").label())
                .isEqualTo("3.7");
    }

    @Test
    void absentOrNullLabelIsNull() {
        assertThat(ok("{\"key\":\"k\",\"ts\":1,\"features\":[1]}").label()).isNull();
        assertThat(ok("{\"key\":\"k\",\"ts\":1,\"features\":[1],\"label\":null}").label()).isNull();
    }

    @Test
    void isoTimestampStringsAreConverted() {
        assertThat(ok("{\"key\":\"k\",\"ts\":\"2023-11-14T22:13:20Z\",\"features\":[1]}").ts())
                .isEqualTo(1_700_000_000_000L);
        assertThat(ok("{\"key\":\"k\",\"ts\":\"2023-11-14T23:13:20.5+01:00\",\"features\":[1]}").ts())
                .isEqualTo(1_700_000_000_500L);
        assertThat(ok("{\"key\":\"k\",\"ts\":\"1700000000123\",\"features\":[1]}").ts())
                .isEqualTo(1_700_000_000_123L);
    }

    @Test
    void numericKeyIsAcceptedAsText() {
        assertThat(ok("{\"key\":17,\"ts\":1,\"features\":[1]}").key()).isEqualTo("17");
    }

    @Test
    void unknownFieldsAreSkippedIncludingNestedOnes() {
        SeriesRecord r =
                ok("{\"meta\": {\"features\": \"nope\", \"ts\": [1, 2]}, \"key\": \"k\","
                        + " \"extra\": [[1], {\"x\": null}], \"ts\": 9, \"features\": [2.5]}");
        assertThat(r.features()).containsExactly(2.5);
        assertThat(r.ts()).isEqualTo(9L);
    }

    @Test
    void recordsOfOneKeyShareOneNameArray() {
        SeriesRecord a = ok("{\"key\":\"k\",\"ts\":1,\"features\":{\"x\":1,\"y\":2}}");
        SeriesRecord b = ok("{\"key\":\"k\",\"ts\":2,\"features\":{\"x\":3,\"y\":4}}");
        assertThat(b.featureNames()).isSameAs(a.featureNames());
        SeriesRecord c = ok("{\"key\":\"k\",\"ts\":3,\"features\":{\"y\":3,\"x\":4}}");
        assertThat(c.featureNames()).containsExactly("y", "x");
        assertThat(a.featureNames()).containsExactly("x", "y");
        assertThat(b.features()).containsExactly(3.0, 4.0);
    }

    @Test
    void manyFeaturesAndScratchReuseDoNotLeakValuesBetweenRecords() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            int d = 1 + rnd.nextInt(40);
            double[] expected = new double[d];
            StringBuilder sb = new StringBuilder("{\"key\":\"k\",\"ts\":" + trial + ",\"features\":[");
            for (int i = 0; i < d; i++) {
                expected[i] = Math.round(rnd.nextGaussian() * 1e6) / 1e3;
                sb.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, "%s", expected[i]));
            }
            SeriesRecord r = ok(sb.append("]}").toString());
            assertThat(r.features()).containsExactly(expected);
            assertThat(r.ts()).isEqualTo(trial);
        }
    }

    @Test
    void returnedArraysAreNotOverwrittenByLaterParses() {
        SeriesRecord first = ok("{\"key\":\"k\",\"ts\":1,\"features\":[1,2,3]}");
        ok("{\"key\":\"k\",\"ts\":2,\"features\":[7,8,9]}");
        assertThat(first.features()).containsExactly(1.0, 2.0, 3.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "\"text\"", "42", "null", ""})
    void nonObjectsAreRejected(String json) {
        assertThat(error(json)).isEqualTo("not a JSON object");
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        assertThat(error("{\"ts\":1,\"features\":[1]}")).isEqualTo("missing key");
        assertThat(error("{\"key\":\"\",\"ts\":1,\"features\":[1]}")).isEqualTo("missing key");
        assertThat(error("{\"key\":\"k\",\"features\":[1]}")).isEqualTo("missing ts");
        assertThat(error("{\"key\":\"k\",\"ts\":1}")).isEqualTo("missing features");
    }

    @Test
    void emptyFeaturesAreRejected() {
        assertThat(error("{\"key\":\"k\",\"ts\":1,\"features\":[]}")).isEqualTo("empty features");
        assertThat(error("{\"key\":\"k\",\"ts\":1,\"features\":{}}")).isEqualTo("empty features");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[1, \"2\"]",
                "[1, \"inf\"]",
                "[1, \"Infinity\"]",
                "[true]",
                "[[1], 2]",
                "[1e400]",
                "[-1e400]",
                "{\"a\": \"x\"}",
                "{\"a\": 1, \"b\": {\"c\": 2}}",
                "{\"a\": 1e999}"
            })
    void nonNumericOrNonFiniteFeaturesAreRejected(String features) {
        assertThat(error("{\"key\":\"k\",\"ts\":1,\"features\":" + features + "}"))
                .isEqualTo("features hold a non-numeric or non-finite value");
    }

    @Test
    void nullAndMarkerStringsAreMissingValues() {
        SeriesRecord a = ok("{\"key\":\"k\",\"ts\":1,\"features\":[1, null, \"NaN\", \"na\", \"\", 2.5]}");
        assertThat(a.features()).containsExactly(1.0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 2.5);
        SeriesRecord o = ok("{\"key\":\"k\",\"ts\":1,\"features\":{\"t\": null, \"l\": 3, \"h\": \"NULL\"}}");
        assertThat(o.features()).containsExactly(Double.NaN, 3.0, Double.NaN);
        assertThat(o.featureNames()).containsExactly("t", "l", "h");
        assertThat(error("{\"key\":\"k\",\"ts\":1,\"features\":[null, \"NaN\"]}"))
                .isEqualTo("every feature is missing");
        assertThat(error("{\"key\":\"k\",\"ts\":1,\"features\":{\"t\": null}}"))
                .isEqualTo("every feature is missing");
        // other markers, or none
        JsonRecordParser custom = new JsonRecordParser(io.driftguard.connectors.parse.MissingMarkers.parse("?"));
        ParseResult c = custom.parse("{\"key\":\"k\",\"ts\":1,\"features\":[1, \"?\"]}".getBytes(StandardCharsets.UTF_8));
        assertThat(c.record().features()).containsExactly(1.0, Double.NaN);
        assertThat(custom.parse("{\"key\":\"k\",\"ts\":1,\"features\":[1, null]}".getBytes(StandardCharsets.UTF_8))
                        .error())
                .isEqualTo("features hold a non-numeric or non-finite value");
    }

    @Test
    void nanLiteralIsNotJsonAndIsReportedAsMalformed() {
        assertThat(error("{\"key\":\"k\",\"ts\":1,\"features\":[1, NaN]}")).startsWith("malformed JSON");
        assertThat(error("{\"key\":\"k\",\"ts\":1,\"features\":[Infinity]}")).startsWith("malformed JSON");
    }

    @Test
    void wrongTypesOfFieldsAreRejected() {
        assertThat(error("{\"key\":{\"a\":1},\"ts\":1,\"features\":[1]}")).isEqualTo("key must be a string");
        assertThat(error("{\"key\":\"k\",\"ts\":true,\"features\":[1]}"))
                .isEqualTo("ts must be epoch milliseconds or ISO-8601");
        assertThat(error("{\"key\":\"k\",\"ts\":1,\"features\":\"1,2\"}"))
                .isEqualTo("features must be an array or an object");
        assertThat(error("{\"key\":\"k\",\"ts\":1,\"features\":[1],\"label\":[1]}"))
                .isEqualTo("label must be a number or a string");
    }

    @Test
    void unparsableTimeStringIsRejectedWithTheText() {
        assertThat(error("{\"key\":\"k\",\"ts\":\"yesterday\",\"features\":[1]}")).contains("'yesterday'");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"key\": \"k\", \"ts\": 1, \"features\": [1, 2",
                "{\"key\": \"k\", \"ts\": 1,, \"features\": [1]}",
                "{key: \"k\"}",
                "{\"key\": \"k\" \"ts\": 1}",
                "{\"key\": \"unterminated"
            })
    void malformedJsonIsReportedOnOneLine(String json) {
        assertThat(error(json)).startsWith("malformed JSON: ");
    }

    @Test
    void invalidUtf8DoesNotThrow() {
        byte[] bytes = {'{', '"', 'k', 'e', 'y', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        ParseResult r = parser.parse(bytes);
        assertThat(r.isOk()).isFalse();
        assertThat(r.error()).startsWith("malformed JSON");
    }

    @Test
    void parserRecoversAfterAnError() {
        error("{\"key\": \"k\", \"ts\": 1, \"features\": [1, \"x\", 3, 4]}");
        assertThat(ok("{\"key\":\"k\",\"ts\":2,\"features\":[5,6]}").features()).containsExactly(5.0, 6.0);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "1234567890123456789012345678901234567890 | time '1234567890123456789012345678901234567890' overflows in ts",
        "1e300 | time '1e300' overflows in ts",
        "-1e300 | time '-1e300' overflows in ts",
        "253402300800000 | time '253402300800000' is after 9999-12-31T23:59:59.999Z in ts",
        "-1 | time '-1' is before 1970 in ts",
        "-1.5 | time '-1.5' is before 1970 in ts",
        "'\"+10000-01-01T00:00:00Z\"' | time '+10000-01-01T00:00:00Z' is after 9999-12-31T23:59:59.999Z in ts",
    })
    void absurdTimesAreRejectedWithTheirReason(String ts, String reason) {
        assertThat(error("{\"key\":\"k\",\"ts\":" + ts + ",\"features\":[1]}")).isEqualTo(reason);
    }

    @Test
    void numericTimesAtTheEndsOfTheRangeAreAccepted() {
        assertThat(ok("{\"key\":\"k\",\"ts\":0,\"features\":[1]}").ts()).isZero();
        assertThat(ok("{\"key\":\"k\",\"ts\":253402300799999,\"features\":[1]}").ts())
                .isEqualTo(Timestamps.MAX_EPOCH_MILLIS);
        assertThat(ok("{\"key\":\"k\",\"ts\":1.7e12,\"features\":[1]}").ts()).isEqualTo(1_700_000_000_000L);
    }
}
