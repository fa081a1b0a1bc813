package org.vheap.device.vm.interp;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import org.objectweb.asm.Label;
import org.vheap.device.vm.heap.paging.PagedHeap;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.VmMethod;

/**
 * Each guest instruction of a translation ({@link Translator}) as host code: what the interpreter's case in
 * {@link Interpreter#run} does to the thread's slots, done to the host frame of {@link HostMethodWriter} (same widths,
 * same conversions), heap accesses and checks through {@link TierRuntime}; calls through {@link TierRuntime#call};
 * instructions it does not translate, and failed checks, as exits. Over a paged heap, int and long reads and writes of
 * fields and array elements (a reference read is an int read) do the barrier's fast path here ({@link #index}): a look
 * in the heap's translation caches and an access to its frame bytes, held in host locals from the entry, with no
 * call; reference stores (the write barrier's remembered sets), statics, array lengths and narrower types still call.
 */
final class TranslationWriter extends HostMethodWriter {
    private static final String PAGED_HEAP = "org/vheap/device/vm/heap/paging/PagedHeap";
    /** Array instructions written so far: each has its own length cache, two kept longs from {@link #kept}. */
    private int lengthSites;

    /** {@code inlineBarriers}: int and long accesses look in the paged heap's translation caches themselves. */
    TranslationWriter(MethodCode mc, int[] ops, int[] depth, List<Object> constants, boolean inlineBarriers) {
        super(mc, ops, depth, constants, 2 * arrayInstructions(ops), inlineBarriers);
    }

    /** The instructions of {@code ops} that read an array's length: each gets a length cache. */
    private static int arrayInstructions(int[] ops) {
        int n = 0;
        for (int pc = 0; pc < ops.length; pc += Ops.length(ops[pc])) {
            int op = ops[pc];
            if (op >= IALOAD && op <= SALOAD || op >= IASTORE && op <= SASTORE || op == ARRAYLENGTH) {
                n++;
            }
        }
        return n;
    }

    @Override
    void translate(int pc, int op, int d) {
        String intrinsic = intrinsic(pc);
        if (intrinsic != null) {
            intrinsic(intrinsic, d);
        } else if (op == Ops.INVOKEDIRECT_Q || op == Ops.INVOKEVIRTUAL_Q || op == Ops.INVOKEINTERFACE_Q) {
            callSite(pc, d);
        } else if (op == Ops.NEW_Q || op == NEWARRAY || op == Ops.ANEWARRAY_Q) {
            allocation(pc, op, d);
        } else if (!supported(op)) {
            exit(pc, d);
        } else {
            instruction(pc, op, d);
        }
    }

    /**
     * Pure methods of {@code java.lang.Math} and {@code StrictMath} a call to which is translated into the host's
     * own (owner.name+descriptor, as {@code Natives} keys them): the same results, no call.
     */
    static final java.util.Set<String> INTRINSICS = java.util.Set.of(
            "java/lang/Math.sqrt(D)D", "java/lang/StrictMath.sqrt(D)D",
            "java/lang/Math.abs(I)I", "java/lang/Math.abs(J)J",
            "java/lang/Math.min(II)I", "java/lang/Math.max(II)I", "java/lang/Math.min(JJ)J", "java/lang/Math.max(JJ)J");

    /** The intrinsic a quickened call at {@code pc} is, or null. */
    private String intrinsic(int pc) {
        if (ops[pc] != Ops.INVOKEDIRECT_Q || !(mc.refs[ops[pc + 1]] instanceof VmMethod m)) {
            return null;
        }
        String key = m.owner().name() + "." + m.name() + m.descriptor();
        return INTRINSICS.contains(key) ? key : null;
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
                rt();
                ld(stack(d - 3));
                ld(stack(d - 1));
                call("storable", "(JJ)Z");
                Label ok = new Label();
                mv.visitJumpInsn(IFNE, ok);
                exit(pc, d);   // the interpreter throws ArrayStoreException
                mv.visitLabel(ok);
                storeAtTemp("putRef", d - 1);
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
                objectAddress(pc, d, d - 1);
                st(temp);
                arrayLength(d - 1);
                st(stack(d - 1));
            }
            case Ops.CHECKCAST_Q, Ops.INSTANCEOF_Q -> {
                Label done = new Label();
                ldInt(d - 1);
                mv.visitJumpInsn(IFEQ, done);   // null passes checkcast and is not an instance (stays 0)
                rt();
                ld(stack(d - 1));
                loadConstant(mc.refs[code[pc + 1]]);
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
        VmMethod m = ref instanceof InterfaceSite site ? site.resolved
                : (VmMethod) ref;
        int args = m.argSlots();
        char rt = m.returnType();
        int sp = maxLocals + d;
        writeBack(d);
        rt();
        boolean virtual = ops[pc] == Ops.INVOKEVIRTUAL_Q;
        boolean viaInterface = ops[pc] == Ops.INVOKEINTERFACE_Q;
        if (virtual) {
            push(ops[pc + 2]);
            push(args);
        } else {
            loadConstant(viaInterface ? ref : m);
        }
        push(pc);
        slotIndex(sp);
        call(virtual ? "callVirtual" : viaInterface ? "callInterface" : "call",
                virtual ? "(IIII)I" : "(Ljava/lang/Object;II)I");
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
                loadConstant(mc.refs[ops[pc + 1]]);
            }
            ld(stack(d - 1));
            call("newArray", "(Ljava/lang/Object;J)J");
        }
        mv.visitInsn(DUP2);
        st(temp);
        exitIfZero(pc, d);   // a reference: nursery ones are negative as ints, null says it was not made
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

    /**
     * Leaves the element's address in {@code temp} (checked: a null array or an index out of bounds is an exit), as
     * {@code Vm.elementAddress} computes it: the checks and the arithmetic here, only the length's read a call (see
     * {@link #fieldAddress} for why).
     */
    private void elementAddress(int pc, int d, int arraySlot, int shift) {
        objectAddress(pc, d, arraySlot);
        st(temp);
        // the index (a sign-extended int) as an unsigned long below the length: a negative index is out of bounds too
        ld(stack(arraySlot + 1));
        pushLong(0xFFFFFFFFL);
        mv.visitInsn(LAND);
        arrayLength(arraySlot);
        mv.visitInsn(LSUB);   // both in [0, 2^32): negative exactly when the index is below the length
        exitUnlessNegative(pc, d);
        ld(temp);
        pushLong(ObjectLayout.ARRAY_BASE_OFFSET);
        mv.visitInsn(LADD);
        ld(stack(arraySlot + 1));
        push(shift);
        mv.visitInsn(LSHL);
        mv.visitInsn(LADD);
        st(temp);
    }

    /**
     * Pushes the length (a long) of the array in stack slot {@code arraySlot}, whose address is in {@code temp}. Each
     * array instruction keeps the last array it saw and that array's length in two host locals, zero at entry: the
     * length is read through the barrier only for another array. Sound because an array's length never changes and a
     * reference names one array for as long as the translated code runs: objects move or are freed only in a collection,
     * and collections run only at the launcher's safepoints, where no translated code is on the host stack (a call from
     * here that comes back {@link TierRuntime#RETURNED} made none). A null reference never reaches here.
     */
    private void arrayLength(int arraySlot) {
        int cachedArray = kept + 4 * lengthSites;
        int cachedLength = cachedArray + 2;
        lengthSites++;
        Label miss = new Label();
        Label done = new Label();
        ld(stack(arraySlot));
        ld(cachedArray);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, miss);
        ld(cachedLength);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(miss);
        rt();
        ld(temp);
        pushLong(ObjectLayout.ARRAY_LENGTH_OFFSET);
        mv.visitInsn(LADD);
        call("getInt", "(J)J");
        mv.visitInsn(DUP2);
        st(cachedLength);
        ld(stack(arraySlot));
        st(cachedArray);
        mv.visitLabel(done);
    }

    /** Pushes the address of the object in stack slot {@code refSlot} (a long); a null reference is an exit. */
    private void objectAddress(int pc, int d, int refSlot) {
        ld(stack(refSlot));   // a reference: a sign-extended int, zero exactly when null
        exitIfZero(pc, d);
        ld(stack(refSlot));
        pushLong(0xFFFFFFFFL);
        mv.visitInsn(LAND);
        push(ObjectLayout.GRANULE_SHIFT);
        mv.visitInsn(LSHL);
    }

    private void arrayLoad(int pc, int d, int shift, String getter) {
        elementAddress(pc, d, d - 2, shift);
        loadAtTemp(getter, d - 2);
    }

    private void arrayStore(int pc, int d, int valueSlots, int shift, String putter) {
        int array = d - 2 - valueSlots;
        elementAddress(pc, d, array, shift);
        storeAtTemp(putter, array + 2);
    }

    /**
     * Reads the heap at the address in {@code temp} with a {@link TierRuntime} getter into stack slot {@code slot}: for
     * an int or a long with the barrier's fast path here ({@link #index}), else by calling the getter.
     */
    private void loadAtTemp(String getter, int slot) {
        boolean isInt = getter.equals("getInt");
        if (inlineBarriers && (isInt || getter.equals("getLong"))) {
            index(PagedHeap.READ_CACHE, "readIndex");
            mv.visitVarInsn(ALOAD, frameBytes);
            mv.visitInsn(SWAP);
            if (isInt) {
                mv.visitMethodInsn(INVOKESTATIC, PAGED_HEAP, "intAt", "([BI)I", false);
                mv.visitInsn(I2L);
            } else {
                mv.visitMethodInsn(INVOKESTATIC, PAGED_HEAP, "longAt", "([BI)J", false);
            }
            st(stack(slot));
            return;
        }
        rt();
        ld(temp);
        call(getter, "(J)J");
        st(stack(slot));
    }

    /**
     * Pushes the index in the frame bytes of the address in {@code temp} (an int), as the paged heap's barrier computes
     * it: the line's frame from the two entries of the translation cache at {@code cache} (read or write) in the caches'
     * array, else from a call to the barrier past them ({@code slow}: {@link TierRuntime#readIndex} or
     * {@link TierRuntime#writeIndex}, which may page and updates the caches). The entries are read afresh at each
     * access, so a miss, a call or an eviction since leaves nothing stale here; only the heap writes them.
     */
    private void index(int cache, String slow) {
        Label offset = new Label();
        Label done = new Label();
        ld(temp);
        mv.visitVarInsn(ILOAD, lineShift);
        mv.visitInsn(LUSHR);
        st(line);
        for (int entry = cache; entry < cache + 4; entry += 2) {
            // the entry's frame start if it holds the line (its line -1: none)
            Label next = new Label();
            ld(line);
            mv.visitVarInsn(ALOAD, caches);
            push(entry);
            mv.visitInsn(LALOAD);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFNE, next);
            mv.visitVarInsn(ALOAD, caches);
            push(entry + 1);
            mv.visitInsn(LALOAD);
            mv.visitInsn(L2I);
            mv.visitJumpInsn(GOTO, offset);
            mv.visitLabel(next);
        }
        // neither: the barrier past the caches, which returns the index
        rt();
        ld(temp);
        call(slow, "(J)I");
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(offset);   // frame start + (address & lineMask)
        ld(temp);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ILOAD, lineMask);
        mv.visitInsn(IAND);
        mv.visitInsn(IADD);
        mv.visitLabel(done);
    }

    /** Writes stack slot {@code slot} to the heap at the address in {@code temp} with a {@link TierRuntime} putter. */
    private void storeAtTemp(String putter, int slot) {
        boolean isInt = putter.equals("putInt");
        if (inlineBarriers && (isInt || putter.equals("putLong"))) {
            index(PagedHeap.WRITE_CACHE, "writeIndex");
            mv.visitVarInsn(ALOAD, frameBytes);
            mv.visitInsn(SWAP);
            ld(stack(slot));
            if (isInt) {
                mv.visitInsn(L2I);
                mv.visitMethodInsn(INVOKESTATIC, PAGED_HEAP, "putIntAt", "([BII)V", false);
            } else {
                mv.visitMethodInsn(INVOKESTATIC, PAGED_HEAP, "putLongAt", "([BIJ)V", false);
            }
            return;
        }
        rt();
        ld(temp);
        ld(stack(slot));
        call(putter, "(JJ)V");
    }

    /**
     * Leaves the field's address in {@code temp} (checked: a null reference is an exit). Computed here rather than by a
     * {@link TierRuntime} call, as {@link ObjectLayout#address} does: the host JIT then has fewer bytes to inline per
     * access, and inlines more of a method's accesses before it reaches its limit.
     */
    private void fieldAddress(int pc, int d, int refSlot) {
        objectAddress(pc, d, refSlot);
        pushLong(ops[pc + 1]);
        mv.visitInsn(LADD);
        st(temp);
    }

    private void getField(int pc, int d, String getter) {
        fieldAddress(pc, d, d - 1);
        loadAtTemp(getter, d - 1);
    }

    private void putField(int pc, int d, int valueSlots, String putter) {
        int ref = d - 1 - valueSlots;
        fieldAddress(pc, d, ref);
        storeAtTemp(putter, ref + 1);
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
