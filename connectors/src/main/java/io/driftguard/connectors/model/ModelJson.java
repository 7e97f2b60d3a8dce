package io.driftguard.connectors.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.Lineage;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The metadata of a model version as one JSON object (what {@code driftguard model list} and
 * {@code show} print): everything but the weights.
 *
 * <pre>
 * model_id, version, status (accepted | rejected | revoked), reason,
 * kind (linear | mlp | gru), task (classification | regression), class_names, features (names of
 * every input, the previous-label inputs {@code label[t-k]...} last), label_inputs (how many of them
 * are previous labels, 0 for a model of the record's features only),
 * architecture {inputs, hidden, outputs, steps, parameters}, effective_from,
 * lineage {parent_version, trigger, trigger_start, trigger_end, strategy, train_from, train_to,
 *          train_records, candidate_metric, parent_metric, seed, created, train_millis, epochs},
 * format_version, bytes (size of the encoded record), checksum (its CRC-32C, 8 hex digits)
 * </pre>
 *
 * A metric that is not a finite number (NaN: not validated, or no parent) is written as {@code
 * null}.
 */
public final class ModelJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private ModelJson() {}

    /** The metadata as one line of JSON, without a trailing newline. */
    public static String toJson(ModelArtifact a) {
        return write(a, false);
    }

    /** The metadata as indented JSON, without a trailing newline. */
    public static String toPrettyJson(ModelArtifact a) {
        return write(a, true);
    }

    private static String write(ModelArtifact a, boolean pretty) {
        byte[] encoded = ModelCodec.encode(a);
        int crc = ByteBuffer.wrap(encoded, encoded.length - 4, 4).getInt();
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.setPrettyPrinter(new DefaultPrettyPrinter()
                        .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                        .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));
            }
            g.writeStartObject();
            g.writeStringField("model_id", a.modelId());
            g.writeNumberField("version", a.version());
            g.writeStringField("status", a.status().jsonName());
            g.writeStringField("reason", a.reason());
            Architecture arch = a.architecture();
            g.writeStringField("kind", arch.kind().cliName());
            g.writeStringField("task", a.task().cliName());
            g.writeArrayFieldStart("class_names");
            for (String c : a.classNames()) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("features");
            for (String f : a.schema().names()) {
                g.writeString(f);
            }
            g.writeEndArray();
            g.writeNumberField("label_inputs", a.schema().labelInputs());
            g.writeObjectFieldStart("architecture");
            g.writeNumberField("inputs", arch.inputs());
            g.writeArrayFieldStart("hidden");
            for (int h : arch.hidden()) {
                g.writeNumber(h);
            }
            g.writeEndArray();
            g.writeNumberField("outputs", arch.outputs());
            g.writeNumberField("steps", arch.steps());
            g.writeNumberField("parameters", arch.parameterCount());
            g.writeEndObject();
            g.writeNumberField("effective_from", a.effectiveFrom());
            Lineage l = a.lineage();
            g.writeObjectFieldStart("lineage");
            g.writeNumberField("parent_version", l.parentVersion());
            g.writeStringField("trigger", l.trigger().jsonName());
            g.writeNumberField("trigger_start", l.triggerStart());
            g.writeNumberField("trigger_end", l.triggerEnd());
            g.writeStringField("strategy", l.strategy());
            g.writeNumberField("train_from", l.trainFrom());
            g.writeNumberField("train_to", l.trainTo());
            g.writeNumberField("train_records", l.trainRecords());
            number(g, "candidate_metric", l.candidateMetric());
            number(g, "parent_metric", l.parentMetric());
            g.writeNumberField("seed", l.seed());
            g.writeNumberField("created", l.created());
            g.writeNumberField("train_millis", l.trainMillis());
            g.writeNumberField("epochs", l.epochs());
            g.writeEndObject();
            g.writeNumberField("format_version", encoded[4]);
            g.writeNumberField("bytes", encoded.length);
            g.writeStringField("checksum", String.format(Locale.ROOT, "%08x", crc));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(name, v);
        } else {
            g.writeNullField(name);
        }
    }
}
