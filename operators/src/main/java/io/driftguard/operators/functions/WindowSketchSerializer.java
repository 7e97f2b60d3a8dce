package io.driftguard.operators.functions;

import io.driftguard.operators.sketch.WindowSketch;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link WindowSketch} over the sketch's own versioned byte format, so that
 * checkpoints keep loading across sketch format versions (the sketch reads its older versions).
 */
public final class WindowSketchSerializer extends TypeSerializer<WindowSketch> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the serializer is stateless). */
    public static final WindowSketchSerializer INSTANCE = new WindowSketchSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<WindowSketch> duplicate() {
        return this;
    }

    @Override
    public WindowSketch createInstance() {
        return null;
    }

    @Override
    public WindowSketch copy(WindowSketch from) {
        return from.copy();
    }

    @Override
    public WindowSketch copy(WindowSketch from, WindowSketch reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(WindowSketch record, DataOutputView target) throws IOException {
        byte[] b = record.toBytes();
        target.writeInt(b.length);
        target.write(b);
    }

    @Override
    public WindowSketch deserialize(DataInputView source) throws IOException {
        byte[] b = new byte[source.readInt()];
        source.readFully(b);
        return WindowSketch.fromBytes(b);
    }

    @Override
    public WindowSketch deserialize(WindowSketch reuse, DataInputView source) throws IOException {
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
        return obj instanceof WindowSketchSerializer;
    }

    @Override
    public int hashCode() {
        return WindowSketchSerializer.class.hashCode();
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
