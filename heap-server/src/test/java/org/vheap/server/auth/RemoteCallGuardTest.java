package org.vheap.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessSocketAddress;
import io.grpc.stub.MetadataUtils;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ListDevicesRequest;
import org.vheap.security.AccessTokens;
import org.vheap.security.BearerToken;
import org.vheap.server.testing.TestDatabase;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.store.AppTokens;
import org.vheap.server.store.DeviceTokens;

/**
 * Protected mode: without required tokens, heap and control calls from another machine are refused; calls
 * from this machine, health checks, and every call once tokens are required or remote calls allowed, are not.
 * (Tests reach the server over loopback only, so "another machine" is the address a gateway on this machine
 * names in {@code vheap-forwarded-for}, or a peer address given to {@link RemoteCallGuard#remoteCaller}.)
 */
class RemoteCallGuardTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @Test
    void theCallerIsThePeerOrWhomALocalGatewayNames() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("10.0.0.7"), 40000);
        assertThat(RemoteCallGuard.remoteCaller(loopback, null)).isNull();
        assertThat(RemoteCallGuard.remoteCaller(loopback, "127.0.0.1")).isNull();
        assertThat(RemoteCallGuard.remoteCaller(loopback, "::1")).isNull();
        assertThat(RemoteCallGuard.remoteCaller(loopback, "10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(RemoteCallGuard.remoteCaller(loopback, "evil.example")).as("names are not trusted").isEqualTo("evil.example");
        // a peer on another machine is judged by its own address, whatever it claims
        assertThat(RemoteCallGuard.remoteCaller(remote, "127.0.0.1")).isEqualTo("10.0.0.7");
        assertThat(RemoteCallGuard.remoteCaller(remote, null)).isEqualTo("10.0.0.7");
        assertThat(RemoteCallGuard.remoteCaller(new InProcessSocketAddress("test"), null)).isNull();
    }

    /** A server on loopback (the guard judges the TCP peer) over the run's database. */
    private static TestHeapServer server(AccessPolicy policy) {
        return TestHeapServer.onLoopback().commandTimeout(Duration.ofSeconds(5)).access(ds -> policy)
                .dataSource(DB.dataSource()).start();
    }

    private static Channel from(ManagedChannel channel, String forwardedFor, String token) {
        Metadata h = new Metadata();
        h.put(VheapHeaders.FORWARDED_FOR, forwardedFor);
        return BearerToken.attach(ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(h)), token);
    }

    @Test
    void withoutTokensOnlyThisMachineMayCallButAnyoneMayCheckHealth() throws Exception {
        try (TestHeapServer server = server(AccessPolicy.open(new AppTokens(DB.dataSource()), new DeviceTokens(DB.dataSource())))) {
            ManagedChannel channel = server.channel();
            HeapStoreGrpc.newBlockingStub(channel).listApps(ListAppsRequest.getDefaultInstance());   // loopback: fine
            Channel remote = from(channel, "10.1.2.3", null);
            for (Runnable call : new Runnable[] {
                () -> HeapStoreGrpc.newBlockingStub(remote).listApps(ListAppsRequest.getDefaultInstance()),
                () -> DeviceControlGrpc.newBlockingStub(remote).listDevices(ListDevicesRequest.getDefaultInstance())}) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("this heap server takes calls from other machines"
                            + " only with access tokens (this one came from 10.1.2.3): start it with --require-tokens,"
                            + " or with --allow-remote-without-tokens on a network you trust");
                });
            }
            assertThat(HealthGrpc.newBlockingStub(remote).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(ServingStatus.SERVING);
        }
    }

    @Test
    void remoteCallsAreTakenWhenAllowedOrWhenTokensAreRequired() throws Exception {
        String admin = AccessTokens.generate();
        AccessPolicy allowed = AccessPolicy.open(new AppTokens(DB.dataSource()), new DeviceTokens(DB.dataSource()))
                .allowingRemoteWithoutTokens();
        AccessPolicy tokens = new AccessPolicy(true, admin, new AppTokens(DB.dataSource()), new DeviceTokens(DB.dataSource()));
        assertThat(allowed.remoteGuard().active()).isFalse();
        assertThat(tokens.remoteGuard().active()).isFalse();
        for (AccessPolicy policy : new AccessPolicy[] {allowed, tokens}) {
            try (TestHeapServer server = server(policy)) {
                HeapStoreGrpc.newBlockingStub(from(server.channel(), "10.1.2.3", admin))
                        .listApps(ListAppsRequest.getDefaultInstance());
            }
        }
    }
}
