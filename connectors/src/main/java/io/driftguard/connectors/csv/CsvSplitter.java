package io.driftguard.connectors.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one RFC 4180 line into cells: comma separated, fields optionally in double quotes with
 * {@code ""} as an escaped quote. Multi-line quoted fields are not supported (replayed series
 * are numeric).
 */
public final class CsvSplitter {

    private CsvSplitter() {}

    /**
     * Splits into {@code out} (cleared first) and returns it.
     *
     * @throws IllegalArgumentException on an unterminated quote
     */
    public static List<String> split(String line, List<String> out) {
        out.clear();
        int n = line.length();
        int i = 0;
        StringBuilder quoted = null;
        while (true) {
            if (i < n && line.charAt(i) == '"') {
                if (quoted == null) {
                    quoted = new StringBuilder();
                }
                quoted.setLength(0);
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated quote");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            quoted.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        quoted.append(c);
                    }
                }
                out.add(quoted.toString());
                if (i < n && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("text after closing quote");
                }
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                out.add(line.substring(i, end));
                i = end;
            }
            if (i >= n) {
                return out;
            }
            i++; // skip the comma
            if (i == n) {
                out.add("");
                return out;
            }
        }
    }

    /** Splits into a new list. */
    public static List<String> split(String line) {
        return split(line, new ArrayList<>());
    }
}
