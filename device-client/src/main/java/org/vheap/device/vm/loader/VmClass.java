package org.vheap.device.vm.loader;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.vheap.format.BlobHash;

/**
 * A class as the VM sees it: a host-side cache rebuilt from the class's bytes (which live in the system
 * segment) plus references into the heap: its mirror, the {@code java.lang.Class} object that also holds the
 * class's static fields. Array and primitive classes have no bytes.
 *
 * <p>Built and linked by {@link ClassRegistry}; the interpreter reads the package-private state directly
 * through the accessors and drives {@link #initState} (JVMS 5.5).
 */
public final class VmClass {
    /** JVMS 5.5 initialization states. */
    public enum InitState { LINKED, INITIALIZING, INITIALIZED, ERRONEOUS }

    final int id;
    final String name;
    final VmClass superclass;
    final VmClass[] interfaces;
    final int access;
    final ClassNode node;
    final BlobHash hash;
    final String module;
    final VmClass component;
    final char primitive;
    final Set<VmClass> supertypes;
    /**
     * The superclass chain from {@code java.lang.Object} down to this class (the "display" of Cohen's subtype test, as
     * HotSpot's primary supers): a class C is a subclass of a class T at depth d iff {@code display[d] == T}.
     */
    private final VmClass[] display;

    VmField[] declaredFields = new VmField[0];
    final Map<String, VmField> fieldByName = new HashMap<>();
    int instanceBytes;
    int[] referenceOffsets = new int[0];
    int staticBytes;
    int[] staticReferenceOffsets = new int[0];

    VmMethod[] declaredMethods = new VmMethod[0];
    final Map<String, VmMethod> methodByKey = new HashMap<>();
    VmMethod[] vtable = new VmMethod[0];
    Map<String, Integer> vtableIndex = new HashMap<>();

    boolean bootstrap;
    /** Synthesized by the VM (call sites): hidden from stack traces, like HotSpot's hidden classes. */
    boolean hidden;
    /** Bytes of this class's mirror (Class fields plus statics), set when the VM makes it. */
    public int mirrorBytes;
    /** The java.lang.Class object (with statics), a heap reference; 0 until the registry makes it. */
    int mirror;
    public InitState initState = InitState.LINKED;
    /** The green thread running {@code <clinit>} while INITIALIZING (thread.VmThread). */
    public Object initThread;
    /**
     * When ERRONEOUS: the ExceptionInInitializerError recording why (a heap reference, a root), which becomes
     * the cause of every later "Could not initialize class" error.
     */
    public int initError;
    /** The synthesized class of each invokedynamic site, owned by the interpreter. */
    public Object[] callSites;

    VmClass(int id, String name, VmClass superclass, VmClass[] interfaces, int access, ClassNode node, BlobHash hash,
            String module, VmClass component, char primitive, Set<VmClass> supertypes) {
        this.module = module;
        this.id = id;
        this.name = name;
        this.superclass = superclass;
        this.interfaces = interfaces;
        this.access = access;
        this.node = node;
        this.hash = hash;
        this.component = component;
        this.primitive = primitive;
        this.supertypes = supertypes;
        if (superclass == null) {
            this.display = new VmClass[] {this};
        } else {
            this.display = java.util.Arrays.copyOf(superclass.display, superclass.display.length + 1);
            this.display[superclass.display.length] = this;
        }
    }

    public int id() {
        return id;
    }

    /** Internal name: {@code java/lang/String}, {@code [I}, or for primitives {@code int}. */
    public String name() {
        return name;
    }

    /** The binary name as {@code Class.getName()} gives it. */
    public String javaName() {
        return name.replace('/', '.');
    }

    public VmClass superclass() {
        return superclass;
    }

    public VmClass[] interfaces() {
        return interfaces;
    }

    public int access() {
        return access;
    }

    public ClassNode node() {
        return node;
    }

    /** The class bytes' hash in the system segment; null for arrays and primitives. */
    public BlobHash hash() {
        return hash;
    }

    public boolean isInterface() {
        return (access & Opcodes.ACC_INTERFACE) != 0;
    }

    public boolean isArray() {
        return component != null;
    }

    public boolean isPrimitive() {
        return primitive != 0;
    }

    /** For a primitive class, its descriptor character; otherwise 0. */
    public char primitive() {
        return primitive;
    }

    /** For an array class, the component class. */
    public VmClass component() {
        return component;
    }

    /** For an array class, log2 of its element size. */
    public int elementShift() {
        return org.vheap.format.ObjectLayout.elementShift(name.charAt(1));
    }

    /** For an array class, the element's descriptor character. */
    public char elementType() {
        return name.charAt(1);
    }

    public VmField[] declaredFields() {
        return declaredFields;
    }

    /** A field declared by this class, or null. */
    public VmField declaredField(String fieldName) {
        return fieldByName.get(fieldName);
    }

    /** A field declared by this class or a superclass (not by interfaces), or null. */
    public VmField fieldInHierarchy(String fieldName) {
        for (VmClass k = this; k != null; k = k.superclass) {
            VmField f = k.fieldByName.get(fieldName);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /** Bytes of an instance, header included. */
    public int instanceBytes() {
        return instanceBytes;
    }

    /** Offsets of the reference-typed instance fields (inherited ones included). */
    public int[] referenceOffsets() {
        return referenceOffsets;
    }

    /** Offsets, within the mirror, of the reference-typed static fields of this class. */
    public int[] staticReferenceOffsets() {
        return staticReferenceOffsets;
    }

    public VmMethod[] declaredMethods() {
        return declaredMethods;
    }

    /** A method declared by this class with this name and descriptor, or null. */
    public VmMethod declaredMethod(String methodName, String methodDescriptor) {
        return methodByKey.get(methodName + methodDescriptor);
    }

    public VmMethod[] vtable() {
        return vtable;
    }

    /** The vtable slot for a name+descriptor key, or -1. */
    public int vtableSlot(String key) {
        Integer i = vtableIndex.get(key);
        return i == null ? -1 : i;
    }

    public int mirror() {
        return mirror;
    }

    /** Binds the mirror the VM made for this class; once. */
    public void bindMirror(int ref) {
        if (mirror != 0) {
            throw new IllegalStateException(name + " already has a mirror");
        }
        mirror = ref;
    }

    /** The module a bootstrap class came from ({@code java.base}), or null for app and VM classes. */
    public String module() {
        return module;
    }

    /** Whether the VM synthesized this class (its methods do not show in stack traces). */
    public boolean isHidden() {
        return hidden;
    }

    /** Whether the class came from the bootstrap sources (the JDK or the VM's own boot classes). */
    public boolean isBootstrap() {
        return bootstrap;
    }

    /** Whether a value of this class may be assigned to a variable of type {@code target} (JVMS checkcast). */
    public boolean isSubtypeOf(VmClass target) {
        if (target == this) {
            return true;
        }
        if (target.component == null && target.primitive == 0 && (target.access & Opcodes.ACC_INTERFACE) == 0) {
            // a class (not an interface, an array or a primitive): one look at the display
            int depth = target.display.length - 1;
            return depth < display.length && display[depth] == target;
        }
        if (component != null) {
            if (target.component != null) {
                if (component.primitive != 0 || target.component.primitive != 0) {
                    return false;
                }
                return component.isSubtypeOf(target.component);
            }
        }
        return supertypes.contains(target);
    }

    /** The SourceFile attribute, or null. */
    public String sourceFile() {
        return node == null ? null : node.sourceFile;
    }

    @Override
    public String toString() {
        return name;
    }
}
