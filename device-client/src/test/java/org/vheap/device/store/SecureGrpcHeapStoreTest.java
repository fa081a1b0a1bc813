package org.vheap.device.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.security.AccessTokens;
import org.vheap.security.ClientTls;
import org.vheap.security.SelfSignedTls;
import org.vheap.security.ServerTls;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.StoreException;

/**
 * A device's store client on a heap server that serves TLS (a self-signed pair made for the test) and
 * requires tokens, on the test run's database: a whole session (create, flush, checkpoint, reopen and read)
 * with the token the server issued, and the refusals without it.
 */
class SecureGrpcHeapStoreTest {
    /** The server's self-signed pair, made for this class. */
    private static final ServerTls PAIR = SelfSignedTls.ensure(TestHeaps.tempDir("vheap-device-tls"));

    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.onLoopback().tls(PAIR).requireTokens(AccessTokens.generate());

    private static final ClientTls tls = ClientTls.trusting(PAIR.certFile());

    @AfterAll
    static void removeThePair() {
        TestHeaps.deleteRecursively(PAIR.certFile().getParent());
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
        return new GrpcHeapStore("localhost:" + SERVER.port(), tls, tokens, Duration.ofSeconds(20));
    }

    @Test
    void aWholeSessionRunsOverTlsWithTheIssuedTokenAndNobodyElseGetsIn() {
        String app = TestHeaps.app("tls");
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
            assertThat(lines[0]).isEqualTo(TestHeaps.line(HeapStoreContractTest.LINE, 1));
            assertThat(lines[1]).isEqualTo(TestHeaps.line(HeapStoreContractTest.LINE, 2));
        }
        try (GrpcHeapStore none = store(AppTokenSource.NONE)) {
            HeapStoreContractTest.assertFails(() -> none.openHeap(HeapStoreContractTest.openAt(app, "dev-c", cp)),
                    StoreException.Reason.DENIED, "UNAUTHENTICATED: app '" + app + "' needs its access token");
        }
        String otherApp = TestHeaps.app("tls-other");
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
        try (GrpcHeapStore plain = new GrpcHeapStore(SERVER.target(), ClientTls.plaintext(), AppTokenSource.NONE,
                Duration.ofSeconds(5))) {
            HeapStoreContractTest.assertFails(() -> plain.openHeap(HeapStoreContractTest.open(TestHeaps.app("plain"), "d")),
                    StoreException.Reason.UNAVAILABLE, "TLS mismatch (probably)");
        }
    }
}
