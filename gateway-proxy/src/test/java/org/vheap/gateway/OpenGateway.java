package org.vheap.gateway;

import io.grpc.ManagedChannel;

/**
 * A started test gateway and a plaintext channel to it ({@link Gateways#open}), for a test's
 * try-with-resources: {@link #close()} shuts the channel down (waiting up to 5 s), then stops the gateway
 * (draining for the test configuration's 2 s at most), even if the channel's shutdown was interrupted.
 */
record OpenGateway(GatewayServer server, ManagedChannel channel) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
        try {
            Gateways.close(channel);
        } finally {
            server.stop();
        }
    }
}
