package org.vheap.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.store.HeapSession;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The one shared helper of the device-client tests: unique app names, recognisable lines, a clock tests
 * move, a real heap server (embedded PostgreSQL, loopback TCP) shared by the whole test run, and a
 * {@link HeapSession} wrapper that fails on demand.
 */
public final class TestStores {
    private static final AtomicLong NAMES = new AtomicLong();

    private TestStores() {
    }

    /** A unique app name for one test (unique across runs on one server too). */
    public static String app(String what) {
        return what + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 1_000_000 + "-" + NAMES.incrementAndGet();
    }

    /** A line whose bytes all say {@code value}, so any mix-up is visible. */
    public static byte[] line(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        b[0] = (byte) (value >>> 8);
        return b;
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
     * A JUnit extension giving a test class the run-wide heap server on {@code 127.0.0.1} (port 0) over an
     * embedded PostgreSQL, started once and stopped when the run ends. Its clock is a {@link MutableClock}:
     * tests that move it must do so only forward and only past leases of their own apps.
     * {@code @RegisterExtension static final TestStores.Server SERVER = new TestStores.Server();}
     */
    public static final class Server implements BeforeAllCallback {
        private volatile Running running;

        @Override
        public void beforeAll(ExtensionContext context) {
            running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent("vheap-device-test-server", k -> new Running(), Running.class);
        }

        /** {@code 127.0.0.1:port}. */
        public String target() {
            return "127.0.0.1:" + running.server.port();
        }

        public MutableClock clock() {
            return running.clock;
        }

        /** The server's database, for tests that run more servers over it (a restart on a port of their own). */
        public DataSource dataSource() {
            return running.server.dataSource();
        }

        /** A {@link GrpcHeapStore} on the server (20 s deadlines), shared by the run and closed with it. */
        public GrpcHeapStore store() {
            return running.store;
        }

        /** Closed by JUnit when the run ends. */
        private static final class Running implements AutoCloseable {
            final MutableClock clock = new MutableClock();
            final Path dir;
            final HeapServerInstance server;
            final GrpcHeapStore store;

            Running() {
                try {
                    dir = Files.createTempDirectory("vheap-device-test-server");
                    server = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0)
                            .setDataDir(dir).setPoolSize(8), clock);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                store = new GrpcHeapStore("127.0.0.1:" + server.port(), Duration.ofSeconds(20));
            }

            @Override
            public void close() {
                store.close();
                server.close();
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /**
     * A session that fails its next {@link #failNext(int) n} reads and writes with {@code UNAVAILABLE}
     * (or every one while {@link #down(boolean) down}) before they reach the real session, and counts the
     * calls that got through.
     */
    public static final class FlakySession implements HeapSession {
        private final HeapSession real;
        private final AtomicInteger failuresLeft = new AtomicInteger();
        private volatile boolean down;
        public final AtomicInteger reads = new AtomicInteger();
        public final AtomicInteger writes = new AtomicInteger();
        public final AtomicInteger refused = new AtomicInteger();

        public FlakySession(HeapSession real) {
            this.real = real;
        }

        public void failNext(int n) {
            failuresLeft.set(n);
        }

        public void down(boolean down) {
            this.down = down;
        }

        private void maybeFail(String what) {
            if (down || failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.incrementAndGet();
                throw new StoreException(StoreException.Reason.UNAVAILABLE, "test: the store is unreachable (" + what + ")");
            }
        }

        @Override
        public byte[][] read(long[] lineIds) {
            maybeFail("read");
            byte[][] r = real.read(lineIds);
            reads.incrementAndGet();
            return r;
        }

        @Override
        public void flush(List<LineImage> lines, long[] deletes) {
            maybeFail("flush");
            real.flush(lines, deletes);
            writes.incrementAndGet();
        }

        @Override
        public long commit(List<LineImage> lines, long[] deletes, byte[] vmState, Map<String, String> metadata) {
            maybeFail("commit");
            return real.commit(lines, deletes, vmState, metadata);
        }

        @Override public String app() { return real.app(); }
        @Override public int lineSize() { return real.lineSize(); }
        @Override public boolean created() { return real.created(); }
        @Override public long baseCheckpointId() { return real.baseCheckpointId(); }
        @Override public byte[] baseVmState() { return real.baseVmState(); }
        @Override public long fencingToken() { return real.fencingToken(); }
        @Override public void renewLease() { real.renewLease(); }
        @Override public void close() { real.close(); }
    }
}
