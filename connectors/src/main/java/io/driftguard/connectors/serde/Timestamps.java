package io.driftguard.connectors.serde;

import com.fasterxml.jackson.core.io.NumberInput;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Parses record times: epoch milliseconds, ISO-8601, or {@code yyyy-MM-dd HH:mm:ss} in UTC.
 *
 * <p>Only times from 1970-01-01T00:00:00Z ({@value #MIN_EPOCH_MILLIS}) to
 * 9999-12-31T23:59:59.999Z ({@value #MAX_EPOCH_MILLIS}) are accepted. Anything else (negative
 * epoch milliseconds, the year 10000, {@code 1e300}, a 40-digit number) is an absurd time: taken
 * as it is, it would carry the watermark far into the future, or past the range of a {@code long}
 * in window arithmetic, and every good record after it would be late.
 */
public final class Timestamps {

    /** The earliest accepted time: 1970-01-01T00:00:00Z. */
    public static final long MIN_EPOCH_MILLIS = 0L;

    /**
     * The latest accepted time, 9999-12-31T23:59:59.999Z: the last instant ISO-8601 writes with
     * four year digits, and far enough below {@code Long.MAX_VALUE} that a window of any duration
     * up to 290,000 years computes its end without overflow.
     */
    public static final long MAX_EPOCH_MILLIS = 253_402_300_799_999L;

    private static final DateTimeFormatter SPACE_SEPARATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSS]");

    /** Reasons quote at most this many characters of the input. */
    private static final int QUOTE_LIMIT = 48;

    private Timestamps() {}

    /**
     * Returns epoch milliseconds for a time given as text.
     *
     * @throws IllegalArgumentException with a short reason when the text is no supported time or
     *     an absurd one
     */
    public static long parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("missing time");
        }
        char c0 = t.charAt(0);
        if ((c0 >= '0' && c0 <= '9' || c0 == '-' || c0 == '+') && isNumber(t)) {
            return parseNumber(t);
        }
        long ms;
        try {
            if (t.indexOf('T') > 0) {
                if (t.endsWith("Z") || hasOffset(t)) {
                    ms = OffsetDateTime.parse(t).toInstant().toEpochMilli();
                } else {
                    ms = LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
                }
            } else if (t.length() == 10) {
                ms = LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } else {
                ms = LocalDateTime.parse(t, SPACE_SEPARATED).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
        } catch (DateTimeException | ArithmeticException e) {
            // DateTimeParseException, or an instant beyond the range of epoch milliseconds
            throw new IllegalArgumentException("unparsable time '" + quote(t) + "'", e);
        }
        return checkRange(ms, t);
    }

    /**
     * Checks epoch milliseconds given as a number.
     *
     * @param original the input as written, for the reason
     * @throws IllegalArgumentException when the time is before 1970 or after the year 9999
     */
    public static long checkRange(long epochMillis, String original) {
        if (epochMillis < MIN_EPOCH_MILLIS) {
            throw new IllegalArgumentException("time '" + quote(original) + "' is before 1970");
        }
        if (epochMillis > MAX_EPOCH_MILLIS) {
            throw new IllegalArgumentException(
                    "time '" + quote(original) + "' is after 9999-12-31T23:59:59.999Z");
        }
        return epochMillis;
    }

    /**
     * Checks epoch milliseconds given as a floating-point number (truncated toward zero).
     *
     * @param original the input as written, for the reason
     * @throws IllegalArgumentException when not finite, beyond a {@code long}, or out of range
     */
    public static long checkRange(double epochMillis, String original) {
        if (Double.isNaN(epochMillis)) {
            throw new IllegalArgumentException("non-finite time '" + quote(original) + "'");
        }
        // 2^63 is exact as a double; anything at or beyond it does not fit a long
        if (Math.abs(epochMillis) >= 0x1p63) {
            throw new IllegalArgumentException("time '" + quote(original) + "' overflows");
        }
        return checkRange((long) epochMillis, original);
    }

    /** Formats epoch milliseconds as an ISO-8601 instant in UTC. */
    public static String format(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /** The text itself when short, else its start and its length, for one-line reasons. */
    public static String quote(String text) {
        return text.length() <= QUOTE_LIMIT
                ? text
                : text.substring(0, QUOTE_LIMIT - 8) + "... (" + text.length() + " chars)";
    }

    private static long parseNumber(String t) {
        int digits = 0;
        boolean integral = true;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (i > 0 || c != '-' && c != '+') {
                integral = false;
            }
        }
        if (integral && digits > 0 && digits <= 18) {
            // exact, where a double would round above 2^53
            return checkRange(Long.parseLong(t), t);
        }
        double v;
        try {
            v = NumberInput.parseDouble(t, true);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unparsable time '" + quote(t) + "'", e);
        }
        return checkRange(v, t);
    }

    private static boolean hasOffset(String t) {
        int tIdx = t.indexOf('T');
        return t.indexOf('+', tIdx) > 0 || t.indexOf('-', tIdx) > 0;
    }

    private static boolean isNumber(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
                return false;
            }
        }
        // a date such as 2023-11-14 has a '-' after its first character and no exponent
        return t.indexOf('-', 1) < 0 || t.indexOf('e') > 0 || t.indexOf('E') > 0;
    }
}
