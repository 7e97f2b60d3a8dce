package io.driftguard.connectors.serde;

import com.fasterxml.jackson.core.io.NumberInput;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses record times: epoch milliseconds, ISO-8601, or {@code yyyy-MM-dd HH:mm:ss} in UTC. */
public final class Timestamps {

    private static final DateTimeFormatter SPACE_SEPARATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSS]");

    private Timestamps() {}

    /**
     * Returns epoch milliseconds for a time given as text.
     *
     * @throws IllegalArgumentException with a short reason when the text is no supported time
     */
    public static long parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("missing time");
        }
        char c0 = t.charAt(0);
        if ((c0 >= '0' && c0 <= '9' || c0 == '-') && isNumber(t)) {
            double v = NumberInput.parseDouble(t, true);
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("non-finite time '" + t + "'");
            }
            return (long) v;
        }
        try {
            if (t.indexOf('T') > 0) {
                if (t.endsWith("Z") || hasOffset(t)) {
                    return OffsetDateTime.parse(t).toInstant().toEpochMilli();
                }
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(t, SPACE_SEPARATED).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unparsable time '" + t + "'", e);
        }
    }

    /** Formats epoch milliseconds as an ISO-8601 instant in UTC. */
    public static String format(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
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
        return t.indexOf('-', 1) < 0 || t.indexOf('e') > 0 || t.indexOf('E') > 0;
    }
}
