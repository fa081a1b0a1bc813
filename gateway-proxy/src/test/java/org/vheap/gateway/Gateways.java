package org.vheap.gateway;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helpers: a gateway on a loopback port (alone, or with a channel to it: {@link OpenGateway}), a channel
 * to a port, a port nobody listens on.
 */
final class Gateways {
    private Gateways() {
    }

    static GatewayServer start(String... backends) throws IOException {
        return start(config(backends));
    }

    /** A test configuration: loopback, a free port, short drain, backends checked every 200 ms. */
    static GatewayConfig config(String... backends) {
        return new GatewayConfig().setHost("127.0.0.1").setPort(0).setBackends(List.of(backends))
                .setDrain(Duration.ofSeconds(2)).setHealthInterval(Duration.ofMillis(200));
    }

    static GatewayServer start(GatewayConfig c) throws IOException {
        return GatewayServer.netty(c).start();
    }

    /** A gateway of {@link #config} in front of {@code backends}, and a channel to it; closing closes both. */
    static OpenGateway open(String... backends) throws IOException {
        return open(config(backends));
    }

    /** A gateway of {@code c} and a channel to it; closing closes both. */
    static OpenGateway open(GatewayConfig c) throws IOException {
        GatewayServer server = start(c);
        return new OpenGateway(server, channel(server.port()));
    }

    /** Waits up to 10 s for {@code condition}; false if it never held. */
    static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** GET {@code http://127.0.0.1:PORT/metrics}: the Prometheus text. */
    static String metrics(int port) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET /metrics on port " + port + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    /** The sum of the samples of {@code name} whose labels contain every one of {@code labels} ({@code key="value"}). */
    static double sample(String metrics, String name, String... labels) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
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
