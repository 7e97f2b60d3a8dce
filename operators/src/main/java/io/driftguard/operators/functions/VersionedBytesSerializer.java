package io.driftguard.operators.functions;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A stateless Flink serializer of a type that has its own versioned byte format: each value is
 * written as its length and its bytes, so that checkpoints keep loading across format versions
 * (the type reads its older versions). Subclasses name the format and the copy.
 */
abstract class VersionedBytesSerializer<T> extends TypeSerializer<T> {

    private static final long serialVersionUID = 1L;

    /** The value's bytes in the current format version. */
    abstract byte[] toBytes(T value);

    /** A value from bytes of any released format version. */
    abstract T fromBytes(byte[] bytes);

    /** An independent copy (it may share parts that are never modified). */
    abstract T copyOf(T value);

    @Override
    public final boolean isImmutableType() {
        return false;
    }

    @Override
    public final TypeSerializer<T> duplicate() {
        return this;
    }

    @Override
    public final T createInstance() {
        return null;
    }

    @Override
    public final T copy(T from) {
        return copyOf(from);
    }

    @Override
    public final T copy(T from, T reuse) {
        return copyOf(from);
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final void serialize(T record, DataOutputView target) throws IOException {
        byte[] b = toBytes(record);
        target.writeInt(b.length);
        target.write(b);
    }

    @Override
    public final T deserialize(DataInputView source) throws IOException {
        byte[] b = new byte[source.readInt()];
        source.readFully(b);
        return fromBytes(b);
    }

    @Override
    public final T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public final void copy(DataInputView source, DataOutputView target) throws IOException {
        int n = source.readInt();
        target.writeInt(n);
        target.write(source, n);
    }

    @Override
    public final boolean equals(Object obj) {
        return obj != null && obj.getClass() == getClass();
    }

    @Override
    public final int hashCode() {
        return getClass().hashCode();
    }
}
