package org.vheap.device.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.TestStores;
import org.vheap.security.AccessTokens;
import org.vheap.security.ClientTls;
import org.vheap.security.SelfSignedTls;
import org.vheap.security.ServerTls;
import org.vheap.server.HeapServer;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.store.AppTokens;
import org.vheap.server.store.DeviceTokens;
import org.vheap.server.store.PgHeapStore;
import org.vheap.server.store.StoreSettings;
import org.vheap.store.StoreException;

/**
 * A device's store client on a heap server that serves TLS (a self-signed pair made for the test) and
 * requires tokens, on the test run's database: a whole session (create, flush, checkpoint, reopen and read)
 * with the token the server issued, and the refusals without it.
 */
class SecureGrpcHeapStoreTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();

    private static Path dir;
    private static HeapServer server;
    private static ClientTls tls;

    @BeforeAll
    static void start() throws Exception {
        dir = java.nio.file.Files.createTempDirectory("vheap-device-tls");
        ServerTls pair = SelfSignedTls.ensure(dir);
        PgHeapStore store = new PgHeapStore(SERVER.dataSource(), SERVER.clock(), StoreSettings.defaults(),
                Runnable::run);
        server = new HeapServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), pair.credentials()),
                store, Duration.ofSeconds(5), new AccessPolicy(true, AccessTokens.generate(), new AppTokens(SERVER.dataSource()), new DeviceTokens(SERVER.dataSource())))
                .start();
        tls = ClientTls.trusting(pair.certFile());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop(Duration.ofSeconds(5));
        java.nio.file.Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    /** Tokens kept in memory, as a device process keeps the ones it was given or issued. */
    static final class Tokens implements AppTokenSource {
        final Map<String, String> byApp = new ConcurrentHashMap<>();

        @Override
        public String tokenFor(String app) {
            return byApp.get(app);
        }

        @Override
        public void issued(String app, String token, boolean required) {
            byApp.put(app, token);
        }
    }

    private static GrpcHeapStore store(AppTokenSource tokens) {
        return new GrpcHeapStore("localhost:" + server.port(), tls, tokens, Duration.ofSeconds(20));
    }

    @Test
    void aWholeSessionRunsOverTlsWithTheIssuedTokenAndNobodyElseGetsIn() {
        String app = TestStores.app("tls");
        Tokens issued = new Tokens();
        long cp;
        try (GrpcHeapStore device = store(issued); HeapSession s = device.openHeap(HeapStoreContractTest.open(app, "dev-a"))) {
            assertThat(s.created()).isTrue();
            assertThat(issued.byApp.get(app)).startsWith("vht_");
            s.flush(List.of(HeapStoreContractTest.img(1, 1)), new long[0]);
            cp = s.commit(List.of(HeapStoreContractTest.img(2, 2)), new long[0], new byte[] {4, 2}, Map.of());
            assertThat(device.systemBlobs(app).missing(List.of())).isEmpty();
        }
        Tokens given = new Tokens();
        given.byApp.put(app, issued.byApp.get(app));
        try (GrpcHeapStore other = store(given);
             HeapSession s = other.openHeap(HeapStoreContractTest.openAt(app, "dev-b", cp))) {
            assertThat(s.baseVmState()).containsExactly(4, 2);
            byte[][] lines = s.read(new long[] {1, 2});
            assertThat(lines[0]).isEqualTo(TestStores.line(HeapStoreContractTest.LINE, 1));
            assertThat(lines[1]).isEqualTo(TestStores.line(HeapStoreContractTest.LINE, 2));
        }
        try (GrpcHeapStore none = store(AppTokenSource.NONE)) {
            HeapStoreContractTest.assertFails(() -> none.openHeap(HeapStoreContractTest.openAt(app, "dev-c", cp)),
                    StoreException.Reason.DENIED, "UNAUTHENTICATED: app '" + app + "' needs its access token");
        }
        String otherApp = TestStores.app("tls-other");
        Tokens otherTokens = new Tokens();
        try (GrpcHeapStore stranger = store(otherTokens)) {
            stranger.openHeap(HeapStoreContractTest.open(otherApp, "dev-x")).close();
            otherTokens.byApp.put(app, otherTokens.byApp.get(otherApp));   // another app's token for this app
            HeapStoreContractTest.assertFails(() -> stranger.openHeap(HeapStoreContractTest.openAt(app, "dev-x", cp)),
                    StoreException.Reason.DENIED, "PERMISSION_DENIED: the token given is not app '" + app + "''s");
        }
    }

    @Test
    void aPlaintextDeviceOfATlsServerIsToldItIsProbablyATlsMismatch() {
        try (GrpcHeapStore plain = new GrpcHeapStore("127.0.0.1:" + server.port(), ClientTls.plaintext(), AppTokenSource.NONE,
                Duration.ofSeconds(5))) {
            HeapStoreContractTest.assertFails(() -> plain.openHeap(HeapStoreContractTest.open(TestStores.app("plain"), "d")),
                    StoreException.Reason.UNAVAILABLE, "TLS mismatch (probably)");
        }
    }
}
