package org.vheap.device.vm.natives;

import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.interp.VarHandles;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.thread.VmThread;

/**
 * The VarHandle factories the JDK's concurrency classes use in their static initializers, substituted so
 * they need no java.lang.invoke: {@code MethodHandles.lookup()} and {@code privateLookupIn} give a Lookup
 * with full access; {@code findVarHandle}, {@code findStaticVarHandle} and {@code arrayElementVarHandle} give
 * instances of the JDK's VarHandle classes whose fields locate the variable; the interpreter runs the
 * accesses ({@link VarHandles}).
 */
final class VarHandleNatives {
    private static final String MH = "java/lang/invoke/MethodHandles";
    private static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";

    private VarHandleNatives() {
    }

    static void register(Natives n, Vm vm) {
        n.register(MH, "lookup", "()Ljava/lang/invoke/MethodHandles$Lookup;",
                (t, s, b) -> lookup(vm, t.activations[t.depth - 1].method.owner().mirror()));
        n.register(MH, "privateLookupIn", "(Ljava/lang/Class;Ljava/lang/invoke/MethodHandles$Lookup;)Ljava/lang/invoke/MethodHandles$Lookup;",
                (t, s, b) -> lookup(vm, (int) s[b]));
        n.register(LOOKUP, "findVarHandle", "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/invoke/VarHandle;",
                (t, s, b) -> fieldHandle(vm, t, (int) s[b + 1], (int) s[b + 2], (int) s[b + 3], false));
        n.register(LOOKUP, "findStaticVarHandle", "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/invoke/VarHandle;",
                (t, s, b) -> fieldHandle(vm, t, (int) s[b + 1], (int) s[b + 2], (int) s[b + 3], true));
        n.register(MH, "arrayElementVarHandle", "(Ljava/lang/Class;)Ljava/lang/invoke/VarHandle;", (t, s, b) -> {
            VmClass array = vm.mirrors().classOf((int) s[b]);
            if (!array.isArray()) {
                throw new JavaError("java/lang/IllegalArgumentException", "not an array class: " + array.javaName());
            }
            char type = array.component().isPrimitive() ? array.component().primitive() : 'L';
            VmClass hc = vm.classes().load(VarHandles.className(type, VarHandles.Kind.ARRAY));
            int h = vm.newObject(hc);
            HeapMemory m = vm.memory();
            long a = ObjectLayout.address(h);
            m.putInt(a + hc.declaredField("abase").offset(), ObjectLayout.ARRAY_BASE_OFFSET);
            m.putInt(a + hc.declaredField("ashift").offset(), array.elementShift());
            if (type == 'L') {
                vm.putRef(a + hc.declaredField("arrayType").offset(), array.mirror());
                vm.putRef(a + hc.declaredField("componentType").offset(), array.component().mirror());
            }
            return h;
        });
    }

    private static int lookup(Vm vm, int lookupClass) {
        VmClass lc = vm.classes().load(LOOKUP);
        int l = vm.newObject(lc);
        vm.putRefField(l, lc.declaredField("lookupClass"), lookupClass);
        vm.putIntField(l, lc.declaredField("allowedModes"), -1);
        return l;
    }

    private static int fieldHandle(Vm vm, VmThread t, int owner, int nameRef, int typeMirror, boolean isStatic) {
        if (owner == 0 || nameRef == 0 || typeMirror == 0) {
            throw new JavaError("java/lang/NullPointerException", null);
        }
        VmClass oc = vm.mirrors().classOf(owner);
        VmClass tc = vm.mirrors().classOf(typeMirror);
        String name = vm.strings().hostString(nameRef);
        String descriptor = tc.isPrimitive() ? String.valueOf(tc.primitive()) : tc.isArray() ? tc.name() : "L" + tc.name() + ";";
        VmField f = null;
        for (VmClass k = oc; k != null && f == null; k = k.superclass()) {
            VmField cand = k.declaredField(name);
            if (cand != null && cand.descriptor().equals(descriptor) && cand.isStatic() == isStatic) {
                f = cand;
            }
        }
        if (f == null) {
            throw new JavaError("java/lang/NoSuchFieldException", "no such field: " + oc.javaName() + "." + name + "/"
                    + tc.javaName() + "/" + (isStatic ? "getStatic" : "getField"));
        }
        char type = tc.isPrimitive() ? tc.primitive() : 'L';
        VmClass hc = vm.classes().load(VarHandles.className(type, isStatic ? VarHandles.Kind.STATIC : VarHandles.Kind.INSTANCE));
        int h = vm.newObject(hc);
        HeapMemory m = vm.memory();
        long a = ObjectLayout.address(h);
        m.putLong(a + field(hc, "fieldOffset").offset(), f.offset());
        if (isStatic) {
            vm.putRef(a + field(hc, "base").offset(), f.owner().mirror());
            t.deferredInit.add(f.owner());
        } else {
            vm.putRef(a + field(hc, "receiverType").offset(), owner);
        }
        if (type == 'L') {
            vm.putRef(a + field(hc, "fieldType").offset(), typeMirror);
        }
        return h;
    }

    private static VmField field(VmClass c, String name) {
        VmField f = c.fieldInHierarchy(name);
        if (f == null) {
            throw new IllegalStateException(c + " has no field " + name);
        }
        return f;
    }
}
