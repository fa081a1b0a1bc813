package org.vheap.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.vheap.cli.OneLineErrors;
import org.vheap.cli.TempDirs;

/**
 * One run of a bench, around what it measures: its progress lines and its clean-up.
 *
 * <p><b>Progress.</b> {@link #progress} prints {@code NAME [SECONDS s]: WHAT ...} to the bench's error stream
 * (its report goes to standard output), SECONDS counted from the run's start on the given clock;
 * {@link #note} prints {@code NAME: WHAT}.
 *
 * <p><b>Clean-up.</b> What the bench sets up it hands over at once with {@link #atEnd} (or
 * {@link #tempDir}): a started server, a channel, a created app. {@link #close} runs those actions once, the
 * last registered first (an app is deleted before the channel it is deleted through is closed, and that
 * before the server and then its data directory), each even when one before it failed (the failure is a
 * {@code NAME: could not WHAT: ...} line). With {@link #closeOnInterrupt} it also runs on Ctrl-C, from a
 * shutdown hook, and tells each action so ({@code interrupted}: a bench may then skip what its own database's
 * removal makes moot). Use it in try-with-resources: clean-up runs whether the bench returns or fails.
 *
 * <p>Thread-safe: the clean-up may run on the shutdown hook's thread while the bench's thread is still measuring.
 */
public final class BenchRun implements AutoCloseable {
    /** One clean-up action. */
    @FunctionalInterface
    public interface Cleanup {
        /** Undoes one piece of set-up; {@code interrupted}: the run was cut short by Ctrl-C. */
        void run(boolean interrupted) throws Exception;
    }

    private record Action(String what, Cleanup cleanup) {
    }

    private final String name;
    private final PrintWriter err;
    private final LongSupplier clock;
    private final long start;
    private final Deque<Action> actions = new ArrayDeque<>();   // guarded by this
    private boolean closed;                                     // guarded by this
    private Thread hook;                                        // guarded by this

    /**
     * @param name  what the lines start with, e.g. {@code bench store}
     * @param err   where progress and clean-up problems go
     * @param clock nanoseconds (System::nanoTime), for the progress lines' times
     */
    public BenchRun(String name, PrintWriter err, LongSupplier clock) {
        this.name = name;
        this.err = err;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /** As above, printing to a PrintStream. */
    public BenchRun(String name, PrintStream err, LongSupplier clock) {
        this(name, new PrintWriter(err, true), clock);
    }

    /** Also runs the clean-up on Ctrl-C (a shutdown hook, removed again by {@link #close}); returns this run. */
    public synchronized BenchRun closeOnInterrupt() {
        if (hook == null && !closed) {
            hook = new Thread(() -> cleanUp(true), "vheap-" + name.replace(' ', '-') + "-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return this;
    }

    /** {@code NAME [SECONDS s]: WHAT ...}: what the bench starts doing. */
    public void progress(String what) {
        err.println(String.format(Locale.ROOT, "%s [%.1f s]: %s ...", name, (clock.getAsLong() - start) / 1e9, what));
        err.flush();
    }

    /** {@code NAME: WHAT}: a remark or a problem that does not stop the bench. */
    public void note(String what) {
        err.println(name + ": " + what);
        err.flush();
    }

    /**
     * Registers a clean-up action, run by {@link #close} before every action registered earlier;
     * {@code what} names it in the line printed if it fails ({@code could not WHAT}). When the run is closed
     * already (Ctrl-C came meanwhile), runs it at once.
     */
    public void atEnd(String what, Cleanup cleanup) {
        synchronized (this) {
            if (!closed) {
                actions.push(new Action(what, cleanup));
                return;
            }
        }
        runOne(new Action(what, cleanup), true);
    }

    /** A fresh temporary directory {@code PREFIX...}, deleted with everything in it at the end. */
    public Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        atEnd("delete " + dir, interrupted -> {
            try {
                TempDirs.deleteTree(dir);
            } catch (IOException e) {
                note(e.getMessage());   // could not delete DIR: why
            }
        });
        return dir;
    }

    /** Runs the clean-up (once; later calls do nothing) and removes the Ctrl-C hook. */
    @Override
    public void close() {
        cleanUp(false);
        Thread h;
        synchronized (this) {
            h = hook;
            hook = null;
        }
        if (h != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran: cleaned up either way
            }
        }
    }

    private synchronized void cleanUp(boolean interrupted) {
        if (closed) {
            return;
        }
        closed = true;
        while (!actions.isEmpty()) {
            runOne(actions.pop(), interrupted);
        }
    }

    private void runOne(Action a, boolean interrupted) {
        try {
            a.cleanup().run(interrupted);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            note("could not " + a.what() + ": " + OneLineErrors.oneLine(e));
        }
    }
}
