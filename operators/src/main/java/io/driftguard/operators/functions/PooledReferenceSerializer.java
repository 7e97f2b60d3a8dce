package io.driftguard.operators.functions;

import io.driftguard.operators.detect.PooledReferenceDetector;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Flink serializer of a key's {@link PooledReferenceDetector} over the detector's own versioned
 * byte format. A copy shares the detector's window rows (never modified) and its cached reference
 * statistics, so that on the heap state backend the cache survives copy-on-write snapshots; after
 * a restore, or on a backend that stores bytes, the statistics are rebuilt from the stored rows.
 */
public final class PooledReferenceSerializer extends VersionedBytesSerializer<PooledReferenceDetector> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the serializer is stateless). */
    public static final PooledReferenceSerializer INSTANCE = new PooledReferenceSerializer();

    @Override
    byte[] toBytes(PooledReferenceDetector value) {
        return value.toBytes();
    }

    @Override
    PooledReferenceDetector fromBytes(byte[] bytes) {
        return PooledReferenceDetector.fromBytes(bytes);
    }

    @Override
    PooledReferenceDetector copyOf(PooledReferenceDetector value) {
        return value.copy();
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
