package org.vheap.device.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vheap.bench.BenchRun;
import org.vheap.bench.ChildHeapServer;
import org.vheap.cli.VheapHome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.vheap.cli.VheapHome;
import org.vheap.device.DeviceConsole;

/**
 * The device benches' apps: compiled from source against the app API when the bench starts, run on devices in the
 * bench's process with their output kept in memory, which the bench waits on.
 */
final class BenchApps {
    private BenchApps() {
    }

    /** The app API's classes: vheap-api/target/classes in the checkout (the launcher builds it). */
    static Path apiClasses(VheapHome home) {
        Path classes = home.resolve("vheap-api/target/classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("no app API classes at " + classes + "; build them: ./mvnw -q -pl vheap-api package");
        }
        return classes;
    }

    /** Compiles class {@code name} from {@code source} against {@code api} into {@code work/classes}; returns it. */
    static Path compile(Path work, String name, String source, Path api) throws Exception {
        Path dir = work.resolve("classes");
        Files.createDirectories(dir);
        Path src = work.resolve(name + ".java");
        Files.writeString(src, source);
        var javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("the bench compiles its app: run it on a JDK, not a JRE");
        }
        int rc = javac.run(null, null, null, "--release", "17", "-cp", api.toString(), "-d", dir.toString(), src.toString());
        if (rc != 0) {
            throw new IllegalStateException("compiling the bench app failed");
        }
        return dir;
    }

    /**
     * {@code server} when one was given ({@code --server}), else a heap server started here as a child process
     * (embedded PostgreSQL under {@code work/data}), stopped at the run's end: its address.
     */
    static String serverOrChild(BenchRun run, VheapHome home, Path work, String server) throws Exception {
        if (server != null) {
            return server;
        }
        Path data = work.resolve("data");
        run.progress("starting a heap server (./vheap server, embedded PostgreSQL under " + data + ")");
        ChildHeapServer child = ChildHeapServer.start(home, data, run::note);
        run.atEnd("stop the heap server", interrupted -> child.close());
        return child.address();
    }

    /** A console with no input whose output and errors go to {@code out}. */
    static DeviceConsole console(ByteArrayOutputStream out) {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new DeviceConsole(new ByteArrayInputStream(new byte[0]), ps, ps);
    }

    /** Waits until the app printed {@code text} {@code times} times; fails if it ends first or after 5 minutes. */
    static void await(ByteArrayOutputStream out, String text, int times, CompletableFuture<Integer> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (out.toString(StandardCharsets.UTF_8).split(Pattern.quote(text), -1).length <= times) {
            if (run.isDone()) {
                run.get();
                throw new IllegalStateException("the bench app ended early: " + out.toString(StandardCharsets.UTF_8));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the bench app did not print '" + text + "' " + times + " times");
            }
            Thread.sleep(5);
        }
    }
}
