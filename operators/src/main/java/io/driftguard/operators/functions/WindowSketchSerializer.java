package io.driftguard.operators.functions;

import io.driftguard.operators.sketch.WindowSketch;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Flink serializer of {@link WindowSketch} over the sketch's own versioned byte format, so that
 * checkpoints keep loading across sketch format versions (the sketch reads its older versions).
 */
public final class WindowSketchSerializer extends VersionedBytesSerializer<WindowSketch> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the serializer is stateless). */
    public static final WindowSketchSerializer INSTANCE = new WindowSketchSerializer();

    @Override
    byte[] toBytes(WindowSketch value) {
        return value.toBytes();
    }

    @Override
    WindowSketch fromBytes(byte[] bytes) {
        return WindowSketch.fromBytes(bytes);
    }

    @Override
    WindowSketch copyOf(WindowSketch value) {
        return value.copy();
    }

    @Override
    public TypeSerializerSnapshot<WindowSketch> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the stateless serializer; the byte format carries its own version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<WindowSketch> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
