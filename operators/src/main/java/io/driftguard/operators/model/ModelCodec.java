package io.driftguard.operators.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte format of a model version, as stored on the models topic and in model directories.
 *
 * <pre>
 * offset  size  field
 * 0       4     magic "DGMV"
 * 4       1     format version (1, or 2 for a model reading previous labels)
 * 5       4     body length L (big-endian)
 * 9       L     body (below; big-endian, strings as Java modified UTF-8 with a 2-byte length)
 * 9+L     4     CRC-32C of bytes [0, 9+L)
 *
 * body: modelId, version (i64), status (u8: 0 accepted, 1 rejected, 2 revoked), reason,
 *       task (u8: 0 classification, 1 regression), class count (i32) and names,
 *       kind (u8: 0 linear, 1 mlp, 2 gru), inputs (i32), hidden count (i32) and sizes (i32 each),
 *       outputs (i32), steps (i32),
 *       feature count (i32), names, means (f64 each), standard deviations (f64 each),
 *       target mean (f64), target standard deviation (f64),
 *       [format 2 only: label inputs (i32), the last inputs of each record that are previous labels,
 *       see {@link FeatureSchema#labelInputs()}]
 *       tensor count (i32), per tensor: length (i32) and values (f32 each),
 *       effective from (i64),
 *       lineage: parent version (i64), trigger (u8, {@link Trigger} order), trigger start (i64),
 *       trigger end (i64), strategy, train from (i64), train to (i64), train records (i32),
 *       candidate metric (f64), parent metric (f64), seed (i64), created (i64),
 *       train millis (i64), epochs (i32)
 * </pre>
 *
 * <p>A model without previous-label inputs is written in format 1, byte for byte what release 0.1.0
 * wrote and reads; one with them in format 2, which older releases refuse as a newer format.
 *
 * <p>A record that is too short, has another magic, an unknown format version, a wrong checksum,
 * trailing bytes or an inconsistent shape is rejected with an {@link IllegalArgumentException}
 * whose message says which.
 */
public final class ModelCodec {

    /** The newest format version: format 1 plus the schema's label inputs. */
    public static final byte FORMAT_VERSION = 2;

    /** The format of models that read only the record's features. */
    static final byte FORMAT_FEATURES_ONLY = 1;

    private static final byte[] MAGIC = "DGMV".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 9;
    /** Refuses absurd lengths before allocating: 1 GiB. */
    private static final int MAX_BODY = 1 << 30;

    private ModelCodec() {}

    /** Encodes a model version. */
    public static byte[] encode(ModelArtifact m) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(1024 + 4 * (int) Math.min(1 << 26,
                m.architecture().parameterCount()));
        try (DataOutputStream out = new DataOutputStream(body)) {
            out.writeUTF(m.modelId());
            out.writeLong(m.version());
            out.writeByte(m.status().ordinal());
            out.writeUTF(m.reason());
            out.writeByte(m.task().ordinal());
            out.writeInt(m.classNames().length);
            for (String c : m.classNames()) {
                out.writeUTF(c);
            }
            Architecture a = m.architecture();
            out.writeByte(a.kind().ordinal());
            out.writeInt(a.inputs());
            int[] hidden = a.hidden();
            out.writeInt(hidden.length);
            for (int h : hidden) {
                out.writeInt(h);
            }
            out.writeInt(a.outputs());
            out.writeInt(a.steps());
            FeatureSchema s = m.schema();
            out.writeInt(s.dimension());
            for (String n : s.names()) {
                out.writeUTF(n);
            }
            for (double v : s.mean()) {
                out.writeDouble(v);
            }
            for (double v : s.std()) {
                out.writeDouble(v);
            }
            out.writeDouble(s.targetMean());
            out.writeDouble(s.targetStd());
            if (s.labelInputs() > 0) {
                out.writeInt(s.labelInputs());
            }
            out.writeInt(m.weights().length);
            for (float[] w : m.weights()) {
                out.writeInt(w.length);
                for (float v : w) {
                    out.writeFloat(v);
                }
            }
            out.writeLong(m.effectiveFrom());
            Lineage l = m.lineage();
            out.writeLong(l.parentVersion());
            out.writeByte(l.trigger().ordinal());
            out.writeLong(l.triggerStart());
            out.writeLong(l.triggerEnd());
            out.writeUTF(l.strategy());
            out.writeLong(l.trainFrom());
            out.writeLong(l.trainTo());
            out.writeInt(l.trainRecords());
            out.writeDouble(l.candidateMetric());
            out.writeDouble(l.parentMetric());
            out.writeLong(l.seed());
            out.writeLong(l.created());
            out.writeLong(l.trainMillis());
            out.writeInt(l.epochs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] b = body.toByteArray();
        ByteBuffer buf = ByteBuffer.allocate(HEADER + b.length + 4);
        buf.put(MAGIC).put(m.schema().labelInputs() > 0 ? FORMAT_VERSION : FORMAT_FEATURES_ONLY)
                .putInt(b.length).put(b);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, HEADER + b.length);
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /**
     * Decodes a model version.
     *
     * @throws IllegalArgumentException naming what is wrong with the bytes
     */
    public static ModelArtifact decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER + 4) {
            throw new IllegalArgumentException("corrupt model record: "
                    + (bytes == null ? "no bytes" : "only " + bytes.length + " bytes"));
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new IllegalArgumentException("not a model record: bad magic");
            }
        }
        byte format = bytes[4];
        if (format != FORMAT_FEATURES_ONLY && format != FORMAT_VERSION) {
            throw new IllegalArgumentException("incompatible model record: format version " + format
                    + ", this release reads " + FORMAT_FEATURES_ONLY + " to " + FORMAT_VERSION);
        }
        int len = ByteBuffer.wrap(bytes, 5, 4).getInt();
        if (len < 0 || len > MAX_BODY || HEADER + (long) len + 4 != bytes.length) {
            throw new IllegalArgumentException("corrupt model record: body length " + len + " in "
                    + bytes.length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, HEADER + len);
        int stored = ByteBuffer.wrap(bytes, HEADER + len, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IllegalArgumentException("corrupt model record: checksum mismatch");
        }
        ByteArrayInputStream raw = new ByteArrayInputStream(bytes, HEADER, len);
        try (DataInputStream in = new DataInputStream(raw)) {
            String modelId = in.readUTF();
            long version = in.readLong();
            ModelStatus status = pick(ModelStatus.values(), in.readUnsignedByte(), "status");
            String reason = in.readUTF();
            Task task = pick(Task.values(), in.readUnsignedByte(), "task");
            String[] classes = new String[count(in.readInt(), 65_536, "class count")];
            for (int i = 0; i < classes.length; i++) {
                classes[i] = in.readUTF();
            }
            ModelKind kind = pick(ModelKind.values(), in.readUnsignedByte(), "kind");
            int inputs = in.readInt();
            int[] hidden = new int[count(in.readInt(), 8, "hidden layer count")];
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = in.readInt();
            }
            int outputs = in.readInt();
            int steps = in.readInt();
            Architecture arch = new Architecture(kind, inputs, hidden, outputs, steps);
            int d = count(in.readInt(), 65_536, "feature count");
            String[] names = new String[d];
            for (int i = 0; i < d; i++) {
                names[i] = in.readUTF();
            }
            double[] mean = readDoubles(in, d);
            double[] std = readDoubles(in, d);
            double targetMean = in.readDouble();
            double targetStd = in.readDouble();
            int labelInputs = 0;
            if (format == FORMAT_VERSION) {
                labelInputs = in.readInt();
                if (labelInputs < 1 || labelInputs >= d) {
                    throw new IllegalArgumentException("corrupt model record: " + labelInputs + " label inputs of "
                            + d + " inputs");
                }
            }
            FeatureSchema schema = new FeatureSchema(names, mean, std, targetMean, targetStd, labelInputs);
            float[][] weights = new float[count(in.readInt(), 64, "tensor count")][];
            for (int t = 0; t < weights.length; t++) {
                float[] w = new float[count(in.readInt(), len / 4, "tensor length")];
                for (int i = 0; i < w.length; i++) {
                    w[i] = in.readFloat();
                }
                weights[t] = w;
            }
            long effectiveFrom = in.readLong();
            Lineage lineage = new Lineage(in.readLong(), pick(Trigger.values(), in.readUnsignedByte(), "trigger"),
                    in.readLong(), in.readLong(), in.readUTF(), in.readLong(), in.readLong(), in.readInt(),
                    in.readDouble(), in.readDouble(), in.readLong(), in.readLong(), in.readLong(), in.readInt());
            if (raw.available() != 0) {
                throw new IllegalArgumentException("corrupt model record: " + raw.available() + " trailing bytes");
            }
            return new ModelArtifact(modelId, version, status, reason, task, classes, arch, schema, weights,
                    effectiveFrom, lineage);
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt model record: truncated body", e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && (e.getMessage().startsWith("corrupt") || e.getMessage().startsWith("incompatible"))) {
                throw e;
            }
            throw new IllegalArgumentException("incompatible model record: " + e.getMessage(), e);
        }
    }

    private static double[] readDoubles(DataInputStream in, int n) throws IOException {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    private static int count(int n, int max, String what) {
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("corrupt model record: " + what + " " + n);
        }
        return n;
    }

    private static <E> E pick(E[] values, int ordinal, String what) {
        if (ordinal >= values.length) {
            throw new IllegalArgumentException("incompatible model record: unknown " + what + " " + ordinal);
        }
        return values[ordinal];
    }
}
