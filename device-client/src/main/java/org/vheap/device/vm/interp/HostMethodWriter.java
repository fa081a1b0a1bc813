package org.vheap.device.vm.interp;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * The host side of a translation ({@link Translator}): the class and its {@code run} method, the host frame (each guest
 * local and operand-stack slot a host {@code long} local, {@link #local} and {@link #stack}), the entry points that
 * load an activation from the thread's slots, and the exits that write it back and return where the interpreter goes
 * on. {@link TranslationWriter} writes each instruction into it.
 *
 * <p>Host locals of {@code run(long[] s, int bp, int pc, TierRuntime rt, Object[] constants)}: the arguments, then
 * {@link #EXIT_PC} (the pc an exit returns), then two host slots per guest slot from {@link #FIRST}, then
 * {@link #TEMPS} temporaries from {@link #temp}, then the {@code long}s the instruction writer keeps for itself from
 * {@link #kept} (zero at every entry), then the barriers' locals from {@link #caches} (with {@link #inlineBarriers}).
 */
abstract class HostMethodWriter {
    /** The host local of argument {@code s} (the slots), {@code bp}, {@code pc}, the runtime, the constants. */
    static final int SLOTS = 1, BP = 2, PC = 3, RT = 4, CONSTANTS = 5, EXIT_PC = 6;
    /** The first host local of the guest's locals and stack (two host slots each: longs). */
    static final int FIRST = 7;
    static final String RUNTIME = "org/vheap/device/vm/interp/TierRuntime";
    /** Host {@code long} temporaries from {@link #temp}: the most a dup or swap form permutes. */
    static final int TEMPS = 6;

    final MethodCode mc;
    final int[] ops;
    final int[] depth;
    final List<Object> constants;
    final Map<Object, Integer> constantIndex = new HashMap<>();
    final int maxLocals;
    final int temp;
    /** The first of the {@code long}s the instruction writer keeps across instructions (zero at every entry). */
    final int kept;
    private final int keptLongs;
    /**
     * Whether heap accesses look in the paged heap's translation caches themselves: then, loaded at every entry, host
     * locals {@link #caches} (the caches' array), {@link #frameBytes}, {@link #lineShift} and {@link #lineMask} (ints),
     * and a {@code long} temporary {@link #line}, after the kept longs.
     */
    final boolean inlineBarriers;
    final int caches;
    final int frameBytes;
    final int lineShift;
    final int lineMask;
    final int line;
    final Label[] labels;
    /** Per pc: the trampoline of a backward branch to it (spend the budget, then jump), made when first needed. */
    final Label[] backward;
    /** Per operand-stack depth: the block that writes the state back and returns. */
    final Map<Integer, Label> spills = new HashMap<>();
    /** Placed after the last instruction of {@code run}: its offset is the method's length in bytes. */
    private final Label end = new Label();
    MethodVisitor mv;

    /**
     * {@code keptLongs}: host {@code long} locals the instruction writer keeps, from {@link #kept}; {@code inlineBarriers}:
     * heap accesses look in the translation caches themselves.
     */
    HostMethodWriter(MethodCode mc, int[] ops, int[] depth, List<Object> constants, int keptLongs, boolean inlineBarriers) {
        this.mc = mc;
        this.ops = ops;
        this.depth = depth;
        this.constants = constants;
        this.maxLocals = mc.maxLocals;
        int maxDepth = 0;
        for (int d : depth) {
            maxDepth = Math.max(maxDepth, d);
        }
        // the deepest instruction pushes at most two slots more (dup2 forms)
        this.temp = FIRST + 2 * (maxLocals + maxDepth + 4);
        this.kept = temp + 2 * TEMPS;
        this.keptLongs = keptLongs;
        this.inlineBarriers = inlineBarriers;
        this.caches = kept + 2 * keptLongs;
        this.frameBytes = caches + 1;
        this.lineShift = caches + 2;
        this.lineMask = caches + 3;
        this.line = caches + 4;
        this.labels = new Label[ops.length];
        this.backward = new Label[ops.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = new Label();
        }
    }

    /** Whether an op is translated (else it is an exit to the interpreter). */
    static boolean supported(int op) {
        return switch (op) {
            case RETURN, IRETURN, LRETURN, FRETURN, DRETURN, ARETURN, ATHROW,
                 NEWARRAY, MULTIANEWARRAY, Ops.NEW_Q, Ops.ANEWARRAY_Q, Ops.LDC_OBJECT, Ops.VARHANDLE_Q,
                 Ops.INVOKEDIRECT_Q, Ops.INVOKEVIRTUAL_Q, Ops.INVOKEINTERFACE_Q,
                 GETFIELD, PUTFIELD, GETSTATIC, PUTSTATIC, INVOKEVIRTUAL, INVOKESPECIAL, INVOKESTATIC,
                 INVOKEINTERFACE, INVOKEDYNAMIC, NEW, CHECKCAST, INSTANCEOF, ANEWARRAY, JSR, RET -> false;
            default -> op >= 0 && op <= Ops.INSTANCEOF_Q;
        };
    }

    /** Whether the translated code may be entered at an op: it runs it (or, for a call it cannot make, exits at once). */
    static boolean enterable(int op) {
        return supported(op) || switch (op) {
            case Ops.INVOKEDIRECT_Q, Ops.INVOKEVIRTUAL_Q, Ops.INVOKEINTERFACE_Q, Ops.NEW_Q, NEWARRAY, Ops.ANEWARRAY_Q -> true;
            default -> false;
        };
    }

    /** Writes the instruction at {@code pc}, the guest stack {@code d} slots deep before it. */
    abstract void translate(int pc, int op, int d);

    /** The class of the translation, entered at {@code entryPcs}. */
    final byte[] write(List<Integer> entryPcs) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        cw.visit(V17, ACC_FINAL | ACC_SUPER, "org/vheap/device/vm/interp/Translated", null, "java/lang/Object",
                new String[] {"org/vheap/device/vm/interp/TranslatedCode"});
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        mv = cw.visitMethod(ACC_PUBLIC, "run", "([JIIL" + RUNTIME + ";[Ljava/lang/Object;)J", null, null);
        mv.visitCode();
        // every host local starts defined, so the host verifier accepts any path (entry stacks, junk halves)
        for (int slot = 0; slot < (kept - FIRST) / 2 + keptLongs; slot++) {
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, FIRST + 2 * slot);
        }
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, EXIT_PC);
        if (inlineBarriers) {
            loadBarrierLocals();
        }
        entrySwitch(entryPcs);
        for (int pc = 0; pc < ops.length; pc += Ops.length(ops[pc])) {
            mv.visitLabel(labels[pc]);
            if (depth[pc] < 0) {
                // never reached: no host code falls into it (an exit to keep the label placed)
                exit(pc, 0);
                continue;
            }
            translate(pc, ops[pc], depth[pc]);
        }
        for (int pc = 0; pc < ops.length; pc++) {
            if (backward[pc] != null) {
                mv.visitLabel(backward[pc]);
                // the quantum: rt.budget--; if it was the last, or a safepoint is asked for, stop at the target
                Label stop = new Label();
                mv.visitVarInsn(ALOAD, RT);
                mv.visitInsn(DUP);
                mv.visitFieldInsn(GETFIELD, RUNTIME, "budget", "I");
                mv.visitInsn(ICONST_1);
                mv.visitInsn(ISUB);
                mv.visitInsn(DUP_X1);
                mv.visitFieldInsn(PUTFIELD, RUNTIME, "budget", "I");
                mv.visitJumpInsn(IFLE, stop);
                mv.visitVarInsn(ALOAD, RT);
                mv.visitMethodInsn(INVOKEVIRTUAL, RUNTIME, "safepointRequested", "()Z", false);
                mv.visitJumpInsn(IFEQ, labels[pc]);
                mv.visitLabel(stop);
                exit(pc, depth[pc]);
            }
        }
        for (Map.Entry<Integer, Label> e : spills.entrySet()) {
            mv.visitLabel(e.getValue());
            spill(e.getKey());
        }
        mv.visitLabel(end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Loads the host locals of the barriers' fast paths from the runtime's fields of the same names. */
    private void loadBarrierLocals() {
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, line);
        String[] names = {"caches", "frameBytes", "lineShift", "lineMask"};
        String[] types = {"[J", "[B", "I", "I"};
        int[] locals = {caches, frameBytes, lineShift, lineMask};
        for (int i = 0; i < names.length; i++) {
            rt();
            mv.visitFieldInsn(GETFIELD, RUNTIME, names[i], types[i]);
            mv.visitVarInsn(types[i].equals("I") ? ISTORE : ASTORE, locals[i]);
        }
    }

    /** Bytes of bytecode of the {@code run} method {@link #write} made. */
    final int runBytes() {
        return end.getOffset();
    }

    /** Loads the activation's state from the slots and jumps to the entry pc. */
    final void entrySwitch(List<Integer> entryPcs) {
        List<Integer> sorted = new ArrayList<>(entryPcs);
        sorted.sort(null);
        int[] keys = sorted.stream().mapToInt(Integer::intValue).toArray();
        Label[] loads = new Label[keys.length];
        for (int i = 0; i < keys.length; i++) {
            loads[i] = new Label();
        }
        Label bad = new Label();
        mv.visitVarInsn(ILOAD, PC);
        mv.visitLookupSwitchInsn(bad, keys, loads);
        for (int i = 0; i < keys.length; i++) {
            mv.visitLabel(loads[i]);
            for (int l = 0; l < maxLocals; l++) {
                loadSlot(l);
                mv.visitVarInsn(LSTORE, local(l));
            }
            for (int d = 0; d < depth[keys[i]]; d++) {
                loadSlot(maxLocals + d);
                mv.visitVarInsn(LSTORE, stack(d));
            }
            mv.visitJumpInsn(GOTO, labels[keys[i]]);
        }
        mv.visitLabel(bad);
        mv.visitTypeInsn(NEW, "java/lang/IllegalStateException");
        mv.visitInsn(DUP);
        mv.visitLdcInsn("not an entry point of the translation of " + mc.method);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(ATHROW);
    }

    /** Pushes s[bp + slot]. */
    final void loadSlot(int slot) {
        mv.visitVarInsn(ALOAD, SLOTS);
        slotIndex(slot);
        mv.visitInsn(LALOAD);
    }

    final void slotIndex(int slot) {
        mv.visitVarInsn(ILOAD, BP);
        push(slot);
        mv.visitInsn(IADD);
    }

    /** Writes locals and {@code d} stack slots back and returns (EXIT_PC << 32) | sp. */
    final void spill(int d) {
        writeBack(d);
        mv.visitVarInsn(ILOAD, EXIT_PC);
        mv.visitInsn(I2L);
        mv.visitIntInsn(BIPUSH, 32);
        mv.visitInsn(LSHL);
        slotIndex(maxLocals + d);
        mv.visitInsn(I2L);
        mv.visitInsn(LOR);
        mv.visitInsn(LRETURN);
    }

    /** Writes the locals and {@code d} stack slots to the thread's slots ({@code s[bp ..]}): the activation's state. */
    final void writeBack(int d) {
        for (int l = 0; l < maxLocals + d; l++) {
            mv.visitVarInsn(ALOAD, SLOTS);
            slotIndex(l);
            mv.visitVarInsn(LLOAD, FIRST + 2 * l);
            mv.visitInsn(LASTORE);
        }
    }

    /** Hands the instruction at {@code pc} (stack depth {@code d}) to the interpreter. */
    final void exit(int pc, int d) {
        push(pc);
        mv.visitVarInsn(ISTORE, EXIT_PC);
        mv.visitJumpInsn(GOTO, spills.computeIfAbsent(d, k -> new Label()));
    }

    /** A jump to an exit at {@code pc} when the value on the host stack (a long, consumed) is zero. */
    final void exitIfZero(int pc, int d) {
        exitUnless(IFNE, pc, d);
    }

    /** A jump to an exit at {@code pc} unless the value on the host stack (a long, consumed) is negative. */
    final void exitUnlessNegative(int pc, int d) {
        exitUnless(IFLT, pc, d);
    }

    /** Compares the long on the host stack with 0 and exits at {@code pc} unless {@code okJump} (IFNE, IFLT) holds. */
    private void exitUnless(int okJump, int pc, int d) {
        Label ok = new Label();
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(okJump, ok);
        exit(pc, d);
        mv.visitLabel(ok);
    }

    final int local(int l) {
        return FIRST + 2 * l;
    }

    final int stack(int d) {
        return FIRST + 2 * (maxLocals + d);
    }

    final void ld(int hostLocal) {
        mv.visitVarInsn(LLOAD, hostLocal);
    }

    final void st(int hostLocal) {
        mv.visitVarInsn(LSTORE, hostLocal);
    }

    /** Pushes stack slot {@code d} as an int. */
    final void ldInt(int d) {
        ld(stack(d));
        mv.visitInsn(L2I);
    }

    final void ldFloat(int d) {
        ldInt(d);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
    }

    final void ldDouble(int d) {
        ld(stack(d));
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
    }

    /** Stores the int on the host stack into stack slot {@code d} (sign-extended, as the interpreter's slots). */
    final void stInt(int d) {
        mv.visitInsn(I2L);
        st(stack(d));
    }

    final void stFloat(int d) {
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
        stInt(d);
    }

    final void stDouble(int d) {
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
        st(stack(d));
    }

    final void push(int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    final void pushLong(long v) {
        if (v == 0 || v == 1) {
            mv.visitInsn(LCONST_0 + (int) v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    final void constant(int d, long v) {
        pushLong(v);
        st(stack(d));
    }

    final void rt() {
        mv.visitVarInsn(ALOAD, RT);
    }

    final void call(String name, String desc) {
        mv.visitMethodInsn(INVOKEVIRTUAL, RUNTIME, name, desc, false);
    }

    /** Slots {@code dst[i]} take the values slots {@code src[i]} held before (a dup or swap form). */
    final void permute(int[] dst, int[] src) {
        for (int i = 0; i < src.length; i++) {
            ld(stack(src[i]));
            st(temp + 2 * i);
        }
        for (int i = 0; i < dst.length; i++) {
            ld(temp + 2 * i);
            st(stack(dst[i]));
        }
    }

    /** The next instruction's label, or the branch target's (through the budget trampoline when backward). */
    final Label target(int pc, int target) {
        if (target > pc) {
            return labels[target];
        }
        if (backward[target] == null) {
            backward[target] = new Label();
        }
        return backward[target];
    }

    final int constantIndex(Object value) {
        return constantIndex.computeIfAbsent(value, v -> {
            constants.add(v);
            return constants.size() - 1;
        });
    }

    /** Pushes {@code value} (a class, a method, a call site) from the translated class's constants. */
    final void loadConstant(Object value) {
        mv.visitVarInsn(ALOAD, CONSTANTS);
        push(constantIndex(value));
        mv.visitInsn(AALOAD);
    }
}
