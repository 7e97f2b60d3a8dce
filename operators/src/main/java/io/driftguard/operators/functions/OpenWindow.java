package io.driftguard.operators.functions;

import io.driftguard.operators.detect.ChangeBlocks;
import io.driftguard.operators.sketch.WindowSketch;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An open event-time window of one key as {@link WindowDriftFunction} keeps it in state: its
 * sketch and, once the key has a reference to measure records against, its {@link ChangeBlocks}
 * accumulator. One state entry per window, so that a record costs one state read and one write.
 *
 * <p>Byte layout, version 1 (big-endian): {@code [version=1:u8][hasBlocks:u8]}, then when 1 the
 * accumulator's doubles, then the {@link WindowSketch} bytes to the end.
 */
final class OpenWindow {
    static final byte VERSION_1 = 1;

    final WindowSketch sketch;
    /** The change-point accumulator; null until the key has a reference mean. */
    double[] blocks;

    OpenWindow(WindowSketch sketch, double[] blocks) {
        this.sketch = sketch;
        this.blocks = blocks;
    }

    byte[] toBytes() {
        byte[] s = sketch.toBytes();
        int n = 2 + (blocks == null ? 0 : 8 * blocks.length) + s.length;
        ByteBuffer buf = ByteBuffer.allocate(n).put(VERSION_1).put((byte) (blocks == null ? 0 : 1));
        if (blocks != null) {
            buf.asDoubleBuffer().put(blocks);
            buf.position(buf.position() + 8 * blocks.length);
        }
        return buf.put(s).array();
    }

    static OpenWindow fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length < 2 || bytes[0] != VERSION_1) {
            String version = bytes == null || bytes.length == 0 ? "(none)" : String.valueOf(bytes[0]);
            throw new IllegalArgumentException("open window bytes have an unknown version " + version);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
        double[] blocks = null;
        if (bytes[1] == 1) {
            blocks = ChangeBlocks.create();
            if (buf.remaining() < 8 * blocks.length) {
                throw new IllegalArgumentException("open window bytes end inside the change-point blocks");
            }
            buf.asDoubleBuffer().get(blocks);
            buf.position(buf.position() + 8 * blocks.length);
        } else if (bytes[1] != 0) {
            throw new IllegalArgumentException("bad change-point flag " + bytes[1]);
        }
        byte[] sketch = Arrays.copyOfRange(bytes, buf.position(), bytes.length);
        return new OpenWindow(WindowSketch.fromBytes(sketch), blocks);
    }

    OpenWindow copy() {
        return new OpenWindow(sketch.copy(), blocks == null ? null : blocks.clone());
    }
}
