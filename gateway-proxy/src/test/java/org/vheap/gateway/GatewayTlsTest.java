package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vheap.proto.v1.GetSystemBlobsRequest;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.OpenHeapResponse;
import org.vheap.proto.v1.PutSystemBlobsRequest;
import org.vheap.proto.v1.SystemBlob;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.security.AccessTokens;
import org.vheap.security.BearerToken;
import org.vheap.security.ClientTls;
import org.vheap.security.SelfSignedTls;
import org.vheap.security.ServerTlsSource;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;
import org.vheap.server.HeapServerSecurity;

/**
 * TLS on both hops: a device talks TLS to the gateway (its own self-signed pair), the gateway talks TLS to a
 * heap server (another pair) that requires tokens; the token travels through the gateway untouched. A gateway
 * that talks plaintext to that TLS server says so.
 */
class GatewayTlsTest {
    private static Path dir;
    private static HeapServerInstance heapServer;
    private static GatewayServer gateway;
    private static ManagedChannel device;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("vheap-gateway-tls");
        heapServer = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0).setDataDir(dir.resolve("data"))
                .setSecurity(new HeapServerSecurity().setTls(new ServerTlsSource().setSelfSignedDir(dir.resolve("server-tls")))
                        .setRequireTokens(true)
                        .setAdminTokenFile(dir.resolve("admin.token"))), Clock.systemUTC());
        admin = AccessTokens.read(dir.resolve("admin.token"), "--admin-token-file");
        GatewayConfig c = new GatewayConfig().setHost("127.0.0.1").setPort(0).setBackends(List.of("localhost:" + heapServer.port()))
                .setDrain(Duration.ofSeconds(2)).setSecurity(new GatewaySecurity()
                        .setServerTls(new ServerTlsSource().setSelfSignedDir(dir.resolve("gateway-tls")))
                        .setBackendTlsCa(dir.resolve("server-tls").resolve(SelfSignedTls.CERT_FILE)));
        gateway = GatewayServer.netty(c).start();
        ClientTls tls = ClientTls.trusting(dir.resolve("gateway-tls").resolve(SelfSignedTls.CERT_FILE));
        device = NettyChannelBuilder.forTarget("localhost:" + gateway.port(), tls.credentials()).intercept(tls.mismatchHints()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (device != null) {
            Gateways.close(device);
        }
        if (gateway != null) {
            gateway.stop();
        }
        if (heapServer != null) {
            heapServer.close();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static HeapStoreGrpc.HeapStoreBlockingStub stub(String token) {
        return HeapStoreGrpc.newBlockingStub(BearerToken.attach(device, token)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static Status failure(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void aDeviceWorksThroughTheGatewayOverTlsOnBothHopsWithItsToken() {
        String app = "gw-tls-" + ProcessHandle.current().pid();
        OpenHeapResponse open = stub(null).openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("d").setCreate(true)
                .setLineSize(64).build());
        String token = open.getAppToken();
        assertThat(token).startsWith("vht_");
        Line line = Line.newBuilder().setLineId(3).setData(ByteString.copyFrom(new byte[64])).build();
        long t = open.getLease().getFencingToken();
        stub(token).transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t).addWrites(line).build());
        TransactRequest read = TransactRequest.newBuilder().setApp(app).setFencingToken(t).addReadLineIds(3).build();
        assertThat(stub(token).transact(read).getLinesList()).containsExactly(line);

        Status none = failure(() -> stub(null).transact(read));
        assertThat(none.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(none.getDescription()).contains("needs its access token");
        assertThat(failure(() -> stub(token).listApps(ListAppsRequest.getDefaultInstance())).getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(stub(admin).listApps(ListAppsRequest.getDefaultInstance()).getAppsList())
                .anySatisfy(a -> assertThat(a.getApp()).isEqualTo(app));
    }

    @Test
    void theSystemCacheAnswersOnlyCallersWhoseTokenABackendAccepted() throws Exception {
        String app = "gw-cache-" + ProcessHandle.current().pid();
        String other = app + "-other";
        String token = stub(null).openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("d").setCreate(true)
                .setLineSize(64).build()).getAppToken();
        String otherToken = stub(null).openHeap(OpenHeapRequest.newBuilder().setApp(other).setDevice("d").setCreate(true)
                .setLineSize(64).build()).getAppToken();
        ByteString data = ByteString.copyFromUtf8("a class file of " + app);
        ByteString hash = ByteString.copyFrom(java.security.MessageDigest.getInstance("SHA-256").digest(data.toByteArray()));
        stub(token).putSystemBlobs(PutSystemBlobsRequest.newBuilder().setApp(app)
                .addBlobs(SystemBlob.newBuilder().setSha256(hash).setData(data)).build());
        GetSystemBlobsRequest get = GetSystemBlobsRequest.newBuilder().setApp(app).addSha256(hash).build();
        assertThat(stub(token).getSystemBlobs(get).getBlobs(0).getData()).isEqualTo(data);   // now in the gateway's cache
        assertThat(stub(token).getSystemBlobs(get).getBlobs(0).getData()).isEqualTo(data);

        // cached, but the gateway answers no one the heap server would refuse
        assertThat(failure(() -> stub(null).getSystemBlobs(get)).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(failure(() -> stub(otherToken).getSystemBlobs(get)).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(failure(() -> stub("vht_forged").getSystemBlobs(get)).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(stub(admin).getSystemBlobs(get).getBlobs(0).getData()).isEqualTo(data);
    }

    @Test
    void aGatewaySpeakingPlaintextToATlsBackendSaysSo() throws Exception {
        try (OpenGateway open = Gateways.open("127.0.0.1:" + heapServer.port())) {
            ManagedChannel ch = open.channel();
            Status s = failure(() -> HeapStoreGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listApps(ListAppsRequest.getDefaultInstance()));
            assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(s.getDescription()).contains("TLS mismatch (probably)");
        }
    }

    @Test
    void aPlaintextDeviceOfTheTlsGatewayIsToldWhy() throws Exception {
        ClientTls plain = ClientTls.plaintext();
        ManagedChannel ch = NettyChannelBuilder.forTarget("127.0.0.1:" + gateway.port(), plain.credentials())
                .intercept(plain.mismatchHints()).build();
        try {
            assertThatThrownBy(() -> HeapStoreGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listApps(ListAppsRequest.getDefaultInstance()))
                    .hasMessageContaining("UNAVAILABLE: TLS mismatch (probably)");
        } finally {
            Gateways.close(ch);
        }
    }
}
