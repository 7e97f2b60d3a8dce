package io.driftguard.operators.functions;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/** Flink serializer of {@link OpenWindow} over its versioned byte format. */
public final class OpenWindowSerializer extends VersionedBytesSerializer<OpenWindow> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the serializer is stateless). */
    public static final OpenWindowSerializer INSTANCE = new OpenWindowSerializer();

    @Override
    byte[] toBytes(OpenWindow value) {
        return value.toBytes();
    }

    @Override
    OpenWindow fromBytes(byte[] bytes) {
        return OpenWindow.fromBytes(bytes);
    }

    @Override
    OpenWindow copyOf(OpenWindow value) {
        return value.copy();
    }

    @Override
    public TypeSerializerSnapshot<OpenWindow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the stateless serializer; the byte format carries its own version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<OpenWindow> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
