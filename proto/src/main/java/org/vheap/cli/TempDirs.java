package org.vheap.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Deleting a temporary directory tree (a bench's embedded database, compiled samples): deepest paths first,
 * trying again for about five seconds while something (a stopping PostgreSQL) still writes in it.
 */
public final class TempDirs {
    private static final int ATTEMPTS = 20;
    private static final long PAUSE_MILLIS = 250;

    private TempDirs() {
    }

    /**
     * Deletes {@code dir} and everything below it; nothing to do if it does not exist. Throws an
     * IOException {@code could not delete DIR[: problem]} if it is still there after the last attempt (or
     * when interrupted, with the interrupt flag set again).
     */
    public static void deleteTree(Path dir) throws IOException {
        String problem = null;
        for (int attempt = 0; attempt < ATTEMPTS && Files.exists(dir); attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                problem = null;
            } catch (IOException | UncheckedIOException e) {
                problem = e.getMessage();
            }
        }
        if (Files.exists(dir)) {
            throw new IOException("could not delete " + dir + (problem == null ? "" : ": " + problem));
        }
    }
}
