package org.vheap.gateway.cli;

import io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.Callable;
import org.vheap.cli.CliValues;
import org.vheap.cli.HealthCheck;
import org.vheap.security.ClientTls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vheap gateway health}: asks a gateway (or heap server) for its gRPC health; exit 0 only for SERVING.
 * The gateway image's container health check (the image holds the gateway's classes, not the heap server's CLI).
 * The check is {@link HealthCheck}'s, over a plaintext channel with the tree's status hints; a failed call is one
 * line as every command's failures are ({@code vheap gateway health: UNAVAILABLE: nothing answers at HOST:PORT
 * ...}), exit 1.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Ask a gateway (or heap server) for its gRPC health; exit 0 when SERVING (a container health check).")
final class GatewayHealthCommand implements Callable<Integer> {
    @Option(names = "--server", defaultValue = "127.0.0.1:7800", paramLabel = "HOST:PORT",
            description = "the gateway to ask (default: ${DEFAULT-VALUE})")
    String server;

    @Mixin
    HealthCheck health;

    @Override
    public Integer call() {
        String target = CliValues.hostPort("--server", server);
        ClientTls plain = ClientTls.plaintext();
        return health.check(target, "", () -> NettyChannelBuilder.forTarget(target, plain.credentials())
                .intercept(plain.mismatchHints()).build());
    }
}
