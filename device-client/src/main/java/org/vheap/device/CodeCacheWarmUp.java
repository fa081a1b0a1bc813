package org.vheap.device;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.vheap.cli.TempDirs;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.vm.loader.ParsedClasses;

/**
 * What a device does once when it starts, before any app arrives: it boots the JDK's library in a scratch VM
 * (an empty {@code main} on an in-memory heap, discarded at once), so that the code cache
 * ({@link ParsedClasses}) holds the class files every app's boot and every resume replays — read from the
 * host's JDK, digested and parsed — and the host JIT has compiled the class loader and the interpreter. An
 * app that arrives later (a migration's resume, above all) finds its JDK classes parsed instead of parsing
 * them, which is most of a resume's class table: {@code ./vheap bench resume} measures a device so warmed
 * against one with an empty cache.
 *
 * <p>Costs about half a second of one core, once per device process (the CLI's {@code device start} runs it
 * in the background: an app that arrives meanwhile shares the cache as it fills). Nothing of it lives in any
 * store: the scratch heap is in memory and the cache is derived from the host's class files.
 */
public final class CodeCacheWarmUp {
    /** The scratch app's main class, generated here: it does nothing once the library has booted. */
    static final String MAIN = "VheapWarmUp";

    private CodeCacheWarmUp() {
    }

    /** Boots the library once in a scratch VM that shares {@code parsed}; returns how many classes it holds then. */
    public static int boot(ParsedClasses parsed) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("vheap-warm-up-");
            dir.toFile().deleteOnExit();   // also when the process ends during the boot (the file first: registered last)
            Path main = Files.write(dir.resolve(MAIN + ".class"), emptyMain());
            main.toFile().deleteOnExit();
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
            DeviceConsole console = new DeviceConsole(new ByteArrayInputStream(new byte[0]), discard, discard);
            try (MemoryHeapStore store = new MemoryHeapStore()) {
                DeviceConfig config = new DeviceConfig().app("vheap-warm-up").deviceName("vheap-warm-up")
                        .checkpointInterval(java.time.Duration.ZERO);
                int exit = new Device(config, store, console, parsed).run(List.of(dir), MAIN, List.of());
                if (exit != 0) {
                    throw new IllegalStateException("the warm-up boot exited with " + exit);
                }
            }
            return parsed.size();
        } catch (IOException e) {
            throw new UncheckedIOException("warming the code cache up", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** {@code public class VheapWarmUp { public static void main(String[] args) {} }}, Java 17's class file. */
    static byte[] emptyMain() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, MAIN, null, "java/lang/Object", null);
        MethodVisitor main = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "main", "([Ljava/lang/String;)V",
                null, null);
        main.visitCode();
        main.visitInsn(Opcodes.RETURN);
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
