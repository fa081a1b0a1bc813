package org.vheap.device.vm.interp;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Type;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.device.vm.heap.ObjectLayout;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.Activation;
import org.vheap.device.vm.thread.VmThread;

/**
 * Exceptions in the interpreter: making the Java exception objects for errors the VM detects, capturing
 * stack traces into a Throwable's backtrace, and unwinding activations to a handler (JVMS 2.10).
 */
public final class Throws {
    private final Vm vm;
    private final HeapMemory mem;
    private final AppLoaderBacktrace appLoaderBacktrace;

    Throws(Vm vm) {
        this.vm = vm;
        this.mem = vm.memory();
        this.appLoaderBacktrace = new AppLoaderBacktrace(vm.classes(), CodePreparer::prepared);
    }

    /**
     * Makes the exception object for an error the VM detected, without running Java code: the fields a
     * Throwable constructor would set are set directly, and the stack trace is the thread's activations.
     */
    public int create(VmThread t, JavaError e) {
        try {
            return make(t, e);
        } catch (org.vheap.device.vm.HeapExhausted full) {
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
            mem.putInt(a + throwable.declaredField("detailMessage").offset(), vm.strings().newString(e.getMessage()));
        }
        mem.putInt(a + throwable.declaredField("cause").offset(), cause != 0 ? cause : ex);
        if (throwable.initState == VmClass.InitState.INITIALIZED) {
            mem.putInt(a + throwable.declaredField("stackTrace").offset(), vm.getStaticRef(throwable, "UNASSIGNED_STACK"));
            mem.putInt(a + throwable.declaredField("suppressedExceptions").offset(), vm.getStaticRef(throwable, "SUPPRESSED_SENTINEL"));
        }
        // above the thread's activations: the app class loader's that threw it on HotSpot, then the native that did
        List<Long> above = new ArrayList<>(appLoaderBacktrace.entries(e.appLoaderStep()));
        if (e.nativeMethod() != null) {
            above.add((long) e.nativeMethod().id() << 32);
        }
        fillInStackTrace(t, ex, above);
        if (e.className().equals("java/lang/NullPointerException") && e.getMessage() == null) {
            // an implicit NPE: its message is computed from the faulting instruction when the app asks
            int backtrace = mem.getInt(a + throwable.declaredField("backtrace").offset());
            if (vm.arrayLength(backtrace) > 0) {
                long first = Vm.elementAddress(backtrace, 0, 3);
                mem.putLong(first, mem.getLong(first) | IMPLICIT);
            }
            mem.putInt(a + c.declaredField("extendedMessageState").offset(), 1);
        }
        return ex;
    }

    /** Marks the first backtrace entry of an exception the VM raised at that instruction. */
    private static final long IMPLICIT = 1L << 31;
    private final NullPointerMessages npeMessages = new NullPointerMessages();

    /** NullPointerException.getExtendedNPEMessage: the helpful message of an implicit NPE, or 0. */
    public int extendedNpeMessage(int npe) {
        VmClass throwable = vm.classes().load("java/lang/Throwable");
        int backtrace = vm.getIntField(npe, throwable.declaredField("backtrace"));
        if (backtrace == 0 || vm.arrayLength(backtrace) == 0) {
            return 0;
        }
        long e = mem.getLong(Vm.elementAddress(backtrace, 0, 3));
        if ((e & IMPLICIT) == 0) {
            return 0;
        }
        VmMethod m = vm.classes().methodById((int) (e >>> 32));
        String message = npeMessages.message(m, CodePreparer.prepared(m), (int) (e & 0x7FFFFFFFL));
        return message == null ? 0 : vm.strings().newString(message);
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

    /**
     * Throwable.fillInStackTrace: records the thread's activations (method id and pc, newest first) in the
     * exception's backtrace, leaving out the activations that construct the exception, as HotSpot does.
     */
    public void fillInStackTrace(VmThread t, int ex) {
        fillInStackTrace(t, ex, List.of());
    }

    /** As {@link #fillInStackTrace(VmThread, int)}, below the backtrace entries {@code above} (innermost first). */
    private void fillInStackTrace(VmThread t, int ex, List<Long> above) {
        VmClass exClass = vm.classOf(ex);
        List<Long> trace = new ArrayList<>(above);
        int i = t.depth - 1;
        while (i >= 0 && t.activations[i].method.name().equals("fillInStackTrace")) {
            i--;
        }
        while (i >= 0 && t.activations[i].method.name().equals("<init>") && exClass.isSubtypeOf(t.activations[i].method.owner())) {
            i--;
        }
        for (; i >= 0; i--) {
            Activation act = t.activations[i];
            if (act.method.owner().isHidden()) {
                continue;
            }
            trace.add(((long) act.method.id() << 32) | (act.faultPc() & 0xFFFFFFFFL));
        }
        int backtrace = vm.newArray(vm.classes().load("[J"), trace.size());
        for (int k = 0; k < trace.size(); k++) {
            mem.putLong(Vm.elementAddress(backtrace, k, 3), trace.get(k));
        }
        VmClass throwable = vm.classes().load("java/lang/Throwable");
        long a = ObjectLayout.address(ex);
        mem.putInt(a + throwable.declaredField("backtrace").offset(), backtrace);
        mem.putInt(a + throwable.declaredField("depth").offset(), trace.size());
    }

    /** The method and source line of backtrace entry {@code i} (for StackTraceElement). */
    public StackEntry stackEntry(int backtrace, int i) {
        long e = mem.getLong(Vm.elementAddress(backtrace, i, 3));
        VmMethod m = vm.classes().methodById((int) (e >>> 32));
        int pc = (int) (e & 0x7FFFFFFFL);
        int line;
        if (m.isNative()) {
            line = -2;
        } else {
            line = CodePreparer.prepared(m).lineAt(pc);
        }
        return new StackEntry(m, line);
    }

    /** One stack trace entry: the method and its source line (-1 unknown, -2 native). */
    public record StackEntry(VmMethod method, int line) {
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
                int ite = create(t, new JavaError("java/lang/reflect/InvocationTargetException", null));
                if (ite != vm.outOfMemory()) {
                    VmClass iteClass = vm.classOf(ite);
                    mem.putInt(ObjectLayout.address(ite) + iteClass.declaredField("target").offset(), ex);
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
        int error = create(t, new JavaError("java/lang/ExceptionInInitializerError", "Exception " + vm.classOf(original).javaName()
                + (message == null ? "" : ": " + message) + " [in thread \"" + thread + "\"]"));
        if (error != vm.outOfMemory()) {
            long a = ObjectLayout.address(error);
            mem.putInt(a + throwable.declaredField("backtrace").offset(), vm.getIntField(original, throwable.declaredField("backtrace")));
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
        int eiie = create(t, new JavaError("java/lang/ExceptionInInitializerError", null));
        if (eiie == vm.outOfMemory()) {
            return eiie;
        }
        VmClass throwable = vm.classes().load("java/lang/Throwable");
        VmField causeField = throwable.declaredField("cause");
        mem.putInt(ObjectLayout.address(eiie) + causeField.offset(), cause);
        VmField exception = vm.classes().load("java/lang/ExceptionInInitializerError").declaredField("exception");
        if (exception != null) {
            mem.putInt(ObjectLayout.address(eiie) + exception.offset(), cause);
        }
        return eiie;
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
