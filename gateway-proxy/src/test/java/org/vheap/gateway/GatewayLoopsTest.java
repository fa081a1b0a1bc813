package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ListAppsRequest;

/** Calls are forwarded on the event loop they arrived on, over that loop's own channel to the backend. */
class GatewayLoopsTest {

    @Test
    void eachLoopKnowsItsLaneAndOtherThreadsGetTheFirst() throws Exception {
        try (GatewayLoops loops = new GatewayLoops(3)) {
            assertThat(loops.size()).isEqualTo(3);
            assertThat(loops.lane()).isZero();
            List<Integer> seen = new ArrayList<>();
            List<ManagedChannel> lanes = loops.lanes(loop -> {
                try {
                    seen.add(CompletableFuture.supplyAsync(loops::lane, loop).get(5, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return io.grpc.inprocess.InProcessChannelBuilder.forName("none").build();
            });
            assertThat(seen).containsExactly(0, 1, 2);
            assertThat(lanes).hasSize(3);
            lanes.forEach(ManagedChannel::shutdownNow);
        }
    }

    @Test
    void aGatewayNeedsAtLeastOneLoop() {
        assertThatThrownBy(() -> new GatewayConfig().setEventLoops(0)).hasMessageContaining("--event-loops must be 1..256");
        assertThatThrownBy(() -> new GatewayLoops(0)).hasMessageContaining("--event-loops must be at least 1");
    }

    @Test
    void manyDeviceConnectionsShareOneBackendConnectionPerLoop() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-lanes")) {
            GatewayServer gateway = Gateways.start(Gateways.config("127.0.0.1:" + backend.port()).setEventLoops(2));
            List<ManagedChannel> devices = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    ManagedChannel c = Gateways.channel(gateway.port());
                    devices.add(c);
                    for (int k = 0; k < 3; k++) {
                        assertThat(HeapStoreGrpc.newBlockingStub(c).listApps(ListAppsRequest.getDefaultInstance())
                                .getApps(0).getApp()).isEqualTo("fake-lanes");
                    }
                }
                assertThat(backend.calls.get()).isEqualTo(18);
                // six device connections, spread over two loops, reached the backend over two connections
                assertThat(backend.peers).hasSize(2);
            } finally {
                for (ManagedChannel c : devices) {
                    Gateways.close(c);
                }
                gateway.stop();
            }
        }
    }
}
