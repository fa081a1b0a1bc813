package org.vheap.device.vm.natives;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.DeferredCall;
import org.vheap.device.vm.thread.VmThread;

/**
 * Core reflection: the {@code Field}, {@code Method} and {@code Constructor} objects of a class (their
 * {@code slot} is the member's index in the class's declared members), Unsafe field offsets from a
 * {@code Field}, and invocation. {@code Method.invoke} and {@code Constructor.newInstance} run the target as an
 * activation of the calling green thread (boxing the result, wrapping exceptions in InvocationTargetException);
 * the JDK's accessor classes are replaced so they never generate bytecode.
 */
final class ReflectionNatives {
    private ReflectionNatives() {
    }

    static void register(Natives n, Vm vm) {
        String c = "java/lang/Class";
        n.register(c, "getDeclaredFields0", "(Z)[Ljava/lang/reflect/Field;", (t, s, b) -> {
            VmClass k = ClassNatives.self(vm, s, b);
            boolean publicOnly = (s[b + 1] & 1) != 0;
            List<Integer> fields = new ArrayList<>();
            VmField[] declared = k.declaredFields();
            for (int i = 0; i < declared.length; i++) {
                VmField f = declared[i];
                if ((f.access() & Opcodes.ACC_SYNTHETIC) != 0 && f.name().startsWith("vheap$")) {
                    continue;
                }
                if (!publicOnly || (f.access() & Opcodes.ACC_PUBLIC) != 0) {
                    fields.add(field(vm, k, f, i));
                }
            }
            return refArray(vm, "[Ljava/lang/reflect/Field;", fields);
        });
        n.register(c, "getDeclaredMethods0", "(Z)[Ljava/lang/reflect/Method;",
                (t, s, b) -> executables(vm, ClassNatives.self(vm, s, b), (s[b + 1] & 1) != 0, false));
        n.register(c, "getDeclaredConstructors0", "(Z)[Ljava/lang/reflect/Constructor;",
                (t, s, b) -> executables(vm, ClassNatives.self(vm, s, b), (s[b + 1] & 1) != 0, true));
        n.register(c, "getDeclaredClasses0", "()[Ljava/lang/Class;", (t, s, b) -> {
            VmClass k = ClassNatives.self(vm, s, b);
            List<Integer> inner = new ArrayList<>();
            if (k.node() != null) {
                for (var ic : k.node().innerClasses) {
                    if (k.name().equals(ic.outerName) && !ic.name.equals(k.name())) {
                        inner.add(vm.classes().load(ic.name).mirror());
                    }
                }
            }
            return refArray(vm, "[Ljava/lang/Class;", inner);
        });
        n.register(c, "getRecordComponents0", "()[Ljava/lang/reflect/RecordComponent;", (t, s, b) -> {
            VmClass k = ClassNatives.self(vm, s, b);
            if (k.node() == null || k.node().recordComponents == null) {
                return 0;
            }
            VmClass rc = vm.classes().load("java/lang/reflect/RecordComponent");
            List<Integer> components = new ArrayList<>();
            for (var comp : k.node().recordComponents) {
                int obj = vm.newObject(rc);
                long a = ObjectLayout.address(obj);
                HeapMemory m = vm.memory();
                vm.putRef(a + rc.declaredField("clazz").offset(), k.mirror());
                vm.putRef(a + rc.declaredField("name").offset(), vm.strings().intern(comp.name));
                vm.putRef(a + rc.declaredField("type").offset(), vm.classes().forDescriptor(comp.descriptor).mirror());
                VmMethod[] declared = k.declaredMethods();
                for (int i = 0; i < declared.length; i++) {
                    if (declared[i].name().equals(comp.name) && declared[i].descriptor().equals("()" + comp.descriptor)) {
                        vm.putRef(a + rc.declaredField("accessor").offset(), executable(vm, k, declared[i], i, false));
                    }
                }
                if (comp.signature != null) {
                    vm.putRef(a + rc.declaredField("signature").offset(), vm.strings().intern(comp.signature));
                }
                components.add(obj);
            }
            return refArray(vm, "[Ljava/lang/reflect/RecordComponent;", components);
        });
        n.register(c, "getRawAnnotations", "()[B", (t, s, b) -> 0);
        n.register(c, "getResourceAsStream", "(Ljava/lang/String;)Ljava/io/InputStream;", (t, s, b) -> {
            VmClass k = ClassNatives.self(vm, s, b);
            if ((int) s[b + 1] == 0) {
                throw new JavaError("java/lang/NullPointerException", null);
            }
            String name = vm.strings().hostString((int) s[b + 1]);
            if (name.startsWith("/")) {
                name = name.substring(1);
            } else {
                VmClass base = k;
                while (base.isArray()) {
                    base = base.component();
                }
                int slash = base.name().lastIndexOf('/');
                name = (slash < 0 ? "" : base.name().substring(0, slash + 1)) + name;
            }
            byte[] bytes = vm.source().findResource(name, k.isBootstrap() ? (k.module() == null ? "java.base" : k.module()) : null);
            if (bytes == null) {
                return 0;
            }
            VmClass bais = vm.classes().load("java/io/ByteArrayInputStream");
            int stream = vm.newObject(bais);
            t.defer(new DeferredCall(bais.declaredMethod("<init>", "([B)V"), new long[] {stream, vm.newByteArray(bytes)},
                    VmThread.RETURN_DISCARD));
            return stream;
        });
        n.register(c, "getConstantPool", "()Ljdk/internal/reflect/ConstantPool;", (t, s, b) -> 0);

        String u = "jdk/internal/misc/Unsafe";
        n.register(u, "objectFieldOffset0", "(Ljava/lang/reflect/Field;)J", (t, s, b) -> memberField(vm, (int) s[b + 1]).offset());
        n.register(u, "staticFieldOffset0", "(Ljava/lang/reflect/Field;)J", (t, s, b) -> memberField(vm, (int) s[b + 1]).offset());
        n.register(u, "staticFieldBase0", "(Ljava/lang/reflect/Field;)Ljava/lang/Object;",
                (t, s, b) -> memberField(vm, (int) s[b + 1]).owner().mirror());

        String nma = "jdk/internal/reflect/NativeMethodAccessorImpl";
        NativeMethod invoke = (t, s, b) -> invoke(vm, t, (int) s[b], (int) s[b + 1], (int) s[b + 2]);
        n.register(nma, "invoke0", "(Ljava/lang/reflect/Method;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", invoke);
        n.register(nma, "invoke", "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", (t, s, b) -> {
            int method = vm.getIntField((int) s[b], vm.field(nma, "method"));
            return invoke(vm, t, method, (int) s[b + 1], (int) s[b + 2]);
        });
        String nca = "jdk/internal/reflect/NativeConstructorAccessorImpl";
        n.register(nca, "newInstance0", "(Ljava/lang/reflect/Constructor;[Ljava/lang/Object;)Ljava/lang/Object;",
                (t, s, b) -> newInstance(vm, t, (int) s[b], (int) s[b + 1]));
        n.register(nca, "newInstance", "([Ljava/lang/Object;)Ljava/lang/Object;", (t, s, b) -> {
            int ctor = vm.getIntField((int) s[b], vm.field(nca, "c"));
            return newInstance(vm, t, ctor, (int) s[b + 1]);
        });
    }

    private static int refArray(Vm vm, String arrayClass, List<Integer> refs) {
        int arr = vm.newArray(vm.classes().load(arrayClass), refs.size());
        for (int i = 0; i < refs.size(); i++) {
            vm.putRef(Vm.elementAddress(arr, i, 2), refs.get(i));
        }
        return arr;
    }

    private static int field(Vm vm, VmClass owner, VmField f, int slot) {
        VmClass fc = vm.classes().load("java/lang/reflect/Field");
        int obj = vm.newObject(fc);
        long a = ObjectLayout.address(obj);
        HeapMemory m = vm.memory();
        vm.putRef(a + fc.declaredField("clazz").offset(), owner.mirror());
        m.putInt(a + fc.declaredField("slot").offset(), slot);
        vm.putRef(a + fc.declaredField("name").offset(), vm.strings().intern(f.name()));
        vm.putRef(a + fc.declaredField("type").offset(), vm.classes().forDescriptor(f.descriptor()).mirror());
        m.putInt(a + fc.declaredField("modifiers").offset(), f.access() & 0xFFFF);
        boolean trustedFinal = (f.access() & Opcodes.ACC_FINAL) != 0 && (f.isStatic() || owner.node() != null
                && owner.superclass() != null && owner.superclass().name().equals("java/lang/Record"));
        m.putByte(a + fc.declaredField("trustedFinal").offset(), (byte) (trustedFinal ? 1 : 0));
        return obj;
    }

    /**
     * {@code getDeclaredMethods0} / {@code getDeclaredConstructors0}: a Method or Constructor object for each declared
     * method (not an initializer) or constructor of {@code k}, the public ones only when {@code publicOnly}.
     */
    private static int executables(Vm vm, VmClass k, boolean publicOnly, boolean constructors) {
        List<Integer> out = new ArrayList<>();
        VmMethod[] declared = k.declaredMethods();
        for (int i = 0; i < declared.length; i++) {
            VmMethod m = declared[i];
            boolean wanted = constructors ? m.name().equals("<init>") : !m.name().startsWith("<");
            if (wanted && (!publicOnly || (m.access() & Opcodes.ACC_PUBLIC) != 0)) {
                out.add(executable(vm, k, m, i, constructors));
            }
        }
        return refArray(vm, constructors ? "[Ljava/lang/reflect/Constructor;" : "[Ljava/lang/reflect/Method;", out);
    }

    private static int executable(Vm vm, VmClass owner, VmMethod method, int slot, boolean constructor) {
        VmClass ec = vm.classes().load(constructor ? "java/lang/reflect/Constructor" : "java/lang/reflect/Method");
        int obj = vm.newObject(ec);
        long a = ObjectLayout.address(obj);
        HeapMemory m = vm.memory();
        vm.putRef(a + ec.declaredField("clazz").offset(), owner.mirror());
        m.putInt(a + ec.declaredField("slot").offset(), slot);
        Type[] params = Type.getArgumentTypes(method.descriptor());
        int paramTypes = vm.newArray(vm.classes().load("[Ljava/lang/Class;"), params.length);
        for (int i = 0; i < params.length; i++) {
            vm.putRef(Vm.elementAddress(paramTypes, i, 2), vm.classes().forDescriptor(params[i].getDescriptor()).mirror());
        }
        vm.putRef(a + ec.declaredField("parameterTypes").offset(), paramTypes);
        List<String> exceptions = method.node().exceptions;
        int exTypes = vm.newArray(vm.classes().load("[Ljava/lang/Class;"), exceptions.size());
        for (int i = 0; i < exceptions.size(); i++) {
            vm.putRef(Vm.elementAddress(exTypes, i, 2), vm.classes().load(exceptions.get(i)).mirror());
        }
        vm.putRef(a + ec.declaredField("exceptionTypes").offset(), exTypes);
        m.putInt(a + ec.declaredField("modifiers").offset(), method.access() & 0xFFFF);
        if (!constructor) {
            vm.putRef(a + ec.declaredField("name").offset(), vm.strings().intern(method.name()));
            vm.putRef(a + ec.declaredField("returnType").offset(),
                    vm.classes().forDescriptor(Type.getReturnType(method.descriptor()).getDescriptor()).mirror());
        }
        return obj;
    }

    private static VmField memberField(Vm vm, int field) {
        if (field == 0) {
            throw new JavaError("java/lang/NullPointerException", null);
        }
        VmClass fc = vm.classes().load("java/lang/reflect/Field");
        VmClass owner = vm.mirrors().classOf(vm.getIntField(field, fc.declaredField("clazz")));
        return owner.declaredFields()[vm.getIntField(field, fc.declaredField("slot"))];
    }

    private static VmMethod memberMethod(Vm vm, int executable, String reflectClass) {
        VmClass ec = vm.classes().load(reflectClass);
        VmClass owner = vm.mirrors().classOf(vm.getIntField(executable, ec.declaredField("clazz")));
        return owner.declaredMethods()[vm.getIntField(executable, ec.declaredField("slot"))];
    }

    /** Method.invoke: runs the method as an activation whose result replaces this native's (boxed). */
    private static long invoke(Vm vm, VmThread t, int method, int receiver, int argArray) {
        VmMethod m = memberMethod(vm, method, "java/lang/reflect/Method");
        List<Long> slots = new ArrayList<>();
        if (!m.isStatic()) {
            if (receiver == 0) {
                throw new JavaError("java/lang/NullPointerException", null);
            }
            VmClass rc = vm.classOf(receiver);
            if (!rc.isSubtypeOf(m.owner())) {
                throw new JavaError("java/lang/IllegalArgumentException", "object is not an instance of declaring class");
            }
            if (!m.isPrivate()) {
                VmMethod selected = ClassRegistry.select(rc, m.key());
                if (selected != null) {
                    m = selected;
                }
            }
            slots.add((long) receiver);
        } else {
            t.deferredInit.add(m.owner());
        }
        addArguments(vm, m, argArray, slots);
        if (m.isAbstract()) {
            throw new JavaError("java/lang/AbstractMethodError", m.toString());
        }
        if (m.isNative()) {
            throw new JavaError("java/lang/UnsupportedOperationException", "reflective call of native " + m + " on a device");
        }
        t.defer(new DeferredCall(m, slots.stream().mapToLong(Long::longValue).toArray(), VmThread.RETURN_REFLECT));
        return 0;
    }

    /** Constructor.newInstance: the new object, initialized by an activation that runs right after this native. */
    private static long newInstance(Vm vm, VmThread t, int ctor, int argArray) {
        VmMethod m = memberMethod(vm, ctor, "java/lang/reflect/Constructor");
        VmClass k = m.owner();
        if ((k.access() & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE)) != 0) {
            throw new JavaError("java/lang/InstantiationException", null);
        }
        int obj = vm.newObject(k);
        List<Long> slots = new ArrayList<>();
        slots.add((long) obj);
        addArguments(vm, m, argArray, slots);
        t.deferredInit.add(k);
        t.defer(new DeferredCall(m, slots.stream().mapToLong(Long::longValue).toArray(), VmThread.RETURN_REFLECT_DISCARD));
        return obj;
    }

    private static void addArguments(Vm vm, VmMethod m, int argArray, List<Long> slots) {
        Type[] params = Type.getArgumentTypes(m.descriptor());
        int given = argArray == 0 ? 0 : vm.arrayLength(argArray);
        if (given != params.length) {
            throw new JavaError("java/lang/IllegalArgumentException", "wrong number of arguments");
        }
        for (int i = 0; i < params.length; i++) {
            int arg = vm.memory().getInt(Vm.elementAddress(argArray, i, 2));
            char type = params[i].getDescriptor().charAt(0);
            if (type == 'L' || type == '[') {
                if (arg != 0 && !vm.classOf(arg).isSubtypeOf(vm.classes().forDescriptor(params[i].getDescriptor()))) {
                    throw new JavaError("java/lang/IllegalArgumentException", "argument type mismatch");
                }
                slots.add((long) arg);
            } else {
                slots.add(vm.boxing().unbox(arg, type));
                if (params[i].getSize() == 2) {
                    slots.add(0L);
                }
            }
        }
    }
}
