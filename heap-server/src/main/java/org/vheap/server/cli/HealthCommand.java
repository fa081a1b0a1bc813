package org.vheap.server.cli;

import java.util.concurrent.Callable;
import org.vheap.cli.HealthCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vheap health}: asks a heap server (or gateway) for its gRPC health ({@code grpc.health.v1.Health/Check}).
 * Prints the status; exit 0 only for SERVING, so it serves as a container health check. The check is
 * {@link HealthCheck}'s; a failed call is reported as every store command's failures are.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Ask a heap server (or gateway) for its gRPC health; exit 0 when SERVING (a container health check).")
final class HealthCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;

    @Option(names = "--service", defaultValue = "", paramLabel = "NAME",
            description = "the service to ask about, e.g. vheap.v1.HeapStore (default: the server as a whole)")
    String service;

    @Mixin
    HealthCheck health;

    @Override
    public Integer call() {
        return health.check(target.server, service, target::channel);
    }
}
