package org.vheap.device.vm.interp;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.vheap.device.vm.loader.HostClasses;

/**
 * The tier: translates a hot method's prepared code ({@link MethodCode}, quickened as far as it has run) into a host
 * class with ASM, so the host JIT compiles the guest method's own loops instead of the interpreter's dispatch.
 *
 * <h2>The translation</h2>
 * Every local and operand-stack slot of the guest activation becomes a host {@code long} local, and each instruction
 * does to those exactly what the interpreter's case does to the thread's slots (same widths, same conversions), so the
 * state written back at an exit is the interpreter's to the bit. The operand stack's depth at each instruction comes
 * from ASM's data-flow analysis of the method. Heap accesses call {@link TierRuntime}, i.e. the same barriers; an
 * array instruction reads an array's length once for each array it sees in a run of the code, since lengths never
 * change. This class decides what is translated (entries, limits); {@link HostMethodWriter} lays out the host method
 * (frame, entries, exits) and {@link TranslationWriter} writes each instruction.
 *
 * <h2>What stays with the interpreter</h2>
 * Returns, {@code athrow}, calls the runtime cannot make from here (a native that blocks or calls back, a receiver an
 * interface site has not cached, too deep a nesting), instructions not yet quickened and everything rare are
 * <i>exits</i>: the translated code writes the locals and the stack back to the slots and returns that pc, and
 * the interpreter runs the instruction. So does an instruction whose check fails (a null reference, an index out of
 * bounds, a division by zero, a failed cast or array store, a monitor another thread holds, a full heap): the
 * interpreter runs it and throws, blocks or collects as ever. A backward branch spends the quantum like the
 * interpreter's; when it is spent the code exits at the branch's target, so the launcher's safepoints (collections,
 * checkpoints, thread switches) only ever see interpreter activations, and nothing of the translation is in the heap. Entry points: pc 0 and the targets of backward branches (loop headers), where the interpreter enters
 * from its own loop.
 *
 * <h2>Limits</h2>
 * A method whose prepared code is longer than {@link #MAX_CODE} slots, or whose translation's {@code run} method has
 * more than {@link #MAX_RUN_BYTES} bytes of bytecode, is left to the interpreter (the host JIT would not compile its
 * translation at all). Each int and long access of a translation does the barrier's fast path itself (see
 * {@link TranslationWriter}); when that makes the {@code run} method too long, the method is translated again with
 * each access a call to the runtime's getter or putter, a few bytes each. A translation is dropped when an exit finds
 * its instruction quickened since (it is translated again when hot).
 */
final class Translator {
    /** Prepared-code slots beyond which a method is left to the interpreter. */
    static final int MAX_CODE = 1200;
    /**
     * Bytes of bytecode of a translation's {@code run} method beyond which it is dropped and the method left to the
     * interpreter: HotSpot compiles no method longer than 8,000 bytes ({@code HugeMethodLimit}), and interpreted by
     * the host the translation would be slower than the interpreter. The code, not the class file, is what counts:
     * the class file's stack map frames grow with the host locals (each array instruction keeps two), not the code.
     */
    static final int MAX_RUN_BYTES = 8_000;

    private final MethodHandles.Lookup lookup;
    private final HostClasses hostClasses;
    /** Whether heap accesses look in the translation caches themselves (the memory is a paged heap). */
    private final boolean inlineBarriers;
    private int translated;

    /**
     * Defines its translations with {@code lookup}, through the code cache's {@code hostClasses}; {@code inlineBarriers}
     * when the runtime's memory is a paged heap, whose translation caches the translated code may read itself.
     */
    Translator(MethodHandles.Lookup lookup, HostClasses hostClasses, boolean inlineBarriers) {
        this.lookup = lookup;
        this.hostClasses = hostClasses;
        this.inlineBarriers = inlineBarriers;
    }

    /** A translation: the host code, its constants, its entry points, and each pc's op when it was made. */
    record Translation(TranslatedCode code, Object[] constants, boolean[] entries, int[] ops) {
        boolean isEntry(int pc) {
            return pc < entries.length && entries[pc];
        }

        /** Whether the instruction at an exit pc has been quickened since: translating again would take it in. */
        boolean stale(int pc, int[] code) {
            return code[pc] != ops[pc];
        }
    }

    /** Methods translated so far. */
    int translated() {
        return translated;
    }

    /** Translates {@code mc}, or returns null when it cannot be (too long, no entry point, not analysable). */
    Translation translate(MethodCode mc) {
        int[] code = mc.code;
        int[] depth = code.length > MAX_CODE ? null : depths(mc);
        if (depth == null) {
            mc.hotness = -1;   // never: too long or not analysable
            return null;
        }
        int[] ops = code.clone();   // a snapshot: other threads' quickening may rewrite code[] meanwhile
        boolean[] entries = new boolean[code.length];
        List<Integer> entryPcs = new ArrayList<>();
        for (int pc = 0; pc < code.length; pc += Ops.length(ops[pc])) {
            if (depth[pc] < 0) {
                continue;
            }
            int op = ops[pc];
            if (isBranch(op) && ops[pc + 1] <= pc) {
                markEntry(ops, depth, ops[pc + 1], entries, entryPcs);
            } else if (op == TABLESWITCH || op == LOOKUPSWITCH) {
                for (int target : switchTargets(mc, ops, pc)) {
                    if (target <= pc) {
                        markEntry(ops, depth, target, entries, entryPcs);
                    }
                }
            }
        }
        markEntry(ops, depth, 0, entries, entryPcs);
        if (entryPcs.isEmpty()) {
            return null;
        }
        List<Object> constants = new ArrayList<>();
        byte[] bytes = write(mc, ops, depth, constants, entryPcs, inlineBarriers);
        if (bytes == null && inlineBarriers) {
            constants.clear();
            bytes = write(mc, ops, depth, constants, entryPcs, false);
        }
        if (bytes == null) {
            mc.hotness = -1;
            return null;
        }
        try {
            Class<?> c = hostClasses.define(lookup, bytes);
            TranslatedCode tc = (TranslatedCode) c.getDeclaredConstructor().newInstance();
            translated++;
            return new Translation(tc, constants.toArray(), entries, ops);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("the tier made bad code for " + mc.method + ": " + e, e);
        }
    }

    /** The translation's class file, or null when its {@code run} method is longer than {@link #MAX_RUN_BYTES}. */
    private static byte[] write(MethodCode mc, int[] ops, int[] depth, List<Object> constants, List<Integer> entryPcs,
                                boolean inlineBarriers) {
        TranslationWriter writer = new TranslationWriter(mc, ops, depth, constants, inlineBarriers);
        try {
            byte[] bytes = writer.write(entryPcs);
            return writer.runBytes() > MAX_RUN_BYTES ? null : bytes;
        } catch (org.objectweb.asm.MethodTooLargeException | org.objectweb.asm.LimitExceededException e) {
            return null;   // far too long for the host JIT
        }
    }

    private static void markEntry(int[] ops, int[] depth, int pc, boolean[] entries, List<Integer> entryPcs) {
        if (!entries[pc] && depth[pc] >= 0 && HostMethodWriter.enterable(ops[pc])) {
            entries[pc] = true;
            entryPcs.add(pc);
        }
    }

    /** The operand stack's depth in slots before each instruction (-1: none there, or unreachable); null if unknown. */
    private static int[] depths(MethodCode mc) {
        Frame<BasicValue>[] frames;
        try {
            frames = new Analyzer<>(new BasicInterpreter()).analyze(mc.method.owner().name(), mc.method.node());
        } catch (AnalyzerException e) {
            return null;
        }
        int[] depth = new int[mc.code.length + 1];
        java.util.Arrays.fill(depth, -1);
        InsnList insns = mc.method.node().instructions;
        for (int i = 0; i < insns.size(); i++) {
            AbstractInsnNode insn = insns.get(i);
            if (insn.getOpcode() >= 0 && frames[i] != null) {
                int slots = 0;
                for (int k = 0; k < frames[i].getStackSize(); k++) {
                    slots += frames[i].getStack(k).getSize();
                }
                depth[mc.pcOfInsn[i]] = slots;
            }
        }
        return depth;
    }

    static boolean isBranch(int op) {
        return op >= IFEQ && op <= GOTO || op == IFNULL || op == IFNONNULL;
    }

    static int[] switchTargets(MethodCode mc, int[] ops, int pc) {
        int[] table = mc.switches[ops[pc + 1]];
        if (ops[pc] == TABLESWITCH) {
            int[] targets = new int[table.length - 2];
            targets[0] = table[2];
            System.arraycopy(table, 3, targets, 1, table.length - 3);
            return targets;
        }
        int n = table[1];
        int[] targets = new int[n + 1];
        targets[0] = table[0];
        System.arraycopy(table, 2 + n, targets, 1, n);
        return targets;
    }
}
