package org.vheap.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.vheap.server.store.HeapDatabase;
import org.vheap.server.store.PgHeapStore;
import org.vheap.server.store.StoreSettings;

/**
 * The one shared helper of the heap-server tests: a real embedded PostgreSQL shared by the whole test run
 * (started once, stopped when the run ends), a clock tests can move, unique app names and line contents.
 */
public final class TestHeaps {
    private static final AtomicLong NAMES = new AtomicLong();

    private TestHeaps() {
    }

    /** A unique app name for one test. */
    public static String app(String what) {
        return what + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    /** A line whose bytes all say {@code value}, so any mix-up is visible. */
    public static byte[] line(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        b[0] = (byte) (value >>> 8);
        return b;
    }

    /** The SHA-256 of these bytes: a system-segment blob's name. */
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
            throw new IllegalStateException(e);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock that stands still until a test moves it. */
    public static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        public void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /**
     * A JUnit extension giving a test class the run-wide embedded PostgreSQL (migrated), e.g.
     * {@code @RegisterExtension static final TestHeaps.Database DB = new TestHeaps.Database();}.
     */
    public static final class Database implements BeforeAllCallback {
        private volatile HeapDatabase database;

        @Override
        public void beforeAll(ExtensionContext context) {
            database = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent("vheap-embedded-postgres", k -> new Running(), Running.class).database;
        }

        public DataSource dataSource() {
            return database.dataSource();
        }

        /** A store on the shared database that reclaims before each call returns, so tests see the result. */
        public PgHeapStore store(Clock clock, StoreSettings settings) {
            return new PgHeapStore(database.dataSource(), clock, settings, Runnable::run);
        }

        /** Closed by JUnit when the run ends. */
        private static final class Running implements AutoCloseable {
            final Path dir = tempDir("vheap-test-db");
            final HeapDatabase database = HeapDatabase.embedded(dir, 8);

            @Override
            public void close() {
                database.close();
                deleteRecursively(dir);
            }
        }
    }
}
