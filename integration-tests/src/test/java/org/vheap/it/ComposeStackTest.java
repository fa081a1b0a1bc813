package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    private static final Duration UP = Duration.ofMinutes(4);

    @TempDir
    Path work;
    private VheapProcesses vheap;
    private final String project = "vheapit" + ProcessHandle.current().pid();
    private final Map<String, String> env = new java.util.HashMap<>();
    private boolean up;

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
        if (up) {
            Run down = compose(Duration.ofMinutes(3), "down", "-v", "--timeout", "30");
            assertThat(down.exit()).as(down.output()).isZero();
            Run left = command(Duration.ofSeconds(30), "docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + project);
            assertThat(left.output().strip()).as("containers left by the stack").isEmpty();
        }
    }

    private record Run(int exit, String output) {
    }

    private Run command(Duration timeout, String... cmd) throws Exception {
        Path log = Files.createTempFile(work, "cmd-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", cmd) + " did not end within " + timeout + ":\n"
                    + VheapProcesses.tail(Files.readString(log, StandardCharsets.UTF_8)));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private Run compose(Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "-p", project,
                "-f", VheapProcesses.ROOT.resolve("deploy/compose.yaml").toString(),
                "-f", VheapProcesses.ROOT.resolve("deploy/compose.host-network.yaml").toString()));
        cmd.addAll(List.of(args));
        return command(timeout, cmd.toArray(new String[0]));
    }

    private String logs(String service) throws Exception {
        return compose(Duration.ofSeconds(60), "logs", "--no-color", service).output();
    }

    private void awaitLogs(String service, java.util.function.Predicate<String> condition, String what) throws Exception {
        long deadline = System.nanoTime() + UP.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = logs(service);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(service + ": no " + what + " within " + UP + ":\n" + VheapProcesses.tail(last));
    }

    /** The numbers a compose counter printed ("device-1_1  | 17"), in order. */
    private static List<Long> numbers(String logs) {
        List<Long> n = new ArrayList<>();
        for (String line : logs.lines().toList()) {
            int bar = line.indexOf('|');
            String text = bar < 0 ? line.strip() : line.substring(bar + 1).strip();
            if (text.matches("\\d{1,9}")) {
                n.add(Long.parseLong(text));
            }
        }
        return n;
    }

    @Test
    void theStackComesUpAndTheDemoRunsThroughTheGatewayAndADeviceContainerResumesItsApp() throws Exception {
        int gatewayPort = VheapProcesses.freePort();
        env.put("VHEAP_POSTGRES_IMAGE", DockerSupport.POSTGRES_IMAGE);
        env.put("VHEAP_BIND", "127.0.0.1");
        env.put("VHEAP_PG_PORT", Integer.toString(VheapProcesses.freePort()));
        env.put("VHEAP_SERVER_PORT", Integer.toString(VheapProcesses.freePort()));
        env.put("VHEAP_GATEWAY_PORT", Integer.toString(gatewayPort));
        int gatewayMetrics = VheapProcesses.freePort();
        env.put("VHEAP_GATEWAY_METRICS_PORT", Integer.toString(gatewayMetrics));
        env.put("VHEAP_SERVER_METRICS_PORT", Integer.toString(VheapProcesses.freePort()));
        vheap = new VheapProcesses(work);

        up = true;
        Run started = compose(UP, "up", "-d");
        assertThat(started.exit()).as(started.output()).isZero();
        String gateway = "127.0.0.1:" + gatewayPort;
        VheapProcesses.awaitServing(gateway, UP);
        awaitLogs("device-1", l -> numbers(l).size() >= 3, "counting");
        awaitLogs("device-2", l -> numbers(l).size() >= 3, "counting");

        VheapProcesses.Result devices = vheap.vheap("devices", "--server", gateway);
        assertThat(devices.exit()).as(devices.output()).isZero();
        assertThat(devices.output()).contains("device-1").contains("device-2").contains("counter-1");

        VheapProcesses.Result demo = vheap.vheap("demo", "--server", gateway);
        assertThat(demo.exit()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("together 1..40 with no gap or repeat").contains("migrated 'demo-counter'");

        // docker stop: the device suspends its app; docker start: the same container resumes it where it stopped
        Run stop = compose(Duration.ofMinutes(1), "stop", "device-1");
        assertThat(stop.exit()).as(stop.output()).isZero();
        assertThat(logs("device-1")).contains("app counter-1 suspended at checkpoint");
        List<Long> before = numbers(logs("device-1"));
        Run start = compose(Duration.ofMinutes(1), "start", "device-1");
        assertThat(start.exit()).as(start.output()).isZero();
        awaitLogs("device-1", l -> numbers(l).size() >= before.size() + 3, "counting after the restart");
        List<Long> after = numbers(logs("device-1"));
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
