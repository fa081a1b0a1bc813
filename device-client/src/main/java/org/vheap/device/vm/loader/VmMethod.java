package org.vheap.device.vm.loader;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodNode;

/**
 * A method as the VM sees it. Its bytecode is prepared for the interpreter on first call
 * ({@link #code}, owned by the interpreter); a native method gets its substitution bound on first call.
 */
public final class VmMethod {
    final VmClass owner;
    final String name;
    final String descriptor;
    final int access;
    final MethodNode node;
    final int argSlots;
    final char returnType;
    /** {@link #key()}, made once: class linking looks methods up by it many times. */
    private final String key;
    /** Index in the owner's vtable, or -1 for static, private and constructor methods. */
    int vtableIndex = -1;
    /** A unique number in the VM, for stack traces and the checkpointed VM state. */
    int id;
    /** The interpreter's prepared form of the bytecode (interp.MethodCode), made on first call. */
    public Object code;
    /** The bound native substitution (natives.NativeMethod), or null until first call. */
    public Object nativeImpl;

    VmMethod(VmClass owner, String name, String descriptor, int access, MethodNode node) {
        this.owner = owner;
        this.name = name;
        this.descriptor = descriptor;
        this.access = access;
        this.node = node;
        // ASM's argument size counts an implicit receiver (JVMS 4.3.3: long and double take two slots)
        int withReceiver = Type.getArgumentsAndReturnSizes(descriptor) >> 2;
        this.argSlots = (access & Opcodes.ACC_STATIC) != 0 ? withReceiver - 1 : withReceiver;
        this.key = name + descriptor;
        this.returnType = descriptor.charAt(descriptor.indexOf(')') + 1);
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

    public int access() {
        return access;
    }

    public MethodNode node() {
        return node;
    }

    /** Stack slots of the arguments, the receiver included (long and double take two). */
    public int argSlots() {
        return argSlots;
    }

    /** The first character of the return descriptor: V I J F D Z B C S L or [. */
    public char returnType() {
        return returnType;
    }

    public int vtableIndex() {
        return vtableIndex;
    }

    public int id() {
        return id;
    }

    public boolean isStatic() {
        return (access & Opcodes.ACC_STATIC) != 0;
    }

    public boolean isNative() {
        return (access & Opcodes.ACC_NATIVE) != 0;
    }

    public boolean isAbstract() {
        return (access & Opcodes.ACC_ABSTRACT) != 0;
    }

    public boolean isPrivate() {
        return (access & Opcodes.ACC_PRIVATE) != 0;
    }

    public boolean isSynchronized() {
        return (access & Opcodes.ACC_SYNCHRONIZED) != 0;
    }

    /** "name(descriptor)": the key of a method within its class. */
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return owner.name() + "." + name + descriptor;
    }
}
