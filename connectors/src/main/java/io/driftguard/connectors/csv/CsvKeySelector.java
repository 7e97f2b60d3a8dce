package io.driftguard.connectors.csv;

import org.apache.flink.api.java.functions.KeySelector;

/**
 * Reads the key column of a raw CSV line without parsing the rest, so that lines can be
 * partitioned by key before they are parsed (in parallel, keeping each key's order).
 *
 * <p>Gives the same key as {@link CsvRecordParser} for every line the parser accepts (trimmed,
 * quotes removed); a line too short to hold the key column gets the empty key and is then
 * rejected by the parser.
 */
public final class CsvKeySelector implements KeySelector<CsvLine, String> {

    private static final long serialVersionUID = 1L;

    private final int keyIndex;

    public CsvKeySelector(CsvSchema schema) {
        this.keyIndex = schema.keyIndex();
    }

    @Override
    public String getKey(CsvLine line) {
        if (keyIndex < 0) {
            return CsvSchema.DEFAULT_KEY;
        }
        String t = line.text();
        int n = t.length();
        int col = 0;
        int i = 0;
        while (i <= n) {
            if (col == keyIndex) {
                return cell(t, i);
            }
            // skip one cell
            if (i < n && t.charAt(i) == '"') {
                i++;
                while (i < n) {
                    if (t.charAt(i) == '"') {
                        if (i + 1 < n && t.charAt(i + 1) == '"') {
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    i++;
                }
            }
            int comma = t.indexOf(',', i);
            if (comma < 0) {
                return "";
            }
            i = comma + 1;
            col++;
        }
        return "";
    }

    private static String cell(String t, int from) {
        if (from < t.length() && t.charAt(from) == '"') {
            StringBuilder sb = new StringBuilder();
            int i = from + 1;
            while (i < t.length()) {
                char c = t.charAt(i++);
                if (c == '"') {
                    if (i < t.length() && t.charAt(i) == '"') {
                        sb.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    sb.append(c);
                }
            }
            return sb.toString().trim();
        }
        int comma = t.indexOf(',', from);
        return t.substring(from, comma < 0 ? t.length() : comma).trim();
    }
}
