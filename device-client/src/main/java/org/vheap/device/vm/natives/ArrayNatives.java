package org.vheap.device.vm.natives;

import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.loader.VmClass;

/** java.lang.reflect.Array: making arrays of a runtime component type, and their length. */
final class ArrayNatives {
    private ArrayNatives() {
    }

    static void register(Natives n, Vm vm) {
        String a = "java/lang/reflect/Array";
        n.register(a, "newArray", "(Ljava/lang/Class;I)Ljava/lang/Object;", (t, s, b) -> {
            return vm.newArray(arrayOf(vm, componentOf(vm, (int) s[b])), (int) s[b + 1]);
        });
        n.register(a, "multiNewArray", "(Ljava/lang/Class;[I)Ljava/lang/Object;", (t, s, b) -> {
            int dims = (int) s[b + 1];
            if (dims == 0) {
                throw new JavaError("java/lang/NullPointerException", null);
            }
            int n0 = vm.arrayLength(dims);
            if (n0 == 0 || n0 > 255) {
                throw new JavaError("java/lang/IllegalArgumentException", "Wrong number of dimensions");
            }
            int[] counts = new int[n0];
            for (int i = 0; i < n0; i++) {
                counts[i] = vm.memory().getInt(Vm.elementAddress(dims, i, 2));
                if (counts[i] < 0) {
                    throw new JavaError("java/lang/NegativeArraySizeException", String.valueOf(counts[i]));
                }
            }
            VmClass c = componentOf(vm, (int) s[b]);
            for (int i = 0; i < n0; i++) {
                c = arrayOf(vm, c);
            }
            return multi(vm, c, counts, 0);
        });
        n.register(a, "getLength", "(Ljava/lang/Object;)I", (t, s, b) -> {
            int arr = (int) s[b];
            if (arr == 0) {
                throw new JavaError("java/lang/NullPointerException", null);
            }
            if (!vm.classOf(arr).isArray()) {
                throw new JavaError("java/lang/IllegalArgumentException", "Argument is not an array");
            }
            return vm.arrayLength(arr);
        });
    }

    private static VmClass componentOf(Vm vm, int mirror) {
        if (mirror == 0) {
            throw new JavaError("java/lang/NullPointerException", null);
        }
        VmClass c = vm.mirrors().classOf(mirror);
        if (c.primitive() == 'V') {
            throw new JavaError("java/lang/IllegalArgumentException", null);
        }
        return c;
    }

    private static VmClass arrayOf(Vm vm, VmClass component) {
        String name = component.isPrimitive() ? "[" + component.primitive()
                : component.isArray() ? "[" + component.name() : "[L" + component.name() + ";";
        return vm.classes().load(name);
    }

    private static int multi(Vm vm, VmClass c, int[] counts, int level) {
        int array = vm.newArray(c, counts[level]);
        if (level + 1 < counts.length) {
            for (int i = 0; i < counts[level]; i++) {
                vm.putRef(Vm.elementAddress(array, i, 2), multi(vm, c.component(), counts, level + 1));
            }
        }
        return array;
    }
}
