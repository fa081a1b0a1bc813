package org.vheap.cli;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The gRPC health check of {@code vheap health} and {@code vheap gateway health}, a container's health
 * check; a picocli mixin holding the {@code --timeout SECONDS} option (at least 1, default 3).
 * {@link #check} asks {@code grpc.health.v1.Health/Check} about a service ({@code ""}: the server as a
 * whole) within the timeout, prints {@code TARGET: STATUS} (or {@code TARGET SERVICE: STATUS}) to the
 * command's standard output and returns the exit code: 0 for SERVING, 1 for any other status. A call that fails (no server, an unknown service)
 * throws its StatusRuntimeException, for the command to report in its own words; a bad {@code --timeout}
 * throws IllegalArgumentException before any channel is opened.
 */
public final class HealthCheck {
    @Option(names = "--timeout", defaultValue = "3", paramLabel = "SECONDS", description = "how long to wait (default: ${DEFAULT-VALUE} s)")
    int timeoutSeconds;

    /** The command this mixin is part of: its output stream. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * Checks {@code service} of {@code target} over a channel from {@code channel} (opened after the
     * options are checked, and shut down after the call, waiting up to 5 s); prints the status line;
     * returns the exit code.
     */
    public int check(String target, String service, Supplier<ManagedChannel> channel) {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second, got " + timeoutSeconds);
        }
        ManagedChannel ch = channel.get();
        try {
            HealthCheckResponse.ServingStatus status = HealthGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
            command.commandLine().getOut().println(target + (service.isEmpty() ? "" : " " + service) + ": " + status);
            return status == HealthCheckResponse.ServingStatus.SERVING ? 0 : 1;
        } finally {
            ch.shutdownNow();
            try {
                ch.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
