package io.driftguard.operators.functions;

import io.driftguard.operators.model.KeyScoring;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Flink serializer of a key's {@link KeyScoring} over its own versioned byte format. On the heap
 * backend the object is updated in place and written only at checkpoints.
 */
public final class KeyScoringSerializer extends VersionedBytesSerializer<KeyScoring> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the serializer is stateless). */
    public static final KeyScoringSerializer INSTANCE = new KeyScoringSerializer();

    @Override
    byte[] toBytes(KeyScoring value) {
        return value.toBytes();
    }

    @Override
    KeyScoring fromBytes(byte[] bytes) {
        return KeyScoring.fromBytes(bytes);
    }

    @Override
    KeyScoring copyOf(KeyScoring value) {
        return value.copy();
    }

    @Override
    public TypeSerializerSnapshot<KeyScoring> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the stateless serializer; the byte format carries its own version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KeyScoring> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
