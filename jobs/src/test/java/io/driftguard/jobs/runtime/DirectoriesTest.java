package io.driftguard.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {

    @TempDir Path tmp;

    private Path tree() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/file.csv"), "x");
        Files.writeString(root.resolve("top.txt"), "y");
        return root;
    }

    @Test
    void deleteTreeRemovesTheDirectoryAndEverythingBelow() throws Exception {
        Path root = tree();
        Directories.deleteTree(root);
        assertThat(root).doesNotExist();
        assertThat(tmp).exists();
    }

    @Test
    void emptyKeepsTheDirectory() throws Exception {
        Path root = tree();
        Directories.empty(root);
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void aMissingDirectoryIsNoError() throws Exception {
        Directories.deleteTree(tmp.resolve("missing"));
        Directories.empty(tmp.resolve("missing"));
        assertThat(tmp.resolve("missing")).doesNotExist();
    }
}
