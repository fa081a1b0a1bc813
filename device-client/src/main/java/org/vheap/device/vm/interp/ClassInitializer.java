package org.vheap.device.vm.interp;

import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.natives.NativeMethod;
import org.vheap.device.vm.natives.Natives;
import org.vheap.device.vm.thread.VmThread;

/**
 * Class initialization (JVMS 5.5) on green threads. Initializing a class sets its {@code ConstantValue} statics,
 * then pushes an activation of its {@code <clinit>} (continuation {@link VmThread#RETURN_CLINIT}, whose return
 * marks the class initialized) above those of its superclass and of its superinterfaces that declare default
 * methods, so they run first; the instruction that needed the class runs again when they have returned. A
 * {@code <clinit>} the VM substitutes runs at once. A class another thread is initializing makes the thread yield
 * and retry; one whose initializer failed is erroneous, and every later use throws NoClassDefFoundError "Could not
 * initialize class" with the first failure as its cause (the unwinding records it, see {@link ExceptionUnwinder#unwind}).
 */
public final class ClassInitializer {
    private final Vm vm;
    private final HeapMemory mem;
    private final Natives natives;
    private final MethodInvoker invoker;

    ClassInitializer(Vm vm, Natives natives, MethodInvoker invoker) {
        this.vm = vm;
        this.mem = vm.memory();
        this.natives = natives;
        this.invoker = invoker;
    }

    /**
     * Makes sure {@code c} is initialized or being initialized by {@code t}. Returns false when the thread
     * must not go on with its instruction yet: initializer activations were pushed (the instruction runs again
     * when they return) or another thread is initializing the class (the thread yields and retries).
     */
    public boolean initialize(VmThread t, VmClass c) {
        switch (c.initState) {
            case INITIALIZED:
                return true;
            case INITIALIZING:
                if (c.initThread == t) {
                    return true;
                }
                t.yieldNow = true;
                return false;
            case ERRONEOUS:
                throw new JavaError("java/lang/NoClassDefFoundError", "Could not initialize class " + c.javaName(), c.initError);
            default:
                break;
        }
        VmClass sup = c.superclass();
        boolean superReady = sup == null || sup.initState == VmClass.InitState.INITIALIZED;
        if (superReady && !c.isInterface()) {
            for (VmClass i : c.interfaces()) {
                if (i.initState == VmClass.InitState.LINKED && declaresDefaults(i)) {
                    superReady = false;
                }
            }
        }
        if (sup != null && sup.initState == VmClass.InitState.ERRONEOUS) {
            throw new JavaError("java/lang/NoClassDefFoundError", "Could not initialize class " + sup.javaName(), sup.initError);
        }
        int depthBefore = t.depth;
        try {
            return startInitialization(t, c, sup, superReady);
        } catch (RuntimeException e) {
            // nothing may stay half-started (a full heap, a stack overflow): the next attempt starts again
            for (int d = depthBefore; d < t.depth; d++) {
                t.clinitOf[d] = null;
            }
            t.depth = depthBefore;
            if (c.initThread == t && c.initState != VmClass.InitState.ERRONEOUS) {
                c.initState = VmClass.InitState.LINKED;
                c.initThread = null;
            }
            throw e;
        }
    }

    private boolean startInitialization(VmThread t, VmClass c, VmClass sup, boolean superReady) {
        VmMethod clinit = c.declaredMethod("<clinit>", "()V");
        c.initState = VmClass.InitState.INITIALIZING;
        c.initThread = t;
        setConstantStatics(c);
        NativeMethod substitute = clinit == null ? null : natives.substitution(clinit);
        if (substitute != null) {
            substitute.invoke(t, t.slots, 0);
            clinit = null;
        }
        if (clinit == null) {
            // nothing to run for c itself; it counts as initialized once its superclass is
            c.initState = VmClass.InitState.INITIALIZED;
            c.initThread = null;
            if (superReady) {
                return true;
            }
        } else {
            invoker.pushActivation(t, clinit, new long[0], VmThread.RETURN_CLINIT);
            t.clinitOf[t.depth - 1] = c;
        }
        // JVMS 5.5 step 7: the superclass, then superinterfaces declaring non-abstract instance methods, then C;
        // activations run last-pushed first, so push in reverse
        VmClass[] interfaces = c.interfaces();
        for (int i = interfaces.length - 1; i >= 0; i--) {
            if (!c.isInterface() && interfaces[i].initState == VmClass.InitState.LINKED && declaresDefaults(interfaces[i])) {
                initialize(t, interfaces[i]);
            }
        }
        if (!superReady) {
            initialize(t, sup);
        }
        return false;
    }

    private static boolean declaresDefaults(VmClass i) {
        for (VmMethod m : i.declaredMethods()) {
            if (!m.isStatic() && !m.isAbstract() && !m.name().startsWith("<")) {
                return true;
            }
        }
        for (VmClass sup : i.interfaces()) {
            if (declaresDefaults(sup)) {
                return true;
            }
        }
        return false;
    }

    private void setConstantStatics(VmClass c) {
        long mirror = ObjectLayout.address(c.mirror());
        for (VmField f : c.declaredFields()) {
            Object v = f.constantValue();
            if (!f.isStatic() || v == null) {
                continue;
            }
            long a = mirror + f.offset();
            switch (f.type()) {
                case 'J' -> mem.putLong(a, (Long) v);
                case 'D' -> mem.putLong(a, Double.doubleToRawLongBits((Double) v));
                case 'F' -> mem.putInt(a, Float.floatToRawIntBits((Float) v));
                case 'L' -> vm.putRef(a, vm.strings().intern((String) v));
                case 'Z', 'B' -> mem.putByte(a, (byte) (int) (Integer) v);
                case 'C', 'S' -> mem.putShort(a, (short) (int) (Integer) v);
                default -> mem.putInt(a, (Integer) v);
            }
        }
    }
}
