package io.driftguard.jobs.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removing the scratch directories that the commands and local jobs create. */
public final class Directories {

    private Directories() {}

    /** Deletes {@code dir} and everything below it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        delete(dir, true);
    }

    /** Deletes everything below {@code dir} and keeps {@code dir}; nothing when it does not exist. */
    public static void empty(Path dir) throws IOException {
        delete(dir, false);
    }

    private static void delete(Path dir, boolean root) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            // children before their parents
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            if (root || !p.equals(dir)) {
                Files.deleteIfExists(p);
            }
        }
    }
}
