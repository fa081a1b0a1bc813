package org.vheap.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vheap.cli.VheapHome;

/**
 * A heap server a bench runs as a child process through the {@code ./vheap} launcher
 * ({@code vheap server --host 127.0.0.1 --port 0 --data DIR}), so the benches of the gateway and device
 * modules need no run-time dependency on the heap server's code. Its address is read from its log line
 * {@code "vheap heap server listening on HOST:PORT ..."}; its output is drained all along (the launcher's
 * {@code building} line, and later the server's warnings and errors, are passed on to the bench's notes), and
 * {@link #close} stops it with SIGTERM, which the server handles gracefully (drains, closes the pool, stops the
 * embedded PostgreSQL).
 */
public final class ChildHeapServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("heap server listening on (\\S+):(\\d{1,5})\\b");
    /** Without a build, the launcher starts a server (JVM, embedded PostgreSQL, migrations) in seconds. */
    private static final long START_SECONDS = 120;
    /** The launcher builds the heap-server module first when it is not built yet. */
    private static final long BUILD_SECONDS = 600;

    private final Process process;
    private final String address;

    private ChildHeapServer(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    /** The address in a heap server's "listening on" log line, or null if the line is not that one. */
    public static String listeningAddress(String logLine) {
        Matcher m = LISTENING.matcher(logLine);
        return m.find() ? m.group(1) + ":" + m.group(2) : null;
    }

    /**
     * Starts {@code HOME/vheap server} on 127.0.0.1, a free port, data under {@code data}; returns once it
     * logged its address. Lines for the bench's user go to {@code notes}: the launcher's {@code building ...}
     * (then the start may take minutes) and, once it listens, the server's WARN and ERROR lines. Throws
     * (after stopping it) if it exits or does not listen in time.
     */
    public static ChildHeapServer start(VheapHome home, Path data, Consumer<String> notes) throws IOException, InterruptedException {
        return start(home, List.of("--data", data.toAbsolutePath().toString()), notes);
    }

    /** As {@link #start(VheapHome, Path, Consumer)}, with these options for its store ({@code --db-url ...}) instead. */
    public static ChildHeapServer start(VheapHome home, List<String> storeOptions, Consumer<String> notes)
            throws IOException, InterruptedException {
        Path launcher = home.launcher();
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString(), "server", "--host", "127.0.0.1",
                "--port", "0"));
        command.addAll(storeOptions);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(home.root().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        AtomicBoolean building = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!listening.isDone()) {
                        synchronized (tail) {
                            tail.addLast(line);
                            if (tail.size() > 20) {
                                tail.removeFirst();
                            }
                        }
                        if (line.startsWith("vheap: building")) {
                            building.set(true);
                            notes.accept(line.substring("vheap: ".length()));
                        }
                        String a = listeningAddress(line);
                        if (a != null) {
                            listening.complete(a);
                        }
                    } else if (line.contains(" WARN ") || line.contains(" ERROR ")) {
                        notes.accept("heap server: " + line);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                listening.complete(null);
            }
        }, "vheap-bench-server-log");
        reader.setDaemon(true);
        reader.start();

        long t0 = System.nanoTime();
        String address = null;
        while (true) {
            long limit = TimeUnit.SECONDS.toNanos(building.get() ? START_SECONDS + BUILD_SECONDS : START_SECONDS);
            if (System.nanoTime() - t0 > limit) {
                break;
            }
            try {
                address = listening.get(1, TimeUnit.SECONDS);
                break;   // the address, or null: its output ended
            } catch (TimeoutException e) {
                // still starting
            } catch (ExecutionException e) {
                break;
            }
        }
        if (address == null) {
            ChildHeapServer failed = new ChildHeapServer(p, null);
            failed.close();
            String last;
            synchronized (tail) {
                last = String.join("\n  ", tail);
            }
            throw new IOException("the heap server (" + launcher + " server) did not start"
                    + (p.isAlive() ? " in time" : ", exit code " + p.exitValue()) + "; its last output:\n  " + last);
        }
        return new ChildHeapServer(p, address);
    }

    /** HOST:PORT, as it logged it. */
    public String address() {
        return address;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM (to the launcher's children too, in case it is still building), then waits up to 30 s. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
