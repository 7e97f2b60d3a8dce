package io.driftguard.operators.functions;

import java.io.Serializable;
import java.util.Locale;

/**
 * Which earlier window(s) a closed window is compared against.
 *
 * <ul>
 *   <li>{@code previous}: the window just before;
 *   <li>{@code fixed}: a reference pooled from 8 windows (the key's first 8; after a confirmed
 *       change, the 8 that follow 6 settling windows), kept until the next confirmed change (so
 *       one change raises one alarm); decided by {@link
 *       io.driftguard.operators.detect.PooledReferenceDetector}, as the detection benchmark is;
 *   <li>{@code last-K}: the union of the K windows before (their reservoirs merged);
 *   <li>{@code seasonal:<period>}: the window one period earlier (same phase), e.g.
 *       {@code seasonal:1d} with hourly windows; for count windows the period is in records;
 *       decided by the same detector's seasonal mode.
 * </ul>
 *
 * @param kind the policy
 * @param windows K for last-K, the period in windows for seasonal, else 1
 * @param text the policy as written
 */
public record ReferencePolicy(Kind kind, int windows, String text) implements Serializable {

    /** The policies. */
    public enum Kind {
        PREVIOUS,
        FIXED,
        LAST_K,
        SEASONAL
    }

    public ReferencePolicy {
        if (windows < 1) {
            throw new IllegalArgumentException("reference needs at least one window: " + text);
        }
    }

    /**
     * Parses a policy against a window spec (a seasonal period must be a whole number of windows).
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static ReferencePolicy parse(String text, WindowSpec window) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("previous")) {
            return new ReferencePolicy(Kind.PREVIOUS, 1, t);
        }
        if (t.equals("fixed")) {
            return new ReferencePolicy(Kind.FIXED, 1, t);
        }
        if (t.startsWith("last-")) {
            int k;
            try {
                k = Integer.parseInt(t.substring(5));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': last-K needs a number, e.g. last-4");
            }
            if (k < 1 || k > 64) {
                throw new IllegalArgumentException("'" + text + "': K must be in 1..64");
            }
            return new ReferencePolicy(Kind.LAST_K, k, t);
        }
        if (t.startsWith("seasonal:")) {
            String p = t.substring("seasonal:".length());
            long period =
                    window.countBased()
                            ? parseCount(p, text)
                            : WindowSpec.parseDurationMillis(p);
            if (period % window.size() != 0 || period / window.size() < 1) {
                long n = Math.max(1, Math.round((double) period / window.size()));
                throw new IllegalArgumentException(
                        "'" + text + "': the period must be a whole number of windows of " + describe(window)
                                + "; the nearest is seasonal:" + describe(window, n * window.size())
                                + " (" + n + (n == 1 ? " window)" : " windows)"));
            }
            long w = period / window.size();
            if (w > 512) {
                throw new IllegalArgumentException("'" + text + "': at most 512 windows per period");
            }
            return new ReferencePolicy(Kind.SEASONAL, (int) w, t);
        }
        throw new IllegalArgumentException(
                "unknown reference '" + text + "' (use previous, fixed, last-K or seasonal:<period>)");
    }

    private static String describe(WindowSpec window) {
        return describe(window, window.size()) + (window.countBased() ? " records" : "");
    }

    /** A period in the window's units: a record count, or a duration in the largest whole unit. */
    private static String describe(WindowSpec window, long size) {
        if (window.countBased()) {
            return Long.toString(size);
        }
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (size % units[i] == 0) {
                return size / units[i] + names[i];
            }
        }
        return size + "ms";
    }

    private static long parseCount(String p, String text) {
        try {
            return Long.parseLong(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + text + "': with count windows the period is a record count");
        }
    }

    /**
     * How many closed window sketches must be kept to serve this policy ({@code fixed} and {@code
     * seasonal} keep their reference rows in their detector; the sketch kept for {@code fixed} is
     * the newest reference window's, for MEDA's mu).
     */
    public int windowsToKeep() {
        return switch (kind) {
            case PREVIOUS -> 1;
            case FIXED -> 1;
            case LAST_K, SEASONAL -> windows;
        };
    }
}
