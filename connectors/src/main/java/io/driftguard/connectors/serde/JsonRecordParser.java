package io.driftguard.connectors.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.driftguard.connectors.parse.MissingMarkers;
import io.driftguard.operators.record.SeriesRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the JSON input record of DESIGN section 3 with Jackson's streaming parser.
 *
 * <pre>{"key": "sensor-17", "ts": 1700000000123 | "2023-11-14T22:13:20Z",
 *  "features": [0.31, 12.0] | {"temp": 0.31, "load": 12.0}, "label": 1 | "UP"}</pre>
 *
 * <p>Feature objects keep their field order; names are interned per parser so that records of
 * one key share one name array. Not thread-safe: one instance per operator subtask.
 *
 * <p>Missing values: a feature that is JSON {@code null} (when {@code null} is among the {@link
 * MissingMarkers}) or a string equal to a marker (by default {@code "NaN"}, {@code "NA"},
 * {@code "null"} or {@code ""}, any case) is {@code Double.NaN} in the record. A record whose every
 * feature is missing is a dead letter, as are other strings, booleans, nested values and
 * numbers that overflow to infinity.
 */
public final class JsonRecordParser {

    // Jackson's bundled FastDoubleParser: correctly rounded like Double.parseDouble, about twice
    // as fast on feature values.
    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private final MissingMarkers missing;
    private final List<String> nameScratch = new ArrayList<>();
    private double[] valueScratch = new double[16];
    private String[] lastNames;
    private int presentValues; // present values of the features just read

    /** A parser with the default missing-value markers. */
    public JsonRecordParser() {
        this(MissingMarkers.DEFAULT);
    }

    public JsonRecordParser(MissingMarkers missing) {
        this.missing = missing;
    }

    /** Parses one record; never throws for bad input. */
    public ParseResult parse(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return ParseResult.error("not a JSON object");
            }
            String key = null;
            Long ts = null;
            double[] features = null;
            String[] names = null;
            String label = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "key" -> {
                        if (t != JsonToken.VALUE_STRING && !t.isNumeric()) {
                            return ParseResult.error("key must be a string");
                        }
                        key = p.getText();
                    }
                    case "ts" -> {
                        if (t.isNumeric()) {
                            try {
                                ts = numericTime(p, t);
                            } catch (IllegalArgumentException e) {
                                return ParseResult.error(e.getMessage() + " in ts");
                            }
                        } else if (t == JsonToken.VALUE_STRING) {
                            try {
                                ts = Timestamps.parse(p.getText());
                            } catch (IllegalArgumentException e) {
                                return ParseResult.error(e.getMessage() + " in ts");
                            }
                        } else {
                            return ParseResult.error("ts must be epoch milliseconds or ISO-8601");
                        }
                    }
                    case "features" -> {
                        if (t == JsonToken.START_ARRAY) {
                            features = readArray(p);
                        } else if (t == JsonToken.START_OBJECT) {
                            features = readObject(p);
                            names = internNames();
                        } else {
                            return ParseResult.error("features must be an array or an object");
                        }
                        if (features == null) {
                            return ParseResult.error("features hold a non-numeric or non-finite value");
                        }
                    }
                    case "label" -> {
                        if (t == JsonToken.VALUE_NULL) {
                            label = null;
                        } else if (t.isScalarValue()) {
                            label = p.getText();
                        } else {
                            return ParseResult.error("label must be a number or a string");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                return ParseResult.error("malformed JSON: text after the record");
            }
            if (key == null || key.isEmpty()) {
                return ParseResult.error("missing key");
            }
            if (ts == null) {
                return ParseResult.error("missing ts");
            }
            if (features == null) {
                return ParseResult.error("missing features");
            }
            if (features.length == 0) {
                return ParseResult.error("empty features");
            }
            if (presentValues == 0) {
                return ParseResult.error("every feature is missing");
            }
            return ParseResult.ok(new SeriesRecord(key, ts, features, names, label));
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int nl = msg.indexOf('\n');
            return ParseResult.error("malformed JSON: " + (nl > 0 ? msg.substring(0, nl) : msg));
        }
    }

    /**
     * Epoch milliseconds of a numeric {@code ts}, checked like a textual one: an integer beyond a
     * {@code long} or a float such as {@code 1e300} overflows rather than failing as malformed
     * JSON, and a time before 1970 or after the year 9999 is rejected.
     */
    private static long numericTime(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new IllegalArgumentException("time '" + Timestamps.quote(p.getText()) + "' overflows");
            }
            return Timestamps.checkRange(p.getLongValue(), p.getText());
        }
        return Timestamps.checkRange(p.getDoubleValue(), p.getText());
    }

    /** Reads the values of a features array; null when one is neither a finite number nor missing. */
    private double[] readArray(JsonParser p) throws IOException {
        presentValues = 0;
        int n = 0;
        boolean ok = true;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            ok &= readValue(p, t, n++);
        }
        return ok ? Arrays.copyOf(valueScratch, n) : null;
    }

    /** Reads the values of a features object, its names into the scratch list. */
    private double[] readObject(JsonParser p) throws IOException {
        nameScratch.clear();
        presentValues = 0;
        int n = 0;
        boolean ok = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            nameScratch.add(p.currentName());
            ok &= readValue(p, p.nextToken(), n++);
        }
        return ok ? Arrays.copyOf(valueScratch, n) : null;
    }

    /**
     * Stores value {@code i}: the number, or NaN when missing or unusable (skipping nested
     * structures); false when unusable.
     */
    private boolean readValue(JsonParser p, JsonToken t, int i) throws IOException {
        valueScratch = ensure(valueScratch, i + 1);
        valueScratch[i] = Double.NaN;
        if (t.isNumeric()) {
            double v = p.getDoubleValue();
            if (!Double.isFinite(v)) {
                return false;
            }
            valueScratch[i] = v;
            presentValues++;
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return missing.nullIsMissing();
        }
        if (t == JsonToken.VALUE_STRING) {
            return missing.isMissing(p.getText());
        }
        if (t.isStructStart()) {
            p.skipChildren();
        }
        return false;
    }

    private String[] internNames() {
        String[] last = lastNames;
        if (last != null && last.length == nameScratch.size()) {
            boolean same = true;
            for (int i = 0; i < last.length && same; i++) {
                same = last[i].equals(nameScratch.get(i));
            }
            if (same) {
                return last;
            }
        }
        lastNames = nameScratch.toArray(new String[0]);
        return lastNames;
    }

    private static double[] ensure(double[] a, int n) {
        return n <= a.length ? a : Arrays.copyOf(a, Math.max(n, a.length * 2));
    }
}
