package org.vheap.gateway.cli;

import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import org.vheap.cli.HealthCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vheap gateway health}: asks a gateway (or heap server) for its gRPC health; exit 0 only for SERVING.
 * The gateway image's container health check (the image holds the gateway's classes, not the heap server's CLI).
 * The check is {@link HealthCheck}'s; a failed call prints {@code vheap gateway health: TARGET: CODE[: description]}
 * and exits with 1.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Ask a gateway (or heap server) for its gRPC health; exit 0 when SERVING (a container health check).")
final class GatewayHealthCommand implements Callable<Integer> {
    @Option(names = "--server", defaultValue = "127.0.0.1:7800", paramLabel = "HOST:PORT",
            description = "the gateway to ask (default: ${DEFAULT-VALUE})")
    String server;

    @Mixin
    HealthCheck health;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!server.matches("[^:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("--server must be HOST:PORT, got '" + server + "'");
        }
        try {
            return health.check(server, "", () -> ManagedChannelBuilder.forTarget(server).usePlaintext().build());
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("vheap gateway health: " + server + ": " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()));
            return 1;
        }
    }
}
