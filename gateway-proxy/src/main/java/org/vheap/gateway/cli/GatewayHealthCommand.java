package org.vheap.gateway.cli;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vheap gateway health}: asks a gateway (or heap server) for its gRPC health; exit 0 only for SERVING.
 * The gateway image's container health check (the image holds the gateway's classes, not the heap server's CLI).
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Ask a gateway (or heap server) for its gRPC health; exit 0 when SERVING (a container health check).")
final class GatewayHealthCommand implements Callable<Integer> {
    @Option(names = "--server", defaultValue = "127.0.0.1:7800", paramLabel = "HOST:PORT",
            description = "the gateway to ask (default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--timeout", defaultValue = "3", paramLabel = "SECONDS", description = "how long to wait (default: ${DEFAULT-VALUE} s)")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (!server.matches("[^:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("--server must be HOST:PORT, got '" + server + "'");
        }
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second, got " + timeoutSeconds);
        }
        ManagedChannel ch = ManagedChannelBuilder.forTarget(server).usePlaintext().build();
        try {
            HealthCheckResponse.ServingStatus status = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
            spec.commandLine().getOut().println(server + ": " + status);
            return status == HealthCheckResponse.ServingStatus.SERVING ? 0 : 1;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("vheap gateway health: " + server + ": " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()));
            return 1;
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
