package org.vheap.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.vheap.server.testing.UnreachableServer;
import picocli.CommandLine;

/** Bad usage: exit code 2 and one line saying what to fix. */
class GatewayCliTest {

    private record Result(int exit, String err, String out) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cli = GatewayCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        return new Result(cli.execute(args), err.toString(), out.toString());
    }

    private static void assertOneLine(Result r, String expected) {
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("vheap gateway: ").contains(expected);
    }

    @Test
    void aBackendThatIsNotHostPort() {
        assertOneLine(run("--backend", "foo"), "--backend 'foo' is not HOST:PORT");
    }

    @Test
    void noBackend() {
        assertOneLine(run("--port", "7801"), "give at least one --backend HOST:PORT");
    }

    @Test
    void aPortOutOfRange() {
        assertOneLine(run("--backend", "127.0.0.1:7700", "--port", "70000"), "--port must be 0..65535, got 70000");
        assertOneLine(run("--backend", "127.0.0.1:7700", "--port", "x"), "--port");
    }

    @Test
    void badScaleOutOptions() {
        assertOneLine(run("--backend", "127.0.0.1:7700", "--system-cache", "12x"), "--system-cache '12x' is not a size");
        assertOneLine(run("--backend", "127.0.0.1:7700", "--health-interval", "soon"), "--health-interval 'soon' is not a duration");
        assertOneLine(run("--backend", "127.0.0.1:7700", "--health-interval", "10ms"), "--health-interval must be at least 100 ms");
        assertOneLine(run("--backend", "127.0.0.1:7700", "--device-rate", "-1"), "--device-rate must be 0");
        assertOneLine(run("--backend", "127.0.0.1:7700", "--max-inflight", "1m"), "--max-inflight (1048576) must be at least --max-message");
        assertOneLine(run("--backend", "127.0.0.1:7700", "--backend-timeout", "0s"), "--backend-timeout must be positive");
        assertOneLine(run("--backend", "127.0.0.1:7700", "--metrics-port", "7800"), "--metrics-port must differ from --port");
    }

    @Test
    void anUnknownOption() {
        assertOneLine(run("--backend", "127.0.0.1:7700", "--bogus"), "--bogus");
    }

    @Test
    void badUsageNamesTheCommandOnceAndPointsToItsHelp() {
        Result unknown = run("frob");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("vheap gateway: Unmatched argument at index 0: 'frob' (see: ./vheap gateway --help)");

        Result sub = run("health", "--bogus");
        assertThat(sub.exit()).isEqualTo(2);
        assertThat(sub.err().strip()).isEqualTo("vheap gateway health: Unknown option: '--bogus' (see: ./vheap gateway health --help)");
    }


    @Test
    void healthOfAGatewayWhereNothingListensSaysSoInOneLine() throws Exception {
        String nowhere = UnreachableServer.address();
        Result none = run("health", "--server", nowhere);
        assertThat(none.err()).isEqualTo("vheap gateway health: UNAVAILABLE: " + UnreachableServer.nothingAnswers(nowhere) + System.lineSeparator());
        assertThat(none.exit()).isEqualTo(1);
    }

    @Test
    void aGatewayWhoseBackendIsNotThereSaysNothingAnswersThere() throws Exception {
        String nowhere = UnreachableServer.address();
        org.vheap.gateway.GatewayConfig config = new org.vheap.gateway.GatewayConfig().setHost("127.0.0.1").setPort(0)
                .setBackends(java.util.List.of(nowhere)).setHealthInterval(java.time.Duration.ofMillis(200)).validate();
        org.vheap.gateway.GatewayServer gateway = org.vheap.gateway.GatewayServer.netty(config).start();
        io.grpc.ManagedChannel device = io.grpc.netty.NettyChannelBuilder.forTarget("127.0.0.1:" + gateway.port()).usePlaintext().build();
        try {
            String description = null;
            for (int i = 0; i < 50 && (description == null || !description.startsWith("no backend is up")); i++) {
                try {
                    org.vheap.proto.v1.HeapStoreGrpc.newBlockingStub(device).withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                            .listApps(org.vheap.proto.v1.ListAppsRequest.getDefaultInstance());
                } catch (io.grpc.StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                    description = e.getStatus().getDescription();
                }
                Thread.sleep(100);
            }
            assertThat(description).contains(UnreachableServer.nothingAnswers(nowhere)).doesNotContain("io exception");
        } finally {
            device.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            gateway.stop();
        }
    }

    @Test
    void healthSaysServingForAGatewayWithABackendUpAndFailsOtherwise() throws Exception {
        io.grpc.protobuf.services.HealthStatusManager backendHealth = new io.grpc.protobuf.services.HealthStatusManager();
        io.grpc.Server backend = io.grpc.netty.NettyServerBuilder.forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
                .addService(backendHealth.getHealthService()).build().start();
        org.vheap.gateway.GatewayConfig config = new org.vheap.gateway.GatewayConfig().setHost("127.0.0.1").setPort(0)
                .setBackends(java.util.List.of("127.0.0.1:" + backend.getPort()))
                .setHealthInterval(java.time.Duration.ofMillis(200)).validate();
        org.vheap.gateway.GatewayServer gateway = org.vheap.gateway.GatewayServer.netty(config).start();
        try {
            Result ok = run("health", "--server", "127.0.0.1:" + gateway.port());
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out().strip()).isEqualTo("127.0.0.1:" + gateway.port() + ": SERVING");

            backendHealth.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
            Result down = null;
            for (int i = 0; i < 50 && (down == null || down.exit() == 0); i++) {
                Thread.sleep(100);
                down = run("health", "--server", "127.0.0.1:" + gateway.port());
            }
            assertThat(down.exit()).isEqualTo(1);
            assertThat(down.out().strip()).isEqualTo("127.0.0.1:" + gateway.port() + ": NOT_SERVING");
        } finally {
            gateway.stop();
            backend.shutdownNow();
        }
        Result none = run("health", "--server", "127.0.0.1:1", "--timeout", "1");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).startsWith("vheap gateway health: UNAVAILABLE: nothing answers at 127.0.0.1:1");
        Result badServer = run("health", "--server", "nonsense");
        assertThat(badServer.exit()).isEqualTo(2);
        assertThat(badServer.err().strip()).isEqualTo("vheap gateway health: --server must be HOST:PORT, got 'nonsense'");
    }
}
