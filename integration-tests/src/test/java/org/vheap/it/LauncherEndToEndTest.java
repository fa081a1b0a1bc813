package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher end to end: {@code ./vheap} at the repository root, run as separate processes (a server on the
 * embedded PostgreSQL, store commands, a device, the secure demo with its two device processes). The plain demo
 * runs in {@link ReadmeQuickStartTest}, as the README's quick start.
 */
class LauncherEndToEndTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    @TempDir
    Path work;

    private record Result(int exit, String output) {
    }

    private Result vheap(String... args) throws Exception {
        return vheap(180, args);
    }

    private Result vheap(int seconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("vheap").toString());
        cmd.addAll(List.of(args));
        Path out = work.resolve("out-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as("vheap %s finished", String.join(" ", args)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private Path compileSample(String name) throws Exception {
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d",
                classes.toString(), ROOT.resolve("samples").resolve(name + ".java").toString());
        assertThat(rc).isZero();
        return classes;
    }

    /** The launcher says on stderr when it builds a module first (sources newer than the last build). */
    private static String withoutBuildNotice(String output) {
        return output.replaceAll("(?m)^vheap: building .*\\R", "");
    }

    private String hotspot(Path classes, String mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes.toString(), mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void aDeviceRunsAProgramOnTheInMemoryStoreThroughTheLauncher() throws Exception {
        Path classes = compileSample("Counter");
        Result r = vheap("device", "run", "--app", "counter", "--store", "memory", classes.toString(), "Counter", "3", "1");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(withoutBuildNotice(r.output())).isEqualTo(hotspot(classes, "Counter", "3", "1"));

        Result usage = vheap("device", "run", "--app", "counter", classes.toString(), "Counter");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(withoutBuildNotice(usage.output()).strip()).isEqualTo("vheap device run: give --server HOST:PORT, --store memory or --store flash:DIR (or flash:DIR and --server: the device's flash in front of the server)");
    }

    @Test
    void theSecureDemoRunsTheSameTourWithTlsAndTokens() throws Exception {
        Path data = work.resolve("secure-data");
        Result r = vheap(300, "demo", "--secure", "--data", data.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        String out = r.output();
        assertThat(out)
                .contains("with TLS and access tokens required")
                .contains("(TLS, certificate " + data.toAbsolutePath().resolve("tls/cert.pem"))
                .contains("./vheap apps without a token: UNAUTHENTICATED")
                .contains("device-a: " + data.toAbsolutePath().resolve("devices/device-a.token") + " (mode 600)");
        DemoStory.assertTold(out);
        // the app's token went where both devices look, written by device-a, read by device-b; all owner-only
        for (Path f : List.of(data.resolve("admin.token"), data.resolve("devices/device-b.token"),
                data.resolve("tokens/demo-counter.token"))) {
            assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(out).doesNotContain(Files.readString(data.resolve("tokens/demo-counter.token")).strip());

        Result both = vheap("demo", "--secure", "--server", "127.0.0.1:1");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(withoutBuildNotice(both.output()).strip()).contains("--secure starts its own server with TLS and tokens");
    }

    @Test
    void aServerStartedByTheLauncherServesTheStoreCommands() throws Exception {
        Path log = work.resolve("server.log");
        Process server = new ProcessBuilder(ROOT.resolve("vheap").toString(), "server", "--host", "127.0.0.1",
                "--port", "0", "--data", work.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("listening on") && System.nanoTime() < deadline) {
                assertThat(server.isAlive()).as(Files.readString(log)).isTrue();
                Thread.sleep(200);
            }
            Matcher listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(log));
            assertThat(listening.find()).as(Files.readString(log)).isTrue();
            int port = Integer.parseInt(listening.group(1));

            Result apps = vheap("apps", "--server", "127.0.0.1:" + port);
            assertThat(apps.exit()).as(apps.output()).isZero();
            assertThat(apps.output()).contains("no apps on 127.0.0.1:" + port);

            Result missing = vheap("checkpoints", "--app", "nothing-here", "--server", "127.0.0.1:" + port);
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.output().strip()).isEqualTo("vheap checkpoints: NOT_FOUND: no app named 'nothing-here'");

            // a device paging an app's heap through this server prints what HotSpot prints
            Path classes = compileSample("BigData");
            String expected = hotspot(classes, "BigData", "1", "2");
            Result device = vheap("device", "run", "--app", "big", "--server", "127.0.0.1:" + port, "--memory", "256k",
                    classes.toString(), "BigData", "1", "2");
            assertThat(device.exit()).as(device.output()).isZero();
            assertThat(withoutBuildNotice(device.output())).isEqualTo(expected);
            assertThat(vheap("apps", "--server", "127.0.0.1:" + port).output()).contains("big ");
        } finally {
            server.toHandle().destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(log)).contains("stopped");
    }
}
