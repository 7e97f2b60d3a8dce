package io.driftguard.connectors.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * Reads lines of UTF-8 text one at a time, judging each line on its own: a line that is not valid
 * UTF-8, or longer than a limit, is returned with its problem and its bytes instead of failing the
 * whole read (a {@code Reader} decodes a buffer at a time, so one bad byte fails every line around
 * it, or is silently replaced).
 *
 * <p>Lines end at {@code \n}, {@code \r\n} or {@code \r}, as with {@code BufferedReader}. Not
 * thread-safe.
 */
public final class Utf8LineReader implements Closeable {

    /** Default longest line, in bytes: 1 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    /** Bytes of an over-long line kept for its dead letter. */
    public static final int KEPT_BYTES = 1 << 16;

    /**
     * One line.
     *
     * @param text the line as text; for a line with a problem, what could be decoded of it with
     *     invalid bytes as U+FFFD
     * @param problem why the line cannot be used as text, or null
     * @param raw the line's bytes when it has a problem (of an over-long line, its first
     *     {@value #KEPT_BYTES}), else null
     */
    public record Line(String text, @Nullable String problem, @Nullable byte[] raw) {
        public Line {
            Objects.requireNonNull(text, "text");
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private boolean skipLf;
    private boolean eof;
    private byte[] acc = new byte[256];
    private int accLen;
    private long lineLen;
    private CharsetDecoder strict;

    /**
     * @param in the bytes; closed by {@link #close()}
     * @param maxLineBytes longest usable line, in bytes without the terminator
     */
    public Utf8LineReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("max line bytes must be positive, got " + maxLineBytes);
        }
        this.in = Objects.requireNonNull(in, "in");
        this.maxLineBytes = maxLineBytes;
    }

    public Utf8LineReader(InputStream in) {
        this(in, DEFAULT_MAX_LINE_BYTES);
    }

    /** The next line, or null at the end of the input. */
    @Nullable
    public Line next() throws IOException {
        accLen = 0;
        lineLen = 0;
        while (true) {
            if (pos >= lim) {
                if (eof || !fill()) {
                    return lineLen > 0 ? finish(acc, 0, accLen) : null;
                }
            }
            if (skipLf) {
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            int i = start;
            while (i < lim && buf[i] != '\n' && buf[i] != '\r') {
                i++;
            }
            if (i < lim) {
                skipLf = buf[i] == '\r';
                pos = i + 1;
                if (lineLen == 0) {
                    // the common case: the whole line lies in the buffer
                    lineLen = i - start;
                    return finish(buf, start, i - start);
                }
                append(start, i);
                return finish(acc, 0, accLen);
            }
            append(start, lim);
            pos = lim;
        }
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            pos = lim = 0;
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    /** Keeps what the line's result needs: all of a usable line, the first bytes of a long one. */
    private void append(int from, int to) {
        int n = to - from;
        lineLen += n;
        int room = maxLineBytes - accLen;
        int take = Math.min(n, Math.max(room, 0));
        if (take > 0) {
            if (accLen + take > acc.length) {
                acc = Arrays.copyOf(acc, (int) Math.min(maxLineBytes, Math.max(accLen + take, 2L * acc.length)));
            }
            System.arraycopy(buf, from, acc, accLen, take);
            accLen += take;
        }
    }

    private Line finish(byte[] b, int off, int len) {
        if (lineLen > maxLineBytes) {
            int kept = Math.min(len, KEPT_BYTES);
            return new Line("", "line of " + lineLen + " bytes exceeds the limit of " + maxLineBytes + " bytes",
                    Arrays.copyOfRange(b, off, off + kept));
        }
        String s = new String(b, off, len, StandardCharsets.UTF_8);
        // the lenient decoder writes U+FFFD for each invalid sequence; a line without one is valid
        // UTF-8, and one with it is checked strictly (U+FFFD itself is valid text)
        if (s.indexOf('\uFFFD') < 0) {
            return new Line(s, null, null);
        }
        int bad = firstInvalidByte(b, off, len);
        if (bad < 0) {
            return new Line(s, null, null);
        }
        return new Line(s, "invalid UTF-8 at byte " + bad + " of the line", Arrays.copyOfRange(b, off, off + len));
    }

    /** Offset of the first byte of the first invalid sequence, or -1 when valid. */
    private int firstInvalidByte(byte[] b, int off, int len) {
        if (strict == null) {
            strict = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        try {
            strict.reset().decode(bb);
            return -1;
        } catch (CharacterCodingException e) {
            return bb.position() - off;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
