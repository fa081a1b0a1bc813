package org.vheap.device.vm.interp;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.VmThread;

/**
 * Finds the references in a green thread's frames, precisely: which local and operand-stack slots hold
 * references at a frame's pc comes from a data-flow analysis of the method's bytecode (ASM's
 * {@link Analyzer} with {@link BasicInterpreter}), computed once per method when a collection first meets
 * it. A frame's pc is either the instruction it will execute next, or (for a caller) its invoke, whose
 * arguments now belong to the callee; only the slots below the frame's sp are read.
 */
public final class StackRoots {
    private final Map<VmMethod, Frame<BasicValue>[]> analyses = new HashMap<>();
    private final Map<VmMethod, int[]> insnAtPc = new HashMap<>();

    /** Calls {@code out} with every reference in {@code t}'s frames and the VM-held references of the thread. */
    public void scan(VmThread t, IntConsumer out) {
        out.accept(t.javaThread);
        out.accept(t.pendingException);
        out.accept(t.uncaught);
        out.accept(t.monitorObject);
        long[] s = t.slots;
        for (int i = 0; i < t.depth; i++) {
            org.vheap.device.vm.thread.Frame f = t.frames[i];
            out.accept(f.lockedMonitor);
            MethodCode mc = (MethodCode) f.code;
            Frame<BasicValue> types = typesAt(f.method, mc, f.pc);
            int locals = Math.min(mc.maxLocals, types.getLocals());
            for (int l = 0; l < locals; l++) {
                if (types.getLocal(l) == BasicValue.REFERENCE_VALUE) {
                    out.accept((int) s[f.bp + l]);
                }
            }
            int slot = f.bp + mc.maxLocals;
            for (int k = 0; k < types.getStackSize() && slot < f.sp; k++) {
                BasicValue v = types.getStack(k);
                if (v == BasicValue.REFERENCE_VALUE) {
                    out.accept((int) s[slot]);
                }
                slot += v.getSize();
            }
        }
    }

    private Frame<BasicValue> typesAt(VmMethod m, MethodCode mc, int pc) {
        Frame<BasicValue>[] frames = analyses.get(m);
        if (frames == null) {
            try {
                frames = new Analyzer<>(new BasicInterpreter()).analyze(m.owner().name(), m.node());
            } catch (AnalyzerException e) {
                throw new IllegalStateException("cannot find the references in a frame of " + m + ": " + e.getMessage(), e);
            }
            analyses.put(m, frames);
            InsnList insns = m.node().instructions;
            int[] at = new int[mc.code.length + 1];
            java.util.Arrays.fill(at, -1);
            for (int i = 0; i < insns.size(); i++) {
                AbstractInsnNode insn = insns.get(i);
                if (insn.getOpcode() >= 0) {
                    at[mc.pcOfInsn[i]] = i;
                }
            }
            insnAtPc.put(m, at);
        }
        int index = insnAtPc.get(m)[pc];
        Frame<BasicValue> f = index < 0 ? null : frames[index];
        if (f == null) {
            // unreachable code never runs; a frame there would be a VM bug
            throw new IllegalStateException("no type information at pc " + pc + " of " + m);
        }
        return f;
    }

    /** Forgets analyses (they are a cache). */
    public void clear() {
        analyses.clear();
        insnAtPc.clear();
    }
}
