package io.driftguard.connectors.parse;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The cell texts that mean "missing value" (DESIGN section 3): a feature cell or JSON string equal
 * to one of them, ignoring case and surrounding white space, becomes {@code Double.NaN} in the
 * record rather than making the record a dead letter. The empty marker stands for an empty cell;
 * in JSON, the {@code null} marker also makes a JSON {@code null} feature missing.
 *
 * <p>Written as a comma-separated list, e.g. the default {@value #DEFAULT_SPEC}: empty, {@code NA},
 * {@code NaN} and {@code null}. A lookup compares only markers of the cell's length, so numeric
 * cells cost a length comparison or two.
 */
public final class MissingMarkers implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The default list: an empty cell, {@code NA}, {@code NaN} and {@code null}. */
    public static final String DEFAULT_SPEC = ",NA,NaN,null";

    /** The default markers. */
    public static final MissingMarkers DEFAULT = parse(DEFAULT_SPEC);

    /** No markers: every value must be a number. */
    public static final MissingMarkers NONE = new MissingMarkers(List.of());

    private final String[] markers; // trimmed, lower case
    private final boolean empty;
    private final boolean jsonNull;

    private MissingMarkers(List<String> markers) {
        this.markers = markers.toArray(new String[0]);
        this.empty = markers.contains("");
        this.jsonNull = markers.contains("null");
    }

    /**
     * Parses a comma-separated list of markers; an empty entry (leading, trailing or between two
     * commas) is the empty cell. The empty string itself is the empty cell alone.
     *
     * @throws IllegalArgumentException if a marker is a number (it could never be told apart from a
     *     value) or holds a quote
     */
    public static MissingMarkers parse(String spec) {
        if (spec == null) {
            return DEFAULT;
        }
        Set<String> set = new LinkedHashSet<>();
        for (String m : spec.split(",", -1)) {
            String t = m.trim().toLowerCase(Locale.ROOT);
            if (t.indexOf('"') >= 0) {
                throw new IllegalArgumentException("missing-value marker '" + m.trim() + "' holds a quote");
            }
            if (!t.isEmpty() && !t.equals("nan") && isNumber(t)) {
                throw new IllegalArgumentException(
                        "missing-value marker '" + m.trim() + "' is a number; it could not be told apart from a value");
            }
            set.add(t);
        }
        return new MissingMarkers(new ArrayList<>(set));
    }

    private static boolean isNumber(String t) {
        try {
            Double.parseDouble(t);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether the (possibly untrimmed) text is a missing-value marker. */
    public boolean isMissing(String text) {
        String t = text;
        int len = t.length();
        if (len > 0 && (Character.isWhitespace(t.charAt(0)) || Character.isWhitespace(t.charAt(len - 1)))) {
            t = t.trim();
            len = t.length();
        }
        if (len == 0) {
            return empty;
        }
        for (String m : markers) {
            if (m.length() == len && m.equalsIgnoreCase(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a JSON {@code null} feature value is missing (the {@code null} marker is listed). */
    public boolean nullIsMissing() {
        return jsonNull;
    }

    /** The markers as written by {@link #parse} (lower case, the empty cell as an empty entry). */
    public String spec() {
        return String.join(",", markers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MissingMarkers other && java.util.Arrays.equals(markers, other.markers);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(markers);
    }

    @Override
    public String toString() {
        return "MissingMarkers[" + spec() + "]";
    }
}
