package org.vheap.device.vm.loader;

import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;
import org.vheap.device.vm.JavaError;

/**
 * The names and descriptors of a class file's fields and methods checked against their grammar (JVMS 4.2.2, 4.3.2,
 * 4.3.3) before the class table lays out fields and links methods by them. A name is an unqualified name: not empty,
 * none of {@code . ; [ /}, and for a method no {@code <} or {@code >} unless it is {@code <init>} or {@code <clinit>}.
 * The interfaces a class names must be names too. a field descriptor is one of {@code B C D F I J S Z}, an
 * {@code L}, a class name and a {@code ;}, or up to 255 {@code [} and a field descriptor; a method descriptor is
 * {@code (}, field descriptors, {@code )} and a field descriptor or {@code V}. A descriptor that breaks it is the
 * ClassFormatError HotSpot's {@code ClassFileParser} reports, with its message.
 */
final class Descriptors {
    private static final int MAX_DIMENSIONS = 255;

    private Descriptors() {
    }

    /** Checks every field's and method's descriptor of {@code node}, the class {@code name}. */
    static void check(String name, ClassNode node) {
        for (String i : node.interfaces) {
            if (i == null) {
                throw JavaError.classFormat("Invalid interface index in class file " + name);
            }
        }
        for (FieldNode f : node.fields) {
            if (!isUnqualified(f.name, false)) {
                throw JavaError.classFormat("Illegal field name \"" + f.name + "\" in class " + name);
            }
            if (f.desc == null || fieldType(f.desc, 0) != f.desc.length()) {
                throw JavaError.classFormat("Field \"" + f.name + "\" in class " + name + " has illegal signature \""
                        + f.desc + "\"");
            }
        }
        for (MethodNode m : node.methods) {
            if (!isUnqualified(m.name, true)) {
                throw JavaError.classFormat("Illegal method name \"" + m.name + "\" in class " + name);
            }
            if (m.desc == null || !isMethod(m.desc)) {
                throw JavaError.classFormat("Method \"" + m.name + "\" in class " + name + " has illegal signature \""
                        + m.desc + "\"");
            }
        }
    }

    static boolean isUnqualified(String n, boolean method) {
        if (n == null || n.isEmpty()) {
            return false;
        }
        if (method && (n.equals("<init>") || n.equals("<clinit>"))) {
            return true;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c == '.' || c == ';' || c == '[' || c == '/' || method && (c == '<' || c == '>')) {
                return false;
            }
        }
        return true;
    }

    static boolean isMethod(String d) {
        if (d.isEmpty() || d.charAt(0) != '(') {
            return false;
        }
        int at = 1;
        while (at < d.length() && d.charAt(at) != ')') {
            at = fieldType(d, at);
            if (at < 0) {
                return false;
            }
        }
        if (at >= d.length()) {
            return false;
        }
        at++;   // ')'
        return at < d.length() && (d.charAt(at) == 'V' && at + 1 == d.length() || fieldType(d, at) == d.length());
    }

    /** The index just after the field descriptor that starts at {@code at}, or -1 if none starts there. */
    static int fieldType(String d, int at) {
        int dims = 0;
        while (at < d.length() && d.charAt(at) == '[') {
            at++;
            if (++dims > MAX_DIMENSIONS) {
                return -1;
            }
        }
        if (at >= d.length()) {
            return -1;
        }
        switch (d.charAt(at)) {
            case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z' -> {
                return at + 1;
            }
            case 'L' -> {
                int end = d.indexOf(';', at);
                if (end <= at + 1 || !ClassSource.isLegalName(d.substring(at + 1, end))) {
                    return -1;
                }
                return end + 1;
            }
            default -> {
                return -1;
            }
        }
    }
}
