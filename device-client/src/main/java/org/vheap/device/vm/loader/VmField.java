package org.vheap.device.vm.loader;

import org.objectweb.asm.Opcodes;

/**
 * A field as the VM sees it: its owner, its type's descriptor character and where it lives. An instance
 * field's {@link #offset} is from the object's start; a static field's is from the start of its class's
 * mirror (statics live in the {@code java.lang.Class} object, in the heap).
 */
public final class VmField {
    final VmClass owner;
    final String name;
    final String descriptor;
    final int access;
    final Object constantValue;
    int offset = -1;

    VmField(VmClass owner, String name, String descriptor, int access, Object constantValue) {
        this.owner = owner;
        this.name = name;
        this.descriptor = descriptor;
        this.access = access;
        this.constantValue = constantValue;
    }

    public VmClass owner() {
        return owner;
    }

    public String name() {
        return name;
    }

    public String descriptor() {
        return descriptor;
    }

    /** The first character of the descriptor: I J F D Z B C S L or [. */
    public char type() {
        return descriptor.charAt(0);
    }

    public boolean isReference() {
        char t = type();
        return t == 'L' || t == '[';
    }

    public boolean isStatic() {
        return (access & Opcodes.ACC_STATIC) != 0;
    }

    public int access() {
        return access;
    }

    public int offset() {
        return offset;
    }

    /** The ConstantValue attribute of a static final field, or null. */
    public Object constantValue() {
        return constantValue;
    }

    /** Bytes this field takes: 8 for long and double, 4 for int, float and references, and so on. */
    public int size() {
        return switch (type()) {
            case 'J', 'D' -> 8;
            case 'I', 'F', 'L', '[' -> 4;
            case 'S', 'C' -> 2;
            default -> 1;
        };
    }

    @Override
    public String toString() {
        return owner.name() + "." + name + ":" + descriptor;
    }
}
