package org.vheap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole tree goes; a missing one is nothing to do. */
class TempDirsTest {
    @Test
    void deletesTheTreeAndIgnoresAMissingOne(@TempDir Path parent) throws Exception {
        Path dir = parent.resolve("data");
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/c.txt"), "c");
        Files.writeString(dir.resolve("top.txt"), "t");
        TempDirs.deleteTree(dir);
        assertThat(dir).doesNotExist();
        TempDirs.deleteTree(dir);
        assertThat(parent).exists();
    }
}
