package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The integration tests' one helper: runs {@code ./vheap} commands as separate processes (a heap server on
 * the embedded PostgreSQL, devices, store commands) in a work directory, and compiles test apps.
 */
final class VheapProcesses implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private final Path work;
    private final Map<String, String> environment;
    private final List<Process> started = new ArrayList<>();

    VheapProcesses(Path work) {
        this(work, Map.of());
    }

    /** With these variables set for every command (e.g. {@code JAVA}: the java binary the launcher runs). */
    VheapProcesses(Path work, Map<String, String> environment) {
        this.work = work;
        this.environment = Map.copyOf(environment);
    }

    record Result(int exit, String output) {
    }

    /** A process started by {@link #start}: its stdout and stderr go to files. */
    record Started(Process process, Path out, Path err) {
        String output() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String errors() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /** Writes a command line to the process's stdin. */
        void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** Waits until stdout holds {@code text}; fails with both streams when the time runs out or the process dies. */
        void awaitOutput(String text, Duration timeout) throws Exception {
            awaitIn(out, text, timeout);
        }

        void awaitErrors(String text, Duration timeout) throws Exception {
            awaitIn(err, text, timeout);
        }

        private void awaitIn(Path file, String text, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no '" + text.strip() + "' within " + timeout + "\nstdout:\n" + tail(output())
                            + "\nstderr:\n" + tail(errors()));
                }
                Thread.sleep(20);
            }
        }

        /**
         * Waits until stdout or stderr holds {@code text} (a log line, whichever stream the logger writes); fails with
         * both streams when the process ends first or the time runs out.
         */
        void awaitLogged(String text, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!(output() + errors()).contains(text)) {
                assertThat(process.isAlive()).as(output() + errors()).isTrue();
                assertThat(System.nanoTime()).as("'%s' within %s", text, timeout).isLessThan(deadline);
                Thread.sleep(100);
            }
        }

        int awaitExit(Duration timeout) throws Exception {
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("process ended\n%s", tail(errors())).isTrue();
            return process.exitValue();
        }
    }

    static String tail(String s) {
        return s.length() > 3000 ? "..." + s.substring(s.length() - 3000) : s;
    }

    /** Runs a vheap command to its end (3 minutes at most). */
    Result vheap(String... args) throws Exception {
        Started s = start(args);
        s.process().getOutputStream().close();
        s.awaitExit(Duration.ofMinutes(3));
        return new Result(s.process().exitValue(), s.output() + s.errors());
    }

    /** Starts a vheap command in the background. */
    Started start(String... args) throws IOException {
        return startIn(null, args);
    }

    /** Starts a vheap command in the background inside {@code ns} (null: here). */
    Started startIn(NetNamespace ns, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("vheap").toString());
        cmd.addAll(List.of(args));
        long n = System.nanoTime();
        Path out = work.resolve("out-" + n + ".txt");
        Path err = work.resolve("err-" + n + ".txt");
        ProcessBuilder b = new ProcessBuilder(ns == null ? cmd : ns.command(cmd)).directory(work.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        b.environment().putAll(environment);
        Process p = b.start();
        synchronized (started) {
            started.add(p);
        }
        return new Started(p, out, err);
    }

    /** A heap server process and the address it listens on. */
    record Server(Started started, String address) {
    }

    /** Starts a heap server on a free loopback port; returns "127.0.0.1:PORT" once it listens. */
    String startServer(String... extra) throws Exception {
        return server(0, extra).address();
    }

    /** Starts a heap server on loopback port {@code port} (0: a free one) and waits until it listens. */
    Server server(int port, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("server", "--host", "127.0.0.1", "--port", Integer.toString(port)));
        if (!List.of(extra).contains("--db-url")) {
            args.addAll(List.of("--data", work.resolve("data").toString()));
        }
        args.addAll(List.of(extra));
        return listening(start(args.toArray(new String[0])));
    }

    /** Starts a gateway on a free loopback port ({@code ./vheap gateway --host 127.0.0.1 --port 0 ARGS}). */
    Server gateway(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("gateway", "--host", "127.0.0.1", "--port", "0"));
        args.addAll(List.of(extra));
        return listening(start(args.toArray(new String[0])));
    }

    /** Waits (5 minutes at most: a first start may build its module) until a server or gateway logs where it listens. */
    private static Server listening(Started process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(process.output() + process.errors());
            if (m.find()) {
                return new Server(process, "127.0.0.1:" + m.group(1));
            }
            assertThat(process.process().isAlive()).as(process.output() + process.errors()).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("it did not start: " + process.output() + process.errors());
    }

    /** A free TCP port on loopback (for a server that must keep its port across restarts). */
    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until the heap server (or gateway) at {@code address} answers its gRPC health check with SERVING. */
    static void awaitServing(String address, Duration timeout) throws InterruptedException {
        io.grpc.ManagedChannel ch = io.grpc.ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String last;
                try {
                    io.grpc.health.v1.HealthCheckResponse.ServingStatus status = io.grpc.health.v1.HealthGrpc.newBlockingStub(ch)
                            .withDeadlineAfter(2, TimeUnit.SECONDS)
                            .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance()).getStatus();
                    if (status == io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING) {
                        return;
                    }
                    last = status.toString();
                } catch (io.grpc.StatusRuntimeException e) {
                    last = e.getStatus().toString();
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(address + " did not serve within " + timeout + ": " + last);
                }
                Thread.sleep(200);
            }
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** The numbers of Tally's "count N" lines, in the order printed. */
    static List<Long> counts(String output) {
        return output.lines().filter(l -> l.startsWith("count ")).map(l -> Long.parseLong(l.substring(6).trim())).toList();
    }

    /** Compiles one source file (the app API on the class path) into its own directory. */
    Path compile(String className, String source) throws Exception {
        Path dir = Files.createTempDirectory(work, "classes-");
        Path src = dir.resolve(className + ".java");
        Files.writeString(src, source);
        String api = Path.of(org.vheap.api.Checkpoint.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-cp", api,
                "-d", dir.toString(), src.toString());
        assertThat(rc).isZero();
        Files.delete(src);
        return dir;
    }

    /** The app API's classes (a class path entry for apps that use it). */
    static String apiClassPath() throws Exception {
        return Path.of(org.vheap.api.Checkpoint.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Compiles a sample from samples/. */
    Path compileSample(String name) throws Exception {
        return compile(name, Files.readString(ROOT.resolve("samples").resolve(name + ".java")));
    }

    /** Kills every process still running (forcibly after a grace period). */
    @Override
    public void close() {
        synchronized (started) {
            for (Process p : started) {
                p.destroy();
            }
            for (Process p : started) {
                try {
                    if (!p.waitFor(15, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
