package org.vheap.device.vm;

import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.heap.TypedAccess;
import org.vheap.device.vm.loader.VmClass;

/**
 * Primitive values as wrapper objects and back, as reflection needs them ({@code Method.invoke}'s arguments and
 * results, {@code Field.get}): a raw slot value boxed into a new {@code Integer}, {@code Long}, ... (never one of
 * the {@code valueOf} caches, as HotSpot's reflection boxes), and a wrapper unboxed to a primitive type with the
 * widening conversions JLS 5.1.2 allows, else IllegalArgumentException "argument type mismatch".
 */
public final class Boxing {
    private final Vm vm;

    Boxing(Vm vm) {
        this.vm = vm;
    }

    /** The wrapper class of a primitive descriptor character. */
    private VmClass wrapperClass(char type) {
        return vm.classes().load(switch (type) {
            case 'I' -> "java/lang/Integer";
            case 'J' -> "java/lang/Long";
            case 'F' -> "java/lang/Float";
            case 'D' -> "java/lang/Double";
            case 'Z' -> "java/lang/Boolean";
            case 'B' -> "java/lang/Byte";
            case 'C' -> "java/lang/Character";
            case 'S' -> "java/lang/Short";
            default -> throw new IllegalArgumentException("not a primitive: " + type);
        });
    }

    /** A new wrapper object for a raw primitive value of {@code type}. */
    public int box(char type, long raw) {
        VmClass w = wrapperClass(type);
        int obj = vm.newObject(w);
        TypedAccess.write(vm.memory(), ObjectLayout.address(obj) + w.declaredField("value").offset(), type, raw);
        return obj;
    }

    /**
     * The raw value of a wrapper object converted to primitive {@code type} by a widening conversion (JLS 5.1.2),
     * or IllegalArgumentException("argument type mismatch").
     */
    public long unbox(int ref, char type) {
        if (ref == 0) {
            throw new JavaError("java/lang/IllegalArgumentException", null);
        }
        VmClass c = vm.classOf(ref);
        char from = switch (c.name()) {
            case "java/lang/Integer" -> 'I';
            case "java/lang/Long" -> 'J';
            case "java/lang/Float" -> 'F';
            case "java/lang/Double" -> 'D';
            case "java/lang/Boolean" -> 'Z';
            case "java/lang/Byte" -> 'B';
            case "java/lang/Character" -> 'C';
            case "java/lang/Short" -> 'S';
            default -> 0;
        };
        if (from == 0) {
            throw new JavaError("java/lang/IllegalArgumentException", "argument type mismatch");
        }
        long v = TypedAccess.read(vm.memory(), ObjectLayout.address(ref) + c.declaredField("value").offset(), from);
        if (from == type) {
            return v;
        }
        boolean integral = from == 'B' || from == 'S' || from == 'C' || from == 'I' || from == 'J';
        boolean widens = switch (type) {
            case 'S' -> from == 'B';
            case 'I' -> from == 'B' || from == 'S' || from == 'C';
            case 'J' -> from == 'B' || from == 'S' || from == 'C' || from == 'I';
            case 'F', 'D' -> integral || (type == 'D' && from == 'F');
            default -> false;
        };
        if (!widens) {
            throw new JavaError("java/lang/IllegalArgumentException", "argument type mismatch");
        }
        if (type == 'F') {
            return Float.floatToRawIntBits(from == 'J' ? (float) v : (float) (int) v);
        }
        if (type == 'D') {
            double d = from == 'F' ? Float.intBitsToFloat((int) v) : from == 'J' ? (double) v : (double) (int) v;
            return Double.doubleToRawLongBits(d);
        }
        return v;
    }
}
