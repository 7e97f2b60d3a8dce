package io.driftguard.operators.functions;

import java.io.Serializable;
import java.util.Locale;

/**
 * How records of one key are cut into windows: by event time (a duration) or by record count.
 *
 * @param countBased true for count windows
 * @param size window length in milliseconds, or in records for count windows
 */
public record WindowSpec(boolean countBased, long size) implements Serializable {

    public WindowSpec {
        if (size <= 0) {
            throw new IllegalArgumentException("window size must be positive, got " + size);
        }
        if (countBased && size < 4) {
            throw new IllegalArgumentException("count windows need at least 4 records, got " + size);
        }
    }

    /** A count window of {@code n} records. */
    public static WindowSpec ofCount(long n) {
        return new WindowSpec(true, n);
    }

    /** A tumbling event-time window of {@code millis}. */
    public static WindowSpec ofMillis(long millis) {
        return new WindowSpec(false, millis);
    }

    /**
     * Start of the time window that holds {@code ts}: the largest multiple of the size at or
     * before it (windows are aligned to the epoch). Never overflows: a start below
     * {@code Long.MIN_VALUE} is {@code Long.MIN_VALUE}.
     */
    public long windowStart(long ts) {
        long q = Math.floorDiv(ts, size);
        long start = q * size;
        // q * size overflows only below Long.MIN_VALUE (floorDiv rounds toward minus infinity)
        return Math.multiplyHigh(q, size) == (start >> 63) ? start : Long.MIN_VALUE;
    }

    /**
     * Exclusive end of the time window that starts at {@code start}: {@code start + size}, or
     * {@code Long.MAX_VALUE} where that would overflow: the last window then ends at the end of
     * time, holds {@code Long.MAX_VALUE} itself, and its timer, at {@code end - 1}, fires when the
     * input ends.
     */
    public long windowEnd(long start) {
        return saturatedAdd(start, size);
    }

    /**
     * Start of the time window whose exclusive end is {@code end}, the inverse of
     * {@link #windowEnd}: {@code end - size}, except for the saturated end {@code Long.MAX_VALUE},
     * which belongs to the window holding {@code Long.MAX_VALUE - 1}.
     */
    public long startOfWindowEndingAt(long end) {
        if (end == Long.MAX_VALUE) {
            return windowStart(Long.MAX_VALUE - 1);
        }
        return saturatedAdd(end, -size);
    }

    /**
     * Which of {@code blocks} equal parts of a window an offset into it falls in: {@code offset *
     * blocks / size} (in records or milliseconds), exact wherever the product fits a long.
     *
     * @param offset position in the window, {@code 0 <= offset < size}
     */
    public int blockOf(long offset, int blocks) {
        if (offset <= Long.MAX_VALUE / blocks) {
            return (int) (offset * blocks / size);
        }
        return (int) Math.min(blocks - 1, (long) ((double) offset / size * blocks));
    }

    /** {@code a + b}, held at {@code Long.MAX_VALUE} or {@code Long.MIN_VALUE} instead of wrapping. */
    public static long saturatedAdd(long a, long b) {
        long r = a + b;
        // overflow iff both operands have the sign the result lacks
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /**
     * Parses {@code 500} (records) or a duration {@code 250ms}, {@code 30s}, {@code 10m},
     * {@code 1h}, {@code 1d}.
     *
     * @throws IllegalArgumentException with the accepted forms
     */
    public static WindowSpec parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty window size");
        }
        if (t.chars().allMatch(Character::isDigit)) {
            return ofCount(Long.parseLong(t));
        }
        return ofMillis(parseDurationMillis(t));
    }

    /**
     * Parses a duration with unit ms, s, m, h or d into milliseconds.
     *
     * @throws IllegalArgumentException on anything else
     */
    public static long parseDurationMillis(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i == t.length()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration (examples: 250ms, 30s, 10m, 1h, 1d)");
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration too long: " + text, e);
        }
        long unit =
                switch (t.substring(i)) {
                    case "ms" -> 1L;
                    case "s" -> 1_000L;
                    case "m", "min" -> 60_000L;
                    case "h" -> 3_600_000L;
                    case "d" -> 86_400_000L;
                    default -> throw new IllegalArgumentException(
                            "'" + text + "' has an unknown unit (use ms, s, m, h or d)");
                };
        if (n <= 0) {
            throw new IllegalArgumentException("duration must be positive: " + text);
        }
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration too long: " + text, e);
        }
    }

    @Override
    public String toString() {
        return countBased ? Long.toString(size) : size + "ms";
    }
}
