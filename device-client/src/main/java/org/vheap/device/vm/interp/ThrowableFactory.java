package org.vheap.device.vm.interp;

import java.util.ArrayList;
import java.util.List;
import org.vheap.device.vm.HeapExhausted;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.thread.VmThread;

/**
 * Makes the Java exception objects for the errors the VM detects ({@link JavaError}s of the interpreter, the
 * linker, the loader and the natives) without running Java code: the fields a {@code Throwable} constructor sets
 * are set directly and the stack trace is the thread's activations, below the methods HotSpot shows above them
 * (the app class loader's, a native's). A missing class referenced from an app class becomes NoClassDefFoundError
 * caused by the ClassNotFoundException the app class loader throws on HotSpot. When the heap is too full even for
 * the exception, it is the VM's preallocated OutOfMemoryError. Also the text of messages the VM composes as
 * HotSpot does (ClassCastException).
 */
public final class ThrowableFactory {
    private final Vm vm;
    private final HeapMemory mem;
    private final Backtraces backtraces;
    private final AppLoaderBacktrace appLoaderBacktrace;

    ThrowableFactory(Vm vm, Backtraces backtraces) {
        this.vm = vm;
        this.mem = vm.memory();
        this.backtraces = backtraces;
        this.appLoaderBacktrace = new AppLoaderBacktrace(vm.classes(), CodePreparer::prepared);
    }

    /**
     * Makes the exception object for an error the VM detected, without running Java code: the fields a
     * Throwable constructor would set are set directly, and the stack trace is the thread's activations.
     */
    public int create(VmThread t, JavaError e) {
        try {
            return make(t, e);
        } catch (HeapExhausted full) {
            if (vm.outOfMemory() == 0) {
                throw full;
            }
            return vm.outOfMemory();
        }
    }

    private int make(VmThread t, JavaError e) {
        int cause = e.cause();
        if (e.missingClass() != null && cause == 0 && t.depth > 0 && !t.activations[t.depth - 1].method.owner().isBootstrap()) {
            // HotSpot asks the referring class's loader, the app's, which throws ClassNotFoundException
            cause = make(t, new JavaError("java/lang/ClassNotFoundException", e.missingClass().replace('/', '.'))
                    .thrownIn(JavaError.AppLoaderStep.LOAD_CLASS));
        }
        VmClass c = vm.classes().load(e.className());
        markInitializedIfTrivial(c);
        int ex = vm.newObject(c);
        VmClass throwable = vm.classes().load("java/lang/Throwable");
        long a = ObjectLayout.address(ex);
        if (e.getMessage() != null) {
            vm.putRef(a + throwable.declaredField("detailMessage").offset(), vm.strings().newString(e.getMessage()));
        }
        vm.putRef(a + throwable.declaredField("cause").offset(), cause != 0 ? cause : ex);
        if (throwable.initState == VmClass.InitState.INITIALIZED) {
            vm.putRef(a + throwable.declaredField("stackTrace").offset(), vm.getStaticRef(throwable, "UNASSIGNED_STACK"));
            vm.putRef(a + throwable.declaredField("suppressedExceptions").offset(), vm.getStaticRef(throwable, "SUPPRESSED_SENTINEL"));
        }
        // above the thread's activations: the app class loader's that threw it on HotSpot, then the native that did
        List<Long> above = new ArrayList<>(appLoaderBacktrace.entries(e.appLoaderStep()));
        if (e.nativeMethod() != null) {
            above.add((long) e.nativeMethod().id() << 32);
        }
        backtraces.fillInStackTrace(t, ex, above);
        if (e.className().equals("java/lang/NullPointerException") && e.getMessage() == null) {
            // an implicit NPE: its message is computed from the faulting instruction when the app asks
            backtraces.markImplicit(ex);
            mem.putInt(a + c.declaredField("extendedMessageState").offset(), 1);
        }
        return ex;
    }

    private static void markInitializedIfTrivial(VmClass c) {
        for (VmClass k = c; k != null && k.initState != VmClass.InitState.INITIALIZED; k = k.superclass()) {
            if (k.declaredMethod("<clinit>", "()V") != null) {
                return;
            }
        }
        for (VmClass k = c; k != null && k.initState != VmClass.InitState.INITIALIZED; k = k.superclass()) {
            k.initState = VmClass.InitState.INITIALIZED;
        }
    }

    /** HotSpot's ClassCastException message (JDK 11+ format). */
    static String classCastMessage(VmClass from, VmClass to) {
        String a = from.javaName();
        String b = to.javaName();
        String da = where(from);
        String db = where(to);
        String detail = da.equals(db) ? a + " and " + b + " are " + da : a + " is " + da + "; " + b + " is " + db;
        return "class " + a + " cannot be cast to class " + b + " (" + detail + ")";
    }

    private static String where(VmClass c) {
        VmClass base = c;
        while (base.isArray()) {
            base = base.component();
        }
        if (base.isPrimitive() || base.module() != null) {
            return "in module " + (base.module() == null ? "java.base" : base.module()) + " of loader 'bootstrap'";
        }
        return "in unnamed module of loader 'app'";
    }
}
