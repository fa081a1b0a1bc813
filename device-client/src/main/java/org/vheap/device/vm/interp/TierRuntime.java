package org.vheap.device.vm.interp;

import static org.objectweb.asm.Opcodes.DRETURN;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.LRETURN;
import static org.objectweb.asm.Opcodes.RETURN;

import java.lang.invoke.MethodHandles;
import org.vheap.device.vm.HeapExhausted;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.device.vm.heap.WriteBarrier;
import org.vheap.device.vm.heap.paging.PagedHeap;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.Activation;
import org.vheap.device.vm.thread.VmThread;

/**
 * The tier's side of the interpreter: when a method gets translated ({@link #translation}: its calls and backward
 * branches counted), and what translated code ({@link TranslatedCode}) calls: the heap's barriers, exactly as the
 * interpreter's loop uses them (so paging, the nursery's write barrier, checkpoints and fencing see the same accesses),
 * the checks the interpreter makes before an instruction (a failed check answers -1 or false, and the translated code
 * hands the instruction to the interpreter, which throws), calls from translated code to translated code
 * ({@link #call}), and the quantum's budget, spent at backward branches and calls. One per interpreter; only its host
 * thread uses it.
 */
public final class TierRuntime {
    /** Translated calls nested on the host stack at most; a deeper call goes through the interpreter. */
    static final int MAX_NESTING = 32;
    /** {@link #call}: the call was not made (the caller exits at its invoke, which the interpreter runs). */
    static final int NOT_CALLED = 0;
    /** {@link #call}: the callee ran and returned; its result is on the caller's operand stack in the slots. */
    static final int RETURNED = 1;
    /** {@link #call}: the callee's activation was left running: the interpreter goes on with it ({@link #skipPc}). */
    static final int LEFT_RUNNING = -1;

    private final Vm vm;
    private final HeapMemory mem;
    /** The memory as a paged heap, whose translation caches translated code reads itself; null for another memory. */
    private final PagedHeap paged;
    /**
     * For translated code, with a paged heap ({@link #inlineBarriers}): {@link PagedHeap#translationCaches}, its
     * {@link PagedHeap#frameBytes} (both the same arrays for the heap's life), its line shift and {@code lineSize - 1}.
     */
    public final long[] caches;
    public final byte[] frameBytes;
    public final int lineShift;
    public final int lineMask;
    private final WriteBarrier barrier;
    private final ArrayInstructions arrays;
    private final MethodInvoker invoker;
    /** The translator, or null with the tier off. */
    private Translator translator;
    private int threshold;
    /** The thread the interpreter runs. */
    VmThread thread;
    /** The quantum left: each backward branch and call spends one; at 0 the translated code stops. */
    public int budget;
    /**
     * After a translated call left its callee running ({@link #LEFT_RUNNING}): the callee's pc, which the interpreter
     * must run before entering translated code there again (-1: none).
     */
    int skipPc = -1;
    private int nesting;

    TierRuntime(Vm vm, ArrayInstructions arrays, MethodInvoker invoker) {
        this.vm = vm;
        this.mem = vm.memory();
        this.paged = mem instanceof PagedHeap p ? p : null;
        this.caches = paged == null ? null : paged.translationCaches();
        this.frameBytes = paged == null ? null : paged.frameBytes();
        this.lineShift = paged == null ? 0 : paged.lineShift();
        this.lineMask = (1 << lineShift) - 1;
        this.barrier = vm.barrier();
        this.arrays = arrays;
        this.invoker = invoker;
    }

    /** Turns the tier on from {@code threshold} calls and backward branches (0: every method at its first call), or off (-1). */
    void enable(int threshold) {
        this.threshold = threshold;
        this.translator = threshold < 0 ? null
                : new Translator(MethodHandles.lookup(), vm.classes().parsed().hostClasses(), inlineBarriers());
    }

    boolean enabled() {
        return translator != null;
    }

    int translatedMethods() {
        return translator == null ? 0 : translator.translated();
    }

    /**
     * The translation of {@code mc}, counting one more call or backward branch towards making it; null while it is not
     * hot yet, when none of its entry points is quickened yet (tried again once as hot again), or when it cannot be
     * translated (too long or not analysable: never again).
     */
    Translator.Translation translation(MethodCode mc) {
        Translator.Translation translation = mc.translation;
        if (translation != null || mc.hotness < 0 || ++mc.hotness <= threshold) {
            return translation;
        }
        translation = translator.translate(mc);
        if (translation == null && mc.hotness >= 0) {
            mc.hotness = 0;   // not yet: no entry point is quickened (the translator marks what never will be)
        }
        mc.translation = translation;
        return translation;
    }

    /** After an exit at {@code pc}: drops a translation one of whose exits has been quickened since (again when hot). */
    static void exited(MethodCode mc, Translator.Translation translation, int pc) {
        if (translation.stale(pc, mc.code)) {
            mc.translation = null;
            mc.hotness = 0;
        }
    }

    /** The thread's slots (a call may have grown them). */
    public long[] slots() {
        return thread.slots;
    }

    /**
     * A call from translated code at {@code pc} of the running activation, whose state the caller has written back
     * with its operand stack ending at {@code sp} (the arguments on top): if the callee is translated (a method with
     * bytecode, not synchronized), pushes its activation as the interpreter's invoke does and runs its translation.
     * Returns {@link #RETURNED}, {@link #NOT_CALLED} or {@link #LEFT_RUNNING}.
     */
    public int call(Object method, int pc, int sp) {
        VmMethod m = (VmMethod) method;
        if (!m.isStatic() && (int) thread.slots[sp - m.argSlots()] == 0) {
            return NOT_CALLED;   // the interpreter throws the NullPointerException
        }
        return callTranslated(m, pc, sp);
    }

    /**
     * An interface call ({@code INVOKEINTERFACE_Q}) whose receiver's class is the one its site last saw (the inline
     * cache's hit); any other receiver goes through the interpreter, which selects and caches; as {@link #call}.
     */
    public int callInterface(Object interfaceSite, int pc, int sp) {
        InterfaceSite site = (InterfaceSite) interfaceSite;
        int receiver = (int) thread.slots[sp - site.resolved.argSlots()];
        if (receiver == 0 || vm.classOf(receiver) != site.lastReceiver) {
            return NOT_CALLED;
        }
        return callTranslated(site.lastTarget, pc, sp);
    }

    /** A virtual call ({@code INVOKEVIRTUAL_Q}): the receiver's class selects the method; as {@link #call}. */
    public int callVirtual(int vtableIndex, int argSlots, int pc, int sp) {
        int receiver = (int) thread.slots[sp - argSlots];
        if (receiver == 0) {
            return NOT_CALLED;
        }
        return callTranslated(vm.classOf(receiver).vtable()[vtableIndex], pc, sp);
    }

    private int callTranslated(VmMethod m, int pc, int sp) {
        if (m.nativeImpl != null || m.isNative()) {
            return callNative(m, pc, sp);
        }
        if (nesting >= MAX_NESTING || !(m.code instanceof MethodCode code) || m.isAbstract()) {
            return NOT_CALLED;
        }
        if (code.code[0] == RETURN && !m.isSynchronized()) {
            budget--;   // an empty method (Object.<init>): nothing to run, no activation to push
            return RETURNED;
        }
        Translator.Translation translation = translation(code);
        if (translation == null || !translation.isEntry(0)) {
            return NOT_CALLED;
        }
        VmThread t = thread;
        Activation caller = t.activations[t.depth - 1];
        caller.pc = pc;
        caller.sp = sp;
        int depth = t.depth;
        invoker.invoke(t, m);   // a StackOverflowError is thrown from the call, as the interpreter's
        if (t.depth == depth) {
            skipPc = -1;
            return LEFT_RUNNING;   // a synchronized method whose monitor another thread holds: the caller blocked
        }
        if (--budget <= 0 || vm.safepointRequested()) {
            skipPc = -1;
            return LEFT_RUNNING;
        }
        Activation callee = t.activations[t.depth - 1];
        long exit;
        nesting++;
        try {
            exit = translation.code().run(t.slots, callee.bp, 0, this, translation.constants());
        } finally {
            nesting--;
        }
        int at = (int) (exit >>> 32);
        if (at == -1) {
            return LEFT_RUNNING;   // a call deeper down left its callee running
        }
        callee.pc = at;
        callee.sp = (int) exit;
        exited(code, translation, at);
        int op = code.code[at];
        if (budget > 0 && op >= IRETURN && op <= RETURN) {
            invoker.returnFrom(t, op == RETURN ? 0 : op == LRETURN || op == DRETURN ? 2 : 1);
            return RETURNED;
        }
        skipPc = at;
        return LEFT_RUNNING;
    }

    /**
     * A native (or a substitution) called from translated code, as the interpreter's invoke runs it; its exceptions
     * are thrown from here at the invoke. When it asked for more than its result (Java calls to run after it, classes to
     * initialize, or the thread to block), the interpreter goes on from there.
     */
    private int callNative(VmMethod m, int pc, int sp) {
        VmThread t = thread;
        Activation caller = t.activations[t.depth - 1];
        caller.pc = pc;
        caller.sp = sp;
        int depth = t.depth;
        invoker.invoke(t, m);
        skipPc = -1;
        if (--budget <= 0 || vm.safepointRequested() || t.depth != depth || caller.afterCall || caller.pc != pc + 3 || t.yieldNow
                || vm.exitStatus() != null || vm.minorCollectionRequested()) {
            return LEFT_RUNNING;   // what the interpreter's loop stops for (a yield, a checkpoint asked for, an exit)
        }
        return RETURNED;
    }

    /** Whether a safepoint was asked for ({@link Vm#requestSafepoint}): translated code stops at its next backward branch. */
    public boolean safepointRequested() {
        return vm.safepointRequested();
    }

    /** Whether the VM asked for a minor collection (the nursery filled): translated code stops at the next instruction. */
    public boolean collectionRequested() {
        return vm.minorCollectionRequested();
    }

    /** {@code new}: the new object, or 0 (null) when the heap is full (the interpreter runs the instruction again). */
    public long newObject(int classId) {
        try {
            return vm.newObject(vm.classes().byId(classId));
        } catch (HeapExhausted | JavaError e) {
            return 0;
        }
    }

    /**
     * {@code newarray} and {@code anewarray}: the new array, or 0 (null) for a negative length or a full heap (the
     * interpreter runs the instruction again, and throws or collects).
     */
    public long newArray(Object arrayClass, long length) {
        if ((int) length < 0) {
            return 0;
        }
        try {
            return vm.newArray((VmClass) arrayClass, (int) length);
        } catch (HeapExhausted | JavaError e) {
            return 0;
        }
    }

    /** {@code newarray}'s class for a type code. */
    public Object primitiveArray(int atype) {
        return arrays.primitiveArray(atype);
    }

    /** bastore's store: only the lowest bit into a {@code boolean[]}. */
    public void storeByte(long array, long address, long value) {
        byte v = (byte) value;
        if (arrays.isBooleanArray((int) array)) {
            v &= 1;
        }
        mem.putByte(address, v);
    }

    /** aastore's check: whether {@code value} (null included) may be stored into {@code array} (not null). */
    public boolean storable(long array, long value) {
        return arrays.storable((int) array, (int) value);
    }

    /** monitorenter without blocking: false for null or a monitor another thread owns (the interpreter runs it). */
    public boolean enter(long ref) {
        int r = (int) ref;
        return r != 0 && vm.scheduler().tryEnter(thread, r);
    }

    /** monitorexit: false for null or a monitor this thread does not own (the interpreter runs it and throws). */
    public boolean exit(long ref) {
        int r = (int) ref;
        return r != 0 && vm.scheduler().exit(thread, r);
    }

    /** checkcast's and instanceof's test of a non-null reference. */
    public boolean isInstance(long ref, Object target) {
        VmClass c = vm.classOf((int) ref);
        return c == target || c.isSubtypeOf((VmClass) target);
    }

    public long getInt(long address) {
        return mem.getInt(address);
    }

    public long getLong(long address) {
        return mem.getLong(address);
    }

    public long getByte(long address) {
        return mem.getByte(address);
    }

    public long getChar(long address) {
        return mem.getChar(address);
    }

    public long getShort(long address) {
        return mem.getShort(address);
    }

    public void putInt(long address, long value) {
        mem.putInt(address, (int) value);
    }

    public void putLong(long address, long value) {
        mem.putLong(address, value);
    }

    public void putByte(long address, long value) {
        mem.putByte(address, (byte) value);
    }

    public void putShort(long address, long value) {
        mem.putShort(address, (short) value);
    }

    /** Whether translated code reads the heap's translation caches itself (a paged heap) or calls the getters. */
    boolean inlineBarriers() {
        return paged != null;
    }

    /** The read barrier past the translation caches: {@link PagedHeap#readIndex}. */
    public int readIndex(long address) {
        return paged.readIndex(address);
    }

    /** The write barrier past the translation caches: {@link PagedHeap#writeIndex}. */
    public int writeIndex(long address) {
        return paged.writeIndex(address);
    }

    /** A reference store, through the write barrier. */
    public void putRef(long address, long value) {
        barrier.storeRef(address, (int) value);
    }
}
