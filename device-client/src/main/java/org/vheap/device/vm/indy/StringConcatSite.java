package org.vheap.device.vm.indy;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The body of a {@code StringConcatFactory.makeConcat} / {@code makeConcatWithConstants} site: a
 * {@code StringBuilder} that appends the literal parts (constants folded in at synthesis time) and each argument
 * in order, each converted to a string exactly as {@code StringConcatFactory} does in JDK 17:
 * {@code boolean}, {@code char}, {@code int} (and {@code byte}, {@code short}), {@code long}, {@code float} and
 * {@code double} by their {@code String.valueOf}; a {@code String} as itself ({@code "null"} for null); every
 * other reference, arrays included ({@code char[]} too), by {@code String.valueOf(Object)}, i.e. its
 * {@code toString()}, or {@code "null"} when it is null or its {@code toString()} returns null.
 */
final class StringConcatSite {
    static final char TAG_ARG = '\u0001';
    static final char TAG_CONST = '\u0002';
    private static final String SB = "java/lang/StringBuilder";
    /** Keeps each {@code ldc} string well under the 65535-byte limit of a CONSTANT_Utf8. */
    private static final int MAX_LITERAL_CHARS = 16_000;

    private StringConcatSite() {
    }

    /** The recipe of {@code makeConcat}: every argument, nothing else. */
    static String recipeOfArguments(int count) {
        return String.valueOf(TAG_ARG).repeat(count);
    }

    /**
     * Writes the static method's code. {@code constants} are the bootstrap arguments after the recipe;
     * {@code describe} names the bootstrap for error messages.
     */
    static void generate(MethodVisitor mv, String recipe, Object[] constants, Type[] argumentTypes, String describe) {
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, SB);
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, SB, "<init>", "()V", false);
        StringBuilder literal = new StringBuilder();
        int argument = 0;
        int slot = 0;
        int constant = 0;
        for (int i = 0; i < recipe.length(); i++) {
            char c = recipe.charAt(i);
            if (c == TAG_ARG) {
                if (argument == argumentTypes.length) {
                    throw new UnsupportedCallSiteException(describe + ": the recipe has more \\1 tags than the site has arguments");
                }
                appendLiteral(mv, literal);
                Type t = argumentTypes[argument++];
                mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
                appendValue(mv, t);
            } else if (c == TAG_CONST) {
                if (constant == constants.length) {
                    throw new UnsupportedCallSiteException(describe + ": the recipe has more \\2 tags than there are constants");
                }
                literal.append(constantString(constants[constant++], describe));
            } else {
                literal.append(c);
            }
        }
        if (argument != argumentTypes.length) {
            throw new UnsupportedCallSiteException(describe + ": the recipe has " + argument + " \\1 tags, the site "
                    + argumentTypes.length + " arguments");
        }
        if (constant != constants.length) {
            throw new UnsupportedCallSiteException(describe + ": the recipe uses " + constant + " of "
                    + constants.length + " constants");
        }
        appendLiteral(mv, literal);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SB, "toString", "()Ljava/lang/String;", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** A constant as {@code StringConcatFactory} turns it into text ({@code String.valueOf}), at synthesis time. */
    private static String constantString(Object constant, String describe) {
        if (constant instanceof String || constant instanceof Integer || constant instanceof Long
                || constant instanceof Float || constant instanceof Double) {
            return String.valueOf(constant);
        }
        throw new UnsupportedCallSiteException(describe + ": constant of unsupported kind "
                + (constant == null ? "null" : constant.getClass().getSimpleName()) + ": " + constant);
    }

    private static void appendLiteral(MethodVisitor mv, StringBuilder literal) {
        for (int from = 0; from < literal.length(); from += MAX_LITERAL_CHARS) {
            mv.visitLdcInsn(literal.substring(from, Math.min(literal.length(), from + MAX_LITERAL_CHARS)));
            appendString(mv);
        }
        literal.setLength(0);
    }

    private static void appendString(MethodVisitor mv) {
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SB, "append", "(Ljava/lang/String;)L" + SB + ";", false);
    }

    /** Appends the value on the stack (above the builder) of type {@code t}, as {@code StringConcatFactory} would. */
    private static void appendValue(MethodVisitor mv, Type t) {
        String parameter;
        switch (t.getSort()) {
            case Type.BOOLEAN: parameter = "Z"; break;
            case Type.CHAR: parameter = "C"; break;
            case Type.BYTE:
            case Type.SHORT:
            case Type.INT: parameter = "I"; break;
            case Type.LONG: parameter = "J"; break;
            case Type.FLOAT: parameter = "F"; break;
            case Type.DOUBLE: parameter = "D"; break;
            default:
                // Only exactly String appends as a String: append(CharSequence), append(char[]) and
                // append(StringBuffer) would differ from the concatenation's toString().
                parameter = t.getDescriptor().equals("Ljava/lang/String;") ? "Ljava/lang/String;" : "Ljava/lang/Object;";
        }
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SB, "append", "(" + parameter + ")L" + SB + ";", false);
    }
}
