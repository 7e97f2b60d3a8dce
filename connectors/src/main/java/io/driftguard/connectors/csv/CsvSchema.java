package io.driftguard.connectors.csv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * The roles of a CSV file's columns (DESIGN section 3): time, key, label and features.
 *
 * <p>Every column that is neither time, key nor label is a feature unless a feature list is
 * given. Column indices refer to the header row.
 *
 * @param header the header cells
 * @param timeIndex index of the time column, or -1 (time is then the 0-based row index)
 * @param keyIndex index of the key column, or -1 (one key, {@code "default"})
 * @param labelIndex index of the label column, or -1
 * @param featureIndices indices of the feature columns, in output order
 * @param featureNames names of the feature columns, in output order
 */
public record CsvSchema(
        List<String> header,
        int timeIndex,
        int keyIndex,
        int labelIndex,
        int[] featureIndices,
        String[] featureNames) implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The key given to every record of a file without a key column. */
    public static final String DEFAULT_KEY = "default";

    public CsvSchema {
        header = List.copyOf(header);
        Objects.requireNonNull(featureIndices, "featureIndices");
        Objects.requireNonNull(featureNames, "featureNames");
        if (featureIndices.length == 0) {
            throw new IllegalArgumentException("no feature columns");
        }
    }

    /**
     * Resolves column roles against a header.
     *
     * @throws IllegalArgumentException naming the missing column
     */
    public static CsvSchema resolve(
            List<String> header,
            @Nullable String timeCol,
            @Nullable String keyCol,
            @Nullable String labelCol,
            @Nullable List<String> features) {
        List<String> h = new ArrayList<>(header.size());
        for (String c : header) {
            h.add(c.trim());
        }
        int time = indexOf(h, timeCol, "--time-col");
        int key = indexOf(h, keyCol, "--key-col");
        int label = indexOf(h, labelCol, "--label-col");
        List<Integer> idx = new ArrayList<>();
        if (features != null && !features.isEmpty()) {
            for (String f : features) {
                idx.add(indexOf(h, f, "--features"));
            }
        } else {
            for (int i = 0; i < h.size(); i++) {
                if (i != time && i != key && i != label) {
                    idx.add(i);
                }
            }
        }
        int[] fi = idx.stream().mapToInt(Integer::intValue).toArray();
        String[] names = new String[fi.length];
        for (int i = 0; i < fi.length; i++) {
            names[i] = h.get(fi[i]);
        }
        return new CsvSchema(h, time, key, label, fi, names);
    }

    /**
     * Reads the header row of a file. Only the header line is decoded here: invalid UTF-8 further
     * down is a matter for the rows it is in.
     *
     * @throws IOException when the file cannot be read, is empty, or its header is not valid
     *     UTF-8 or too long; the message is one line naming the file
     */
    public static List<String> readHeader(Path file) throws IOException {
        try (Utf8LineReader r = new Utf8LineReader(Files.newInputStream(file))) {
            Utf8LineReader.Line header = r.next();
            if (header == null) {
                throw new IOException(file + ": empty file, expected a header row");
            }
            if (header.problem() != null) {
                throw new IOException(file + ":1: bad header: " + header.problem());
            }
            String line = header.text();
            if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            try {
                return CsvSplitter.split(line);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":1: bad header: " + e.getMessage(), e);
            }
        }
    }

    private static int indexOf(List<String> header, @Nullable String name, String option) {
        if (name == null || name.isEmpty()) {
            return -1;
        }
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(
                    option + " names column '" + name + "', which is not in the header " + header);
        }
        return i;
    }
}
