package org.vheap.device;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.vheap.device.store.ForwardingSession;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.RunWideHeapServer;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The device-client tests' helper over the heap server's shared test fixtures
 * ({@code org.vheap.server.testing}, the heap server's test jar): unique app names, recognisable lines, a
 * clock tests move, the run's heap server (embedded PostgreSQL, loopback TCP) with a {@link GrpcHeapStore}
 * on it, and a {@link HeapSession} wrapper that fails on demand.
 */
public final class TestStores {
    private TestStores() {
    }

    /**
     * A JUnit extension giving a test class the run's heap server ({@link RunWideHeapServer}: on
     * {@code 127.0.0.1}, over the run's embedded PostgreSQL, started once and stopped when the run ends) and a
     * {@link GrpcHeapStore} on it. Its clock stands still until moved: tests that move it must do so only
     * forward and only past leases of their own apps.
     * {@code @RegisterExtension static final TestStores.Server SERVER = new TestStores.Server();}
     */
    public static final class Server implements BeforeAllCallback {
        private final RunWideHeapServer server = new RunWideHeapServer();
        private volatile GrpcHeapStore store;

        @Override
        public void beforeAll(ExtensionContext context) {
            server.beforeAll(context);
            store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent("vheap-device-test-store", k -> new RunWideStore(server.target()),
                            RunWideStore.class).store;
        }

        /** {@code 127.0.0.1:port}. */
        public String target() {
            return server.target();
        }

        public MutableClock clock() {
            return server.clock();
        }

        /** The server's database, for tests that run more servers over it (a restart on a port of their own). */
        public DataSource dataSource() {
            return server.dataSource();
        }

        /** A {@link GrpcHeapStore} on the server (20 s deadlines), shared by the run and closed with it. */
        public GrpcHeapStore store() {
            return store;
        }

        /** Asks the server's admin calls ({@code ListApps}, {@code ListCheckpoints}, ...) over a channel of its own. */
        public <T> T admin(java.util.function.Function<HeapStoreGrpc.HeapStoreBlockingStub, T> call) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(target()).usePlaintext().build();
            try {
                return call.apply(HeapStoreGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS));
            } finally {
                channel.shutdownNow();
            }
        }

        /** The run's store client; closed by JUnit when the run ends. */
        private static final class RunWideStore implements AutoCloseable {
            final GrpcHeapStore store;

            RunWideStore(String target) {
                store = new GrpcHeapStore(target, Duration.ofSeconds(20));
            }

            @Override
            public void close() {
                store.close();
            }
        }
    }

    /** {@code real}, each heap it opens wrapped in a {@link FlakySession} handed to {@code opened}. */
    public static HeapStore flaky(HeapStore real, java.util.function.Consumer<FlakySession> opened) {
        return new HeapStore() {
            @Override
            public HeapSession openHeap(OpenRequest request) {
                FlakySession s = new FlakySession(real.openHeap(request));
                opened.accept(s);
                return s;
            }

            @Override
            public SystemBlobStore systemBlobs(String app) {
                return real.systemBlobs(app);
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * A session that fails its next {@link #failNext(int) n} reads and writes with {@code UNAVAILABLE}
     * (or every one while {@link #down(boolean) down}) before they reach the real session, and counts the
     * calls that got through.
     */
    public static final class FlakySession extends ForwardingSession {
        private final AtomicInteger failuresLeft = new AtomicInteger();
        private volatile boolean down;
        private volatile int downAfterWrites = -1;
        private volatile long slowMillis;
        public final AtomicInteger reads = new AtomicInteger();
        public final AtomicInteger writes = new AtomicInteger();
        public final AtomicInteger refused = new AtomicInteger();
        /** Commits begun and not over: after {@link #down(boolean) down}, once 0, no commit can reach the store. */
        public final AtomicInteger commitsInFlight = new AtomicInteger();

        public FlakySession(HeapSession real) {
            super(real);
        }

        public void failNext(int n) {
            failuresLeft.set(n);
        }

        public void down(boolean down) {
            this.down = down;
        }

        /** Makes every write and commit take {@code millis} more: a server that takes calls, slowly. */
        public void slow(long millis) {
            slowMillis = millis;
        }

        /** Goes {@link #down(boolean) down} by itself once {@code n} writes got through. */
        public void downAfterWrites(int n) {
            downAfterWrites = n;
        }

        private void maybeFail(String what) {
            if (slowMillis > 0 && !what.equals("read")) {
                try {
                    Thread.sleep(slowMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException(StoreException.Reason.UNAVAILABLE, "test: interrupted (" + what + ")");
                }
            }
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
        public byte[][] read(long[] lineIds, byte[][] knownSha256) {
            return read(lineIds);
        }

        @Override
        public void flush(List<LineImage> lines, long[] deletes) {
            maybeFail("flush");
            real.flush(lines, deletes);
            if (writes.incrementAndGet() == downAfterWrites) {
                down = true;
            }
        }

        @Override
        public long commit(List<LineImage> lines, long[] deletes, byte[] vmState, Map<String, String> metadata) {
            commitsInFlight.incrementAndGet();
            try {
                maybeFail("commit");
                return real.commit(lines, deletes, vmState, metadata);
            } finally {
                commitsInFlight.decrementAndGet();
            }
        }
    }
}
