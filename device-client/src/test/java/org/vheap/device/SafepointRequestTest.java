package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.server.testing.TestHeaps;

/**
 * A suspend asked for from outside ends the running quantum at its next backward branch or call, in the interpreter and
 * in translated code: the safepoint does not wait for the quantum's budget, which an app waiting for the store spends
 * slowly (each fault a millisecond or more). Here the quantum is the largest there is and the app spins in a loop
 * without calls: without the request ending it, the quantum would run for minutes (2^31 backward branches) and the
 * suspend would time out.
 */
class SafepointRequestTest {
    /** A loop without calls that never ends; each turn does a long division and a heap read and write. */
    private static final String SPIN = """
            public class Spin {
                public static void main(String[] a) {
                    long[] xs = new long[1 << 14];
                    System.out.println("spinning");
                    for (long i = 1; ; i++) {
                        int k = (int) ((i * 7919) % xs.length);
                        xs[k] = xs[k] * 31 + i / (k + 1);
                    }
                }
            }
            """;

    /**
     * Bytecodes the interpreter runs in the loop's 200 ms, at the least: 2.4 million measured, early in a test JVM whose
     * JIT has not compiled the interpreter yet. With every method translated at its first call, the interpreter runs
     * about 14,000 in all (the instructions translated code hands back: the boot's and the output's).
     */
    private static final long SPUN = 200_000;

    /** {@code tierThreshold}: -1 the interpreter alone, 0 every method translated at its first call. */
    @ParameterizedTest
    @ValueSource(ints = {-1, 0})
    void aSuspendIsServedAtTheNextBackwardBranchHoweverLongTheQuantum(int tierThreshold) throws Exception {
        DeviceStats stats = suspendWhileSpinning(ResumeTest.compile("Spin", SPIN), "Spin", tierThreshold);
        ranWhereAsked(stats, tierThreshold);
    }

    /** The loop ran translated when every method is translated at its first call, else in the interpreter. */
    private static void ranWhereAsked(DeviceStats stats, int tierThreshold) {
        if (tierThreshold >= 0) {
            assertThat(stats.bytecodes()).as("bytecodes interpreted: the loop ran translated").isLessThan(SPUN);
        } else {
            assertThat(stats.bytecodes()).as("bytecodes interpreted: the loop ran in the interpreter").isGreaterThan(SPUN);
        }
    }

    /**
     * A loop whose only backward jumps are a {@code tableswitch}'s and a {@code lookupswitch}'s cases (javac makes none,
     * other compilers' state machines do) spends the quantum and serves the request as a backward branch does, and the
     * interpreter enters the loop's translation there (after the call to println, main goes on in the interpreter).
     */
    @ParameterizedTest
    @ValueSource(ints = {-1, 0})
    void aSwitchJumpingBackIsABackwardBranch(int tierThreshold) throws Exception {
        Path classes = Files.createTempDirectory("vheap-switch-spin");
        Files.write(classes.resolve("SwitchSpin.class"), switchSpin());
        DeviceStats stats = suspendWhileSpinning(classes, "SwitchSpin", tierThreshold);
        ranWhereAsked(stats, tierThreshold);
    }

    /**
     * Runs {@code main} (which prints "spinning", then never ends) under the largest quantum, asks for a suspend after
     * it printed, and checks the suspend was served; the device's figures.
     */
    private static DeviceStats suspendWhileSpinning(Path classes, String main, int tierThreshold) throws Exception {
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Device device = new Device(new DeviceConfig().app(TestHeaps.app("spin")).quantum(Integer.MAX_VALUE)
                    .tierThreshold(tierThreshold), store, ResumeTest.console(out));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> device.run(List.of(classes), main, List.of()));
            ResumeTest.awaitOutput(out, "spinning");
            Thread.sleep(200);   // the loop spins a while: interpreted, that is millions of bytecodes
            long checkpoint = device.suspend(Duration.ofSeconds(15));
            assertThat(checkpoint).as("the checkpoint the suspend took").isPositive();
            assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("spinning\n");
            return device.stats();
        }
    }

    /**
     * {@code SwitchSpin.main}: prints "spinning", then {@code k = 0; top: k++; tableswitch (k & 1) {0: top; 1: odd;
     * default: top}; odd: lookupswitch (k) {7: top; default: top}}: every way back to {@code top} is a switch's.
     */
    private static byte[] switchSpin() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "SwitchSpin", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "main", "([Ljava/lang/String;)V", null, null);
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/System", "out", "Ljava/io/PrintStream;");
        mv.visitLdcInsn("spinning");
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/io/PrintStream", "println", "(Ljava/lang/String;)V", false);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, 1);
        Label top = new Label();
        Label odd = new Label();
        mv.visitLabel(top);
        mv.visitIincInsn(1, 1);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IAND);
        mv.visitTableSwitchInsn(0, 1, top, top, odd);
        mv.visitLabel(odd);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitLookupSwitchInsn(top, new int[] {7}, new Label[] {top});
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
