package org.vheap.device.vm.indy;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The bodies of a {@code java.lang.runtime.ObjectMethods.bootstrap} site (a record's {@code toString},
 * {@code hashCode} and {@code equals}), computing what JDK 17's method handle trees compute:
 * <ul>
 * <li>toString: {@code SimpleName[c1=v1, c2=v2]}, each value by {@code String.valueOf} of its type
 *     (references by {@code String.valueOf(Object)}, so arrays, {@code char[]} included, print as
 *     {@code [C@hash}), in component order;</li>
 * <li>hashCode: {@code h = 0; for each component h = 31 * h + hash(c)}, a primitive hashed by its wrapper's
 *     static {@code hashCode}, a reference by {@code Objects.hashCode};</li>
 * <li>equals: {@code this == o} is true; {@code o} not an instance of the record is false; then the components
 *     compared last to first (the order of the nested {@code guardWithTest}s), {@code ==} for the integral types
 *     and {@code boolean}, {@code Float.compare}/{@code Double.compare == 0} (so NaN equals NaN and 0.0 does not
 *     equal -0.0), {@code Objects.equals} for references.</li>
 * </ul>
 */
final class ObjectMethodsSite {
    private final Type record;
    private final List<String> names;
    private final List<Handle> getters;

    private ObjectMethodsSite(Type record, List<String> names, List<Handle> getters) {
        this.record = record;
        this.names = names;
        this.getters = getters;
    }

    /** Reads the bootstrap arguments {@code (Class recordClass, String names, MethodHandle... getters)} and checks the site type. */
    static ObjectMethodsSite parse(String name, String descriptor, Object[] args, String describe) {
        if (args.length < 2 || !(args[0] instanceof Type) || ((Type) args[0]).getSort() != Type.OBJECT
                || !(args[1] instanceof String)) {
            throw new UnsupportedCallSiteException(describe + ": expected (Class, String, MethodHandle...) arguments");
        }
        Type record = (Type) args[0];
        String joined = (String) args[1];
        List<String> names = joined.isEmpty() ? List.of() : List.of(joined.split(";"));
        List<Handle> getters = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            if (!(args[i] instanceof Handle) || ((Handle) args[i]).getTag() != Opcodes.H_GETFIELD
                    || !((Handle) args[i]).getOwner().equals(record.getInternalName())) {
                throw new UnsupportedCallSiteException(describe + ": argument " + i + " is not a getter of "
                        + record.getInternalName() + ": " + args[i]);
            }
            getters.add((Handle) args[i]);
        }
        if (names.size() != getters.size()) {
            throw new UnsupportedCallSiteException(describe + ": " + names.size() + " names for " + getters.size() + " getters");
        }
        String expected;
        switch (name) {
            case "toString": expected = "(" + record.getDescriptor() + ")Ljava/lang/String;"; break;
            case "hashCode": expected = "(" + record.getDescriptor() + ")I"; break;
            case "equals": expected = "(" + record.getDescriptor() + "Ljava/lang/Object;)Z"; break;
            default: throw new UnsupportedCallSiteException(describe + ": unknown method name " + name);
        }
        if (!expected.equals(descriptor)) {
            throw new UnsupportedCallSiteException(describe + ": " + name + descriptor + " should be " + name + expected);
        }
        return new ObjectMethodsSite(record, names, getters);
    }

    Type record() {
        return record;
    }

    private void getField(MethodVisitor mv, int receiverSlot, Handle getter) {
        mv.visitVarInsn(Opcodes.ALOAD, receiverSlot);
        mv.visitFieldInsn(Opcodes.GETFIELD, getter.getOwner(), getter.getName(), getter.getDesc());
    }

    /**
     * {@code toString}. {@code simpleName} is the record's {@code Class.getSimpleName()} when known at synthesis
     * time; null to take it at run time from {@code simpleNameField}, a static String field of the synthesized class.
     */
    void generateToString(MethodVisitor mv, String simpleName, String owner, String simpleNameField) {
        String sb = "java/lang/StringBuilder";
        String appendString = "(Ljava/lang/String;)Ljava/lang/StringBuilder;";
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, sb);
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, sb, "<init>", "()V", false);
        String literal = "[";
        if (simpleName != null) {
            literal = simpleName + literal;
        } else {
            mv.visitFieldInsn(Opcodes.GETSTATIC, owner, simpleNameField, "Ljava/lang/String;");
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sb, "append", appendString, false);
        }
        for (int i = 0; i < getters.size(); i++) {
            literal += names.get(i) + "=";
            mv.visitLdcInsn(literal);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sb, "append", appendString, false);
            Handle getter = getters.get(i);
            getField(mv, 0, getter);
            Type t = Type.getType(getter.getDesc());
            String parameter;
            switch (t.getSort()) {
                case Type.BYTE:
                case Type.SHORT: parameter = "I"; break;
                case Type.BOOLEAN:
                case Type.CHAR:
                case Type.INT:
                case Type.LONG:
                case Type.FLOAT:
                case Type.DOUBLE: parameter = t.getDescriptor(); break;
                default: parameter = "Ljava/lang/Object;";
            }
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/String", "valueOf", "(" + parameter + ")Ljava/lang/String;", false);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sb, "append", appendString, false);
            literal = i == getters.size() - 1 ? "" : ", ";
        }
        mv.visitLdcInsn(literal + "]");
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sb, "append", appendString, false);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sb, "toString", "()Ljava/lang/String;", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    void generateHashCode(MethodVisitor mv) {
        mv.visitCode();
        mv.visitInsn(Opcodes.ICONST_0);
        for (Handle getter : getters) {
            mv.visitIntInsn(Opcodes.BIPUSH, 31);
            mv.visitInsn(Opcodes.IMUL);
            getField(mv, 0, getter);
            Type t = Type.getType(getter.getDesc());
            if (TypeConversions.isPrimitive(t)) {
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, TypeConversions.wrapperName(t), "hashCode",
                        "(" + t.getDescriptor() + ")I", false);
            } else {
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Objects", "hashCode", "(Ljava/lang/Object;)I", false);
            }
            mv.visitInsn(Opcodes.IADD);
        }
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    void generateEquals(MethodVisitor mv) {
        Label unequal = new Label();
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        returnUnlessJump(mv, Opcodes.IF_ACMPNE, true);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitTypeInsn(Opcodes.INSTANCEOF, record.getInternalName());
        returnUnlessJump(mv, Opcodes.IFNE, false);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitTypeInsn(Opcodes.CHECKCAST, record.getInternalName());
        mv.visitVarInsn(Opcodes.ASTORE, 2);
        for (int i = getters.size() - 1; i >= 0; i--) {
            Handle getter = getters.get(i);
            getField(mv, 0, getter);
            getField(mv, 2, getter);
            switch (Type.getType(getter.getDesc()).getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.SHORT:
                case Type.CHAR:
                case Type.INT:
                    mv.visitJumpInsn(Opcodes.IF_ICMPNE, unequal);
                    break;
                case Type.LONG:
                    mv.visitInsn(Opcodes.LCMP);
                    mv.visitJumpInsn(Opcodes.IFNE, unequal);
                    break;
                case Type.FLOAT:
                    mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Float", "compare", "(FF)I", false);
                    mv.visitJumpInsn(Opcodes.IFNE, unequal);
                    break;
                case Type.DOUBLE:
                    mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "compare", "(DD)I", false);
                    mv.visitJumpInsn(Opcodes.IFNE, unequal);
                    break;
                default:
                    mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Objects", "equals",
                            "(Ljava/lang/Object;Ljava/lang/Object;)Z", false);
                    mv.visitJumpInsn(Opcodes.IFEQ, unequal);
            }
        }
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(unequal);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Returns {@code value} unless the jump instruction, testing what is on the stack, jumps past the return. */
    private static void returnUnlessJump(MethodVisitor mv, int jump, boolean value) {
        Label past = new Label();
        mv.visitJumpInsn(jump, past);
        mv.visitInsn(value ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(past);
    }
}
