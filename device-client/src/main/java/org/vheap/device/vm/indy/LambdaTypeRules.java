package org.vheap.device.vm.indy;

import java.util.Set;
import org.objectweb.asm.Type;

/**
 * The checks of JDK 17's {@code AbstractValidatingLambdaMetafactory.validateMetafactoryArgs} that need no class
 * hierarchy: everything involving a primitive type, and the exact match of captured arguments. Between two
 * reference types HotSpot also checks assignability; without loading classes that is assumed (javac only emits
 * assignable types). A violation is where HotSpot's bootstrap throws {@code LambdaConversionException}.
 */
final class LambdaTypeRules {
    private static final Set<String> SUPERTYPES_OF_EVERY_WRAPPER = Set.of("java/lang/Object", "java/io/Serializable",
            "java/lang/Comparable", "java/lang/constant/Constable");

    private LambdaTypeRules() {
    }

    /** JLS 5.1.2 widening, or identity, between primitive types. */
    static boolean widens(Type from, Type to) {
        if (from.equals(to)) {
            return true;
        }
        // sorts ascend BOOLEAN, CHAR, BYTE, SHORT, INT, FLOAT, LONG, DOUBLE
        int target = to.getSort();
        switch (from.getSort()) {
            case Type.BYTE: return target >= Type.SHORT;
            case Type.SHORT:
            case Type.CHAR: return target >= Type.INT;
            case Type.INT: return target >= Type.FLOAT;
            case Type.LONG: return target == Type.FLOAT || target == Type.DOUBLE;
            case Type.FLOAT: return target == Type.DOUBLE;
            default: return false;
        }
    }

    /** Whether the wrapper of {@code primitive} is assignable to the reference type {@code to}. */
    private static boolean boxesTo(Type primitive, Type to) {
        if (to.getSort() != Type.OBJECT) {
            return false;
        }
        String name = to.getInternalName();
        int sort = primitive.getSort();
        boolean numeric = sort != Type.BOOLEAN && sort != Type.CHAR;
        boolean constantDesc = sort == Type.INT || sort == Type.LONG || sort == Type.FLOAT || sort == Type.DOUBLE;
        return name.equals(TypeConversions.wrapperName(primitive)) || SUPERTYPES_OF_EVERY_WRAPPER.contains(name)
                || numeric && name.equals("java/lang/Number") || constantDesc && name.equals("java/lang/constant/ConstantDesc");
    }

    /** {@code isAdaptableTo(from, to, strict)}, references assumed assignable. */
    static boolean adaptable(Type from, Type to, boolean strict) {
        if (from.equals(to)) {
            return true;
        }
        boolean fromPrimitive = TypeConversions.isPrimitive(from);
        boolean toPrimitive = TypeConversions.isPrimitive(to);
        if (fromPrimitive) {
            return toPrimitive ? widens(from, to) : boxesTo(from, to);
        }
        if (toPrimitive) {
            Type unboxed = TypeConversions.primitiveOfWrapper(from);
            return unboxed != null ? widens(unboxed, to) : !strict;
        }
        return true;
    }

    /** {@code isAdaptableToAsReturn}: anything to void, nothing from void. */
    static boolean adaptableAsReturn(Type from, Type to) {
        return to.getSort() == Type.VOID || from.getSort() != Type.VOID && adaptable(from, to, false);
    }

    /** {@code isAdaptableToAsReturnStrict}. */
    static boolean adaptableAsReturnStrict(Type from, Type to) {
        if (from.getSort() == Type.VOID || to.getSort() == Type.VOID) {
            return from.equals(to);
        }
        return adaptable(from, to, true);
    }

    /** {@code descriptorParam.isAssignableFrom(dynamicParam)}: a primitive only from itself. */
    static boolean assignable(Type from, Type to) {
        return from.equals(to) || !TypeConversions.isPrimitive(from) && !TypeConversions.isPrimitive(to);
    }
}
