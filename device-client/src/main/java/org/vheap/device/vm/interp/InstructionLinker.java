package org.vheap.device.vm.interp;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.heap.TypedAccess;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.MethodNames;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.Activation;
import org.vheap.device.vm.thread.VmThread;

/**
 * Quickening: the first execution of an instruction with a symbolic reference resolves it (JVMS 5.4.3) and rewrites
 * the instruction in place into its quick form ({@link Ops}), whose operands are what the reference resolved to (a
 * field offset, a mirror and offset, a method, a vtable index, an {@link InterfaceSite}, a class id), so it resolves
 * once. Field and static-call instructions first initialize their class ({@link ClassInitializer}); while that is
 * still running on this thread the instruction is completed here without being rewritten, so other threads keep
 * stopping at it. Also: the interface method a receiver's class selects (the inline cache's slow path) and
 * {@code ldc} of a String or Class constant.
 */
final class InstructionLinker {
    private final Vm vm;
    private final HeapMemory mem;
    private final ClassRegistry classes;
    private final MethodInvoker invoker;
    private final ClassInitializer initializer;
    private final CallSites callSites;

    InstructionLinker(Vm vm, MethodInvoker invoker, CallSites callSites) {
        this.vm = vm;
        this.mem = vm.memory();
        this.classes = vm.classes();
        this.invoker = invoker;
        this.initializer = invoker.initializer();
        this.callSites = callSites;
    }

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
                if (!initializer.initialize(t, f.owner())) {
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
                if (!initializer.initialize(t, c)) {
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

    private boolean linkStaticCall(VmThread t, MethodCode mc, int pc, VmMethod m) {
        if (!initializer.initialize(t, m.owner())) {
            return false;
        }
        if (m.owner().initState == VmClass.InitState.INITIALIZED) {
            mc.refs[mc.code[pc + 1]] = m;
            mc.code[pc] = Ops.INVOKEDIRECT_Q;
            return true;
        }
        invoker.invoke(t, m); // the class is being initialized by this thread: call without rewriting
        return false;
    }

    private static int fieldOp(int base, char type, boolean put) {
        return switch (type) {
            case 'J', 'D' -> base + 1;
            case 'B', 'Z' -> base + 2;
            case 'C' -> put ? base + 3 : base + 3;
            case 'S' -> put ? base + 3 : base + 4;
            case 'L', '[' -> put ? base + 4 : base;   // PUTFIELD_REF, PUTSTATIC_REF
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
            if (type == 'L' || type == '[') {
                vm.putRef(a, (int) s[act.sp]);
            } else {
                TypedAccess.write(mem, a, type, s[act.sp]);
            }
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

    /** ldc of a String or Class constant: resolved once, then the instruction becomes LDC_REF. */
    int resolveConstant(MethodCode mc, int pc) {
        Object cst = mc.refs[mc.code[pc + 1]];
        int ref;
        if (cst instanceof String str) {
            ref = vm.strings().intern(str);
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
        if (ObjectLayout.isNursery(ref)) {
            return ref;   // a string String.intern made canonical while new: quickened once it is promoted
        }
        mc.code[pc + 1] = ref;
        mc.code[pc] = Ops.LDC_REF;
        return ref;
    }
}
