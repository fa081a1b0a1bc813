package org.vheap.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real TLS server whose certificate files are replaced while it runs. */
class TlsReloaderTest {
    @TempDir
    Path dir;

    private final List<String> infos = new CopyOnWriteArrayList<>();
    private final List<String> warns = new CopyOnWriteArrayList<>();

    /** A health check over a new connection trusting only {@code ca}; true when the handshake and call succeed. */
    private static boolean reachable(int port, Path ca) throws InterruptedException {
        ClientTls tls = ClientTls.trusting(ca);
        ManagedChannel c = NettyChannelBuilder.forTarget("localhost:" + port, tls.credentials()).build();
        try {
            HealthGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
            return true;
        } catch (StatusRuntimeException e) {
            return false;
        } finally {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void install(Path pairDir, Path live) throws Exception {
        Files.copy(pairDir.resolve(SelfSignedTls.KEY_FILE), live.resolve(SelfSignedTls.KEY_FILE), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pairDir.resolve(SelfSignedTls.CERT_FILE), live.resolve(SelfSignedTls.CERT_FILE), StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    @Test
    void aRenewedPairIsServedToNewConnectionsAndABadOneIsRefused() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path live = dir.resolve("live");
        SelfSignedTls.ensure(a);
        SelfSignedTls.ensure(b);
        Files.createDirectories(live);
        install(a, live);
        Path liveCert = live.resolve(SelfSignedTls.CERT_FILE);

        ServerTls tls = ServerTls.load(liveCert, live.resolve(SelfSignedTls.KEY_FILE));
        try (TlsReloader reloader = tls.reloading(Duration.ofMillis(100), infos::add, warns::add)) {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), reloader.credentials())
                    .addService(new HealthStatusManager().getHealthService()).build().start();
            try {
                assertThat(reachable(server.getPort(), a.resolve(SelfSignedTls.CERT_FILE))).isTrue();
                assertThat(reachable(server.getPort(), b.resolve(SelfSignedTls.CERT_FILE))).isFalse();

                install(b, live);
                assertThat(eventually(() -> infos.stream().anyMatch(l -> l.startsWith("TLS certificate reloaded from " + liveCert))))
                        .as("reloaded: " + infos + " " + warns).isTrue();
                assertThat(reachable(server.getPort(), b.resolve(SelfSignedTls.CERT_FILE))).isTrue();
                assertThat(reachable(server.getPort(), a.resolve(SelfSignedTls.CERT_FILE))).isFalse();

                // a broken certificate file is refused once; the pair served so far stays
                int reloads = infos.size();
                int warned = warns.size();   // replacing the pair file by file may have been refused halfway
                Files.writeString(liveCert, "not a certificate\n");
                assertThat(eventually(() -> warns.size() > warned)).isTrue();
                assertThat(warns.get(warns.size() - 1)).startsWith("the TLS files changed but do not make a good pair")
                        .contains(liveCert.toString());
                Thread.sleep(400);   // four more looks at the unchanged broken files
                assertThat(warns).as("reported once per change").hasSize(warned + 1);
                assertThat(infos).hasSize(reloads);
                assertThat(reachable(server.getPort(), b.resolve(SelfSignedTls.CERT_FILE))).isTrue();
            } finally {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theIntervalAndTheCombinationAreChecked() {
        assertThatThrownBy(() -> new ServerTlsSource().setReload(Duration.ofMillis(50)))
                .hasMessageContaining("--tls-reload must be 0 (off) or at least 100ms");
        assertThat(new ServerTlsSource().setReload(Duration.ZERO).reload()).isNull();
        assertThatThrownBy(() -> new ServerTlsSource().setReload(Duration.ofMinutes(5)).validate())
                .hasMessageContaining("--tls-reload needs TLS");
    }
}
