package org.vheap.server.torture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One process of the matrix (a heap server or a device, through the {@code ./vheap} launcher, which execs its JVM: the
 * pid is the JVM's), with every line it writes kept, standard output and error apart, for the matrix to wait on and to
 * check. The matrix kills it with SIGKILL (a crash); only at the end is it asked to stop.
 */
final class ChildProcess {
    private final String name;
    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private int openStreams = 2;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        reader(process.getInputStream(), out).start();
        reader(process.getErrorStream(), err).start();
    }

    /** Starts {@code command} in {@code directory}, its standard input empty. */
    static ChildProcess start(String name, List<String> command, Path directory) throws IOException {
        Process p = new ProcessBuilder(command).directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new ChildProcess(name, p);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The lines it wrote to standard output so far. */
    synchronized List<String> out() {
        return List.copyOf(out);
    }

    /** The lines it wrote to standard error so far. */
    synchronized List<String> err() {
        return List.copyOf(err);
    }

    /**
     * Waits until a line of standard output from index {@code from} on matches {@code line}; returns its index. Throws
     * {@link TortureFailure} when the process's streams end first, or after {@code timeout}, naming {@code what} it
     * waited for and its last lines.
     */
    int awaitOut(String what, int from, Predicate<String> line, Duration timeout) throws InterruptedException {
        return await(out, what, from, line, timeout);
    }

    /** As {@link #awaitOut}, on standard error. */
    int awaitErr(String what, int from, Predicate<String> line, Duration timeout) throws InterruptedException {
        return await(err, what, from, line, timeout);
    }

    private synchronized int await(List<String> lines, String what, int from, Predicate<String> line, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = from;
        while (true) {
            for (; next < lines.size(); next++) {
                if (line.test(lines.get(next))) {
                    return next;
                }
            }
            long left = deadline - System.nanoTime();
            if (openStreams == 0 || left <= 0) {
                throw new TortureFailure(name + (openStreams == 0 ? " ended" : " did not get there within "
                        + timeout.toSeconds() + " s") + " before " + what + "; its last lines: " + tail());
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    /** SIGKILL to it and to every process it started that is still its descendant; waits until it is gone. */
    void kill() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM, a graceful stop; returns whether it ended within {@code grace} (else it is still running). */
    boolean stop(Duration grace) throws InterruptedException {
        process.destroy();
        try {
            awaitExit(grace);
            return true;
        } catch (TortureFailure stillRunning) {
            return false;
        }
    }

    /**
     * Waits for it to end, and for at most 10 s for its streams to be read to their end (a server's database may hold
     * them open longer: use {@link #awaitOutputEnd} where every line counts).
     */
    void awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TortureFailure(name + " did not end within " + timeout.toSeconds() + " s");
        }
        streamsEnded(Duration.ofSeconds(10));
    }

    /**
     * Waits until its streams were read to their end, for a process that started none of its own (they end with it):
     * on a starved machine the reading may lag the process's end by seconds. Throws {@link TortureFailure} when they
     * did not end within {@code timeout}: its lines may be incomplete, and would be misjudged.
     */
    void awaitOutputEnd(Duration timeout) throws InterruptedException {
        if (!streamsEnded(timeout)) {
            throw new TortureFailure(name + "'s output was not read to its end within " + timeout.toSeconds()
                    + " s of its exit (the machine is starved, or a process it started holds its streams); its"
                    + " last lines: " + tail());
        }
    }

    private synchronized boolean streamsEnded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openStreams > 0 && System.nanoTime() < deadline) {
            wait(100);
        }
        return openStreams == 0;
    }

    /** Its last lines, both streams, for messages. */
    synchronized String tail() {
        List<String> last = new ArrayList<>();
        last.addAll(out.subList(Math.max(0, out.size() - 5), out.size()));
        last.addAll(err.subList(Math.max(0, err.size() - 5), err.size()));
        return last.isEmpty() ? "(none)" : String.join(" | ", last);
    }

    private Thread reader(InputStream in, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
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
        }, "vheap-torture-" + name);
        t.setDaemon(true);
        return t;
    }
}
