package io.driftguard.connectors.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.detect.FeatureScore;
import io.driftguard.operators.record.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes drift events and dead letters as single-line JSON (DESIGN section 3 field names).
 *
 * <p>Non-finite optional statistics are omitted rather than written as invalid JSON.
 */
public final class EventJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private EventJson() {}

    /** Returns the drift event as one line of JSON, without a trailing newline. */
    public static String toJson(DriftEvent e) {
        return write(g -> {
            g.writeStringField("key", e.key());
            g.writeNumberField("window_start", e.windowStart());
            g.writeNumberField("window_end", e.windowEnd());
            g.writeNumberField("reference_start", e.referenceStart());
            g.writeNumberField("reference_end", e.referenceEnd());
            g.writeNumberField("n_ref", e.nRef());
            g.writeNumberField("n_cur", e.nCur());
            number(g, "mmd2", e.mmd2());
            number(g, "sigma", e.sigma());
            number(g, "p_value", e.pValue());
            number(g, "p_value_multi", e.aggregatedPValue());
            number(g, "a_distance", e.aDistance());
            g.writeBooleanField("drift", e.drift());
            g.writeBooleanField("calibrated", e.calibrated());
            g.writeArrayFieldStart("features");
            for (FeatureScore f : e.features()) {
                g.writeStartObject();
                g.writeStringField("name", f.name());
                number(g, "score", f.score());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (e.changeAt() != null) {
                g.writeNumberField("change_at", e.changeAt());
            }
            number(g, "mu", e.mu());
            if (e.nearestWindowStart() != null) {
                g.writeNumberField("nearest_window_start", e.nearestWindowStart());
                number(g, "nearest_mmd2", e.nearestDistance());
            }
        });
    }

    /** Returns the dead letter as one line of JSON: source, reason and the raw input as text. */
    public static String toJson(DeadLetter d) {
        return write(g -> {
            g.writeStringField("source", d.source());
            g.writeStringField("reason", d.reason());
            g.writeStringField("raw", d.rawText());
        });
    }

    /** UTF-8 bytes of {@link #toJson(DriftEvent)}. */
    public static byte[] toBytes(DriftEvent e) {
        return toJson(e).getBytes(StandardCharsets.UTF_8);
    }

    /** UTF-8 bytes of {@link #toJson(DeadLetter)}. */
    public static byte[] toBytes(DeadLetter d) {
        return toJson(d).getBytes(StandardCharsets.UTF_8);
    }

    private static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(name, v);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
