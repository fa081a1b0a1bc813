package org.vheap.device.vm.interp;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.VmClass;

/**
 * The array instructions' rarer work, kept out of the interpreter's loop: {@code aastore}'s type check,
 * {@code newarray}'s array class, {@code multianewarray}.
 */
final class ArrayInstructions {
    private final Vm vm;
    private final ClassRegistry classes;
    /** newarray's array classes by type code (4..11), each loaded on first use: no look-up by name per allocation. */
    private final VmClass[] primitiveArrays = new VmClass[T_LONG + 1];
    /** The class id of {@code boolean[]} once that class is loaded (0 before: no such array exists yet). */
    private int booleanArrayId;

    ArrayInstructions(Vm vm) {
        this.vm = vm;
        this.classes = vm.classes();
    }

    /** aastore's check (JVMS 6.5.aastore): the value must be assignable to the array's component type. */
    void checkArrayStore(int array, int value) {
        if (array == 0) {
            return; // element() reports the null array
        }
        if (!storable(array, value)) {
            throw new JavaError("java/lang/ArrayStoreException", vm.classOf(value).javaName());
        }
    }

    /** Whether {@code value} (a reference, null included) may be stored into the (non-null) {@code array}. */
    boolean storable(int array, int value) {
        if (value == 0) {
            return true;
        }
        VmClass component = vm.classOf(array).component();
        VmClass vc = vm.classOf(value);
        return vc == component || vc.isSubtypeOf(component);
    }

    /**
     * Whether a (non-null) array is a {@code boolean[]}: bastore then stores only the value's lowest bit (JVMS
     * 6.5.bastore). One look at the header's class id, no class look-up per store.
     */
    boolean isBooleanArray(int array) {
        int id = booleanArrayId;
        if (id == 0) {
            VmClass c = classes.findLoaded("[Z");
            if (c == null) {
                return false;
            }
            id = booleanArrayId = c.id();
        }
        return vm.memory().getInt(ObjectLayout.address(array) + ObjectLayout.CLASS_ID_OFFSET) == id;
    }

    /** The array class for a newarray type code (JVMS Table 6.5.newarray-A). */
    VmClass primitiveArray(int atype) {
        VmClass c = atype >= T_BOOLEAN && atype <= T_LONG ? primitiveArrays[atype] : null;
        return c != null ? c : loadPrimitiveArray(atype);
    }

    private VmClass loadPrimitiveArray(int atype) {
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
        return primitiveArrays[atype] = classes.load(name);
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
                vm.putRef(Vm.elementAddress(array, i, 2), sub);
            }
        }
        return array;
    }
}
