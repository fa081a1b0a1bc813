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
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.vheap.cli.TempDirs;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.vm.loader.ParsedClasses;

/**
 * What a device does once when it starts, before any app arrives: it boots the JDK's library in a scratch VM
 * (a {@code main} that sleeps, on an in-memory heap, discarded at the end), so that the code cache
 * ({@link ParsedClasses}) holds the class files every app's boot and every resume replays — read from the
 * host's JDK, digested and parsed — and the host JIT has compiled the class loader and the interpreter; then it
 * suspends the scratch app and resumes it on a second scratch device, {@link #CYCLES} times, so that the host
 * JIT has also compiled what a migration runs: the checkpoint (the VM's state, its encoding, the commit) and the
 * resume (decoding, the class table's replay, the restore). An app that arrives later (a migration's resume,
 * above all) finds its JDK classes parsed instead of parsing them, which is most of a resume's class table, and
 * its first suspend and resume run compiled code: {@code ./vheap bench resume} measures a device so warmed
 * against one with an empty cache, and the demo's migration is timed on warmed devices.
 *
 * <p>Costs about a second of one core, once per device process (the CLI's {@code device start} runs it in the
 * background: an app that arrives meanwhile shares the cache as it fills). Nothing of it lives in any store:
 * the scratch heap is in memory and the cache is derived from the host's class files.
 */
public final class CodeCacheWarmUp {
    /** The scratch app's main class, generated here: it sleeps until it is suspended or stopped. */
    static final String MAIN = "VheapWarmUp";
    /** Suspensions and resumes of the scratch app: the host JIT compiles what runs often. */
    static final int CYCLES = 3;
    /** The longest any step of the warm-up may take: a step that takes longer fails the warm-up (only). */
    private static final Duration STEP = Duration.ofMinutes(1);

    private CodeCacheWarmUp() {
    }

    /**
     * Boots the library once in a scratch VM that shares {@code parsed}, then suspends and resumes it {@link #CYCLES}
     * times; returns how many classes the code cache holds then.
     *
     * @throws IllegalStateException when a step fails or outlasts {@link #STEP} (the warm-up only: no app is affected)
     */
    public static int warmUp(ParsedClasses parsed) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("vheap-warm-up-");
            dir.toFile().deleteOnExit();   // also when the process ends during the boot (the file first: registered last)
            Path main = Files.write(dir.resolve(MAIN + ".class"), sleepingMain());
            main.toFile().deleteOnExit();
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
            DeviceConsole console = new DeviceConsole(new ByteArrayInputStream(new byte[0]), discard, discard);
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
                    device.awaitRunning(STEP);
                    checkpoint = cycle < CYCLES ? device.suspend(STEP) : 0;
                    if (cycle == CYCLES) {
                        device.stop();
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

    /** Runs the scratch app on a daemon thread of its own: one stuck there keeps no process alive. */
    private static void appThread(Runnable app) {
        Thread t = new Thread(app, "vheap-warm-up-app");
        t.setDaemon(true);
        t.start();
    }

    /**
     * {@code public class VheapWarmUp { public static void main(String[] args) throws InterruptedException {
     * for (;;) Thread.sleep(2); } }}, Java 17's class file.
     */
    static byte[] sleepingMain() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, MAIN, null, "java/lang/Object", null);
        MethodVisitor main = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "main", "([Ljava/lang/String;)V",
                null, new String[] {"java/lang/InterruptedException"});
        main.visitCode();
        org.objectweb.asm.Label loop = new org.objectweb.asm.Label();
        main.visitLabel(loop);
        main.visitLdcInsn(2L);
        main.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Thread", "sleep", "(J)V", false);
        main.visitJumpInsn(Opcodes.GOTO, loop);
        main.visitMaxs(0, 0);
        main.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
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
