package org.vheap.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** Test data for heaps: unique app names, recognisable lines, blobs the store does not have yet, temp dirs. */
public final class TestHeaps {
    private static final AtomicLong NAMES = new AtomicLong();

    private TestHeaps() {
    }

    /**
     * A unique app name for one test: unique within the run, and across runs against one database (the
     * process id and the time are in it).
     */
    public static String app(String what) {
        return what + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 1_000_000 + "-"
                + NAMES.incrementAndGet();
    }

    /** A line whose bytes all say {@code value}, so any mix-up is visible. */
    public static byte[] line(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        b[0] = (byte) (value >>> 8);
        return b;
    }

    /** The SHA-256 of these bytes: a system blob's name. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code size} (at least 8) random bytes that no other call in this test run returns: a blob the
     * store does not have yet.
     */
    public static byte[] uniqueBlob(int size) {
        long n = NAMES.incrementAndGet();
        byte[] b = new byte[size];
        new Random(n).nextBytes(b);
        ByteBuffer.wrap(b).putLong(n);
        return b;
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
