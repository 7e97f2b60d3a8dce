package io.driftguard.operators.functions;

import io.driftguard.operators.detect.PooledReferenceDetector;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a key's {@link PooledReferenceDetector} over the detector's own versioned
 * byte format. A copy shares the detector's window rows (never modified) and its cached reference
 * statistics, so that on the heap state backend the cache survives copy-on-write snapshots; after
 * a restore, or on a backend that stores bytes, the statistics are rebuilt from the stored rows.
 */
public final class PooledReferenceSerializer extends TypeSerializer<PooledReferenceDetector> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the serializer is stateless). */
    public static final PooledReferenceSerializer INSTANCE = new PooledReferenceSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<PooledReferenceDetector> duplicate() {
        return this;
    }

    @Override
    public PooledReferenceDetector createInstance() {
        return null;
    }

    @Override
    public PooledReferenceDetector copy(PooledReferenceDetector from) {
        return from.copy();
    }

    @Override
    public PooledReferenceDetector copy(PooledReferenceDetector from, PooledReferenceDetector reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(PooledReferenceDetector record, DataOutputView target) throws IOException {
        byte[] b = record.toBytes();
        target.writeInt(b.length);
        target.write(b);
    }

    @Override
    public PooledReferenceDetector deserialize(DataInputView source) throws IOException {
        byte[] b = new byte[source.readInt()];
        source.readFully(b);
        return PooledReferenceDetector.fromBytes(b);
    }

    @Override
    public PooledReferenceDetector deserialize(PooledReferenceDetector reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int n = source.readInt();
        target.writeInt(n);
        target.write(source, n);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof PooledReferenceSerializer;
    }

    @Override
    public int hashCode() {
        return PooledReferenceSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<PooledReferenceDetector> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the stateless serializer; the byte format carries its own version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PooledReferenceDetector> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
