package org.vheap.server.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.vheap.cli.OneLineErrors;
import org.vheap.cli.TempDirs;
import org.vheap.cli.VheapHome;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.ListCheckpointsResponse;
import org.vheap.proto.v1.MigrateAppRequest;
import org.vheap.proto.v1.MigrateAppResponse;
import org.vheap.proto.v1.ResetDeviceTokenRequest;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The newcomer's first command: the whole story with every part real. A heap server on the embedded
 * database (in this process); two emulated devices as separate processes ({@code ./vheap device start});
 * the counter sample started on device-a, migrated mid-run to device-b through the control plane, and
 * finishing there with no number lost or repeated; the checkpoints it left in the store (the migration's, and
 * any of the devices' periodic ones: every 10 s by default); a clean stop.
 * Any failure is one line ({@code vheap demo: ...}, exit 1), with the devices killed. With {@code --server} the
 * tour runs against a heap server (or gateway) that is already up, such as the compose stack's.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a heap server on the embedded database and two emulated devices, run the counter sample on "
                + "device-a, migrate it mid-run to device-b, check that no number was lost or repeated, list its "
                + "checkpoints, and stop everything."})
final class DemoCommand implements Callable<Integer> {
    private static final String APP = "demo-counter";
    private static final int COUNT = 40;
    private static final int SLEEP_MILLIS = 150;
    private static final int MIGRATE_AFTER = 8;
    private static final long ATTACH_SECONDS = 120;
    /** How long the tour waits for the devices' warm-up before it goes on without. */
    private static final long WARM_UP_SECONDS = 60;
    private static final long RUN_SECONDS = 60;
    private static final long STOP_SECONDS = 30;

    @Option(names = "--data", defaultValue = "vheap-data", paramLabel = "DIR",
            description = "data directory of the embedded database (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "run the tour against this heap server or gateway (e.g. the compose stack's) instead of "
                    + "starting one on the embedded database")
    String server;

    @Option(names = "--secure",
            description = "the same tour with security on: TLS with a self-signed certificate (DATA/tls), access tokens"
                    + " required (admin token in DATA/admin.token), a device token for each device (DATA/devices),"
                    + " app tokens in DATA/tokens")
    boolean secure;

    @Option(names = "--console", arity = "0..1", fallbackValue = "7780", paramLabel = "PORT",
            description = {"also serve the web console on PORT of 127.0.0.1 (default 7780 when no PORT is given), and keep the",
                    "server running after the tour, with the app suspended, for a look around (until Ctrl-C)"})
    Integer consolePort;

    private final PrintStream out = System.out;
    private int steps;
    /** The compiled counter (a temp directory, deleted at the end). */
    private volatile Path classes;

    /** A failure of the demo: its message is the one line the user sees. */
    static final class DemoFailure extends RuntimeException {
        DemoFailure(String message) {
            super(message);
        }
    }

    /** After the tour with --console: the server stays up for the browser until Ctrl-C, which closes it in order. */
    private void keepServing(HeapServerInstance instance, String console) throws InterruptedException {
        step("the tour is over; the server keeps running for the web console at " + console + " (the app '" + APP
                + "' and its checkpoints are there: look into its heap, export it, diff two checkpoints). Ctrl-C stops it");
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            instance.close();
            closed.countDown();
        }, "vheap-demo-console-stop"));
        closed.await();
    }

    @Override
    public Integer call() throws Exception {
        Path root = home();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new DemoFailure("no Java compiler in " + System.getProperty("java.home")
                    + " (a JRE?); run it with a Java 17 JDK (set JAVA to its bin/java)");
        }
        List<DeviceProcess> devices = new ArrayList<>();
        Thread killDevices = new Thread(() -> {
            killAll(devices);
            Path c = classes;
            if (c != null) {
                deleteTree(c);
            }
        }, "vheap-demo-kill-devices");
        Runtime.getRuntime().addShutdownHook(killDevices);
        try {
            if (secure && server != null) {
                throw new IllegalArgumentException("--secure starts its own server with TLS and tokens: leave out --server");
            }
            if (consolePort != null && server != null) {
                throw new IllegalArgumentException("--console serves the console of the server the demo starts: leave out"
                        + " --server (a server of your own serves one with ./vheap server --console-port PORT)");
            }
            if (server != null) {
                if (!server.matches("[^:]+:\\d{1,5}")) {
                    throw new DemoFailure("--server must be HOST:PORT, got '" + server + "'");
                }
                step("using the heap server (or gateway) at " + server + "; no embedded server is started");
                tour(server, root, javac, devices, DemoSecurity.off());
            } else {
                DemoSecurity security = secure ? DemoSecurity.under(data) : DemoSecurity.off();
                step("starting a heap server on the embedded PostgreSQL under " + data.toAbsolutePath()
                        + (secure ? ", with TLS and access tokens required" : ""));
                HeapServerConfig config = new HeapServerConfig().setHost("127.0.0.1").setPort(0).setDataDir(data);
                if (secure) {
                    config.setSecurity(security.server());
                }
                if (consolePort != null) {
                    config.setConsolePort(consolePort);
                }
                try (HeapServerInstance instance = HeapServerInstance.start(config, Clock.systemUTC())) {
                    String address = "127.0.0.1:" + instance.port();
                    out.println("   listening on " + address + (secure ? " (TLS, certificate " + security.certFile()
                            + "; admin token in " + security.adminTokenFile() + ")" : ""));
                    String console = consolePort == null ? null : (secure ? "https" : "http") + "://127.0.0.1:"
                            + instance.consolePort() + "/";
                    if (console != null) {
                        out.println("   web console on " + console + (secure ? " (log in with the admin token in "
                                + security.adminTokenFile() + ")" : ""));
                    }
                    tour(address, root, javac, devices, security);
                    if (console != null) {
                        keepServing(instance, console);
                    }
                }
            }
        } finally {
            killAll(devices);
            try {
                Runtime.getRuntime().removeShutdownHook(killDevices);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
            if (classes != null) {
                deleteTree(classes);
            }
        }
        if (server != null) {
            out.println("demo finished: the app '" + APP + "' and its checkpoints stay in the heap server at " + server);
        } else {
            out.println("demo finished: the heap server's data lives on in " + data.toAbsolutePath()
                    + " (serve it with ./vheap server --data " + data + ")");
        }
        return 0;
    }

    /** The tour proper, against the heap server (or gateway) at {@code address}. */
    private void tour(String address, Path root, JavaCompiler javac, List<DeviceProcess> devices, DemoSecurity security)
            throws IOException, InterruptedException {
        ManagedChannel ch = security.channel(address);
        try {
            if (security.on()) {
                secure(address, security);
            }
            try {
                StoreTarget.stub(ch, APP).deleteApp(DeleteAppRequest.newBuilder().setApp(APP).setForce(true).build());
                out.println("   removed the '" + APP + "' app left by an earlier demo run");
                if (security.on()) {
                    Files.deleteIfExists(security.appTokens().resolve(APP + ".token"));
                }
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != io.grpc.Status.Code.NOT_FOUND) {
                    throw new DemoFailure("cannot remove the '" + APP + "' app of an earlier run: " + OneLineErrors.oneLine(e));
                }
                // a fresh data directory has no demo app: nothing to clean
            }

            Path source = root.resolve("samples").resolve("Counter.java");
            step("compiling the counter sample " + source + " (it prints 1.." + COUNT + ", one number every "
                    + SLEEP_MILLIS + " ms)");
            classes = Files.createTempDirectory("vheap-demo-classes");
            compile(javac, source, classes);
            out.println("   compiled into " + classes);

            step("starting two emulated devices, each its own process: ./vheap device start --server " + address
                    + " --device NAME --memory 256k --lease 5s");
            out.println("   (if the device-client module is not built yet, the first start builds it: a minute or so)");
            out.println("   (a device checkpoints its apps every 10 s by default, so one killed with kill -9 loses at most"
                    + " the last 10 s: resume goes on from its newest checkpoint; --checkpoint-interval 0s turns it off)");
            DeviceProcess a = DeviceProcess.start(root, "device-a", address, security.deviceArgs("device-a"), devices, out);
            DeviceProcess b = DeviceProcess.start(root, "device-b", address, security.deviceArgs("device-b"), devices, out);
            long attachDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ATTACH_SECONDS);
            for (DeviceProcess d : List.of(a, b)) {
                d.awaitErr(l -> l.contains("device " + d.name + " attached to"), attachDeadline,
                        ATTACH_SECONDS, "attached to the server");
            }
            out.println("   both devices attached to the server");
            // a device warms up once at start (its JDK classes parsed, a scratch app suspended and resumed), as a
            // device that has run a while is: the migration below is then timed as an operator would see it
            long warmDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS);
            List<String> cold = new ArrayList<>();
            for (DeviceProcess d : List.of(a, b)) {
                try {
                    String said = d.awaitErr(l -> l.contains("device " + d.name + " warmed up") || l.contains("device "
                            + d.name + ": the warm-up failed"), warmDeadline, WARM_UP_SECONDS, "warmed up");
                    if (!said.contains(" warmed up")) {
                        cold.add(d.name);
                    }
                } catch (DemoFailure late) {   // only a warm-up: the tour goes on, its figures then cold
                    cold.add(d.name);
                }
            }
            out.println(cold.isEmpty() ? "   both devices warmed up"
                    : "   not warmed up: " + String.join(", ", cold) + " (the migration's figures are then a cold device's)");

            step("running the counter on device-a: run " + APP + " " + classes + " Counter " + COUNT + " " + SLEEP_MILLIS);
            a.send("run " + APP + " " + classes + " Counter " + COUNT + " " + SLEEP_MILLIS);
            a.awaitOutLines(MIGRATE_AFTER, RUN_SECONDS);

            step("migrating it to device-b through the control plane (DeviceControl.MigrateApp): device-a "
                    + "suspends it at a safepoint with a checkpoint, device-b resumes from the store");
            MigrateAppResponse moved;
            try {
                moved = DeviceControlGrpc.newBlockingStub(ch).withDeadlineAfter(RUN_SECONDS, TimeUnit.SECONDS)
                        .migrateApp(MigrateAppRequest.newBuilder().setApp(APP).setToDevice(b.name).build());
            } catch (StatusRuntimeException e) {
                throw new DemoFailure("the migration to " + b.name + " failed: " + OneLineErrors.oneLine(e));
            }
            if (moved.getFromDevice().isEmpty()) {
                throw new DemoFailure("the counter was no longer running on device-a when the migration came");
            }
            out.printf("   migrated '%s' from %s to %s through checkpoint %d (suspend %d ms, resume %d ms)%n", APP,
                    moved.getFromDevice(), moved.getToDevice(), moved.getCheckpointId(), moved.getSuspendMillis(),
                    moved.getResumeMillis());

            step("device-b continues from the next number up to " + COUNT);
            b.awaitOut(l -> l.equals(Integer.toString(COUNT)), RUN_SECONDS, "the number " + COUNT);
            String ended = b.awaitErr(l -> l.contains("app " + APP + " exit") || l.contains("app " + APP + " failed"),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_SECONDS), RUN_SECONDS, "the end of the counter");
            if (!ended.contains("app " + APP + " exit 0")) {
                throw new DemoFailure("the counter did not end well on device-b: " + ended);
            }
            checkTheCount(a, b);

            step("the checkpoints of '" + APP + "' in the store (newest first)");
            ListCheckpointsResponse cps = StoreTarget.stub(ch, APP)
                    .listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(APP).build());
            StringWriter table = new StringWriter();
            CheckpointsCommand.table(cps.getCheckpointsList()).print(new PrintWriter(table));
            table.toString().lines().forEach(l -> out.println("   " + l));

            step(server == null && consolePort == null ? "stopping the devices (quit) and the server" : "stopping the devices (quit)");
            for (DeviceProcess d : List.of(a, b)) {
                d.send("quit");
                d.closeInput();
            }
            for (DeviceProcess d : List.of(a, b)) {
                d.awaitExit(STOP_SECONDS);
            }
            out.println("   both devices stopped");
        } finally {
            killAll(devices); // before the server goes: no device left retrying to reach it
            StoreTarget.shutdown(ch);
        }
    }

    /**
     * The secure tour's first steps: a call without a token is refused, and each device gets its own
     * device token (issued with the admin token) to attach with.
     */
    private void secure(String address, DemoSecurity security) {
        step("security is on: a client without a token is refused");
        ManagedChannel anonymous = security.channel(address, false);
        try {
            StoreTarget.stub(anonymous).listApps(ListAppsRequest.getDefaultInstance());
            throw new DemoFailure("the server answered a call without a token; it should require tokens");
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != io.grpc.Status.Code.UNAUTHENTICATED) {
                throw new DemoFailure("a call without a token got " + OneLineErrors.oneLine(e) + ", not UNAUTHENTICATED");
            }
            out.println("   ./vheap apps without a token: " + OneLineErrors.oneLine(e));
        } finally {
            StoreTarget.shutdown(anonymous);
        }
        step("issuing a device token to device-a and device-b (DeviceControl.ResetDeviceToken, with the admin token)");
        ManagedChannel admin = security.channel(address);
        try {
            for (String device : List.of("device-a", "device-b")) {
                String token = DeviceControlGrpc.newBlockingStub(admin).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .resetDeviceToken(ResetDeviceTokenRequest.newBuilder().setDevice(device).build()).getDeviceToken();
                security.saveDeviceToken(device, token);
                out.println("   " + device + ": " + security.deviceTokenFile(device) + " (mode 600)");
            }
        } catch (StatusRuntimeException e) {
            throw new DemoFailure("cannot issue the device tokens: " + OneLineErrors.oneLine(e));
        } finally {
            StoreTarget.shutdown(admin);
        }
    }

    /** Ends the devices still running (a failure, Ctrl-C), and lets their last lines be printed. */
    private static void killAll(List<DeviceProcess> devices) {
        synchronized (devices) {
            devices.forEach(DeviceProcess::kill);
            devices.forEach(DeviceProcess::joinReaders);
        }
    }

    private void step(String s) {
        out.println("==> " + (++steps) + ". " + s);
    }

    /** Device-a's numbers followed by device-b's must be 1..COUNT, each once. */
    private void checkTheCount(DeviceProcess a, DeviceProcess b) {
        List<String> fromA = a.outLines();
        List<String> fromB = b.outLines();
        List<String> all = new ArrayList<>(fromA);
        all.addAll(fromB);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= COUNT; i++) {
            expected.add(Integer.toString(i));
        }
        String what = "device-a printed " + ranges(fromA) + ", device-b printed " + ranges(fromB);
        if (!all.equals(expected) || fromA.isEmpty() || fromB.isEmpty()) {
            throw new DemoFailure(what + ": together not 1.." + COUNT + " exactly once each");
        }
        out.println("   " + what + ": together 1.." + COUNT + " with no gap or repeat");
    }

    /** Lines as runs of consecutive numbers, e.g. "1..9", "1..5, 5..9" or "(nothing)". */
    static String ranges(List<String> lines) {
        if (lines.isEmpty()) {
            return "(nothing)";
        }
        List<String> runs = new ArrayList<>();
        Long first = null;
        Long last = null;
        for (String l : lines) {
            Long n;
            try {
                n = Long.parseLong(l.strip());
            } catch (NumberFormatException e) {
                n = null;
            }
            if (n != null && last != null && n == last + 1) {
                last = n;
                continue;
            }
            if (first != null) {
                runs.add(first.equals(last) ? first.toString() : first + ".." + last);
            }
            if (n == null) {
                runs.add("'" + l + "'");
                first = null;
                last = null;
            } else {
                first = n;
                last = n;
            }
        }
        if (first != null) {
            runs.add(first.equals(last) ? first.toString() : first + ".." + last);
        }
        return String.join(", ", runs);
    }

    private static void compile(JavaCompiler javac, Path source, Path classes) {
        if (!Files.isRegularFile(source)) {
            throw new DemoFailure("no counter sample at " + source);
        }
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null, List.of("--release", "17", "-d", classes.toString()), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source.toFile())).call();
        if (!ok) {
            String first = diagnostics.toString().lines().findFirst().orElse("(no message)");
            throw new DemoFailure("compiling " + source + " failed: " + first);
        }
    }

    /** The repository root (where the {@code vheap} launcher and {@code samples/} are): {@link VheapHome}'s. */
    static Path home() {
        try {
            return VheapHome.locate(DemoCommand.class).root();
        } catch (IllegalStateException e) {
            throw new DemoFailure(e.getMessage());
        }
    }

    private static void deleteTree(Path dir) {
        try {
            TempDirs.deleteTree(dir);
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    /**
     * A device started as {@code ROOT/vheap device start ...}: its stdout and stderr lines are printed as they
     * arrive, prefixed with its name, and kept so the demo can wait for them.
     */
    static final class DeviceProcess {
        final String name;
        private final Process process;
        private final PrintStream echo;
        private final List<String> outLines = new ArrayList<>();
        private final List<String> errLines = new ArrayList<>();
        private final Thread outReader;
        private final Thread errReader;
        private int openStreams = 2;

        private DeviceProcess(String name, Process process, PrintStream echo) {
            this.name = name;
            this.process = process;
            this.echo = echo;
            this.outReader = reader(process.getInputStream(), outLines, "out");
            this.errReader = reader(process.getErrorStream(), errLines, "err");
        }

        static DeviceProcess start(Path root, String name, String server, List<String> extraArgs,
                                   List<DeviceProcess> all, PrintStream echo) throws IOException {
            List<String> command = new ArrayList<>(List.of(root.resolve("vheap").toString(), "device", "start",
                    "--server", server, "--device", name, "--memory", "256k", "--lease", "5s"));
            command.addAll(extraArgs);
            Process p = new ProcessBuilder(command).start();
            DeviceProcess d = new DeviceProcess(name, p, echo);
            synchronized (all) {
                all.add(d);
            }
            d.outReader.start();
            d.errReader.start();
            return d;
        }

        private Thread reader(InputStream in, List<String> lines, String which) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        echo.println("   [" + name + "] " + l);
                        synchronized (this) {
                            lines.add(l);
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                } finally {
                    synchronized (this) {
                        openStreams--;
                        notifyAll();
                    }
                }
            }, "vheap-demo-" + name + "-" + which);
            t.setDaemon(true);
            return t;
        }

        synchronized List<String> outLines() {
            return new ArrayList<>(outLines);
        }

        void send(String line) {
            try {
                OutputStream in = process.getOutputStream();
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                throw new DemoFailure("cannot write to " + name + " (exited with code " + exitCode() + ")");
            }
        }

        void closeInput() {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // it has gone already: awaitExit says how
            }
        }

        private String exitCode() {
            return process.isAlive() ? "?" : Integer.toString(process.exitValue());
        }

        /** Waits for a stderr line matching {@code match}; returns it. */
        String awaitErr(Predicate<String> match, long deadlineNanos, long seconds, String what) throws InterruptedException {
            return await(errLines, match, deadlineNanos, seconds, what);
        }

        String awaitOut(Predicate<String> match, long seconds, String what) throws InterruptedException {
            return await(outLines, match, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds), seconds, what);
        }

        void awaitOutLines(int n, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            synchronized (this) {
                while (outLines.size() < n) {
                    waitUntil(deadline, seconds, n + " numbers");
                }
            }
        }

        private synchronized String await(List<String> lines, Predicate<String> match, long deadline, long seconds,
                                          String what) throws InterruptedException {
            for (int seen = 0; ; ) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                waitUntil(deadline, seconds, what);
            }
        }

        /** Waits for the next line (caller holds the lock); fails if the device ended or the time ran out. */
        private void waitUntil(long deadline, long seconds, String what) throws InterruptedException {
            if (openStreams == 0) {
                process.waitFor(5, TimeUnit.SECONDS);
                throw new DemoFailure(name + " exited (code " + exitCode() + ") before " + what
                        + (errLines.isEmpty() ? "" : "; its last message: " + errLines.get(errLines.size() - 1)));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DemoFailure("no " + what + " from " + name + " within " + seconds + " s");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }

        /** Waits for the process to end after {@code quit}, with its output read to the end; kills it after the time. */
        void awaitExit(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                kill();
                throw new DemoFailure(name + " did not stop within " + seconds + " s of 'quit' (killed)");
            }
            joinReaders();
            if (process.exitValue() != 0) {
                throw new DemoFailure(name + " exited with code " + process.exitValue() + " after 'quit'");
            }
        }

        void joinReaders() {
            try {
                outReader.join(2000);
                errReader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Ends the process and anything it started (a build): politely, then forcibly after 5 s. */
        void kill() {
            if (!process.isAlive()) {
                return;
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
