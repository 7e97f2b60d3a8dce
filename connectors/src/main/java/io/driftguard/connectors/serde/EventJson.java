package io.driftguard.connectors.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.detect.FeatureScore;
import io.driftguard.operators.detect.MissingRate;
import io.driftguard.operators.model.PrequentialWindow;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.scoring.Prediction;
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
            // the decision's p-value: calibrated against the key's null history once it has one;
            // before, a permutation test's where one ran, else the classifier two-sample test's
            g.writeStringField("p_value_kind",
                    e.calibrated() ? "calibrated" : Double.isNaN(e.aggregatedPValue()) ? "classifier" : "permutation");
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
            if (e.missing() != null && e.missing().length > 0) {
                // only when some feature had missing values in the window or the reference
                g.writeArrayFieldStart("missing");
                for (MissingRate m : e.missing()) {
                    g.writeStartObject();
                    g.writeStringField("name", m.name());
                    number(g, "rate", m.rate());
                    number(g, "reference_rate", m.referenceRate());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            number(g, "mu", e.mu());
            if (e.nearestWindowStart() != null) {
                g.writeNumberField("nearest_window_start", e.nearestWindowStart());
                number(g, "nearest_mmd2", e.nearestDistance());
            }
            PrequentialWindow m = e.model();
            if (m != null) {
                g.writeNumberField("model_version", m.modelVersion());
                if (m.firstVersion() != m.modelVersion()) {
                    g.writeNumberField("model_version_first", m.firstVersion());
                }
                g.writeNumberField("n_scored", m.scored());
                g.writeNumberField("n_labelled", m.labelled());
                number(g, "accuracy", m.accuracy());
                number(g, "mse", m.mse());
                number(g, "mae", m.mae());
            }
        });
    }

    /**
     * Returns a prediction as one line of JSON: key, ts, label (when present), prediction (the
     * class name, or a number; null when nothing could be predicted yet), probabilities (an
     * object of class name to probability, when a classifier scored it), model_version (0: the
     * key's prior, -1: nothing to predict yet) and model_id when the version is another key's (a
     * cold start).
     */
    public static String toJson(Prediction p) {
        return write(g -> {
            g.writeStringField("key", p.key());
            g.writeNumberField("ts", p.ts());
            if (p.label() != null) {
                g.writeStringField("label", p.label());
            }
            if (p.predictedClass() != null) {
                g.writeStringField("prediction", p.predictedClass());
            } else if (Double.isFinite(p.predictedValue())) {
                g.writeNumberField("prediction", p.predictedValue());
            } else {
                g.writeNullField("prediction");
            }
            if (p.probabilities() != null && p.classes() != null) {
                g.writeObjectFieldStart("probabilities");
                for (int i = 0; i < p.classes().length; i++) {
                    number(g, p.classes()[i], p.probabilities()[i]);
                }
                g.writeEndObject();
            }
            g.writeNumberField("model_version", p.modelVersion());
            if (p.modelId() != null) {
                g.writeStringField("model_id", p.modelId());
            }
        });
    }

    /** UTF-8 bytes of {@link #toJson(Prediction)}. */
    public static byte[] toBytes(Prediction p) {
        return toJson(p).getBytes(StandardCharsets.UTF_8);
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
