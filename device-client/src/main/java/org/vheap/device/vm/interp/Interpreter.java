package org.vheap.device.vm.interp;

import static org.objectweb.asm.Opcodes.*;

import org.vheap.device.vm.HeapExhausted;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.device.vm.heap.WriteBarrier;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.natives.BlockingCalls;
import org.vheap.device.vm.thread.Activation;
import org.vheap.device.vm.thread.ThreadState;
import org.vheap.device.vm.thread.VmThread;

/**
 * The bytecode interpreter: runs one green thread for a quantum. The loop keeps the current activation's pc, sp
 * and locals base in host locals and reloads them from the thread's {@link Activation}s after every call, return
 * and throw, so a thread can stop at any instruction boundary (a safepoint) and be resumed from its activations.
 *
 * <p>Every heap access goes through {@link HeapMemory}, i.e. through the cache table's translation and the
 * read/write barriers. Everything rarer lives elsewhere, so this loop stays small enough for the host JIT to
 * compile: calls, returns and natives in {@link MethodInvoker}, resolution and quickening in
 * {@link InstructionLinker} (which initializes classes through {@link ClassInitializer}), array checks and
 * {@code multianewarray} in {@link ArrayInstructions}, VarHandle calls in {@link VarHandles}; an error the VM
 * detects becomes an exception object in {@link ThrowableFactory}, which {@link ExceptionUnwinder} throws. See the package documentation for the instruction encoding and the loop's contract.
 */
public final class Interpreter {
    private final Vm vm;
    private final HeapMemory mem;
    private final MethodInvoker invoker;
    private final InstructionLinker linker;
    private final ArrayInstructions arrays;
    private final VarHandles varHandles;
    private final Backtraces backtraces;
    /** The write barrier of reference stores. */
    private final WriteBarrier barrier;
    private final ThrowableFactory exceptions;
    private final ExceptionUnwinder unwinder;
    private final BlockingCalls blockingCalls;
    /** The tier: hot methods translated into host code ({@link Translator}). */
    private final TierRuntime tier;

    public Interpreter(Vm vm, MethodInvoker invoker, CallSites callSites, BlockingCalls blockingCalls) {
        this.vm = vm;
        this.mem = vm.memory();
        this.barrier = vm.barrier();
        this.invoker = invoker;
        this.linker = new InstructionLinker(vm, invoker, callSites);
        this.arrays = new ArrayInstructions(vm);
        this.varHandles = new VarHandles(vm);
        this.backtraces = new Backtraces(vm);
        this.exceptions = new ThrowableFactory(vm, backtraces);
        this.unwinder = new ExceptionUnwinder(vm, exceptions);
        this.blockingCalls = blockingCalls;
        this.tier = new TierRuntime(vm, arrays, invoker);
    }

    /**
     * Turns the tier on ({@link Translator}): a method is translated once its calls and backward branches reach
     * {@code threshold} (0: at its first call, a test mode); a negative threshold turns it off (as it is until this is
     * called; a device sets {@code DeviceConfig.tierThreshold}, 2,000 by default).
     */
    public void setTier(int threshold) {
        tier.enable(threshold);
    }

    /** Methods the tier has translated. */
    public int translatedMethods() {
        return tier.translatedMethods();
    }

    /** Makes the exception objects for errors the VM detects. */
    public ThrowableFactory exceptions() {
        return exceptions;
    }

    /** Stack traces: capturing and reading backtraces. */
    public Backtraces backtraces() {
        return backtraces;
    }

    /**
     * Runs {@code t} until it has used about {@code quantum} units (calls and backward branches), blocks, or
     * ends. On return the thread's activations describe exactly where it stopped.
     */
    public void run(VmThread t, int quantum) {
        int budget = quantum;
        long count = 0;
        t.yieldNow = false;
        if (t.blockedIn != 0) {
            // back from a blocking native (sleep, wait, park): it ends now, perhaps with InterruptedException
            JavaError interrupted = blockingCalls.finish(t);
            if (interrupted != null) {
                unwinder.unwind(t, exceptions.create(t, interrupted));
            }
        }
        // the pc of the last exit from translated code: the interpreter runs that instruction before entering again
        int exitedAt = -1;
        boolean tiered = tier.enabled();
        tier.thread = t;
        outer:
        while (t.depth > 0 && t.state == ThreadState.RUNNABLE && !t.yieldNow && vm.exitStatus() == null && !vm.minorCollectionRequested()) {
            if (t.pendingException != 0) {
                int ex = t.pendingException;
                t.pendingException = 0;
                unwinder.unwind(t, ex);
                continue;
            }
            Activation act = t.activations[t.depth - 1];
            act.afterCall = false;
            MethodCode mc = (MethodCode) act.code;
            int[] code = mc.code;
            Object[] refs = mc.refs;
            long[] s = t.slots;
            int pc = act.pc;
            int sp = act.sp;
            final int bp = act.bp;
            if (tiered && pc != exitedAt) {
                Translator.Translation translation = pc == 0 ? tier.translation(mc) : mc.translation;
                if (translation != null && translation.isEntry(pc)) {
                    tier.budget = budget;
                    long exit;
                    try {
                        exit = translation.code().run(s, bp, pc, tier, translation.constants());
                    } catch (JavaError | VmThrow | HeapExhausted e) {
                        // from a call translated code made (a native's exception, a StackOverflowError, a full heap):
                        // the calling activation, on top, was written back at its invoke before the call
                        budget = tier.budget;
                        if (thrown(t, e, t.activations[t.depth - 1].pc)) {
                            break;
                        }
                        continue;
                    }
                    budget = tier.budget;
                    int at = (int) (exit >>> 32);
                    if (at == -1) {
                        exitedAt = tier.skipPc;   // a translated call left its callee running: it is on top now
                    } else {
                        act.pc = exitedAt = at;
                        act.sp = (int) exit;
                        TierRuntime.exited(mc, translation, at);
                    }
                    if (budget <= 0 || vm.safepointRequested()) {
                        break;
                    }
                    continue;
                }
            }
            exitedAt = -1;
            try {
                for (;;) {
                    count++;
                    switch (code[pc]) {
                        case NOP -> pc++;
                        case ACONST_NULL -> { s[sp++] = 0; pc++; }
                        case ICONST_M1, ICONST_0, ICONST_1, ICONST_2, ICONST_3, ICONST_4, ICONST_5 -> {
                            s[sp++] = code[pc] - ICONST_0;
                            pc++;
                        }
                        case LCONST_0, LCONST_1 -> { s[sp] = code[pc] - LCONST_0; sp += 2; pc++; }
                        case FCONST_0, FCONST_1, FCONST_2 -> {
                            s[sp++] = Float.floatToRawIntBits(code[pc] - FCONST_0);
                            pc++;
                        }
                        case DCONST_0, DCONST_1 -> {
                            s[sp] = Double.doubleToRawLongBits(code[pc] - DCONST_0);
                            sp += 2;
                            pc++;
                        }
                        case BIPUSH, SIPUSH, Ops.LDC_INT, Ops.LDC_REF -> { s[sp++] = code[pc + 1]; pc += 2; }
                        case Ops.LDC_LONG -> {
                            s[sp] = ((long) code[pc + 1] << 32) | (code[pc + 2] & 0xFFFFFFFFL);
                            sp += 2;
                            pc += 3;
                        }
                        case Ops.LDC_OBJECT -> {
                            act.pc = pc;
                            int constant = linker.resolveConstant(mc, pc);
                            s[sp++] = constant;
                            pc += 2;
                        }
                        case ILOAD, FLOAD, ALOAD -> { s[sp++] = s[bp + code[pc + 1]]; pc += 2; }
                        case LLOAD, DLOAD -> { s[sp] = s[bp + code[pc + 1]]; sp += 2; pc += 2; }
                        case ISTORE, FSTORE, ASTORE -> { s[bp + code[pc + 1]] = s[--sp]; pc += 2; }
                        case LSTORE, DSTORE -> { sp -= 2; s[bp + code[pc + 1]] = s[sp]; pc += 2; }
                        case IALOAD, FALOAD, AALOAD -> {
                            int i = (int) s[--sp];
                            long a = element((int) s[sp - 1], i, 2);
                            s[sp - 1] = mem.getInt(a);
                            pc++;
                        }
                        case LALOAD, DALOAD -> {
                            int i = (int) s[sp - 1];
                            s[sp - 2] = mem.getLong(element((int) s[sp - 2], i, 3));
                            pc++;
                        }
                        case BALOAD -> {
                            int i = (int) s[--sp];
                            s[sp - 1] = mem.getByte(element((int) s[sp - 1], i, 0));
                            pc++;
                        }
                        case CALOAD -> {
                            int i = (int) s[--sp];
                            s[sp - 1] = mem.getChar(element((int) s[sp - 1], i, 1));
                            pc++;
                        }
                        case SALOAD -> {
                            int i = (int) s[--sp];
                            s[sp - 1] = mem.getShort(element((int) s[sp - 1], i, 1));
                            pc++;
                        }
                        case IASTORE, FASTORE -> {
                            sp -= 3;
                            mem.putInt(element((int) s[sp], (int) s[sp + 1], 2), (int) s[sp + 2]);
                            pc++;
                        }
                        case AASTORE -> {
                            sp -= 3;
                            int array = (int) s[sp];
                            long a = element(array, (int) s[sp + 1], 2);
                            int value = (int) s[sp + 2];
                            if (value != 0) {
                                arrays.checkArrayStore(array, value);
                            }
                            barrier.storeRef(a, value);
                            pc++;
                        }
                        case LASTORE, DASTORE -> {
                            sp -= 4;
                            mem.putLong(element((int) s[sp], (int) s[sp + 1], 3), s[sp + 2]);
                            pc++;
                        }
                        case BASTORE -> {
                            sp -= 3;
                            int array = (int) s[sp];
                            byte v = (byte) s[sp + 2];
                            if (array != 0 && arrays.isBooleanArray(array)) {
                                v &= 1;
                            }
                            mem.putByte(element(array, (int) s[sp + 1], 0), v);
                            pc++;
                        }
                        case CASTORE, SASTORE -> {
                            sp -= 3;
                            mem.putShort(element((int) s[sp], (int) s[sp + 1], 1), (short) s[sp + 2]);
                            pc++;
                        }
                        case POP -> { sp--; pc++; }
                        case POP2 -> { sp -= 2; pc++; }
                        case DUP -> { s[sp] = s[sp - 1]; sp++; pc++; }
                        case DUP_X1 -> {
                            long v1 = s[sp - 1];
                            s[sp - 1] = s[sp - 2];
                            s[sp - 2] = v1;
                            s[sp++] = v1;
                            pc++;
                        }
                        case DUP_X2 -> {
                            long v1 = s[sp - 1];
                            s[sp - 1] = s[sp - 2];
                            s[sp - 2] = s[sp - 3];
                            s[sp - 3] = v1;
                            s[sp++] = v1;
                            pc++;
                        }
                        case DUP2 -> { s[sp] = s[sp - 2]; s[sp + 1] = s[sp - 1]; sp += 2; pc++; }
                        case DUP2_X1 -> {
                            long v1 = s[sp - 1], v2 = s[sp - 2], v3 = s[sp - 3];
                            s[sp - 3] = v2;
                            s[sp - 2] = v1;
                            s[sp - 1] = v3;
                            s[sp] = v2;
                            s[sp + 1] = v1;
                            sp += 2;
                            pc++;
                        }
                        case DUP2_X2 -> {
                            long v1 = s[sp - 1], v2 = s[sp - 2], v3 = s[sp - 3], v4 = s[sp - 4];
                            s[sp - 4] = v2;
                            s[sp - 3] = v1;
                            s[sp - 2] = v4;
                            s[sp - 1] = v3;
                            s[sp] = v2;
                            s[sp + 1] = v1;
                            sp += 2;
                            pc++;
                        }
                        case SWAP -> { long v = s[sp - 1]; s[sp - 1] = s[sp - 2]; s[sp - 2] = v; pc++; }
                        case IADD -> { sp--; s[sp - 1] = (int) s[sp - 1] + (int) s[sp]; pc++; }
                        case ISUB -> { sp--; s[sp - 1] = (int) s[sp - 1] - (int) s[sp]; pc++; }
                        case IMUL -> { sp--; s[sp - 1] = (int) s[sp - 1] * (int) s[sp]; pc++; }
                        case IDIV -> {
                            sp--;
                            int d = (int) s[sp];
                            if (d == 0) {
                                throw new JavaError("java/lang/ArithmeticException", "/ by zero");
                            }
                            s[sp - 1] = (int) s[sp - 1] / d;
                            pc++;
                        }
                        case IREM -> {
                            sp--;
                            int d = (int) s[sp];
                            if (d == 0) {
                                throw new JavaError("java/lang/ArithmeticException", "/ by zero");
                            }
                            s[sp - 1] = (int) s[sp - 1] % d;
                            pc++;
                        }
                        case LADD -> { sp -= 2; s[sp - 2] += s[sp]; pc++; }
                        case LSUB -> { sp -= 2; s[sp - 2] -= s[sp]; pc++; }
                        case LMUL -> { sp -= 2; s[sp - 2] *= s[sp]; pc++; }
                        case LDIV -> {
                            sp -= 2;
                            if (s[sp] == 0) {
                                throw new JavaError("java/lang/ArithmeticException", "/ by zero");
                            }
                            s[sp - 2] /= s[sp];
                            pc++;
                        }
                        case LREM -> {
                            sp -= 2;
                            if (s[sp] == 0) {
                                throw new JavaError("java/lang/ArithmeticException", "/ by zero");
                            }
                            s[sp - 2] %= s[sp];
                            pc++;
                        }
                        case FADD -> { sp--; s[sp - 1] = fbits(f(s[sp - 1]) + f(s[sp])); pc++; }
                        case FSUB -> { sp--; s[sp - 1] = fbits(f(s[sp - 1]) - f(s[sp])); pc++; }
                        case FMUL -> { sp--; s[sp - 1] = fbits(f(s[sp - 1]) * f(s[sp])); pc++; }
                        case FDIV -> { sp--; s[sp - 1] = fbits(f(s[sp - 1]) / f(s[sp])); pc++; }
                        case FREM -> { sp--; s[sp - 1] = fbits(f(s[sp - 1]) % f(s[sp])); pc++; }
                        case DADD -> { sp -= 2; s[sp - 2] = dbits(d(s[sp - 2]) + d(s[sp])); pc++; }
                        case DSUB -> { sp -= 2; s[sp - 2] = dbits(d(s[sp - 2]) - d(s[sp])); pc++; }
                        case DMUL -> { sp -= 2; s[sp - 2] = dbits(d(s[sp - 2]) * d(s[sp])); pc++; }
                        case DDIV -> { sp -= 2; s[sp - 2] = dbits(d(s[sp - 2]) / d(s[sp])); pc++; }
                        case DREM -> { sp -= 2; s[sp - 2] = dbits(d(s[sp - 2]) % d(s[sp])); pc++; }
                        case INEG -> { s[sp - 1] = -(int) s[sp - 1]; pc++; }
                        case LNEG -> { s[sp - 2] = -s[sp - 2]; pc++; }
                        case FNEG -> { s[sp - 1] = fbits(-f(s[sp - 1])); pc++; }
                        case DNEG -> { s[sp - 2] = dbits(-d(s[sp - 2])); pc++; }
                        case ISHL -> { sp--; s[sp - 1] = (int) s[sp - 1] << (int) s[sp]; pc++; }
                        case ISHR -> { sp--; s[sp - 1] = (int) s[sp - 1] >> (int) s[sp]; pc++; }
                        case IUSHR -> { sp--; s[sp - 1] = (int) s[sp - 1] >>> (int) s[sp]; pc++; }
                        case LSHL -> { sp--; s[sp - 2] = s[sp - 2] << (int) s[sp]; pc++; }
                        case LSHR -> { sp--; s[sp - 2] = s[sp - 2] >> (int) s[sp]; pc++; }
                        case LUSHR -> { sp--; s[sp - 2] = s[sp - 2] >>> (int) s[sp]; pc++; }
                        case IAND -> { sp--; s[sp - 1] = (int) s[sp - 1] & (int) s[sp]; pc++; }
                        case IOR -> { sp--; s[sp - 1] = (int) s[sp - 1] | (int) s[sp]; pc++; }
                        case IXOR -> { sp--; s[sp - 1] = (int) s[sp - 1] ^ (int) s[sp]; pc++; }
                        case LAND -> { sp -= 2; s[sp - 2] &= s[sp]; pc++; }
                        case LOR -> { sp -= 2; s[sp - 2] |= s[sp]; pc++; }
                        case LXOR -> { sp -= 2; s[sp - 2] ^= s[sp]; pc++; }
                        case IINC -> { s[bp + code[pc + 1]] = (int) s[bp + code[pc + 1]] + code[pc + 2]; pc += 3; }
                        case I2L -> { s[sp - 1] = (int) s[sp - 1]; sp++; pc++; }
                        case I2F -> { s[sp - 1] = fbits((int) s[sp - 1]); pc++; }
                        case I2D -> { s[sp - 1] = dbits((int) s[sp - 1]); sp++; pc++; }
                        case L2I -> { sp--; s[sp - 1] = (int) s[sp - 1]; pc++; }
                        case L2F -> { sp--; s[sp - 1] = fbits((float) s[sp - 1]); pc++; }
                        case L2D -> { s[sp - 2] = dbits((double) s[sp - 2]); pc++; }
                        case F2I -> { s[sp - 1] = (int) f(s[sp - 1]); pc++; }
                        case F2L -> { s[sp - 1] = (long) f(s[sp - 1]); sp++; pc++; }
                        case F2D -> { s[sp - 1] = dbits(f(s[sp - 1])); sp++; pc++; }
                        case D2I -> { sp--; s[sp - 1] = (int) d(s[sp - 1]); pc++; }
                        case D2L -> { s[sp - 2] = (long) d(s[sp - 2]); pc++; }
                        case D2F -> { sp--; s[sp - 1] = fbits((float) d(s[sp - 1])); pc++; }
                        case I2B -> { s[sp - 1] = (byte) s[sp - 1]; pc++; }
                        case I2C -> { s[sp - 1] = (char) s[sp - 1]; pc++; }
                        case I2S -> { s[sp - 1] = (short) s[sp - 1]; pc++; }
                        case LCMP -> { sp -= 3; s[sp - 1] = Long.compare(s[sp - 1], s[sp + 1]); pc++; }
                        case FCMPL, FCMPG -> {
                            sp--;
                            float a = f(s[sp - 1]), b = f(s[sp]);
                            s[sp - 1] = a > b ? 1 : a == b ? 0 : a < b ? -1 : code[pc] == FCMPG ? 1 : -1;
                            pc++;
                        }
                        case DCMPL, DCMPG -> {
                            sp -= 3;
                            double a = d(s[sp - 1]), b = d(s[sp + 1]);
                            s[sp - 1] = a > b ? 1 : a == b ? 0 : a < b ? -1 : code[pc] == DCMPG ? 1 : -1;
                            pc++;
                        }
                        case IFEQ, IFNE, IFLT, IFGE, IFGT, IFLE, IF_ICMPEQ, IF_ICMPNE, IF_ICMPLT, IF_ICMPGE, IF_ICMPGT,
                             IF_ICMPLE, IF_ACMPEQ, IF_ACMPNE, IFNULL, IFNONNULL, GOTO, TABLESWITCH, LOOKUPSWITCH -> {
                            boolean jump;
                            int target = code[pc + 1];
                            switch (code[pc]) {
                                case IFEQ -> jump = (int) s[--sp] == 0;
                                case IFNE -> jump = (int) s[--sp] != 0;
                                case IFLT -> jump = (int) s[--sp] < 0;
                                case IFGE -> jump = (int) s[--sp] >= 0;
                                case IFGT -> jump = (int) s[--sp] > 0;
                                case IFLE -> jump = (int) s[--sp] <= 0;
                                case IF_ICMPEQ -> { sp -= 2; jump = (int) s[sp] == (int) s[sp + 1]; }
                                case IF_ICMPNE -> { sp -= 2; jump = (int) s[sp] != (int) s[sp + 1]; }
                                case IF_ICMPLT -> { sp -= 2; jump = (int) s[sp] < (int) s[sp + 1]; }
                                case IF_ICMPGE -> { sp -= 2; jump = (int) s[sp] >= (int) s[sp + 1]; }
                                case IF_ICMPGT -> { sp -= 2; jump = (int) s[sp] > (int) s[sp + 1]; }
                                case IF_ICMPLE -> { sp -= 2; jump = (int) s[sp] <= (int) s[sp + 1]; }
                                case IF_ACMPEQ -> { sp -= 2; jump = (int) s[sp] == (int) s[sp + 1]; }
                                case IF_ACMPNE -> { sp -= 2; jump = (int) s[sp] != (int) s[sp + 1]; }
                                case IFNULL -> jump = (int) s[--sp] == 0;
                                case IFNONNULL -> jump = (int) s[--sp] != 0;
                                case TABLESWITCH, LOOKUPSWITCH -> {
                                    target = switchTarget(code[pc], mc.switches[target], (int) s[--sp]);
                                    jump = true;
                                }
                                default -> jump = true; // GOTO
                            }
                            if (!jump) {
                                pc += 2;
                            } else {
                                if (target <= pc) {
                                    // a backward branch (a switch's backward case too) spends the quantum (or a
                                    // safepoint asked for ends it): the thread may be switched here
                                    if (--budget <= 0 || vm.safepointRequested()) {
                                        act.pc = target;
                                        act.sp = sp;
                                        break outer;
                                    }
                                    if (tiered && enterTier(mc, target)) {
                                        act.pc = target;
                                        act.sp = sp;
                                        continue outer;   // into the translated loop
                                    }
                                }
                                pc = target;
                            }
                        }
                        case IRETURN, FRETURN, ARETURN, LRETURN, DRETURN, RETURN -> {
                            int op = code[pc];
                            int size = op == RETURN ? 0 : op == LRETURN || op == DRETURN ? 2 : 1;
                            act.pc = pc;
                            act.sp = sp;
                            invoker.returnFrom(t, size);
                            continue outer;
                        }
                        // ---- fields (quick) ----
                        case Ops.GETFIELD_I32 -> { s[sp - 1] = mem.getInt(field(s[sp - 1], code[pc + 1])); pc += 3; }
                        case Ops.GETFIELD_I64 -> { s[sp - 1] = mem.getLong(field(s[sp - 1], code[pc + 1])); sp++; pc += 3; }
                        case Ops.GETFIELD_I8 -> { s[sp - 1] = mem.getByte(field(s[sp - 1], code[pc + 1])); pc += 3; }
                        case Ops.GETFIELD_U16 -> { s[sp - 1] = mem.getChar(field(s[sp - 1], code[pc + 1])); pc += 3; }
                        case Ops.GETFIELD_I16 -> { s[sp - 1] = mem.getShort(field(s[sp - 1], code[pc + 1])); pc += 3; }
                        case Ops.PUTFIELD_I32 -> {
                            sp -= 2;
                            mem.putInt(field(s[sp], code[pc + 1]), (int) s[sp + 1]);
                            pc += 3;
                        }
                        case Ops.PUTFIELD_REF -> {
                            sp -= 2;
                            barrier.storeRef(field(s[sp], code[pc + 1]), (int) s[sp + 1]);
                            pc += 3;
                        }
                        case Ops.PUTFIELD_I64 -> {
                            sp -= 3;
                            mem.putLong(field(s[sp], code[pc + 1]), s[sp + 1]);
                            pc += 3;
                        }
                        case Ops.PUTFIELD_I8 -> {
                            sp -= 2;
                            mem.putByte(field(s[sp], code[pc + 1]), (byte) s[sp + 1]);
                            pc += 3;
                        }
                        case Ops.PUTFIELD_I16 -> {
                            sp -= 2;
                            mem.putShort(field(s[sp], code[pc + 1]), (short) s[sp + 1]);
                            pc += 3;
                        }
                        case Ops.GETSTATIC_I32 -> { s[sp++] = mem.getInt(staticAddress(code, pc)); pc += 3; }
                        case Ops.GETSTATIC_I64 -> { s[sp] = mem.getLong(staticAddress(code, pc)); sp += 2; pc += 3; }
                        case Ops.GETSTATIC_I8 -> { s[sp++] = mem.getByte(staticAddress(code, pc)); pc += 3; }
                        case Ops.GETSTATIC_U16 -> { s[sp++] = mem.getChar(staticAddress(code, pc)); pc += 3; }
                        case Ops.GETSTATIC_I16 -> { s[sp++] = mem.getShort(staticAddress(code, pc)); pc += 3; }
                        case Ops.PUTSTATIC_I32 -> { mem.putInt(staticAddress(code, pc), (int) s[--sp]); pc += 3; }
                        case Ops.PUTSTATIC_REF -> { barrier.storeRef(staticAddress(code, pc), (int) s[--sp]); pc += 3; }
                        case Ops.PUTSTATIC_I64 -> { sp -= 2; mem.putLong(staticAddress(code, pc), s[sp]); pc += 3; }
                        case Ops.PUTSTATIC_I8 -> { mem.putByte(staticAddress(code, pc), (byte) s[--sp]); pc += 3; }
                        case Ops.PUTSTATIC_I16 -> { mem.putShort(staticAddress(code, pc), (short) s[--sp]); pc += 3; }
                        case GETFIELD, PUTFIELD, GETSTATIC, PUTSTATIC, INVOKEVIRTUAL, INVOKESPECIAL, INVOKESTATIC,
                             INVOKEINTERFACE, INVOKEDYNAMIC, NEW, CHECKCAST, INSTANCEOF, ANEWARRAY -> {
                            act.pc = pc;
                            act.sp = sp;
                            if (!linker.link(t, mc, pc)) {
                                continue outer; // class initialization activations were pushed, or the thread blocked
                            }
                            // the instruction was rewritten into its quick form: execute it now
                        }
                        // ---- calls (quick) ----
                        case Ops.INVOKEDIRECT_Q, Ops.INVOKEVIRTUAL_Q, Ops.INVOKEINTERFACE_Q -> {
                            VmMethod m;
                            switch (code[pc]) {
                                case Ops.INVOKEDIRECT_Q -> {
                                    m = (VmMethod) refs[code[pc + 1]];
                                    if (!m.isStatic() && (int) s[sp - m.argSlots()] == 0) {
                                        throw npe();
                                    }
                                }
                                case Ops.INVOKEVIRTUAL_Q -> {
                                    int receiver = (int) s[sp - ((VmMethod) refs[code[pc + 1]]).argSlots()];
                                    if (receiver == 0) {
                                        throw npe();
                                    }
                                    m = vm.classOf(receiver).vtable()[code[pc + 2]];
                                }
                                default -> {
                                    InterfaceSite site = (InterfaceSite) refs[code[pc + 1]];
                                    int receiver = (int) s[sp - site.resolved.argSlots()];
                                    if (receiver == 0) {
                                        throw npe();
                                    }
                                    VmClass rc = vm.classOf(receiver);
                                    m = rc == site.lastReceiver ? site.lastTarget : linker.selectInterface(site, rc);
                                }
                            }
                            act.pc = pc;
                            act.sp = sp;
                            invoker.invoke(t, m);
                            // a call spends the quantum (or a safepoint asked for ends it): the thread may be switched here
                            if (--budget <= 0 || vm.safepointRequested()) {
                                break outer;
                            }
                            continue outer;
                        }
                        case Ops.VARHANDLE_Q -> {
                            act.pc = pc;
                            act.sp = sp;
                            varHandles.invoke(t, (VarHandles.Site) refs[code[pc + 1]]);
                            continue outer;
                        }
                        case Ops.NEW_Q -> {
                            int object = vm.newObject(vm.classes().byId(code[pc + 1]));
                            s[sp++] = object;
                            pc += 2;
                        }
                        case NEWARRAY -> {
                            s[sp - 1] = vm.newArray(arrays.primitiveArray(code[pc + 1]), (int) s[sp - 1]);
                            pc += 2;
                        }
                        case Ops.ANEWARRAY_Q -> {
                            s[sp - 1] = vm.newArray((VmClass) refs[code[pc + 1]], (int) s[sp - 1]);
                            pc += 2;
                        }
                        case MULTIANEWARRAY -> {
                            act.pc = pc;
                            int dims = code[pc + 2];
                            int array = arrays.multiNewArray(mc, code[pc + 1], s, sp - dims, dims);
                            sp -= dims;
                            s[sp++] = array;
                            pc += 3;
                        }
                        case ARRAYLENGTH -> {
                            int a = (int) s[sp - 1];
                            if (a == 0) {
                                throw npe();
                            }
                            s[sp - 1] = vm.arrayLength(a);
                            pc++;
                        }
                        case ATHROW -> {
                            int ex = (int) s[sp - 1];
                            if (ex == 0) {
                                throw npe();
                            }
                            throw new VmThrow(ex);
                        }
                        case Ops.CHECKCAST_Q -> {
                            int ref = (int) s[sp - 1];
                            if (ref != 0) {
                                VmClass target = (VmClass) refs[code[pc + 1]];
                                VmClass c = vm.classOf(ref);
                                if (c != target && !c.isSubtypeOf(target)) {
                                    throw new JavaError("java/lang/ClassCastException", ThrowableFactory.classCastMessage(c, target));
                                }
                            }
                            pc += 2;
                        }
                        case Ops.INSTANCEOF_Q -> {
                            int ref = (int) s[sp - 1];
                            if (ref != 0) {
                                VmClass target = (VmClass) refs[code[pc + 1]];
                                VmClass c = vm.classOf(ref);
                                s[sp - 1] = c == target || c.isSubtypeOf(target) ? 1 : 0;
                            }
                            pc += 2;
                        }
                        case MONITORENTER -> {
                            int ref = (int) s[sp - 1];
                            if (ref == 0) {
                                throw npe();
                            }
                            if (!vm.scheduler().enter(t, ref)) {
                                act.pc = pc; // blocked: retry this instruction when the thread runs again
                                act.sp = sp;
                                break outer;
                            }
                            sp--;
                            pc++;
                        }
                        case MONITOREXIT -> {
                            int ref = (int) s[--sp];
                            if (ref == 0) {
                                throw npe();
                            }
                            if (!vm.scheduler().exit(t, ref)) {
                                throw new JavaError("java/lang/IllegalMonitorStateException", null);
                            }
                            pc++;
                        }
                        default -> throw JavaError.verify("bad opcode " + code[pc] + " at " + pc + " in " + mc.method);
                    }
                }
            } catch (JavaError | VmThrow | HeapExhausted e) {
                act.pc = pc;
                if (e instanceof HeapExhausted) {
                    act.sp = sp;   // the instruction put back: the VM collects at the next safepoint and it runs again
                }
                if (thrown(t, e, pc)) {
                    break;
                }
            } catch (StackOverflowError e) {
                act.pc = pc;
                unwinder.unwind(t, exceptions.create(t, new JavaError("java/lang/StackOverflowError", null)));
            }
        }
        vm.countBytecodes(count);
    }

    /**
     * What the instruction at {@code pc} of the top activation (written back) threw, in the loop or in a call translated
     * code made: an error the VM detected or a Java exception is thrown to the app; a full heap ends the quantum (true:
     * the launcher collects and the instruction runs again), or throws OutOfMemoryError when it failed just after the
     * collection it asked for.
     */
    private boolean thrown(VmThread t, RuntimeException e, int pc) {
        if (e instanceof JavaError error) {
            unwinder.unwind(t, exceptions.create(t, error));
        } else if (e instanceof VmThrow thrown) {
            unwinder.unwind(t, thrown.exception);
        } else if (vm.collectionFailed(t, pc)) {
            unwinder.unwind(t, vm.outOfMemory());
        } else {
            return true;
        }
        return false;
    }

    /**
     * At a backward branch to {@code target}: whether the method's translation (made now if the loop got hot) enters
     * there.
     */
    private boolean enterTier(MethodCode mc, int target) {
        Translator.Translation translation = tier.translation(mc);
        return translation != null && translation.isEntry(target);
    }

    private static JavaError npe() {
        return new JavaError("java/lang/NullPointerException", null);
    }

    private long element(int array, int index, int shift) {
        if (array == 0) {
            throw npe();
        }
        long a = ObjectLayout.address(array);
        int length = mem.getInt(a + ObjectLayout.ARRAY_LENGTH_OFFSET);
        if (index < 0 || index >= length) {
            throw new JavaError("java/lang/ArrayIndexOutOfBoundsException",
                    "Index " + index + " out of bounds for length " + length);
        }
        return a + ObjectLayout.ARRAY_BASE_OFFSET + ((long) index << shift);
    }

    /**
     * The pc a {@code tableswitch} or {@code lookupswitch} ({@code op}) goes to for {@code key}, from its table in
     * {@link MethodCode#switches}: {@code [low, high, default, targets...]} for a table, {@code [default, n, keys...,
     * targets...]} (keys sorted) for a lookup.
     */
    private static int switchTarget(int op, int[] table, int key) {
        if (op == TABLESWITCH) {
            return key >= table[0] && key <= table[1] ? table[3 + key - table[0]] : table[2];
        }
        int n = table[1];
        int lo = 0, hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int k = table[2 + mid];
            if (k < key) {
                lo = mid + 1;
            } else if (k > key) {
                hi = mid - 1;
            } else {
                return table[2 + n + mid];
            }
        }
        return table[0];
    }

    private static long field(long ref, int offset) {
        if ((int) ref == 0) {
            throw npe();
        }
        return ObjectLayout.address((int) ref) + offset;
    }

    private static long staticAddress(int[] code, int pc) {
        return ObjectLayout.address(code[pc + 1]) + code[pc + 2];
    }

    private static float f(long slot) {
        return Float.intBitsToFloat((int) slot);
    }

    private static long fbits(float v) {
        return Float.floatToRawIntBits(v);
    }

    private static double d(long slot) {
        return Double.longBitsToDouble(slot);
    }

    private static long dbits(double v) {
        return Double.doubleToRawLongBits(v);
    }
}
