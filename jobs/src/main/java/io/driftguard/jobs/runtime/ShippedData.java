package io.driftguard.jobs.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Access to the data sets shipped in the jar (see {@code datasets/README.md}). */
public final class ShippedData {

    /** INSECTS incremental-gradual, 8 features and the class; change centred at row 14,028. */
    public static final String INSECTS = "datasets/insects-gradual-8f.csv.gz";

    /** Row index around which the INSECTS change is centred. */
    public static final int INSECTS_CHANGE_ROW = 14_028;

    private ShippedData() {}

    /** Opens a shipped gzip'd CSV as text. */
    public static BufferedReader open(String resource) {
        InputStream in = ShippedData.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("shipped data set missing from the class path: " + resource);
        }
        try {
            return new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unpacks a shipped CSV into a file and returns its path. */
    public static Path extract(String resource, Path target) throws IOException {
        try (BufferedReader r = open(resource); var w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            r.transferTo(w);
        }
        return target;
    }
}
