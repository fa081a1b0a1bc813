package org.vheap.device;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vheap.cli.TempDirs;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.vm.loader.ParsedClasses;

/**
 * What a device does once when it starts, before any app arrives: it boots the JDK's library in a scratch VM
 * ({@link org.vheap.device.warmup.WarmUpApp}, which does what most apps do early on, on an in-memory heap,
 * discarded at the end), so that the code cache
 * ({@link ParsedClasses}) holds the class files every app's boot and every resume replays — read from the
 * host's JDK, digested and parsed — and the host JIT has compiled the class loader and the interpreter; then it
 * suspends the scratch app and resumes it on a second scratch device, {@link #CYCLES} times, so that the host
 * JIT has also compiled what a migration runs: the checkpoint (the VM's state, its encoding, the commit) and the
 * resume (decoding, the class table's replay, the restore). An app that arrives later (a migration's resume,
 * above all) finds its JDK classes parsed instead of parsing them, which is most of a resume's class table, and
 * its first suspend and resume run compiled code: {@code ./vheap bench resume} measures a device so warmed
 * against one with an empty cache, and the demo's migration is timed on warmed devices.
 *
 * <p>Costs about a second and a half of one core, once per device process (the CLI's {@code device start} runs it
 * in the background: an app that arrives meanwhile shares the cache as it fills). Nothing of it lives in any store:
 * the scratch heap is in memory and the cache is derived from the host's class files.
 */
public final class CodeCacheWarmUp {
    /** The scratch app's main class: it runs until it is suspended or stopped. */
    static final String MAIN = org.vheap.device.warmup.WarmUpApp.class.getName();
    /** Its class file, a resource of this module (the guest reads it from the scratch app's class path). */
    private static final String MAIN_FILE = MAIN.replace('.', '/') + ".class";
    /** Suspensions and resumes of the scratch app: the host JIT compiles what runs often. */
    static final int CYCLES = 3;
    /** Lines the scratch app prints in each cycle before it is suspended: a few rounds of its loop. */
    private static final int LINES_PER_CYCLE = 8;
    /** The longest any step of the warm-up may take: a step that takes longer fails the warm-up (only). */
    private static final Duration STEP = Duration.ofMinutes(1);

    private CodeCacheWarmUp() {
    }

    /**
     * Boots the library once in a scratch VM that shares {@code parsed}, then suspends and resumes it {@link #CYCLES}
     * times; returns how many classes the code cache holds then.
     *
     * @throws RuntimeException when a step fails or outlasts {@link #STEP} (the warm-up only: no app is affected)
     */
    public static int warmUp(ParsedClasses parsed) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("vheap-warm-up-");
            dir.toFile().deleteOnExit();   // also when the process ends during the warm-up (registered first: deleted last)
            Path main = dir.resolve(MAIN_FILE);
            Files.createDirectories(main.getParent());
            java.util.Deque<Path> made = new java.util.ArrayDeque<>();
            for (Path p = dir.relativize(main); p != null; p = p.getParent()) {
                made.push(dir.resolve(p));
            }
            made.forEach(p -> p.toFile().deleteOnExit());   // outermost first: deleted last, once emptied
            try (java.io.InputStream in = CodeCacheWarmUp.class.getClassLoader().getResourceAsStream(MAIN_FILE)) {
                if (in == null) {
                    throw new IllegalStateException("the warm-up's app " + MAIN_FILE + " is missing from the device's classes");
                }
                Files.copy(in, main);
            }
            LineCount printed = new LineCount();
            PrintStream out = new PrintStream(printed, true);
            DeviceConsole console = new DeviceConsole(new ByteArrayInputStream(new byte[0]), out, out);
            try (MemoryHeapStore store = new MemoryHeapStore()) {
                DeviceConfig config = new DeviceConfig().app("vheap-warm-up").checkpointInterval(Duration.ZERO);
                List<Path> classpath = List.of(dir);
                long checkpoint = 0;
                for (int cycle = 0; cycle <= CYCLES; cycle++) {
                    // alternate two device names: each resume takes the heap from the other device, as a migration does
                    Device device = new Device(config.copy().deviceName("vheap-warm-up-" + (cycle % 2)), store, console,
                            parsed);
                    long from = checkpoint;
                    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> from == 0
                            ? device.run(classpath, MAIN, List.of()) : device.resume(from), CodeCacheWarmUp::appThread);
                    boolean suspended = false;
                    try {
                        device.awaitRunning(STEP);
                        // the app at work, not just booted; or ended, which exit.get below reports
                        boolean working = printed.await(printed.lines() + LINES_PER_CYCLE, STEP, exit::isDone);
                        if (working && cycle < CYCLES) {
                            checkpoint = device.suspend(STEP);
                            suspended = true;
                        }
                    } finally {
                        if (!suspended) {
                            device.stop();   // the last cycle, or a step failed: no scratch app runs on
                        }
                    }
                    int status = exit.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
                    if (status != Device.SUSPENDED && cycle < CYCLES) {
                        throw new IllegalStateException("the warm-up's scratch app ended with " + status + " instead of"
                                + " suspending");
                    }
                }
            }
            return parsed.size();
        } catch (IOException e) {
            throw new UncheckedIOException("warming the device up", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the warm-up's scratch app failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("a step of the warm-up took longer than " + STEP.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the warm-up was interrupted", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The scratch app's output: it goes nowhere, but its lines are counted, so the warm-up knows the app works. */
    private static final class LineCount extends OutputStream {
        private long lines;

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines++;
                notifyAll();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        synchronized long lines() {
            return lines;
        }

        /**
         * Waits until {@code n} lines have been written (true), or {@code ended} says the app is over (false: it
         * printed no more), looking at it every few milliseconds.
         */
        synchronized boolean await(long n, Duration timeout, java.util.function.BooleanSupplier ended)
                throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (lines < n) {
                if (ended.getAsBoolean()) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("the warm-up's app printed " + lines + " lines, not " + n);
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            }
            return true;
        }
    }

    /** Runs the scratch app on a daemon thread of its own: one stuck there keeps no process alive. */
    private static void appThread(Runnable app) {
        Thread t = new Thread(app, "vheap-warm-up-app");
        t.setDaemon(true);
        t.start();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            TempDirs.deleteTree(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind (deleteOnExit tries again): the system's cleaner takes it
        }
    }
}
