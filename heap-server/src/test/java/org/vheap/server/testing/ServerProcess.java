package org.vheap.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vheap server} in a JVM of its own, in a session (and process group) of its own, as a service manager
 * would run it, on the test's class path: for what one test JVM cannot show (a kill of the process group, files
 * the embedded PostgreSQL unpacks on its first start in a JVM, SIGTERM). Its output is read all along, so it
 * never blocks on a full pipe.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private int port;

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(l);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "test-server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code vheap server --host 127.0.0.1 --port 0 --data DATA} with {@code moreOptions} and returns once it
     * listens; fails with its output if it exits first or does not listen within {@code within}.
     */
    public static ServerProcess start(Path data, Duration within, String... moreOptions)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of("setsid", java, "-cp", System.getProperty("java.class.path"),
                "org.vheap.server.cli.VheapCli", "server", "--host", "127.0.0.1", "--port", "0", "--data", data.toString()));
        command.addAll(List.of(moreOptions));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ServerProcess server = new ServerProcess(p);
        try {
            server.awaitListening(within);
        } catch (AssertionError | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public Process process() {
        return process;
    }

    /** The gRPC port it listens on. */
    public int port() {
        return port;
    }

    /** What it printed so far (stdout and stderr). */
    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    private void awaitListening(Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        synchronized (lines) {
            while (true) {
                Matcher m = LISTENING.matcher(String.join("\n", lines));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    return;
                }
                if (!process.isAlive() || System.nanoTime() > until) {
                    lines.wait(200);   // the last lines of a process that exited
                    throw new AssertionError("the server did not start (" + (process.isAlive() ? "still starting after "
                            + within.toSeconds() + " s" : "exit " + process.exitValue()) + "):\n" + String.join("\n", lines));
                }
                lines.wait(200);
            }
        }
    }

    /** SIGTERM, a graceful stop; returns its exit code (killed when it does not stop within a minute). */
    public int stop() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** Stops it if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
