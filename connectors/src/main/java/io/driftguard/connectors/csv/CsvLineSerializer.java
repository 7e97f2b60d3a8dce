package io.driftguard.connectors.csv;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a {@link CsvLine}, which crosses the shuffle from the file reader to the
 * key's parser once per record. The text goes as its UTF-8 bytes: for the ASCII lines of a CSV
 * both directions are the JDK's bulk copy, where Flink's generic string serializer writes and
 * reads each character as a variable-length integer.
 *
 * <p>Format: the row (long), a flags byte (1: problem present, 2: raw bytes present), the text's
 * UTF-8 length (int) and bytes, then the problem as UTF-8 and the raw bytes, each with its length.
 * A line lives only in flight between two operators, never in keyed state.
 */
public final class CsvLineSerializer extends TypeSerializerSingleton<CsvLine> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the serializer is stateless). */
    public static final CsvLineSerializer INSTANCE = new CsvLineSerializer();

    private static final int HAS_PROBLEM = 1;
    private static final int HAS_RAW = 2;

    @Override
    public boolean isImmutableType() {
        return true; // records are immutable; raw bytes are never changed after reading
    }

    @Override
    public CsvLine createInstance() {
        return new CsvLine(0, "");
    }

    @Override
    public CsvLine copy(CsvLine from) {
        return from;
    }

    @Override
    public CsvLine copy(CsvLine from, CsvLine reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CsvLine line, DataOutputView out) throws IOException {
        out.writeLong(line.row());
        out.writeByte((line.problem() != null ? HAS_PROBLEM : 0) | (line.raw() != null ? HAS_RAW : 0));
        writeBytes(line.text().getBytes(StandardCharsets.UTF_8), out);
        if (line.problem() != null) {
            writeBytes(line.problem().getBytes(StandardCharsets.UTF_8), out);
        }
        if (line.raw() != null) {
            writeBytes(line.raw(), out);
        }
    }

    @Override
    public CsvLine deserialize(DataInputView in) throws IOException {
        long row = in.readLong();
        int flags = in.readByte();
        String text = new String(readBytes(in), StandardCharsets.UTF_8);
        String problem = (flags & HAS_PROBLEM) != 0 ? new String(readBytes(in), StandardCharsets.UTF_8) : null;
        byte[] raw = (flags & HAS_RAW) != 0 ? readBytes(in) : null;
        return new CsvLine(row, text, problem, raw);
    }

    @Override
    public CsvLine deserialize(CsvLine reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        out.writeLong(in.readLong());
        int flags = in.readByte();
        out.writeByte(flags);
        copyBytes(in, out);
        if ((flags & HAS_PROBLEM) != 0) {
            copyBytes(in, out);
        }
        if ((flags & HAS_RAW) != 0) {
            copyBytes(in, out);
        }
    }

    private static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative length " + n + " in a serialized CSV line");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static void copyBytes(DataInputView in, DataOutputView out) throws IOException {
        int n = in.readInt();
        out.writeInt(n);
        out.write(in, n);
    }

    @Override
    public TypeSerializerSnapshot<CsvLine> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the stateless serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CsvLine> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /**
     * Gives {@link CsvLine} this serializer wherever Flink derives its type ({@code
     * TypeInformation.of(CsvLine.class)}, lambdas, key selectors).
     */
    public static final class TypeFactory extends TypeInfoFactory<CsvLine> {
        @Override
        public TypeInformation<CsvLine> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new CsvLineTypeInfo();
        }
    }
}
