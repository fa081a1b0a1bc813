package org.vheap.device.vm.interp;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.device.vm.heap.ObjectLayout;
import org.vheap.device.vm.heap.TypedAccess;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.MethodNames;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.natives.NativeMethod;
import org.vheap.device.vm.natives.Natives;
import org.vheap.device.vm.thread.DeferredCall;
import org.vheap.device.vm.thread.Activation;
import org.vheap.device.vm.thread.ThreadState;
import org.vheap.device.vm.thread.VmThread;

/**
 * The interpreter's slow paths: resolving an instruction's symbolic reference and rewriting the instruction
 * into its quick form (JVMS 5.4.3), class initialization (JVMS 5.5), pushing and popping activations, and calling
 * natives. Everything here runs on the interpreter thread, at instruction boundaries.
 */
public final class Linker {
    private final Vm vm;
    private final HeapMemory mem;
    private final ClassRegistry classes;
    private final Natives natives;
    private final CallSites callSites;
    private final VarHandles varHandles;

    public Linker(Vm vm, Natives natives, CallSites callSites) {
        this.vm = vm;
        this.mem = vm.memory();
        this.classes = vm.classes();
        this.natives = natives;
        this.callSites = callSites;
        this.varHandles = new VarHandles(vm);
    }

    // ---- activations ----

    /** The prepared code of a method with bytecode. */
    MethodCode prepared(VmMethod m) {
        MethodCode code = (MethodCode) m.code;
        if (code == null) {
            code = CodePreparer.prepare(m);
            m.code = code;
        }
        return code;
    }

    /**
     * An activation's code for {@code m} as {@link Activation#code} holds it (a resumed thread's activations): the prepared code,
     * or null for a native method.
     */
    public Object activationCode(VmMethod m) {
        return m.isNative() ? null : prepared(m);
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
            code = prepared(m);
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
        MethodCode code = prepared(m);
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
    void doReturn(VmThread t, int size) {
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
                s[caller.sp - 1] = rt == 'V' ? 0 : rt == 'L' || rt == '[' ? s[callee.sp - 1] : vm.box(rt, s[callee.sp - size]);
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
                initialize(t, (VmClass) c);
            }
        }
    }

    /** A native that failed did not happen: nothing it asked for may run later. */
    private static void dropDeferred(VmThread t) {
        t.deferred.clear();
        t.deferredInit.clear();
    }

    // ---- class initialization (JVMS 5.5) ----

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
            pushActivation(t, clinit, new long[0], VmThread.RETURN_CLINIT);
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
                case 'L' -> mem.putInt(a, vm.intern((String) v));
                case 'Z', 'B' -> mem.putByte(a, (byte) (int) (Integer) v);
                case 'C', 'S' -> mem.putShort(a, (short) (int) (Integer) v);
                default -> mem.putInt(a, (Integer) v);
            }
        }
    }

    // ---- linking instructions ----

    /**
     * Resolves the symbolic reference of the instruction at {@code pc} and rewrites it into its quick form.
     * Returns true when the quick form is ready to run now, false when the interpreter must reload the
     * thread's state (initializer activations pushed, the instruction completed here, or the thread yields).
     */
    boolean link(VmThread t, MethodCode mc, int pc) {
        int[] code = mc.code;
        int op = code[pc];
        int idx = code[pc + 1];
        Object ref = mc.refs[idx];
        switch (op) {
            case GETFIELD, PUTFIELD -> {
                FieldInsnNode fi = (FieldInsnNode) ref;
                VmField f = classes.resolveField(classes.load(fi.owner), fi.name, fi.desc);
                if (f.isStatic()) {
                    throw new JavaError("java/lang/IncompatibleClassChangeError", "Expected non-static field " + fi.owner.replace('/', '.') + "." + fi.name);
                }
                code[pc + 1] = f.offset();
                code[pc] = fieldOp(op == GETFIELD ? Ops.GETFIELD_I32 : Ops.PUTFIELD_I32, f.type(), op == PUTFIELD);
                return true;
            }
            case GETSTATIC, PUTSTATIC -> {
                FieldInsnNode fi = (FieldInsnNode) ref;
                VmField f = classes.resolveField(classes.load(fi.owner), fi.name, fi.desc);
                if (!f.isStatic()) {
                    throw new JavaError("java/lang/IncompatibleClassChangeError", "Expected static field " + fi.owner.replace('/', '.') + "." + fi.name);
                }
                if (!initialize(t, f.owner())) {
                    return false;
                }
                int quick = fieldOp(op == GETSTATIC ? Ops.GETSTATIC_I32 : Ops.PUTSTATIC_I32, f.type(), op == PUTSTATIC);
                if (f.owner().initState == VmClass.InitState.INITIALIZED) {
                    code[pc + 1] = f.owner().mirror();
                    code[pc + 2] = f.offset();
                    code[pc] = quick;
                    return true;
                }
                staticAccessDuringInit(t, f, op == GETSTATIC);
                return false;
            }
            case INVOKESTATIC -> {
                MethodInsnNode mi = (MethodInsnNode) ref;
                VmClass owner = classes.load(mi.owner);
                VmMethod m = mi.itf ? classes.resolveInterfaceMethod(owner, mi.name, mi.desc)
                        : classes.resolveMethod(owner, mi.name, mi.desc);
                if (!m.isStatic()) {
                    throw new JavaError("java/lang/IncompatibleClassChangeError", "Expected static method '" + MethodNames.readable(m.name(), m.descriptor(), m.owner().javaName()) + "'");
                }
                return linkStaticCall(t, mc, pc, m);
            }
            case INVOKESPECIAL -> {
                MethodInsnNode mi = (MethodInsnNode) ref;
                VmClass owner = classes.load(mi.owner);
                VmMethod m = mi.itf ? classes.resolveInterfaceMethod(owner, mi.name, mi.desc)
                        : classes.resolveMethod(owner, mi.name, mi.desc);
                VmClass current = mc.method.owner();
                if (!m.name().equals("<init>") && !m.isPrivate() && !owner.isInterface() && owner != current
                        && current.isSubtypeOf(owner)) {
                    // JVMS invokespecial: a super call selects from the current class's superclass
                    for (VmClass k = current.superclass(); k != null; k = k.superclass()) {
                        VmMethod cand = k.declaredMethod(mi.name, mi.desc);
                        if (cand != null && !cand.isStatic()) {
                            m = cand;
                            break;
                        }
                    }
                }
                mc.refs[idx] = m;
                code[pc] = Ops.INVOKEDIRECT_Q;
                return true;
            }
            case INVOKEVIRTUAL -> {
                MethodInsnNode mi = (MethodInsnNode) ref;
                VmClass owner = classes.load(mi.owner);
                if ((owner.name().equals("java/lang/invoke/MethodHandle") || owner.name().equals("java/lang/invoke/VarHandle"))
                        && isSignaturePolymorphic(owner, mi.name)) {
                    if (owner.name().equals("java/lang/invoke/MethodHandle")) {
                        throw new JavaError("java/lang/UnsupportedOperationException",
                                "the device VM does not run method handles (" + owner.javaName() + "." + mi.name + ")");
                    }
                    mc.refs[idx] = VarHandles.site(mi.name, mi.desc);
                    code[pc] = Ops.VARHANDLE_Q;
                    return true;
                }
                VmMethod m = classes.resolveMethod(owner, mi.name, mi.desc);
                if (m.isStatic()) {
                    throw new JavaError("java/lang/IncompatibleClassChangeError", "Expecting non-static method '" + MethodNames.readable(m.name(), m.descriptor(), m.owner().javaName()) + "'");
                }
                if (m.isPrivate() || m.vtableIndex() < 0 && !m.owner().isInterface()
                        || (m.access() & ACC_FINAL) != 0 || (m.owner().access() & ACC_FINAL) != 0) {
                    mc.refs[idx] = m;
                    code[pc] = Ops.INVOKEDIRECT_Q;
                } else if (m.owner().isInterface()) {
                    mc.refs[idx] = new InterfaceSite(m);
                    code[pc] = Ops.INVOKEINTERFACE_Q;
                } else {
                    mc.refs[idx] = m;
                    code[pc + 2] = m.vtableIndex();
                    code[pc] = Ops.INVOKEVIRTUAL_Q;
                }
                return true;
            }
            case INVOKEINTERFACE -> {
                MethodInsnNode mi = (MethodInsnNode) ref;
                VmMethod m = classes.resolveInterfaceMethod(classes.load(mi.owner), mi.name, mi.desc);
                if (m.isPrivate() || m.isStatic()) {
                    mc.refs[idx] = m;
                    code[pc] = Ops.INVOKEDIRECT_Q;
                } else {
                    mc.refs[idx] = new InterfaceSite(m);
                    code[pc] = Ops.INVOKEINTERFACE_Q;
                }
                return true;
            }
            case INVOKEDYNAMIC -> {
                // linked once; a retry (while the site's class initializes) finds the method
                VmMethod m = ref instanceof VmMethod linked ? linked : callSites.link(mc.method.owner(), (InvokeDynamicInsnNode) ref);
                mc.refs[idx] = m;
                return linkStaticCall(t, mc, pc, m);
            }
            case NEW -> {
                VmClass c = classes.load(((TypeInsnNode) ref).desc);
                if (c.isInterface() || (c.access() & ACC_ABSTRACT) != 0) {
                    throw new JavaError("java/lang/InstantiationError", c.javaName());
                }
                if (!initialize(t, c)) {
                    return false;
                }
                if (c.initState == VmClass.InitState.INITIALIZED) {
                    code[pc + 1] = c.id();
                    code[pc] = Ops.NEW_Q;
                    return true;
                }
                Activation act = t.activations[t.depth - 1];
                t.slots[act.sp++] = vm.newObject(c);
                act.pc = pc + 2;
                return false;
            }
            case CHECKCAST, INSTANCEOF -> {
                mc.refs[idx] = classes.load(((TypeInsnNode) ref).desc);
                code[pc] = op == CHECKCAST ? Ops.CHECKCAST_Q : Ops.INSTANCEOF_Q;
                return true;
            }
            case ANEWARRAY -> {
                String desc = ((TypeInsnNode) ref).desc;
                mc.refs[idx] = classes.load(desc.charAt(0) == '[' ? "[" + desc : "[L" + desc + ";");
                code[pc] = Ops.ANEWARRAY_Q;
                return true;
            }
            default -> throw new IllegalStateException("not a linkable op " + op);
        }
    }

    private static boolean isSignaturePolymorphic(VmClass owner, String name) {
        for (VmMethod m : owner.declaredMethods()) {
            if (m.name().equals(name) && m.isNative() && (m.access() & ACC_VARARGS) != 0) {
                return true;
            }
        }
        return false;
    }

    public VarHandles varHandles() {
        return varHandles;
    }

    private boolean linkStaticCall(VmThread t, MethodCode mc, int pc, VmMethod m) {
        if (!initialize(t, m.owner())) {
            return false;
        }
        if (m.owner().initState == VmClass.InitState.INITIALIZED) {
            mc.refs[mc.code[pc + 1]] = m;
            mc.code[pc] = Ops.INVOKEDIRECT_Q;
            return true;
        }
        invoke(t, m); // the class is being initialized by this thread: call without rewriting
        return false;
    }

    private static int fieldOp(int base, char type, boolean put) {
        return switch (type) {
            case 'J', 'D' -> base + 1;
            case 'B', 'Z' -> base + 2;
            case 'C' -> put ? base + 3 : base + 3;
            case 'S' -> put ? base + 3 : base + 4;
            default -> base;
        };
    }

    private void staticAccessDuringInit(VmThread t, VmField f, boolean get) {
        Activation act = t.activations[t.depth - 1];
        long[] s = t.slots;
        long a = ObjectLayout.address(f.owner().mirror()) + f.offset();
        char type = f.type();
        int size = type == 'J' || type == 'D' ? 2 : 1;
        if (get) {
            s[act.sp] = TypedAccess.read(mem, a, type);
            act.sp += size;
        } else {
            act.sp -= size;
            TypedAccess.write(mem, a, type, s[act.sp]);
        }
        act.pc += 3;
    }

    /** The target of an interface call on a receiver of class {@code rc} (JVMS invokeinterface selection). */
    VmMethod selectInterface(InterfaceSite site, VmClass rc) {
        VmMethod m = ClassRegistry.select(rc, site.key);
        if (m == null) {
            if (!rc.isSubtypeOf(site.resolved.owner())) {
                throw new JavaError("java/lang/IncompatibleClassChangeError", "Class " + rc.javaName()
                        + " does not implement the requested interface " + site.resolved.owner().javaName());
            }
            throw new JavaError("java/lang/AbstractMethodError", "Receiver class " + rc.javaName()
                    + " does not define or inherit an implementation of the resolved method '"
                    + MethodNames.readable(site.resolved.name(), site.resolved.descriptor(), site.resolved.owner().javaName())
                    + "' of interface " + site.resolved.owner().javaName() + ".");
        }
        site.lastReceiver = rc;
        site.lastTarget = m;
        return m;
    }

    /** aastore's check (JVMS 6.5.aastore): the value must be assignable to the array's component type. */
    void checkArrayStore(int array, int value) {
        if (array == 0) {
            return; // element() reports the null array
        }
        VmClass component = vm.classOf(array).component();
        VmClass vc = vm.classOf(value);
        if (vc != component && !vc.isSubtypeOf(component)) {
            throw new JavaError("java/lang/ArrayStoreException", vc.javaName());
        }
    }

    /** The array class for a newarray type code (JVMS Table 6.5.newarray-A). */
    VmClass primitiveArray(int atype) {
        String name = switch (atype) {
            case T_BOOLEAN -> "[Z";
            case T_CHAR -> "[C";
            case T_FLOAT -> "[F";
            case T_DOUBLE -> "[D";
            case T_BYTE -> "[B";
            case T_SHORT -> "[S";
            case T_INT -> "[I";
            case T_LONG -> "[J";
            default -> throw JavaError.verify("bad newarray type " + atype);
        };
        return classes.load(name);
    }

    /** multianewarray: dimension counts are in {@code s[at .. at+dims)}. */
    int multiNewArray(MethodCode mc, int refIndex, long[] s, int at, int dims) {
        Object r = mc.refs[refIndex];
        VmClass c = r instanceof VmClass vc ? vc : classes.load(((MultiANewArrayInsnNode) r).desc);
        mc.refs[refIndex] = c;
        int[] counts = new int[dims];
        for (int i = 0; i < dims; i++) {
            counts[i] = (int) s[at + i];
            if (counts[i] < 0) {
                throw new JavaError("java/lang/NegativeArraySizeException", String.valueOf(counts[i]));
            }
        }
        return multi(c, counts, 0);
    }

    private int multi(VmClass c, int[] counts, int level) {
        int array = vm.newArray(c, counts[level]);
        if (level + 1 < counts.length) {
            for (int i = 0; i < counts[level]; i++) {
                int sub = multi(c.component(), counts, level + 1);
                mem.putInt(Vm.elementAddress(array, i, 2), sub);
            }
        }
        return array;
    }

    /** ldc of a String or Class constant: resolved once, then the instruction becomes LDC_REF. */
    int resolveConstant(MethodCode mc, int pc) {
        Object cst = mc.refs[mc.code[pc + 1]];
        int ref;
        if (cst instanceof String str) {
            ref = vm.intern(str);
        } else if (cst instanceof Type type) {
            if (type.getSort() == Type.METHOD) {
                throw new JavaError("java/lang/UnsupportedOperationException", "MethodType constants are not supported");
            }
            ref = classes.forDescriptor(type.getSort() == Type.OBJECT ? "L" + type.getInternalName() + ";" : type.getDescriptor()).mirror();
        } else if (cst instanceof Handle) {
            throw new JavaError("java/lang/UnsupportedOperationException", "MethodHandle constants are not supported");
        } else {
            throw new JavaError("java/lang/UnsupportedOperationException", "dynamic constants are not supported: " + cst);
        }
        mc.code[pc + 1] = ref;
        mc.code[pc] = Ops.LDC_REF;
        return ref;
    }
}
