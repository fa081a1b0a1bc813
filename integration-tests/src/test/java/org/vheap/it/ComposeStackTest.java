package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose stack of {@code deploy/compose.yaml} with its host-network override, as a user runs it
 * ({@code docker-compose up}): PostgreSQL, the heap server, the gateway and two devices counting; then the demo
 * through the gateway, a device container stopped (it suspends its app) and started again (it resumes it), and
 * {@code docker-compose down -v} leaving no container. Skipped with one line without Docker, the images or
 * docker-compose; required in CI.
 */
class ComposeStackTest {
    @TempDir
    Path work;
    private VheapProcesses vheap;
    private ComposeStack stack;

    @BeforeAll
    static void needsDockerCompose() {
        DockerSupport.assumeCompose("ComposeStackTest", DockerSupport.POSTGRES_IMAGE, DockerSupport.SERVER_IMAGE,
                DockerSupport.GATEWAY_IMAGE, DockerSupport.DEVICE_IMAGE);
    }

    @AfterEach
    void down() throws Exception {
        if (vheap != null) {
            vheap.close();
        }
        if (stack != null) {
            stack.down();
        }
    }

    @Test
    void theStackComesUpAndTheDemoRunsThroughTheGatewayAndADeviceContainerResumesItsApp() throws Exception {
        stack = new ComposeStack(work, "compose.yaml", "compose.host-network.yaml")
                .env("VHEAP_POSTGRES_IMAGE", DockerSupport.POSTGRES_IMAGE).env("VHEAP_BIND", "127.0.0.1");
        stack.port("VHEAP_PG_PORT");
        stack.port("VHEAP_SERVER_PORT");
        stack.port("VHEAP_SERVER_METRICS_PORT");
        int gatewayPort = stack.port("VHEAP_GATEWAY_PORT");
        int gatewayMetrics = stack.port("VHEAP_GATEWAY_METRICS_PORT");
        vheap = new VheapProcesses(work);
        stack.up();
        String gateway = "127.0.0.1:" + gatewayPort;
        VheapProcesses.awaitServing(gateway, ComposeStack.UP);
        stack.awaitLogs("device-1", l -> ComposeStack.numbers(l).size() >= 3, "counting");
        stack.awaitLogs("device-2", l -> ComposeStack.numbers(l).size() >= 3, "counting");

        VheapProcesses.Result devices = vheap.vheap("devices", "--server", gateway);
        assertThat(devices.exit()).as(devices.output()).isZero();
        assertThat(devices.output()).contains("device-1").contains("device-2").contains("counter-1");

        VheapProcesses.Result demo = vheap.vheap("demo", "--server", gateway);
        assertThat(demo.exit()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("together 1..40 with no gap or repeat").contains("migrated 'demo-counter'");

        // docker stop: the device suspends its app; docker start: the same container resumes it where it stopped
        ComposeStack.Run stop = stack.compose(Duration.ofMinutes(1), "stop", "device-1");
        assertThat(stop.exit()).as(stop.output()).isZero();
        assertThat(stack.logs("device-1")).contains("app counter-1 suspended at checkpoint");
        List<Long> before = ComposeStack.numbers(stack.logs("device-1"));
        ComposeStack.Run start = stack.compose(Duration.ofMinutes(1), "start", "device-1");
        assertThat(start.exit()).as(start.output()).isZero();
        stack.awaitLogs("device-1", l -> ComposeStack.numbers(l).size() >= before.size() + 3, "counting after the restart");
        List<Long> after = ComposeStack.numbers(stack.logs("device-1"));
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= after.size(); i++) {
            expected.add(i);
        }
        assertThat(after).as("counter-1 across the container's restart").isEqualTo(expected);

        VheapProcesses.Result apps = vheap.vheap("apps", "--server", gateway);
        assertThat(apps.exit()).as(apps.output()).isZero();
        assertThat(apps.output()).contains("counter-1").contains("counter-2").contains("demo-counter");

        // the gateway's Prometheus endpoint counted the devices' calls to the heap server behind it
        java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gatewayMetrics + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("vheap_gateway_backend_calls_total").contains("method=\"vheap.v1.HeapStore/Transact\"");
    }
}
