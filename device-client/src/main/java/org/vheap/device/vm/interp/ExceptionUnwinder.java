package org.vheap.device.vm.interp;

import org.objectweb.asm.Type;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.thread.Activation;
import org.vheap.device.vm.thread.VmThread;

/**
 * Throwing (JVMS 2.10): a thrown exception unwinds the thread's activations to the innermost handler that covers
 * the instruction each activation is at ({@link Activation#faultPc}) and catches the exception's class, releasing
 * the monitors of synchronized methods it leaves. What an activation's continuation says happens on the way: a
 * reflective call wraps the exception in InvocationTargetException; a class initializer left this way marks its
 * class erroneous (recording the ExceptionInInitializerError HotSpot records) and a non-Error becomes an
 * ExceptionInInitializerError. An exception no handler catches empties the stack and is left in
 * {@link VmThread#uncaught} for the launcher to dispatch.
 */
public final class ExceptionUnwinder {
    private final Vm vm;
    private final HeapMemory mem;
    private final ThrowableFactory exceptions;

    ExceptionUnwinder(Vm vm, ThrowableFactory exceptions) {
        this.vm = vm;
        this.mem = vm.memory();
        this.exceptions = exceptions;
    }

    /**
     * Throws {@code ex} in {@code t}: finds the innermost handler whose range covers an activation's pc and whose
     * type matches, popping activations (and releasing their monitors) on the way. A class initializer that ends
     * this way marks its class erroneous and, for a non-Error, wraps the exception in
     * ExceptionInInitializerError. With no handler the thread's stack empties and {@link VmThread#uncaught}
     * holds the exception.
     */
    public void unwind(VmThread t, int ex) {
        VmClass exClass = vm.classOf(ex);
        while (t.depth > 0) {
            Activation act = t.activations[t.depth - 1];
            MethodCode mc = (MethodCode) act.code;
            int[] h = mc.handlers;
            int pc = act.faultPc();
            for (int k = 0; k < h.length; k += 4) {
                if (pc >= h[k] && pc < h[k + 1] && (h[k + 3] < 0 || catches(mc, h[k + 3], exClass))) {
                    act.sp = act.bp + mc.maxLocals;
                    t.slots[act.sp++] = ex;
                    act.pc = h[k + 2];
                    act.afterCall = false;
                    return;
                }
            }
            if (act.lockedMonitor != 0) {
                vm.scheduler().exit(t, act.lockedMonitor);
                act.lockedMonitor = 0;
            }
            t.depth--;
            if (act.onReturn == VmThread.RETURN_REFLECT || act.onReturn == VmThread.RETURN_REFLECT_DISCARD) {
                int ite = exceptions.create(t, new JavaError("java/lang/reflect/InvocationTargetException", null));
                if (ite != vm.outOfMemory()) {
                    VmClass iteClass = vm.classOf(ite);
                    vm.putRef(ObjectLayout.address(ite) + iteClass.declaredField("target").offset(), ex);
                    mem.putInt(ObjectLayout.address(ite) + vm.classes().load("java/lang/Throwable").declaredField("cause").offset(), 0);
                }
                ex = ite;
                exClass = vm.classOf(ex);
            }
            if (act.onReturn == VmThread.RETURN_CLINIT) {
                VmClass c = (VmClass) t.clinitOf[t.depth];
                t.clinitOf[t.depth] = null;
                c.initState = VmClass.InitState.ERRONEOUS;
                c.initThread = null;
                c.initError = initializationError(t, ex);
                if (!exClass.isSubtypeOf(vm.classes().load("java/lang/Error"))) {
                    ex = wrapInInitializerError(t, ex);
                    exClass = vm.classOf(ex);
                }
            }
        }
        t.uncaught = ex;
    }

    /**
     * What HotSpot records when a class initializer fails: an ExceptionInInitializerError saying
     * {@code Exception <class>: <message> [in thread "<name>"]}, carrying the original's stack trace.
     */
    private int initializationError(VmThread t, int original) {
        VmClass throwable = vm.classes().load("java/lang/Throwable");
        String message = vm.strings().hostString(vm.getIntField(original, throwable.declaredField("detailMessage")));
        String thread = vm.strings().hostString(vm.getIntField(t.javaThread, vm.field("java/lang/Thread", "name")));
        int error = exceptions.create(t, new JavaError("java/lang/ExceptionInInitializerError", "Exception " + vm.classOf(original).javaName()
                + (message == null ? "" : ": " + message) + " [in thread \"" + thread + "\"]"));
        if (error != vm.outOfMemory()) {
            long a = ObjectLayout.address(error);
            vm.putRef(a + throwable.declaredField("backtrace").offset(), vm.getIntField(original, throwable.declaredField("backtrace")));
            mem.putInt(a + throwable.declaredField("depth").offset(), vm.getIntField(original, throwable.declaredField("depth")));
            mem.putInt(a + throwable.declaredField("cause").offset(), 0);
        }
        return error;
    }

    private boolean catches(MethodCode mc, int refIndex, VmClass exClass) {
        Object r = mc.refs[refIndex];
        VmClass type;
        if (r instanceof VmClass vc) {
            type = vc;
        } else {
            try {
                type = vm.classes().load(((Type) r).getInternalName());
            } catch (JavaError e) {
                return false;
            }
            mc.refs[refIndex] = type;
        }
        return exClass == type || exClass.isSubtypeOf(type);
    }

    private int wrapInInitializerError(VmThread t, int cause) {
        int eiie = exceptions.create(t, new JavaError("java/lang/ExceptionInInitializerError", null));
        if (eiie == vm.outOfMemory()) {
            return eiie;
        }
        VmClass throwable = vm.classes().load("java/lang/Throwable");
        VmField causeField = throwable.declaredField("cause");
        vm.putRef(ObjectLayout.address(eiie) + causeField.offset(), cause);
        VmField exception = vm.classes().load("java/lang/ExceptionInInitializerError").declaredField("exception");
        if (exception != null) {
            vm.putRef(ObjectLayout.address(eiie) + exception.offset(), cause);
        }
        return eiie;
    }
}
