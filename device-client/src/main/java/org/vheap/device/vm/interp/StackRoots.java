package org.vheap.device.vm.interp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.Activation;
import org.vheap.device.vm.thread.VmThread;
import org.vheap.format.FrameMaps;

/**
 * Finds the references in a green thread's activations, precisely: which local and operand-stack slots hold
 * references at an activation's pc comes from a data-flow analysis of the method's bytecode (ASM's
 * {@link Analyzer} with {@link BasicInterpreter}), computed once per method when a collection first meets
 * it. An activation's pc is either the instruction it will execute next, or (for a caller) its invoke, whose
 * arguments now belong to the callee; only the slots below the activation's sp are read.
 */
public final class StackRoots {
    private final Map<VmMethod, Frame<BasicValue>[]> analyses = new HashMap<>();
    private final Map<VmMethod, int[]> insnAtPc = new HashMap<>();

    /**
     * Applies a collector's root operator to every reference in {@code t}'s activations and to the VM-held
     * references of the thread, storing back what it answers (the object's new reference if it moved).
     */
    public void scan(VmThread t, IntUnaryOperator roots) {
        t.javaThread = roots.applyAsInt(t.javaThread);
        t.pendingException = roots.applyAsInt(t.pendingException);
        t.uncaught = roots.applyAsInt(t.uncaught);
        t.monitorObject = roots.applyAsInt(t.monitorObject);
        long[] s = t.slots;
        for (int i = 0; i < t.depth; i++) {
            Activation act = t.activations[i];
            act.lockedMonitor = roots.applyAsInt(act.lockedMonitor);
            MethodCode mc = (MethodCode) act.code;
            Frame<BasicValue> types = typesAt(act.method, mc, act.pc);
            int locals = Math.min(mc.maxLocals, types.getLocals());
            for (int l = 0; l < locals; l++) {
                if (types.getLocal(l) == BasicValue.REFERENCE_VALUE) {
                    s[act.bp + l] = roots.applyAsInt((int) s[act.bp + l]);
                }
            }
            int slot = act.bp + mc.maxLocals;
            for (int k = 0; k < types.getStackSize() && slot < act.sp; k++) {
                BasicValue v = types.getStack(k);
                if (v == BasicValue.REFERENCE_VALUE) {
                    s[slot] = roots.applyAsInt((int) s[slot]);
                }
                slot += v.getSize();
            }
        }
    }

    /**
     * The map of each of {@code t}'s activations, bottom first, for a reader that runs no code
     * ({@link FrameMaps}): the slots {@link #scan} would read as references, and the source line of the
     * instruction at the activation's pc.
     */
    public List<FrameMaps.ActivationMap> frameMaps(VmThread t) {
        List<FrameMaps.ActivationMap> maps = new ArrayList<>(t.depth);
        for (int i = 0; i < t.depth; i++) {
            Activation act = t.activations[i];
            MethodCode mc = (MethodCode) act.code;
            Frame<BasicValue> types = typesAt(act.method, mc, act.pc);
            List<Integer> refs = new ArrayList<>();
            int locals = Math.min(mc.maxLocals, types.getLocals());
            for (int l = 0; l < locals; l++) {
                if (types.getLocal(l) == BasicValue.REFERENCE_VALUE) {
                    refs.add(act.bp + l);
                }
            }
            int slot = act.bp + mc.maxLocals;
            for (int k = 0; k < types.getStackSize() && slot < act.sp; k++) {
                BasicValue v = types.getStack(k);
                if (v == BasicValue.REFERENCE_VALUE) {
                    refs.add(slot);
                }
                slot += v.getSize();
            }
            maps.add(new FrameMaps.ActivationMap(lineAt(act.method, insnAtPc.get(act.method)[act.pc]),
                    refs.stream().mapToInt(Integer::intValue).toArray()));
        }
        return maps;
    }

    /** The source line of instruction {@code index} of {@code m}: the nearest line number before it, or -1. */
    private static int lineAt(VmMethod m, int index) {
        InsnList insns = m.node().instructions;
        for (int i = index; i >= 0; i--) {
            if (insns.get(i) instanceof LineNumberNode line) {
                return line.line;
            }
        }
        return -1;
    }

    private Frame<BasicValue> typesAt(VmMethod m, MethodCode mc, int pc) {
        Frame<BasicValue>[] states = analyses.get(m);
        if (states == null) {
            try {
                states = new Analyzer<>(new BasicInterpreter()).analyze(m.owner().name(), m.node());
            } catch (AnalyzerException e) {
                throw new IllegalStateException("cannot find the references in an activation of " + m + ": " + e.getMessage(), e);
            }
            analyses.put(m, states);
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
        Frame<BasicValue> f = index < 0 ? null : states[index];
        if (f == null) {
            // unreachable code never runs; an activation there would be a VM bug
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
