package org.vheap.device.vm.indy;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The argument and return conversions of a lambda's forwarding method, instruction for instruction those of
 * JDK 17's {@code java.lang.invoke.TypeConvertingMethodAdapter.convertType}: primitive widening, boxing with
 * {@code valueOf}, unboxing with {@code xxxValue} (through {@code Number} when the source is not a wrapper),
 * and {@code checkcast} (never to {@code Object}).
 */
final class TypeConversions {
    private static final Type OBJECT = Type.getObjectType("java/lang/Object");

    private TypeConversions() {
    }

    static boolean isPrimitive(Type t) {
        return t.getSort() < Type.ARRAY && t.getSort() != Type.VOID;
    }

    /** The wrapper class of a primitive type, e.g. {@code java/lang/Integer} for {@code I}. */
    static String wrapperName(Type primitive) {
        switch (primitive.getSort()) {
            case Type.BOOLEAN: return "java/lang/Boolean";
            case Type.CHAR: return "java/lang/Character";
            case Type.BYTE: return "java/lang/Byte";
            case Type.SHORT: return "java/lang/Short";
            case Type.INT: return "java/lang/Integer";
            case Type.FLOAT: return "java/lang/Float";
            case Type.LONG: return "java/lang/Long";
            case Type.DOUBLE: return "java/lang/Double";
            default: throw new IllegalArgumentException("not a primitive type: " + primitive);
        }
    }

    /** The primitive type a wrapper class boxes, or null when {@code t} is not one of the eight wrappers. */
    static Type primitiveOfWrapper(Type t) {
        if (t.getSort() != Type.OBJECT) {
            return null;
        }
        switch (t.getInternalName()) {
            case "java/lang/Boolean": return Type.BOOLEAN_TYPE;
            case "java/lang/Character": return Type.CHAR_TYPE;
            case "java/lang/Byte": return Type.BYTE_TYPE;
            case "java/lang/Short": return Type.SHORT_TYPE;
            case "java/lang/Integer": return Type.INT_TYPE;
            case "java/lang/Float": return Type.FLOAT_TYPE;
            case "java/lang/Long": return Type.LONG_TYPE;
            case "java/lang/Double": return Type.DOUBLE_TYPE;
            default: return null;
        }
    }

    private static boolean isSignedOrFloating(Type primitive) {
        int sort = primitive.getSort();
        return sort != Type.BOOLEAN && sort != Type.CHAR;
    }

    static void box(MethodVisitor mv, Type primitive) {
        String wrapper = wrapperName(primitive);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, wrapper, "valueOf",
                Type.getMethodDescriptor(Type.getObjectType(wrapper), primitive), false);
    }

    /** {@code owner.xxxValue()} where xxx is the target primitive: {@code Number.intValue()}, {@code Integer.longValue()}... */
    static void unbox(MethodVisitor mv, String owner, Type primitive) {
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, primitive.getClassName() + "Value",
                Type.getMethodDescriptor(primitive), false);
    }

    /** A widening primitive conversion; nothing between the int-like types (they are all ints on the stack). */
    static void widen(MethodVisitor mv, Type from, Type to) {
        int f = stackKind(from);
        int t = stackKind(to);
        if (f == t) {
            return;
        }
        if (f == Type.INT) {
            mv.visitInsn(t == Type.LONG ? Opcodes.I2L : t == Type.FLOAT ? Opcodes.I2F : Opcodes.I2D);
        } else if (f == Type.LONG) {
            mv.visitInsn(t == Type.FLOAT ? Opcodes.L2F : Opcodes.L2D);
        } else if (f == Type.FLOAT && t == Type.DOUBLE) {
            mv.visitInsn(Opcodes.F2D);
        } else {
            throw new IllegalArgumentException("not a widening conversion: " + from + " to " + to);
        }
    }

    private static int stackKind(Type primitive) {
        int sort = primitive.getSort();
        return sort == Type.LONG || sort == Type.FLOAT || sort == Type.DOUBLE ? sort : Type.INT;
    }

    static void cast(MethodVisitor mv, Type from, Type to) {
        if (!from.equals(to) && !to.equals(OBJECT)) {
            mv.visitTypeInsn(Opcodes.CHECKCAST, to.getInternalName());
        }
    }

    /**
     * Converts the value on the stack, of type {@code arg}, to {@code target}; {@code functional} is the
     * instantiated (dynamic) type of the value, which a reference is first cast to.
     */
    static void convert(MethodVisitor mv, Type arg, Type target, Type functional) {
        if (arg.equals(target) && arg.equals(functional)) {
            return;
        }
        if (arg.getSort() == Type.VOID || target.getSort() == Type.VOID) {
            return;
        }
        if (isPrimitive(arg)) {
            if (isPrimitive(target)) {
                widen(mv, arg, target);
            } else {
                Type boxedTarget = primitiveOfWrapper(target);
                if (boxedTarget != null) {
                    widen(mv, arg, boxedTarget);
                    box(mv, boxedTarget);
                } else {
                    box(mv, arg);
                    cast(mv, Type.getObjectType(wrapperName(arg)), target);
                }
            }
            return;
        }
        Type source;
        if (isPrimitive(functional)) {
            source = arg;
        } else {
            source = functional;
            cast(mv, arg, functional);
        }
        if (!isPrimitive(target)) {
            cast(mv, source, target);
            return;
        }
        Type unboxed = primitiveOfWrapper(source);
        if (unboxed != null) {
            if (isSignedOrFloating(unboxed)) {
                unbox(mv, wrapperName(unboxed), target);
            } else {
                unbox(mv, wrapperName(unboxed), unboxed);
                widen(mv, unboxed, target);
            }
        } else {
            Type intermediate = Type.getObjectType(isSignedOrFloating(target) ? "java/lang/Number" : wrapperName(target));
            cast(mv, source, intermediate);
            unbox(mv, intermediate.getInternalName(), target);
        }
    }
}
