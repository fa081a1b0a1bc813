package org.vheap.gateway;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helpers: a gateway on a loopback port, a channel to a port, a port nobody listens on. */
final class Gateways {
    private Gateways() {
    }

    static GatewayServer start(String... backends) throws IOException {
        GatewayConfig c = new GatewayConfig().setHost("127.0.0.1").setPort(0).setBackends(List.of(backends))
                .setDrain(Duration.ofSeconds(2));
        return new GatewayServer(GatewayServer.nettyBuilder(c), c).start();
    }

    static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** A loopback port that was free a moment ago: connecting to it is refused. */
    static int deadPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
