package org.vheap.server.cli;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vheap health}: asks a heap server (or gateway) for its gRPC health ({@code grpc.health.v1.Health/Check}).
 * Prints the status; exit 0 only for SERVING, so it serves as a container health check.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Ask a heap server (or gateway) for its gRPC health; exit 0 when SERVING (a container health check).")
final class HealthCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;

    @Option(names = "--service", defaultValue = "", paramLabel = "NAME",
            description = "the service to ask about, e.g. vheap.v1.HeapStore (default: the server as a whole)")
    String service;

    @Option(names = "--timeout", defaultValue = "3", paramLabel = "SECONDS", description = "how long to wait (default: ${DEFAULT-VALUE} s)")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second, got " + timeoutSeconds);
        }
        ManagedChannel ch = target.channel();
        try {
            HealthCheckResponse.ServingStatus status = HealthGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
            spec.commandLine().getOut().println(target.server + (service.isEmpty() ? "" : " " + service) + ": " + status);
            return status == HealthCheckResponse.ServingStatus.SERVING ? 0 : 1;
        } finally {
            StoreTarget.shutdown(ch);
        }
    }
}
