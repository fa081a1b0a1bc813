package org.vheap.device.vm.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The device's JDK's data files (its {@code java.home}: {@code conf/security/java.security}, {@code lib/tzdb.dat},
 * ...), read on behalf of the app's file system, which keeps what it reads in the heap. Only paths inside the JDK's
 * directory are answered; a path that leaves it, or that cannot be read, reads as absent.
 */
final class JdkData {
    /** Larger files (the JDK's {@code lib/modules}) are not data an app reads as a file: they are not listed. */
    static final long MAX_FILE = 16L << 20;
    private final Path home;

    JdkData(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    /**
     * The entries of directory {@code relative}, one per line: a directory's name and '/', a file's name, a tab and
     * its size (files too large to be data, and what cannot be read, left out); null when not a directory.
     */
    String list(String relative) {
        Path dir = resolve(relative);
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                if (Files.isDirectory(p)) {
                    b.append(p.getFileName()).append("/\n");
                } else if (Files.isRegularFile(p) && Files.isReadable(p) && Files.size(p) <= MAX_FILE) {
                    b.append(p.getFileName()).append('\t').append(Files.size(p)).append('\n');
                }
            }
        } catch (IOException e) {
            return null;
        }
        return b.toString();
    }

    /** The bytes of file {@code relative}, or null. */
    byte[] read(String relative) {
        Path file = resolve(relative);
        try {
            if (file == null || !Files.isRegularFile(file) || Files.size(file) > MAX_FILE) {
                return null;
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    private Path resolve(String relative) {
        Path p = home.resolve(relative).normalize();
        return p.startsWith(home) ? p : null;
    }
}
