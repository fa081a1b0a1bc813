package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.inprocess.InProcessSocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ListAppsRequest;

/** The gateway tells the backend where each caller is (vheap-forwarded-for), and callers cannot say otherwise. */
class ForwardedForTest {

    private static String stamped(java.net.SocketAddress peer, String claimed) {
        Metadata h = new Metadata();
        if (claimed != null) {
            h.put(VheapHeaders.FORWARDED_FOR, claimed);
        }
        ProxyCallHandler.forwardedFor(h, peer);
        return h.containsKey(VheapHeaders.FORWARDED_FOR) ? String.join(",", h.getAll(VheapHeaders.FORWARDED_FOR)) : null;
    }

    @Test
    void aRemoteCallersClaimIsReplacedALocalForwardersIsKept() throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("10.0.0.9"), 50000);
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
        assertThat(stamped(remote, null)).isEqualTo("10.0.0.9");
        assertThat(stamped(remote, "127.0.0.1")).as("a remote caller cannot pass for a local one").isEqualTo("10.0.0.9");
        assertThat(stamped(local, null)).isEqualTo("127.0.0.1");
        assertThat(stamped(local, "10.2.3.4")).as("another gateway on this machine forwarded it").isEqualTo("10.2.3.4");
        assertThat(stamped(new InProcessSocketAddress("test"), null)).isNull();
    }

    @Test
    void theBackendHearsWhereTheCallerIs() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-forwarded");
             OpenGateway gw = Gateways.open("127.0.0.1:" + backend.port())) {
            HeapStoreGrpc.newBlockingStub(gw.channel()).listApps(ListAppsRequest.getDefaultInstance());
            assertThat(backend.lastHeaders.get().getAll(VheapHeaders.FORWARDED_FOR)).containsExactly("127.0.0.1");
        }
    }
}
