package io.driftguard.operators.model;

import javax.annotation.Nullable;

/**
 * Everything a training run needs, as plain values: it crosses from the scoring operator to the
 * trainer. Rows are in time order, raw (not standardised).
 *
 * @param modelId the model id
 * @param version the version number proposed for the candidate (the newest known plus one)
 * @param parent the serving version to fine-tune from and to beat, or null (a first model: it
 *     must beat the prior)
 * @param classNames the class names the labels index (classification), else empty
 * @param featureNames the names of each record's inputs: its features, then the previous-label
 *     inputs (see {@link FeatureSchema#labelInputs()})
 * @param x raw inputs, {@code rows x (d * steps)}, records oldest first within a row, {@code d} the
 *     number of {@code featureNames}
 * @param y per row: class index, or the raw target
 * @param rows number of rows
 * @param firstTs time or index of the first row's record
 * @param lastTs time or index of the last row's record
 * @param trigger why
 * @param triggerStart start of the triggering window, or -1
 * @param triggerEnd end of the triggering window, or -1
 * @param effectiveFrom from when the new version serves if accepted
 * @param created the lineage's creation time
 * @param seed seed of this run
 * @param ref the key's labelled records before the change (the source domain), same layout as
 *     {@code x}/{@code y}; empty for a first model
 * @param unlabelled the key's unlabelled records after the change (inputs only), newest last
 * @param mu MEDA's dynamic factor of the triggering drift event, or NaN
 * @param past labelled samples the key kept of its earlier regimes, for the gate's check that a
 *     candidate does not forget them
 * @param labelInputs how many of {@code featureNames}, at the end, are the key's previous labels
 */
public record TrainingRequest(
        String modelId,
        long version,
        @Nullable ModelArtifact parent,
        String[] classNames,
        String[] featureNames,
        float[] x,
        float[] y,
        int rows,
        long firstTs,
        long lastTs,
        Trigger trigger,
        long triggerStart,
        long triggerEnd,
        long effectiveFrom,
        long created,
        long seed,
        Rows ref,
        Rows unlabelled,
        double mu,
        Rows past,
        int labelInputs) {

    /** A request whose inputs are the records' features only. */
    public TrainingRequest(String modelId, long version, @Nullable ModelArtifact parent, String[] classNames,
            String[] featureNames, float[] x, float[] y, int rows, long firstTs, long lastTs, Trigger trigger,
            long triggerStart, long triggerEnd, long effectiveFrom, long created, long seed, Rows ref,
            Rows unlabelled, double mu, Rows past) {
        this(modelId, version, parent, classNames, featureNames, x, y, rows, firstTs, lastTs, trigger, triggerStart,
                triggerEnd, effectiveFrom, created, seed, ref, unlabelled, mu, past, 0);
    }

    /**
     * Extra rows of a request: raw inputs, {@code rows x width}, and their labels (empty for
     * unlabelled rows).
     */
    public record Rows(float[] x, float[] y, int rows) {
        /** No rows. */
        public static final Rows EMPTY = new Rows(new float[0], new float[0], 0);
    }

    /**
     * The request as bytes (the parent in {@link ModelCodec}'s format), to cross operators: format 2
     * (what release 0.1.0 wrote) when it has no label inputs, else format 3 (format 2 and the label
     * inputs at the end).
     */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(64 + 4 * (x.length + y.length));
        try (java.io.DataOutputStream o = new java.io.DataOutputStream(b)) {
            o.writeByte(labelInputs > 0 ? 3 : 2);
            o.writeUTF(modelId);
            o.writeLong(version);
            byte[] p = parent == null ? new byte[0] : ModelCodec.encode(parent);
            o.writeInt(p.length);
            o.write(p);
            writeStrings(o, classNames);
            writeStrings(o, featureNames);
            o.writeInt(rows);
            o.writeInt(x.length);
            for (float v : x) {
                o.writeFloat(v);
            }
            for (float v : y) {
                o.writeFloat(v);
            }
            o.writeLong(firstTs);
            o.writeLong(lastTs);
            o.writeByte(trigger.ordinal());
            o.writeLong(triggerStart);
            o.writeLong(triggerEnd);
            o.writeLong(effectiveFrom);
            o.writeLong(created);
            o.writeLong(seed);
            writeRows(o, ref);
            writeRows(o, unlabelled);
            o.writeDouble(mu);
            writeRows(o, past);
            if (labelInputs > 0) {
                o.writeInt(labelInputs);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** Decodes {@link #toBytes()}. */
    public static TrainingRequest fromBytes(byte[] bytes) {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != 2 && format != 3) {
                throw new IllegalArgumentException("unknown training request format " + format);
            }
            String id = in.readUTF();
            long version = in.readLong();
            byte[] p = new byte[in.readInt()];
            in.readFully(p);
            ModelArtifact parent = p.length == 0 ? null : ModelCodec.decode(p);
            String[] classes = readStrings(in);
            String[] features = readStrings(in);
            int rows = in.readInt();
            float[] x = new float[in.readInt()];
            for (int i = 0; i < x.length; i++) {
                x[i] = in.readFloat();
            }
            float[] y = new float[rows];
            for (int i = 0; i < rows; i++) {
                y[i] = in.readFloat();
            }
            long firstTs = in.readLong();
            long lastTs = in.readLong();
            Trigger trigger = Trigger.values()[in.readByte()];
            long triggerStart = in.readLong();
            long triggerEnd = in.readLong();
            long effectiveFrom = in.readLong();
            long created = in.readLong();
            long seed = in.readLong();
            Rows ref = readRows(in);
            Rows unlabelled = readRows(in);
            double mu = in.readDouble();
            Rows past = readRows(in);
            int labelInputs = format == 3 ? in.readInt() : 0;
            return new TrainingRequest(id, version, parent, classes, features, x, y, rows, firstTs, lastTs, trigger,
                    triggerStart, triggerEnd, effectiveFrom, created, seed, ref, unlabelled, mu, past, labelInputs);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("truncated training request", e);
        }
    }

    private static void writeRows(java.io.DataOutputStream o, Rows r) throws java.io.IOException {
        o.writeInt(r.rows());
        o.writeInt(r.x().length);
        for (float v : r.x()) {
            o.writeFloat(v);
        }
        o.writeInt(r.y().length);
        for (float v : r.y()) {
            o.writeFloat(v);
        }
    }

    private static Rows readRows(java.io.DataInputStream in) throws java.io.IOException {
        int rows = in.readInt();
        float[] x = new float[in.readInt()];
        for (int i = 0; i < x.length; i++) {
            x[i] = in.readFloat();
        }
        float[] y = new float[in.readInt()];
        for (int i = 0; i < y.length; i++) {
            y[i] = in.readFloat();
        }
        return new Rows(x, y, rows);
    }

    private static void writeStrings(java.io.DataOutputStream o, String[] s) throws java.io.IOException {
        o.writeInt(s.length);
        for (String v : s) {
            o.writeUTF(v);
        }
    }

    private static String[] readStrings(java.io.DataInputStream in) throws java.io.IOException {
        String[] s = new String[in.readInt()];
        for (int i = 0; i < s.length; i++) {
            s[i] = in.readUTF();
        }
        return s;
    }
}
