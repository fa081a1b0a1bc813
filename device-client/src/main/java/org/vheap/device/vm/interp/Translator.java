package org.vheap.device.vm.interp;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.vheap.device.vm.heap.ObjectLayout;

/**
 * The tier: translates a hot method's prepared code ({@link MethodCode}, quickened as far as it has run) into a host
 * class with ASM, so the host JIT compiles the guest method's own loops instead of the interpreter's dispatch.
 *
 * <h2>The translation</h2>
 * Every local and operand-stack slot of the guest activation becomes a host {@code long} local, and each instruction
 * does to those exactly what the interpreter's case does to the thread's slots (same widths, same conversions), so the
 * state written back at an exit is the interpreter's to the bit. The operand stack's depth at each instruction comes
 * from ASM's data-flow analysis of the method. Heap accesses call {@link TierRuntime}, i.e. the same barriers.
 *
 * <h2>What stays with the interpreter</h2>
 * Returns, {@code athrow}, calls the runtime cannot make from here (a native that blocks or calls back, a receiver an
 * interface site has not cached, too deep a nesting), instructions not yet quickened and everything rare are
 * <i>exits</i>: the translated code writes the locals and the stack back to the slots and returns that pc, and
 * the interpreter runs the instruction. So does an instruction whose check fails (a null reference, an index out of
 * bounds, a division by zero, a failed cast or array store, a monitor another thread holds, a full heap): the
 * interpreter runs it and throws, blocks or collects as ever. A backward branch spends the
 * quantum like the interpreter's; when it is spent the code exits at the branch's target, so the launcher's safepoints
 * (collections, checkpoints, thread switches) only ever see interpreter activations, and nothing of the translation
 * is in the heap. Entry points: pc 0 and the targets of backward branches (loop headers), where the interpreter enters
 * from its own loop.
 *
 * <h2>Limits</h2>
 * A method whose prepared code is longer than {@link #MAX_CODE} slots, or whose translation's class file is over
 * {@link #MAX_CLASS_BYTES}, is left to the interpreter (the host JIT would not compile its translation at all). A translation is dropped when an exit finds its instruction quickened since
 * (it is translated again when hot).
 */
final class Translator {
    /** Prepared-code slots beyond which a method is left to the interpreter. */
    static final int MAX_CODE = 1200;
    /**
     * Bytes of a translation's class file beyond which it is dropped and the method left to the interpreter: its code
     * would be near or over HotSpot's limit for compiling a method at all (8,000 bytes of bytecode), and interpreted by
     * the host it would be slower than the interpreter.
     */
    static final int MAX_CLASS_BYTES = 9_000;

    /** The host local of argument {@code s} (the slots), {@code bp}, {@code pc}, the runtime, the constants. */
    private static final int SLOTS = 1, BP = 2, PC = 3, RT = 4, CONSTANTS = 5, EXIT_PC = 6;
    /** The first host local of the guest's locals and stack (two host slots each: longs). */
    private static final int FIRST = 7;
    private static final String RUNTIME = "org/vheap/device/vm/interp/TierRuntime";

    private final MethodHandles.Lookup lookup;
    private int translated;

    Translator(MethodHandles.Lookup lookup) {
        this.lookup = lookup;
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
        if (code.length > MAX_CODE) {
            return null;
        }
        int[] depth = depths(mc);
        if (depth == null) {
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
        byte[] bytes;
        try {
            bytes = new Emitter(mc, ops, depth, constants).emit(entryPcs);
        } catch (org.objectweb.asm.MethodTooLargeException | org.objectweb.asm.LimitExceededException e) {
            return null;   // far too long for the host JIT
        }
        if (bytes.length > MAX_CLASS_BYTES) {
            return null;
        }
        try {
            Class<?> c = lookup.defineHiddenClass(bytes, true).lookupClass();
            TranslatedCode tc = (TranslatedCode) c.getDeclaredConstructor().newInstance();
            translated++;
            return new Translation(tc, constants.toArray(), entries, ops);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("the tier made bad code for " + mc.method + ": " + e, e);
        }
    }

    private static void markEntry(int[] ops, int[] depth, int pc, boolean[] entries, List<Integer> entryPcs) {
        if (!entries[pc] && depth[pc] >= 0 && Emitter.supported(ops[pc])) {
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

    /** Writes one translation's class. */
    private static final class Emitter {
        private final MethodCode mc;
        private final int[] ops;
        private final int[] depth;
        private final List<Object> constants;
        private final Map<Object, Integer> constantIndex = new HashMap<>();
        private final int maxLocals;
        private final int temp;
        private final Label[] labels;
        /** Per pc: the trampoline of a backward branch to it (spend the budget, then jump), made when first needed. */
        private final Label[] backward;
        /** Per operand-stack depth: the block that writes the state back and returns. */
        private final Map<Integer, Label> spills = new HashMap<>();
        private MethodVisitor mv;

        Emitter(MethodCode mc, int[] ops, int[] depth, List<Object> constants) {
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
            this.labels = new Label[ops.length];
            this.backward = new Label[ops.length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = new Label();
            }
        }

        /**
         * Pure methods of {@code java.lang.Math} and {@code StrictMath} a call to which is translated into the host's
         * own (owner.name+descriptor, as {@code Natives} keys them): the same results, no call.
         */
        static final java.util.Set<String> INTRINSICS = java.util.Set.of(
                "java/lang/Math.sqrt(D)D", "java/lang/StrictMath.sqrt(D)D",
                "java/lang/Math.abs(I)I", "java/lang/Math.abs(J)J", "java/lang/Math.abs(D)D", "java/lang/Math.abs(F)F",
                "java/lang/Math.min(II)I", "java/lang/Math.max(II)I", "java/lang/Math.min(JJ)J", "java/lang/Math.max(JJ)J");

        /** The intrinsic a quickened call at {@code pc} is, or null. */
        private String intrinsic(int pc) {
            if (ops[pc] != Ops.INVOKEDIRECT_Q || !(mc.refs[ops[pc + 1]] instanceof org.vheap.device.vm.loader.VmMethod m)) {
                return null;
            }
            String key = m.owner().name() + "." + m.name() + m.descriptor();
            return INTRINSICS.contains(key) ? key : null;
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

        byte[] emit(List<Integer> entryPcs) {
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
            for (int slot = 0; slot < (temp - FIRST) / 2 + 6; slot++) {
                mv.visitInsn(LCONST_0);
                mv.visitVarInsn(LSTORE, FIRST + 2 * slot);
            }
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, EXIT_PC);
            entrySwitch(entryPcs);
            for (int pc = 0; pc < ops.length; pc += Ops.length(ops[pc])) {
                mv.visitLabel(labels[pc]);
                if (depth[pc] < 0) {
                    // never reached: no host code falls into it (an exit to keep the label placed)
                    exit(pc, 0);
                    continue;
                }
                String intrinsic = intrinsic(pc);
                if (intrinsic != null) {
                    intrinsic(intrinsic, depth[pc]);
                } else if (ops[pc] == Ops.INVOKEDIRECT_Q || ops[pc] == Ops.INVOKEVIRTUAL_Q || ops[pc] == Ops.INVOKEINTERFACE_Q) {
                    callSite(pc, depth[pc]);
                } else if (ops[pc] == Ops.NEW_Q || ops[pc] == NEWARRAY || ops[pc] == Ops.ANEWARRAY_Q) {
                    allocation(pc, ops[pc], depth[pc]);
                } else if (!supported(ops[pc])) {
                    exit(pc, depth[pc]);
                } else {
                    instruction(pc, ops[pc], depth[pc]);
                }
            }
            for (int pc = 0; pc < ops.length; pc++) {
                if (backward[pc] != null) {
                    mv.visitLabel(backward[pc]);
                    // the quantum: rt.budget--; if it was the last, stop at the target
                    mv.visitVarInsn(ALOAD, RT);
                    mv.visitInsn(DUP);
                    mv.visitFieldInsn(GETFIELD, RUNTIME, "budget", "I");
                    mv.visitInsn(ICONST_1);
                    mv.visitInsn(ISUB);
                    mv.visitInsn(DUP_X1);
                    mv.visitFieldInsn(PUTFIELD, RUNTIME, "budget", "I");
                    mv.visitJumpInsn(IFGT, labels[pc]);
                    exit(pc, depth[pc]);
                }
            }
            for (Map.Entry<Integer, Label> e : spills.entrySet()) {
                mv.visitLabel(e.getValue());
                spill(e.getKey());
            }
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            cw.visitEnd();
            return cw.toByteArray();
        }

        /** Loads the activation's state from the slots and jumps to the entry pc. */
        private void entrySwitch(List<Integer> entryPcs) {
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
        private void loadSlot(int slot) {
            mv.visitVarInsn(ALOAD, SLOTS);
            slotIndex(slot);
            mv.visitInsn(LALOAD);
        }

        private void slotIndex(int slot) {
            mv.visitVarInsn(ILOAD, BP);
            push(slot);
            mv.visitInsn(IADD);
        }

        /** Writes locals and {@code d} stack slots back and returns (EXIT_PC << 32) | sp. */
        private void spill(int d) {
            for (int l = 0; l < maxLocals + d; l++) {
                mv.visitVarInsn(ALOAD, SLOTS);
                slotIndex(l);
                mv.visitVarInsn(LLOAD, FIRST + 2 * l);
                mv.visitInsn(LASTORE);
            }
            mv.visitVarInsn(ILOAD, EXIT_PC);
            mv.visitInsn(I2L);
            mv.visitIntInsn(BIPUSH, 32);
            mv.visitInsn(LSHL);
            slotIndex(maxLocals + d);
            mv.visitInsn(I2L);
            mv.visitInsn(LOR);
            mv.visitInsn(LRETURN);
        }

        /** Hands the instruction at {@code pc} (stack depth {@code d}) to the interpreter. */
        private void exit(int pc, int d) {
            push(pc);
            mv.visitVarInsn(ISTORE, EXIT_PC);
            mv.visitJumpInsn(GOTO, spills.computeIfAbsent(d, k -> new Label()));
        }

        /** A jump to an exit at {@code pc} when the value on the host stack (a long) is negative. */
        private void exitIfNegative(int pc, int d) {
            Label ok = new Label();
            mv.visitInsn(LCONST_0);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFGE, ok);
            exit(pc, d);
            mv.visitLabel(ok);
        }

        private int local(int l) {
            return FIRST + 2 * l;
        }

        private int stack(int d) {
            return FIRST + 2 * (maxLocals + d);
        }

        private void ld(int hostLocal) {
            mv.visitVarInsn(LLOAD, hostLocal);
        }

        private void st(int hostLocal) {
            mv.visitVarInsn(LSTORE, hostLocal);
        }

        /** Pushes stack slot {@code d} as an int. */
        private void ldInt(int d) {
            ld(stack(d));
            mv.visitInsn(L2I);
        }

        private void ldFloat(int d) {
            ldInt(d);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
        }

        private void ldDouble(int d) {
            ld(stack(d));
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
        }

        /** Stores the int on the host stack into stack slot {@code d} (sign-extended, as the interpreter's slots). */
        private void stInt(int d) {
            mv.visitInsn(I2L);
            st(stack(d));
        }

        private void stFloat(int d) {
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
            stInt(d);
        }

        private void stDouble(int d) {
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
            st(stack(d));
        }

        private void push(int v) {
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

        private void pushLong(long v) {
            if (v == 0 || v == 1) {
                mv.visitInsn(LCONST_0 + (int) v);
            } else {
                mv.visitLdcInsn(v);
            }
        }

        private void constant(int d, long v) {
            pushLong(v);
            st(stack(d));
        }

        private void rt() {
            mv.visitVarInsn(ALOAD, RT);
        }

        private void call(String name, String desc) {
            mv.visitMethodInsn(INVOKEVIRTUAL, RUNTIME, name, desc, false);
        }

        /** Slots {@code dst[i]} take the values slots {@code src[i]} held before (a dup or swap form). */
        private void permute(int[] dst, int[] src) {
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
        private Label target(int pc, int target) {
            if (target > pc) {
                return labels[target];
            }
            if (backward[target] == null) {
                backward[target] = new Label();
            }
            return backward[target];
        }

        private int constantIndex(Object value) {
            return constantIndex.computeIfAbsent(value, v -> {
                constants.add(v);
                return constants.size() - 1;
            });
        }

        /** One instruction: what the interpreter's case does, on host locals; {@code d} the depth before it. */
        private void instruction(int pc, int op, int d) {
            int[] code = ops;
            switch (op) {
                case NOP -> { }
                case ACONST_NULL -> constant(d, 0);
                case ICONST_M1, ICONST_0, ICONST_1, ICONST_2, ICONST_3, ICONST_4, ICONST_5 -> constant(d, op - ICONST_0);
                case LCONST_0, LCONST_1 -> constant(d, op - LCONST_0);
                case FCONST_0, FCONST_1, FCONST_2 -> constant(d, Float.floatToRawIntBits(op - FCONST_0));
                case DCONST_0, DCONST_1 -> constant(d, Double.doubleToRawLongBits(op - DCONST_0));
                case BIPUSH, SIPUSH, Ops.LDC_INT, Ops.LDC_REF -> constant(d, code[pc + 1]);
                case Ops.LDC_LONG -> constant(d, ((long) code[pc + 1] << 32) | (code[pc + 2] & 0xFFFFFFFFL));
                case ILOAD, FLOAD, ALOAD, LLOAD, DLOAD -> {
                    ld(local(code[pc + 1]));
                    st(stack(d));
                }
                case ISTORE, FSTORE, ASTORE -> {
                    ld(stack(d - 1));
                    st(local(code[pc + 1]));
                }
                case LSTORE, DSTORE -> {
                    ld(stack(d - 2));
                    st(local(code[pc + 1]));
                }
                case IALOAD, FALOAD, AALOAD -> arrayLoad(pc, d, 2, "getInt");
                case LALOAD, DALOAD -> arrayLoad(pc, d, 3, "getLong");
                case BALOAD -> arrayLoad(pc, d, 0, "getByte");
                case CALOAD -> arrayLoad(pc, d, 1, "getChar");
                case SALOAD -> arrayLoad(pc, d, 1, "getShort");
                case IASTORE, FASTORE -> arrayStore(pc, d, 1, 2, "putInt");
                case LASTORE, DASTORE -> arrayStore(pc, d, 2, 3, "putLong");
                case CASTORE, SASTORE -> arrayStore(pc, d, 1, 1, "putShort");
                case AASTORE -> {
                    elementAddress(pc, d, d - 3, 2);
                    st(temp);
                    rt();
                    ld(stack(d - 3));
                    ld(stack(d - 1));
                    call("storable", "(JJ)Z");
                    Label ok = new Label();
                    mv.visitJumpInsn(IFNE, ok);
                    exit(pc, d);   // the interpreter throws ArrayStoreException
                    mv.visitLabel(ok);
                    rt();
                    ld(temp);
                    ld(stack(d - 1));
                    call("putRef", "(JJ)V");
                }
                case MONITORENTER, MONITOREXIT -> {
                    rt();
                    ld(stack(d - 1));
                    call(op == MONITORENTER ? "enter" : "exit", "(J)Z");
                    Label ok = new Label();
                    mv.visitJumpInsn(IFNE, ok);
                    exit(pc, d);   // null, another owner (the interpreter blocks) or not the owner (it throws)
                    mv.visitLabel(ok);
                }
                case BASTORE -> {
                    elementAddress(pc, d, d - 3, 0);
                    st(temp);
                    rt();
                    ld(stack(d - 3));
                    ld(temp);
                    ld(stack(d - 1));
                    call("storeByte", "(JJJ)V");
                }
                case POP, POP2 -> { }
                case DUP -> permute(new int[] {d}, new int[] {d - 1});
                case DUP_X1 -> permute(new int[] {d - 2, d - 1, d}, new int[] {d - 1, d - 2, d - 1});
                case DUP_X2 -> permute(new int[] {d - 1, d - 2, d - 3, d}, new int[] {d - 2, d - 3, d - 1, d - 1});
                case DUP2 -> permute(new int[] {d, d + 1}, new int[] {d - 2, d - 1});
                case DUP2_X1 -> permute(new int[] {d - 3, d - 2, d - 1, d, d + 1}, new int[] {d - 2, d - 1, d - 3, d - 2, d - 1});
                case DUP2_X2 -> permute(new int[] {d - 4, d - 3, d - 2, d - 1, d, d + 1},
                        new int[] {d - 2, d - 1, d - 4, d - 3, d - 2, d - 1});
                case SWAP -> permute(new int[] {d - 1, d - 2}, new int[] {d - 2, d - 1});
                case IADD, ISUB, IMUL, IAND, IOR, IXOR, ISHL, ISHR, IUSHR -> {
                    ldInt(d - 2);
                    ldInt(d - 1);
                    mv.visitInsn(op);
                    stInt(d - 2);
                }
                case IDIV, IREM -> {
                    ld(stack(d - 1));
                    mv.visitInsn(L2I);
                    Label ok = new Label();
                    mv.visitJumpInsn(IFNE, ok);
                    exit(pc, d);
                    mv.visitLabel(ok);
                    ldInt(d - 2);
                    ldInt(d - 1);
                    mv.visitInsn(op);
                    stInt(d - 2);
                }
                case LADD, LSUB, LMUL, LAND, LOR, LXOR -> {
                    ld(stack(d - 4));
                    ld(stack(d - 2));
                    mv.visitInsn(op);
                    st(stack(d - 4));
                }
                case LDIV, LREM -> {
                    ld(stack(d - 2));
                    mv.visitInsn(LCONST_0);
                    mv.visitInsn(LCMP);
                    Label ok = new Label();
                    mv.visitJumpInsn(IFNE, ok);
                    exit(pc, d);
                    mv.visitLabel(ok);
                    ld(stack(d - 4));
                    ld(stack(d - 2));
                    mv.visitInsn(op);
                    st(stack(d - 4));
                }
                case LSHL, LSHR, LUSHR -> {
                    ld(stack(d - 3));
                    ldInt(d - 1);
                    mv.visitInsn(op);
                    st(stack(d - 3));
                }
                case FADD, FSUB, FMUL, FDIV, FREM -> {
                    ldFloat(d - 2);
                    ldFloat(d - 1);
                    mv.visitInsn(op);
                    stFloat(d - 2);
                }
                case DADD, DSUB, DMUL, DDIV, DREM -> {
                    ldDouble(d - 4);
                    ldDouble(d - 2);
                    mv.visitInsn(op);
                    stDouble(d - 4);
                }
                case INEG -> {
                    ldInt(d - 1);
                    mv.visitInsn(INEG);
                    stInt(d - 1);
                }
                case LNEG -> {
                    ld(stack(d - 2));
                    mv.visitInsn(LNEG);
                    st(stack(d - 2));
                }
                case FNEG -> {
                    ldFloat(d - 1);
                    mv.visitInsn(FNEG);
                    stFloat(d - 1);
                }
                case DNEG -> {
                    ldDouble(d - 2);
                    mv.visitInsn(DNEG);
                    stDouble(d - 2);
                }
                case IINC -> {
                    ld(local(code[pc + 1]));
                    mv.visitInsn(L2I);
                    push(code[pc + 2]);
                    mv.visitInsn(IADD);
                    mv.visitInsn(I2L);
                    st(local(code[pc + 1]));
                }
                case I2L -> {
                    ldInt(d - 1);
                    mv.visitInsn(I2L);
                    st(stack(d - 1));
                }
                case I2F -> {
                    ldInt(d - 1);
                    mv.visitInsn(I2F);
                    stFloat(d - 1);
                }
                case I2D -> {
                    ldInt(d - 1);
                    mv.visitInsn(I2D);
                    stDouble(d - 1);
                }
                case L2I -> {
                    ld(stack(d - 2));
                    mv.visitInsn(L2I);
                    stInt(d - 2);
                }
                case L2F -> {
                    ld(stack(d - 2));
                    mv.visitInsn(L2F);
                    stFloat(d - 2);
                }
                case L2D -> {
                    ld(stack(d - 2));
                    mv.visitInsn(L2D);
                    stDouble(d - 2);
                }
                case F2I -> {
                    ldFloat(d - 1);
                    mv.visitInsn(F2I);
                    stInt(d - 1);
                }
                case F2L -> {
                    ldFloat(d - 1);
                    mv.visitInsn(F2L);
                    st(stack(d - 1));
                }
                case F2D -> {
                    ldFloat(d - 1);
                    mv.visitInsn(F2D);
                    stDouble(d - 1);
                }
                case D2I -> {
                    ldDouble(d - 2);
                    mv.visitInsn(D2I);
                    stInt(d - 2);
                }
                case D2L -> {
                    ldDouble(d - 2);
                    mv.visitInsn(D2L);
                    st(stack(d - 2));
                }
                case D2F -> {
                    ldDouble(d - 2);
                    mv.visitInsn(D2F);
                    stFloat(d - 2);
                }
                case I2B, I2C, I2S -> {
                    ldInt(d - 1);
                    mv.visitInsn(op);
                    stInt(d - 1);
                }
                case LCMP -> {
                    ld(stack(d - 4));
                    ld(stack(d - 2));
                    mv.visitInsn(LCMP);
                    stInt(d - 4);
                }
                case FCMPL, FCMPG -> {
                    ldFloat(d - 2);
                    ldFloat(d - 1);
                    mv.visitInsn(op);
                    stInt(d - 2);
                }
                case DCMPL, DCMPG -> {
                    ldDouble(d - 4);
                    ldDouble(d - 2);
                    mv.visitInsn(op);
                    stInt(d - 4);
                }
                case IFEQ, IFNE, IFLT, IFGE, IFGT, IFLE, IFNULL, IFNONNULL -> {
                    ldInt(d - 1);
                    int jvm = op == IFNULL ? IFEQ : op == IFNONNULL ? IFNE : op;
                    mv.visitJumpInsn(jvm, target(pc, code[pc + 1]));
                }
                case IF_ICMPEQ, IF_ICMPNE, IF_ICMPLT, IF_ICMPGE, IF_ICMPGT, IF_ICMPLE, IF_ACMPEQ, IF_ACMPNE -> {
                    ldInt(d - 2);
                    ldInt(d - 1);
                    int jvm = op == IF_ACMPEQ ? IF_ICMPEQ : op == IF_ACMPNE ? IF_ICMPNE : op;
                    mv.visitJumpInsn(jvm, target(pc, code[pc + 1]));
                }
                case GOTO -> mv.visitJumpInsn(GOTO, target(pc, code[pc + 1]));
                case TABLESWITCH -> {
                    int[] table = mc.switches[code[pc + 1]];
                    Label[] cases = new Label[table.length - 3];
                    for (int k = 0; k < cases.length; k++) {
                        cases[k] = target(pc, table[3 + k]);
                    }
                    ldInt(d - 1);
                    mv.visitTableSwitchInsn(table[0], table[1], target(pc, table[2]), cases);
                }
                case LOOKUPSWITCH -> {
                    int[] table = mc.switches[code[pc + 1]];
                    int n = table[1];
                    int[] keys = new int[n];
                    Label[] cases = new Label[n];
                    for (int k = 0; k < n; k++) {
                        keys[k] = table[2 + k];
                        cases[k] = target(pc, table[2 + n + k]);
                    }
                    ldInt(d - 1);
                    mv.visitLookupSwitchInsn(target(pc, table[0]), keys, cases);
                }
                case Ops.GETFIELD_I32 -> getField(pc, d, "getInt");
                case Ops.GETFIELD_I64 -> getField(pc, d, "getLong");
                case Ops.GETFIELD_I8 -> getField(pc, d, "getByte");
                case Ops.GETFIELD_U16 -> getField(pc, d, "getChar");
                case Ops.GETFIELD_I16 -> getField(pc, d, "getShort");
                case Ops.PUTFIELD_I32 -> putField(pc, d, 1, "putInt");
                case Ops.PUTFIELD_REF -> putField(pc, d, 1, "putRef");
                case Ops.PUTFIELD_I64 -> putField(pc, d, 2, "putLong");
                case Ops.PUTFIELD_I8 -> putField(pc, d, 1, "putByte");
                case Ops.PUTFIELD_I16 -> putField(pc, d, 1, "putShort");
                case Ops.GETSTATIC_I32 -> getStatic(pc, d, "getInt");
                case Ops.GETSTATIC_I64 -> getStatic(pc, d, "getLong");
                case Ops.GETSTATIC_I8 -> getStatic(pc, d, "getByte");
                case Ops.GETSTATIC_U16 -> getStatic(pc, d, "getChar");
                case Ops.GETSTATIC_I16 -> getStatic(pc, d, "getShort");
                case Ops.PUTSTATIC_I32 -> putStatic(pc, d, 1, "putInt");
                case Ops.PUTSTATIC_REF -> putStatic(pc, d, 1, "putRef");
                case Ops.PUTSTATIC_I64 -> putStatic(pc, d, 2, "putLong");
                case Ops.PUTSTATIC_I8 -> putStatic(pc, d, 1, "putByte");
                case Ops.PUTSTATIC_I16 -> putStatic(pc, d, 1, "putShort");
                case ARRAYLENGTH -> {
                    rt();
                    ld(stack(d - 1));
                    call("arrayLength", "(J)J");
                    mv.visitInsn(DUP2);
                    st(temp);
                    exitIfNegative(pc, d);
                    ld(temp);
                    st(stack(d - 1));
                }
                case Ops.CHECKCAST_Q, Ops.INSTANCEOF_Q -> {
                    Label done = new Label();
                    ldInt(d - 1);
                    mv.visitJumpInsn(IFEQ, done);   // null passes checkcast and is not an instance (stays 0)
                    rt();
                    ld(stack(d - 1));
                    mv.visitVarInsn(ALOAD, CONSTANTS);
                    push(constantIndex(mc.refs[code[pc + 1]]));
                    mv.visitInsn(AALOAD);
                    call("isInstance", "(JLjava/lang/Object;)Z");
                    if (op == Ops.CHECKCAST_Q) {
                        mv.visitJumpInsn(IFNE, done);
                        exit(pc, d);   // the interpreter throws ClassCastException
                    } else {
                        stInt(d - 1);
                    }
                    mv.visitLabel(done);
                }
                default -> throw new IllegalStateException("not translated: op " + op);
            }
            // the next instruction's code follows: an instruction that does not jump falls into it
        }

        /**
         * A call: the activation's state written back, then {@link TierRuntime#call} runs a translated callee on the
         * host stack. When it returned, the result is read back (and the slots, which the call may have grown) and the
         * code goes on; when it was not made, this exits at the invoke (the interpreter calls); when the callee was left
         * running, this returns the {@code -1} exit (the interpreter goes on with the callee).
         */
        private void callSite(int pc, int d) {
            Object ref = mc.refs[ops[pc + 1]];
            org.vheap.device.vm.loader.VmMethod m = ref instanceof InterfaceSite site ? site.resolved
                    : (org.vheap.device.vm.loader.VmMethod) ref;
            int args = m.argSlots();
            char rt = m.returnType();
            int sp = maxLocals + d;
            for (int l = 0; l < sp; l++) {
                mv.visitVarInsn(ALOAD, SLOTS);
                slotIndex(l);
                mv.visitVarInsn(LLOAD, FIRST + 2 * l);
                mv.visitInsn(LASTORE);
            }
            rt();
            if (ops[pc] == Ops.INVOKEVIRTUAL_Q) {
                push(ops[pc + 2]);
                push(args);
                push(pc);
                slotIndex(sp);
                call("callVirtual", "(IIII)I");
            } else if (ops[pc] == Ops.INVOKEINTERFACE_Q) {
                mv.visitVarInsn(ALOAD, CONSTANTS);
                push(constantIndex(ref));
                mv.visitInsn(AALOAD);
                push(pc);
                slotIndex(sp);
                call("callInterface", "(Ljava/lang/Object;II)I");
            } else {
                mv.visitVarInsn(ALOAD, CONSTANTS);
                push(constantIndex(m));
                mv.visitInsn(AALOAD);
                push(pc);
                slotIndex(sp);
                call("call", "(Ljava/lang/Object;II)I");
            }
            Label returned = new Label();
            Label notCalled = new Label();
            mv.visitInsn(DUP);
            mv.visitJumpInsn(IFGT, returned);
            mv.visitJumpInsn(IFEQ, notCalled);
            pushLong(-1L << 32);   // LEFT_RUNNING: the state is the interpreter's now
            mv.visitInsn(LRETURN);
            mv.visitLabel(notCalled);
            pushLong((long) pc << 32);
            slotIndex(sp);
            mv.visitInsn(I2L);
            mv.visitInsn(LOR);
            mv.visitInsn(LRETURN);
            mv.visitLabel(returned);
            mv.visitInsn(POP);
            rt();
            call("slots", "()[J");
            mv.visitVarInsn(ASTORE, SLOTS);
            if (rt != 'V') {
                loadSlot(sp - args);
                st(stack(d - args));
            }
        }

        /**
         * {@code new}, {@code newarray}, {@code anewarray}: the object from {@link TierRuntime}, or an exit at the
         * instruction when it could not be made (the interpreter runs it again: it collects or throws); after it, an
         * exit at the next instruction when the nursery filled (the interpreter's loop then collects at once).
         */
        private void allocation(int pc, int op, int d) {
            int result = op == Ops.NEW_Q ? d : d - 1;
            rt();
            if (op == Ops.NEW_Q) {
                push(ops[pc + 1]);
                call("newObject", "(I)J");
            } else {
                if (op == NEWARRAY) {
                    rt();
                    push(ops[pc + 1]);
                    call("primitiveArray", "(I)Ljava/lang/Object;");
                } else {
                    mv.visitVarInsn(ALOAD, CONSTANTS);
                    push(constantIndex(mc.refs[ops[pc + 1]]));
                    mv.visitInsn(AALOAD);
                }
                ld(stack(d - 1));
                call("newArray", "(Ljava/lang/Object;J)J");
            }
            mv.visitInsn(DUP2);
            st(temp);
            exitIfNegative(pc, d);
            ld(temp);
            st(stack(result));
            rt();
            call("collectionRequested", "()Z");
            Label on = new Label();
            mv.visitJumpInsn(IFEQ, on);
            exit(pc + Ops.length(op), result + 1);
            mv.visitLabel(on);
        }

        /** A call of a {@link #INTRINSICS} method: its arguments replaced by its result, as the call would. */
        private void intrinsic(String key, int d) {
            String name = key.substring(key.indexOf('.') + 1, key.indexOf('('));
            String desc = key.substring(key.indexOf('('));
            char type = desc.charAt(1);
            int size = type == 'J' || type == 'D' ? 2 : 1;
            int args = desc.length() - 3;   // "(X)X" or "(XX)X"
            int first = d - args * size;
            for (int i = 0; i < args; i++) {
                switch (type) {
                    case 'D' -> ldDouble(first + i * size);
                    case 'F' -> ldFloat(first + i * size);
                    case 'J' -> ld(stack(first + i * size));
                    default -> ldInt(first + i * size);
                }
            }
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", name, desc, false);
            switch (type) {
                case 'D' -> stDouble(first);
                case 'F' -> stFloat(first);
                case 'J' -> st(stack(first));
                default -> stInt(first);
            }
        }

        /** Leaves the element's address (checked: else an exit) on the host stack. */
        private void elementAddress(int pc, int d, int arraySlot, int shift) {
            rt();
            ld(stack(arraySlot));
            ld(stack(arraySlot + 1));
            push(shift);
            call("element", "(JJI)J");
            mv.visitInsn(DUP2);
            st(temp + 2);
            exitIfNegative(pc, d);
            ld(temp + 2);
        }

        private void arrayLoad(int pc, int d, int shift, String getter) {
            elementAddress(pc, d, d - 2, shift);
            st(temp);
            rt();
            ld(temp);
            call(getter, "(J)J");
            st(stack(d - 2));
        }

        private void arrayStore(int pc, int d, int valueSlots, int shift, String putter) {
            int array = d - 2 - valueSlots;
            elementAddress(pc, d, array, shift);
            st(temp);
            rt();
            ld(temp);
            ld(stack(array + 2));
            call(putter, "(JJ)V");
        }

        private void getField(int pc, int d, String getter) {
            rt();
            ld(stack(d - 1));
            push(ops[pc + 1]);
            call("field", "(JI)J");
            mv.visitInsn(DUP2);
            st(temp);
            exitIfNegative(pc, d);
            rt();
            ld(temp);
            call(getter, "(J)J");
            st(stack(d - 1));
        }

        private void putField(int pc, int d, int valueSlots, String putter) {
            int ref = d - 1 - valueSlots;
            rt();
            ld(stack(ref));
            push(ops[pc + 1]);
            call("field", "(JI)J");
            mv.visitInsn(DUP2);
            st(temp);
            exitIfNegative(pc, d);
            rt();
            ld(temp);
            ld(stack(ref + 1));
            call(putter, "(JJ)V");
        }

        private void getStatic(int pc, int d, String getter) {
            rt();
            pushLong(ObjectLayout.address(ops[pc + 1]) + ops[pc + 2]);
            call(getter, "(J)J");
            st(stack(d));
        }

        private void putStatic(int pc, int d, int valueSlots, String putter) {
            rt();
            pushLong(ObjectLayout.address(ops[pc + 1]) + ops[pc + 2]);
            ld(stack(d - valueSlots));
            call(putter, "(JJ)V");
        }
    }
}
