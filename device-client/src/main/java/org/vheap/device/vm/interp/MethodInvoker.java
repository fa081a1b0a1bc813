package org.vheap.device.vm.interp;

import java.util.List;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.loader.MethodNames;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.natives.NativeMethod;
import org.vheap.device.vm.natives.Natives;
import org.vheap.device.vm.thread.Activation;
import org.vheap.device.vm.thread.DeferredCall;
import org.vheap.device.vm.thread.ThreadState;
import org.vheap.device.vm.thread.VmThread;

/**
 * Calls and returns on a green thread's stack of {@link Activation}s (JVMS 2.6). An invoke pushes an activation
 * for a method with bytecode, its arguments becoming the first locals in place (the caller's operand stack and the
 * callee's locals share the thread's slot array), after taking the monitor of a synchronized method; a native
 * method, or a method the VM substitutes, runs in place on the host and completes the invoke. A return pops the
 * activation and does what its continuation says ({@link VmThread}'s {@code RETURN_} kinds: hand the result to the
 * caller, discard it, finish a class's initialization, box it for reflection, end the thread). A native asks for
 * Java work through its thread ({@link DeferredCall}s and class initializations), pushed as activations right after
 * it returns: no Java code ever runs on the host stack. Everything here runs on the interpreter thread, at
 * instruction boundaries.
 */
public final class MethodInvoker {
    private final Vm vm;
    private final Natives natives;
    private final ClassInitializer initializer;

    public MethodInvoker(Vm vm, Natives natives) {
        this.vm = vm;
        this.natives = natives;
        this.initializer = new ClassInitializer(vm, natives, this);
    }

    /** Class initialization, which pushes {@code <clinit>} activations through this invoker. */
    public ClassInitializer initializer() {
        return initializer;
    }

    /**
     * An activation's code for {@code m} as {@link Activation#code} holds it (a resumed thread's activations): the
     * prepared code, or null for a native method.
     */
    public static Object activationCode(VmMethod m) {
        return m.isNative() ? null : CodePreparer.prepared(m);
    }

    /** The version of the code preparation: a saved pc is a position in code prepared by this version. */
    public static int preparerVersion() {
        return CodePreparer.VERSION;
    }

    /**
     * Calls {@code m} with its arguments on top of the current activation's operand stack (the current activation's
     * pc is the invoke instruction): pushes an activation, or runs a native and completes the instruction. Throws
     * {@link JavaError} before changing anything if the call cannot start.
     */
    void invoke(VmThread t, VmMethod m) {
        if (m.isAbstract()) {
            throw new JavaError("java/lang/AbstractMethodError", "'" + MethodNames.readable(m.name(), m.descriptor(),
                    m.owner().javaName()) + "'");
        }
        Activation caller = t.activations[t.depth - 1];
        if (m.nativeImpl != null || m.isNative()) {
            callNative(t, caller, m);
            return;
        }
        MethodCode code = (MethodCode) m.code;
        if (code == null) {
            NativeMethod substitute = natives.substitution(m);
            if (substitute != null) {
                m.nativeImpl = substitute;
                callNative(t, caller, m);
                return;
            }
            code = CodePreparer.prepared(m);
        }
        int base = caller.sp - m.argSlots();
        int lock = 0;
        if (m.isSynchronized()) {
            lock = m.isStatic() ? m.owner().mirror() : (int) t.slots[base];
            if (!vm.scheduler().enter(t, lock)) {
                return; // blocked: the invoke runs again when the thread does
            }
        }
        if (!t.ensureActivation() || !t.ensureSlots(base + code.maxLocals + code.maxStack + 2)) {
            if (lock != 0) {
                vm.scheduler().exit(t, lock);
            }
            throw new JavaError("java/lang/StackOverflowError", null);
        }
        caller.sp = base;
        enterActivation(t, m, code, base, lock, VmThread.RETURN_NORMAL);
    }

    /** Makes the next activation current: locals from {@code base}, an empty operand stack, pc 0. */
    private static void enterActivation(VmThread t, VmMethod m, MethodCode code, int base, int lock, int onReturn) {
        Activation act = t.activations[t.depth++];
        act.method = m;
        act.code = code;
        act.pc = 0;
        act.afterCall = false;   // activations are reused: a popped one may have been left in a call
        act.bp = base;
        act.sp = base + code.maxLocals;
        act.lockedMonitor = lock;
        act.onReturn = onReturn;
    }

    /**
     * Pushes an activation for {@code m} with these argument slots above the current top of stack (or as the
     * thread's first activation). The caller's state is not changed; {@code onReturn} says what its return does.
     */
    public void pushActivation(VmThread t, VmMethod m, long[] args, int onReturn) {
        if (m.isNative() || m.isAbstract()) {
            throw new IllegalArgumentException("cannot push an activation of " + m);
        }
        MethodCode code = CodePreparer.prepared(m);
        int base = t.depth == 0 ? 0 : t.activations[t.depth - 1].sp;
        if (!t.ensureActivation() || !t.ensureSlots(base + Math.max(code.maxLocals, args.length) + code.maxStack + 2)) {
            throw new JavaError("java/lang/StackOverflowError", null);
        }
        System.arraycopy(args, 0, t.slots, base, args.length);
        int lock = 0;
        if (m.isSynchronized()) {
            lock = m.isStatic() ? m.owner().mirror() : (int) args[0];
            if (!vm.scheduler().enter(t, lock)) {
                // taken (e.g. a synchronized run() pushed while the starter holds the Thread in start()):
                // the thread waits, and takes the monitor before it runs this activation, as after Object.wait
                t.savedMonitorCount = 1;
            }
        }
        enterActivation(t, m, code, base, lock, onReturn);
    }

    /** Returns from the current activation with a result of {@code size} slots on its operand stack. */
    void returnFrom(VmThread t, int size) {
        Activation callee = t.activations[t.depth - 1];
        long[] s = t.slots;
        if (callee.lockedMonitor != 0) {
            vm.scheduler().exit(t, callee.lockedMonitor);
            callee.lockedMonitor = 0;
        }
        int kind = callee.onReturn;
        t.depth--;
        if (kind == VmThread.RETURN_CLINIT) {
            VmClass c = (VmClass) t.clinitOf[t.depth];
            t.clinitOf[t.depth] = null;
            c.initState = VmClass.InitState.INITIALIZED;
            c.initThread = null;
        }
        if (t.depth == 0) {
            if (size > 0) {
                t.slots[0] = s[callee.sp - size];
                t.slots[1] = size == 2 ? s[callee.sp - 1] : 0;
            }
            return;
        }
        Activation caller = t.activations[t.depth - 1];
        switch (kind) {
            case VmThread.RETURN_NORMAL -> {
                if (size > 0) {
                    s[callee.bp] = s[callee.sp - size];
                }
                caller.sp = callee.bp + size;
                caller.pc += 3;
            }
            case VmThread.RETURN_REPLACE -> {
                if (size > 0) {
                    s[caller.sp - size] = s[callee.sp - size];
                }
            }
            case VmThread.RETURN_REFLECT -> {
                char rt = callee.method.returnType();
                s[caller.sp - 1] = rt == 'V' ? 0 : rt == 'L' || rt == '[' ? s[callee.sp - 1] : vm.boxing().box(rt, s[callee.sp - size]);
            }
            default -> {
                // DISCARD, CLINIT (the caller retries its instruction), END_THREAD
            }
        }
    }

    private void callNative(VmThread t, Activation caller, VmMethod m) {
        int base = caller.sp - m.argSlots();
        long r;
        try {
            NativeMethod nm = (NativeMethod) m.nativeImpl;
            if (nm == null) {
                nm = natives.bind(m);
                m.nativeImpl = nm;
            }
            r = nm.invoke(t, t.slots, base);
        } catch (JavaError e) {
            dropDeferred(t);
            throw e.thrownBy(m);
        } catch (RuntimeException e) {
            dropDeferred(t);
            throw e;
        }
        char rt = m.returnType();
        caller.sp = base;
        if (rt == 'J' || rt == 'D') {
            t.slots[base] = r;
            caller.sp += 2;
        } else if (rt != 'V') {
            t.slots[base] = switch (rt) {
                case 'Z' -> r & 1;
                case 'B' -> (byte) r;
                case 'C' -> (char) r;
                case 'S' -> (short) r;
                default -> (int) r;
            };
            caller.sp += 1;
        }
        caller.pc += 3;
        caller.afterCall = !t.deferred.isEmpty() || !t.deferredInit.isEmpty() || t.state != ThreadState.RUNNABLE;
        // activations run last-pushed first: the calls go below the class initializers they may need
        if (!t.deferred.isEmpty()) {
            List<DeferredCall> calls = List.copyOf(t.deferred);
            t.deferred.clear();
            for (int i = calls.size() - 1; i >= 0; i--) {
                DeferredCall d = calls.get(i);
                pushActivation(t, d.method(), d.args(), d.onReturn());
            }
        }
        if (!t.deferredInit.isEmpty()) {
            List<Object> classesToInit = List.copyOf(t.deferredInit);
            t.deferredInit.clear();
            for (Object c : classesToInit) {
                initializer.initialize(t, (VmClass) c);
            }
        }
    }

    /** A native that failed did not happen: nothing it asked for may run later. */
    private static void dropDeferred(VmThread t) {
        t.deferred.clear();
        t.deferredInit.clear();
    }
}
