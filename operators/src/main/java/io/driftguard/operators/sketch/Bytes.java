package io.driftguard.operators.sketch;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/** Helpers for the sketches' explicit big-endian byte layouts. */
final class Bytes {
    private Bytes() {}

    /** Wraps bytes and checks the leading version byte and the type tag. */
    static ByteBuffer open(byte[] bytes, byte type, String what) {
        Checks.checkArgument(bytes != null, "%s bytes must not be null", what);
        Checks.checkArgument(bytes.length >= 2, "%s bytes too short: %s", what, bytes.length);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.get(); // version, read by the caller from bytes[0]
        byte t = buf.get();
        Checks.checkArgument(t == type, "%s bytes carry type tag %s, expected %s", what, t, type);
        return buf;
    }

    static void checkConsumed(ByteBuffer buf, String what) {
        Checks.checkArgument(
                !buf.hasRemaining(), "%s bytes have %s trailing bytes", what, buf.remaining());
    }

    static double[] getDoubles(ByteBuffer buf, int n) {
        double[] out = new double[n];
        buf.asDoubleBuffer().get(out);
        buf.position(buf.position() + 8 * n);
        return out;
    }

    static void putDoubles(ByteBuffer buf, double[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            buf.putDouble(values[i]);
        }
    }

    /**
     * Decodes bytes whose only released layout is version 1: checks the header, dispatches on the
     * version and turns a short buffer into an {@link IllegalArgumentException}.
     */
    static <T> T decodeV1(
            byte[] bytes, byte type, String what, byte v1, java.util.function.Function<ByteBuffer, T> readV1) {
        return decode(bytes, type, what, v1, (buf, version) -> readV1.apply(buf));
    }

    /**
     * Decodes bytes of any released layout, versions 1 to {@code newest}: checks the header, hands
     * the buffer and the version to {@code read} and turns a short buffer into an {@link
     * IllegalArgumentException}.
     */
    static <T> T decode(
            byte[] bytes,
            byte type,
            String what,
            byte newest,
            java.util.function.BiFunction<ByteBuffer, Byte, T> read) {
        ByteBuffer buf = open(bytes, type, what);
        byte version = bytes[0];
        if (version < 1 || version > newest) {
            throw new IllegalArgumentException(what + " bytes have unknown version " + version);
        }
        try {
            return read.apply(buf, version);
        } catch (BufferUnderflowException e) {
            throw truncated(what, e);
        }
    }

    static IllegalArgumentException truncated(String what, BufferUnderflowException e) {
        return new IllegalArgumentException(what + " bytes are truncated", e);
    }
}
