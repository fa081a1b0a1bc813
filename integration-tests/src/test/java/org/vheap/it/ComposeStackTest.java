package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose stack of {@code deploy/compose.yaml} with its host-network override, as a user runs it
 * ({@code docker-compose up}): PostgreSQL, the heap server, the gateway and two devices counting; then the demo
 * through the gateway, a device container stopped (it suspends its app) and started again (it resumes it), and
 * {@code docker-compose down -v} leaving no container. And the same stack on Citus ({@code deploy/compose.citus.yaml}
 * over it): a coordinator and two workers of the Citus image, the one-shot node set-up, the heap server on the
 * coordinator; the demo (run, checkpoint, migrate, resume) through the gateway; the store's tables distributed by heap
 * and co-located, and each app's heap lines stored on one of the two workers, read there directly. Each test is
 * skipped with one line without Docker, its images (the Citus one from {@code deploy/citus-image.sh}) or
 * docker-compose; required in CI.
 */
class ComposeStackTest {
    @TempDir
    Path work;
    private VheapProcesses vheap;
    private ComposeStack stack;

    @AfterEach
    void down() throws Exception {
        try {
            if (vheap != null) {
                vheap.close();
            }
        } finally {
            if (stack != null) {
                stack.down();
            }
        }
    }

    @Test
    void theStackComesUpAndTheDemoRunsThroughTheGatewayAndADeviceContainerResumesItsApp() throws Exception {
        DockerSupport.assumeCompose("ComposeStackTest", DockerSupport.POSTGRES_IMAGE, DockerSupport.SERVER_IMAGE,
                DockerSupport.GATEWAY_IMAGE, DockerSupport.DEVICE_IMAGE);
        stack = new ComposeStack(work, "compose.yaml", "compose.host-network.yaml")
                .env("VHEAP_POSTGRES_IMAGE", DockerSupport.POSTGRES_IMAGE).env("VHEAP_BIND", "127.0.0.1");
        stack.port("VHEAP_PG_PORT");
        stack.port("VHEAP_SERVER_PORT");
        stack.port("VHEAP_SERVER_METRICS_PORT");
        int gatewayPort = stack.port("VHEAP_GATEWAY_PORT");
        int gatewayMetrics = stack.port("VHEAP_GATEWAY_METRICS_PORT");
        int console = stack.port("VHEAP_CONSOLE_PORT");
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

        // the heap server's web console, on the loopback address the stack was bound to: its apps and the devices
        // attached through the gateway
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> appsPage = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + console + "/apps")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(appsPage.statusCode()).isEqualTo(200);
        assertThat(appsPage.body()).contains("counter-1").contains("demo-counter");
        String cookie = appsPage.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        java.net.http.HttpResponse<String> devicesPage = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + console + "/devices")).header("Cookie", cookie).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(devicesPage.body()).contains("device-1").contains("device-2");
    }

    @Test
    void onACitusClusterTheDemoRunsAndEachAppsLinesAreOnAWorker() throws Exception {
        DockerSupport.assumeCompose("ComposeStackTest (Citus)", DockerSupport.CITUS_IMAGE, DockerSupport.SERVER_IMAGE,
                DockerSupport.GATEWAY_IMAGE, DockerSupport.DEVICE_IMAGE);
        stack = new ComposeStack(work, "compose.yaml", "compose.host-network.yaml", "compose.citus.yaml",
                "compose.citus.host-network.yaml")
                .env("VHEAP_CITUS_IMAGE", DockerSupport.CITUS_IMAGE).env("VHEAP_BIND", "127.0.0.1");
        int coordinatorPort = stack.port("VHEAP_PG_PORT");
        stack.port("VHEAP_CONSOLE_PORT");   // free, not the default 7780 another program may hold
        List<Integer> workerPorts = List.of(stack.port("VHEAP_CITUS_WORKER_1_PORT"), stack.port("VHEAP_CITUS_WORKER_2_PORT"));
        stack.port("VHEAP_SERVER_PORT");
        stack.port("VHEAP_SERVER_METRICS_PORT");
        stack.port("VHEAP_GATEWAY_METRICS_PORT");
        String gateway = "127.0.0.1:" + stack.port("VHEAP_GATEWAY_PORT");
        vheap = new VheapProcesses(work);
        stack.up();
        VheapProcesses.awaitServing(gateway, ComposeStack.UP);
        assertThat(stack.logs("heap-server")).containsPattern("\\(Citus [\\d.-]+: the store distributed by heap\\)");
        stack.awaitLogs("device-1", l -> ComposeStack.numbers(l).size() >= 3, "counting");
        stack.awaitLogs("device-2", l -> ComposeStack.numbers(l).size() >= 3, "counting");

        VheapProcesses.Result demo = vheap.vheap("demo", "--server", gateway);
        assertThat(demo.exit()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("together 1..40 with no gap or repeat").contains("migrated 'demo-counter'");

        try (Connection coordinator = connect(coordinatorPort); Statement st = coordinator.createStatement()) {
            Map<String, Integer> colocation = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT logicalrelid::text, colocationid FROM pg_dist_partition")) {
                while (rs.next()) {
                    colocation.put(rs.getString(1), rs.getInt(2));
                }
            }
            assertThat(colocation).containsKeys("heap", "checkpoint", "line_version", "app_token");
            assertThat(List.of(colocation.get("checkpoint"), colocation.get("line_version"), colocation.get("app_token")))
                    .as("per-app tables co-located with heap").containsOnly(colocation.get("heap"));
            List<Integer> active = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT node_port FROM citus_get_active_worker_nodes()")) {
                while (rs.next()) {
                    active.add(rs.getInt(1));
                }
            }
            assertThat(active).containsExactlyInAnyOrderElementsOf(workerPorts);

            for (String app : List.of("counter-1", "counter-2", "demo-counter")) {
                long heapId;
                long shard;
                int port;
                try (PreparedStatement ps = coordinator.prepareStatement("SELECT n.heap_id, s.shardid, s.nodeport"
                        + " FROM heap_name n JOIN citus_shards s ON s.table_name = 'line_version'::regclass"
                        + " AND s.shardid = get_shard_id_for_distribution_column('line_version', n.heap_id)"
                        + " WHERE n.app_name = ?")) {
                    ps.setString(1, app);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).as("%s in heap_name", app).isTrue();
                        heapId = rs.getLong(1);
                        shard = rs.getLong(2);
                        port = rs.getInt(3);
                    }
                }
                assertThat(workerPorts).as("the node holding %s's lines", app).contains(port);
                // read on the worker itself: the shard's table holds the app's lines
                try (Connection worker = connect(port); Statement ws = worker.createStatement();
                        ResultSet rs = ws.executeQuery("SELECT count(*) FROM line_version_" + shard + " WHERE heap_id = " + heapId)) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("%s's line versions on the worker at port %d", app, port).isPositive();
                }
            }
        }
    }

    private static Connection connect(int port) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/vheap", "vheap", "vheap");
    }
}
