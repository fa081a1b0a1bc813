package org.vheap.device.vm.loader;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicVerifier;
import org.vheap.device.vm.JavaError;
import org.vheap.format.FieldLayout;
import org.vheap.format.ObjectLayout;
import org.vheap.format.BlobHash;

/**
 * The VM's class table: loads classes by name from a {@link ClassSource} (or from bytes the VM synthesized),
 * parses them with ASM, lays out fields, builds vtables, and resolves symbolic references (JVMS 5.4.3).
 * Every class gets a small id (its index here), which is what object headers hold.
 *
 * <p>A class file's magic, version and structure are checked first ({@link ClassFileBounds}, HotSpot's messages), so
 * a file that is no class file never enters the heap. Its bytes enter the heap's system segment before they are
 * parsed ({@link SystemSegment}: a
 * line-aligned place per distinct file, read-only lines), and the parse reads them back through the heap,
 * unless {@link ParsedClasses} (the VM's code cache) already holds the tree for that hash. Loading a class
 * reports it to {@code onDefined} (the VM makes its mirror there). Failures surface as {@link JavaError}: NoClassDefFoundError, ClassFormatError,
 * UnsupportedClassVersionError, VerifyError, IncompatibleClassChangeError, ClassCircularityError; those HotSpot
 * throws from the app class loader's {@code defineClass1} are marked so ({@link JavaError.AppLoaderStep}).
 *
 * <p>App classes are verified with ASM's {@link BasicVerifier} at load (types by category, stack depths,
 * local indices); bootstrap classes are trusted, as HotSpot trusts them.
 */
public final class ClassRegistry {
    /** Internal name of the field injected into java.lang.Class holding the class id. */
    public static final String CLASS_ID_FIELD = FieldLayout.CLASS_ID_FIELD;

    /** Listener for every class defined (arrays and primitives included), called after linking. */
    public interface DefinitionListener {
        void defined(VmClass c);
    }

    private final ClassSource source;
    private final ParsedClasses parsed;
    private final SystemSegment system;
    private final DefinitionListener listener;
    private final List<VmClass> byId = new ArrayList<>();
    private final Map<String, VmClass> byName = new HashMap<>();
    private final List<VmMethod> methods = new ArrayList<>();
    private final Set<String> loading = new LinkedHashSet<>();
    private final Map<Character, VmClass> primitives = new HashMap<>();
    private final Map<String, byte[]> synthesized = new HashMap<>();

    /** The code cache this registry shares with the other VMs of the process. */
    public ParsedClasses parsed() {
        return parsed;
    }

    public ClassRegistry(ClassSource source, ParsedClasses parsed, SystemSegment system, DefinitionListener listener) {
        this.source = source;
        this.parsed = parsed;
        this.system = system;
        this.listener = listener;
        byId.add(null); // class id 0 is never a class (ObjectLayout)
        methods.add(null);
    }

    /** The class with this id. */
    public VmClass byId(int id) {
        return byId.get(id);
    }

    /** The method with this id. */
    public VmMethod methodById(int id) {
        return methods.get(id);
    }

    /** Classes loaded so far, in load order. */
    public List<VmClass> classes() {
        return byId.subList(1, byId.size());
    }

    /** A loaded class, or null. */
    public VmClass findLoaded(String internalName) {
        return byName.get(internalName);
    }

    /** The class for a primitive descriptor character (I, J, ..., V). */
    public VmClass primitive(char descriptor) {
        VmClass c = primitives.get(descriptor);
        if (c == null) {
            String name = switch (descriptor) {
                case 'I' -> "int";
                case 'J' -> "long";
                case 'F' -> "float";
                case 'D' -> "double";
                case 'Z' -> "boolean";
                case 'B' -> "byte";
                case 'C' -> "char";
                case 'S' -> "short";
                case 'V' -> "void";
                default -> throw new IllegalArgumentException("not a primitive descriptor: " + descriptor);
            };
            c = new VmClass(byId.size(), name, null, new VmClass[0],
                    Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_ABSTRACT, null, null, "java.base", null,
                    descriptor, Set.of());
            c.bootstrap = true;
            publish(c);
            primitives.put(descriptor, c);
        }
        return c;
    }

    /** The class for a field descriptor ({@code I}, {@code Ljava/lang/String;}, {@code [[J}). */
    public VmClass forDescriptor(String descriptor) {
        char c = descriptor.charAt(0);
        if (c == 'L') {
            return load(descriptor.substring(1, descriptor.length() - 1));
        }
        if (c == '[') {
            return load(descriptor);
        }
        return primitive(c);
    }

    /** Registers bytes the VM made (call-site classes); they load like any other class by name. */
    public void addSynthesized(String internalName, byte[] bytes) {
        synthesized.put(internalName, bytes);
    }

    /**
     * Loads and links a class, or an array class, by internal name.
     *
     * @throws JavaError when the class cannot be found, parsed, verified or linked
     */
    public VmClass load(String internalName) {
        VmClass c = byName.get(internalName);
        if (c != null) {
            return c;
        }
        if (internalName.charAt(0) == '[') {
            return defineArray(internalName);
        }
        if (!loading.add(internalName)) {
            throw new JavaError("java/lang/ClassCircularityError", internalName.replace('/', '.'));
        }
        try {
            byte[] bytes = synthesized.get(internalName);
            ClassSource.Found found = bytes != null ? new ClassSource.Found(bytes, null, true) : source.find(internalName);
            if (found == null) {
                throw JavaError.noClassDefFound(internalName);
            }
            VmClass defined = define(internalName, found);
            defined.hidden = bytes != null;
            synthesized.remove(internalName);
            return defined;
        } finally {
            loading.remove(internalName);
        }
    }

    private VmClass defineArray(String name) {
        VmClass component = forDescriptor(name.substring(1));
        VmClass object = load("java/lang/Object");
        VmClass cloneable = load("java/lang/Cloneable");
        VmClass serializable = load("java/io/Serializable");
        Set<VmClass> supers = Set.of(object, cloneable, serializable);
        int access = (component.access & Opcodes.ACC_PUBLIC) | Opcodes.ACC_FINAL | Opcodes.ACC_ABSTRACT;
        VmClass c = new VmClass(byId.size(), name, object, new VmClass[] {cloneable, serializable}, access, null, null,
                component.module, component, (char) 0, supers);
        c.bootstrap = component.bootstrap;
        c.vtable = object.vtable;
        c.vtableIndex = object.vtableIndex;
        c.instanceBytes = ObjectLayout.ARRAY_BASE_OFFSET;
        publish(c);
        return c;
    }

    private VmClass define(String name, ClassSource.Found found) {
        BlobHash hash = found.hash();
        ClassNode node;
        try {
            // a file that is no class file never enters the heap
            ClassFileBounds.check(name, found.bytes());
            // the class file becomes system lines of the heap; the parse reads it from there (JVMS 5.3: the
            // bootstrap loader derives the class from its bytes), unless the code cache has the tree already
            SystemSegmentMap.Placement place = system.define(hash, found.bytes());
            node = parsed.get(hash, () -> parse(name, system.read(place)));
        } catch (JavaError e) {
            throw definitionError(found, e);
        }
        if (!name.equals(node.name)) {
            throw definitionError(found, new JavaError("java/lang/NoClassDefFoundError", name + " (wrong name: " + node.name + ")"));
        }
        VmClass superclass = null;
        if (node.superName != null) {
            superclass = load(node.superName);
            if (superclass.isInterface()) {
                throw definitionError(found, new JavaError("java/lang/IncompatibleClassChangeError",
                        "class " + name.replace('/', '.') + " has interface " + superclass.javaName() + " as super class"));
            }
            if ((superclass.access & Opcodes.ACC_FINAL) != 0) {
                throw definitionError(found, new JavaError("java/lang/VerifyError",
                        "Cannot inherit from final class " + superclass.javaName()));
            }
        } else if (!name.equals("java/lang/Object")) {
            throw definitionError(found, JavaError.classFormat("Invalid superclass index 0 in class file " + name));
        }
        VmClass[] interfaces = new VmClass[node.interfaces.size()];
        for (int i = 0; i < interfaces.length; i++) {
            interfaces[i] = load(node.interfaces.get(i));
            if (!interfaces[i].isInterface()) {
                throw definitionError(found, new JavaError("java/lang/IncompatibleClassChangeError", "class "
                        + name.replace('/', '.') + " can not implement " + interfaces[i].javaName() + ", because it is not an interface"));
            }
        }
        Set<VmClass> supers = new LinkedHashSet<>();
        if (superclass != null) {
            supers.add(superclass);
            supers.addAll(superclass.supertypes);
        }
        for (VmClass i : interfaces) {
            supers.add(i);
            supers.addAll(i.supertypes);
        }
        if ((node.access & Opcodes.ACC_INTERFACE) != 0) {
            supers.add(load("java/lang/Object"));
        }
        VmClass c = new VmClass(byId.size(), name, superclass, interfaces, node.access, node, hash,
                found.module(), null, (char) 0, Set.copyOf(supers));
        c.bootstrap = found.bootstrap();
        if (!found.bootstrap()) {
            try {
                Descriptors.check(name, node);
            } catch (JavaError e) {
                throw definitionError(found, e);
            }
            verify(c);
        }
        layoutFields(c);
        linkMethods(c);
        publish(c);
        return c;
    }

    /**
     * Parses class files into the code cache ahead of their loading, in parallel (a resume knows every class file
     * its class table replays). A file that does not parse is left for its load to report.
     */
    public static void preparse(ParsedClasses parsed, Map<BlobHash, byte[]> classFiles) {
        classFiles.entrySet().parallelStream().forEach(file -> {
            try {
                parsed.get(file.getKey(), () -> parse("(preparsed)", file.getValue()));
            } catch (RuntimeException bad) {
                // the load parses it again and reports the error in the app
            }
        });
    }

    /**
     * An error in the class file itself or in what it declares: thrown, on HotSpot, by the defining loader's
     * {@code defineClass1} — for an app class, below the app class loader's methods in the stack trace.
     */
    private static JavaError definitionError(ClassSource.Found found, JavaError e) {
        return found.bootstrap() ? e : e.thrownIn(JavaError.AppLoaderStep.DEFINE_CLASS);
    }

    /** ASM's tree of a class file that {@link ClassFileBounds} accepted. */
    private static ClassNode parse(String name, byte[] bytes) {
        ClassNode node = new ClassNode();
        try {
            new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
        } catch (RuntimeException | AssertionError e) {
            // ASM reads straight from the array: an inconsistent file (a bad constant pool index, a bad attribute)
            // fails with an index error; HotSpot names each such check, this names ASM's failure
            throw JavaError.classFormat("Malformed class file " + name + ": " + e);
        }
        return node;
    }

    private static void verify(VmClass c) {
        for (MethodNode m : c.node.methods) {
            boolean hasCode = (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
            if (hasCode && m.instructions.size() == 0) {
                throw JavaError.classFormat("Absent Code attribute in method that is not native or abstract in class file "
                        + c.name);
            }
            if (!hasCode) {
                continue;
            }
            try {
                new Analyzer<>(new BasicVerifier()).analyze(c.name, m);
            } catch (AnalyzerException | RuntimeException | AssertionError e) {
                // ASM's analyzer meets some malformed code with an AssertionError (found by the class-files fuzz target)
                throw JavaError.verify("(class: " + c.name + ", method: " + m.name + " signature: " + m.desc + ") "
                        + e.getMessage());
            }
        }
    }

    private void layoutFields(VmClass c) {
        List<VmField> declared = new ArrayList<>();
        for (FieldNode f : c.node.fields) {
            VmField vf = new VmField(c, f.name, f.desc, f.access, f.value);
            declared.add(vf);
            c.fieldByName.put(f.name, vf);
        }
        if (c.name.equals("java/lang/Class")) {
            VmField id = new VmField(c, CLASS_ID_FIELD, "I", Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC, null);
            declared.add(id);
            c.fieldByName.put(CLASS_ID_FIELD, id);
        }
        c.declaredFields = declared.toArray(new VmField[0]);
        int start = c.superclass == null ? ObjectLayout.HEADER_BYTES : c.superclass.instanceBytes;
        int[] refs = placeFields(c, false, start);
        int[] inherited = c.superclass == null ? new int[0] : c.superclass.referenceOffsets;
        c.referenceOffsets = java.util.stream.IntStream.concat(java.util.Arrays.stream(inherited), java.util.Arrays.stream(refs))
                .toArray();
    }

    /**
     * Places {@code c}'s declared static or instance fields from {@code start} by the heap format's rule
     * ({@link FieldLayout#place}), sets their offsets and the class's instance size (for instance fields) or static
     * bytes, and returns the offsets of the reference fields placed, in placement order.
     */
    private static int[] placeFields(VmClass c, boolean statics, int start) {
        List<VmField> fields = new ArrayList<>();
        for (VmField f : c.declaredFields) {
            if (f.isStatic() == statics) {
                fields.add(f);
            }
        }
        int[] widths = fields.stream().mapToInt(VmField::size).toArray();
        int[] offsets = new int[widths.length];
        int end = FieldLayout.place(start, widths, offsets);
        for (int i = 0; i < offsets.length; i++) {
            fields.get(i).offset = offsets[i];
        }
        if (statics) {
            c.staticBytes = end - start;
        } else {
            c.instanceBytes = (int) ObjectLayout.alignToGranule(end);
        }
        return java.util.stream.IntStream.range(0, offsets.length).filter(i -> fields.get(i).isReference())
                .map(i -> offsets[i]).toArray();
    }

    /**
     * Lays out a class's static fields within its mirror, after the {@code java.lang.Class} instance fields,
     * and returns the mirror's size. Called by the VM when it makes the mirror.
     */
    public int layoutStatics(VmClass c, int classInstanceBytes) {
        c.staticReferenceOffsets = placeFields(c, true, classInstanceBytes);
        return (int) ObjectLayout.alignToGranule(classInstanceBytes + c.staticBytes);
    }

    private void linkMethods(VmClass c) {
        List<VmMethod> declared = new ArrayList<>();
        for (MethodNode m : c.node.methods) {
            VmMethod vm = new VmMethod(c, m.name, m.desc, m.access, m);
            vm.id = methods.size();
            methods.add(vm);
            declared.add(vm);
            c.methodByKey.put(vm.key(), vm);
        }
        c.declaredMethods = declared.toArray(new VmMethod[0]);
        if (c.isInterface()) {
            return; // interfaces dispatch through the implementing class's vtable
        }
        List<VmMethod> vtable = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        if (c.superclass != null) {
            vtable.addAll(List.of(c.superclass.vtable));
            index.putAll(c.superclass.vtableIndex);
        }
        for (VmMethod m : c.declaredMethods) {
            if (m.isStatic() || m.isPrivate() || m.name.equals("<init>") || m.name.equals("<clinit>")) {
                continue;
            }
            Integer slot = index.get(m.key());
            if (slot != null && overrides(m, vtable.get(slot))) {
                vtable.set(slot, m);
                m.vtableIndex = slot;
            } else {
                m.vtableIndex = vtable.size();
                if (slot == null) {
                    index.put(m.key(), vtable.size());
                }
                vtable.add(m);
            }
        }
        // interface methods the class does not implement: the default (JVMS 5.4.6) or the abstract one
        for (VmClass i : c.supertypes) {
            if (!i.isInterface()) {
                continue;
            }
            for (VmMethod im : i.declaredMethods) {
                if (im.isStatic() || im.isPrivate() || im.name.equals("<clinit>")) {
                    continue;
                }
                Integer slot = index.get(im.key());
                VmMethod current = slot == null ? null : vtable.get(slot);
                if (current != null && !(current.isAbstract() || current.owner.isInterface())) {
                    continue;
                }
                VmMethod chosen = maximallySpecific(c, im.key());
                if (chosen == null) {
                    chosen = im;
                }
                if (slot == null) {
                    index.put(im.key(), vtable.size());
                    vtable.add(chosen);
                } else if (current.isAbstract() || current.owner.isInterface()) {
                    vtable.set(slot, chosen);
                }
            }
        }
        c.vtable = vtable.toArray(new VmMethod[0]);
        c.vtableIndex = index;
    }

    /** JVMS 5.4.5: a package-private method is overridden only from the same runtime package. */
    private static boolean overrides(VmMethod m, VmMethod superMethod) {
        if ((superMethod.access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0) {
            return true;
        }
        return packageOf(m.owner.name).equals(packageOf(superMethod.owner.name));
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }

    /** The maximally specific non-abstract superinterface method with this key, or null (JVMS 5.4.3.3). */
    private static VmMethod maximallySpecific(VmClass c, String key) {
        List<VmMethod> candidates = new ArrayList<>();
        for (VmClass i : c.supertypes) {
            if (!i.isInterface()) {
                continue;
            }
            VmMethod m = i.methodByKey.get(key);
            if (m != null && !m.isStatic() && !m.isPrivate()) {
                candidates.add(m);
            }
        }
        candidates.removeIf(m -> candidates.stream().anyMatch(o -> o != m && o.owner.supertypes.contains(m.owner)));
        VmMethod chosen = null;
        for (VmMethod m : candidates) {
            if (!m.isAbstract()) {
                if (chosen != null) {
                    return null; // several defaults: IncompatibleClassChangeError at the call (left to the caller)
                }
                chosen = m;
            }
        }
        return chosen;
    }

    /**
     * Enters a linked class in the table and tells the listener (which makes its mirror). If the listener
     * fails (the heap is full), the class is taken out again, so a retry loads it afresh.
     */
    private void publish(VmClass c) {
        byId.add(c);
        byName.put(c.name, c);
        try {
            listener.defined(c);
        } catch (RuntimeException e) {
            byId.remove(byId.size() - 1);
            byName.remove(c.name);
            throw e;
        }
    }

    /**
     * Method resolution (JVMS 5.4.3.3): the class and its superclasses, then the maximally specific
     * superinterface method.
     */
    public VmMethod resolveMethod(VmClass c, String name, String descriptor) {
        if (c.isInterface()) {
            throw new JavaError("java/lang/IncompatibleClassChangeError", "Found interface " + c.javaName() + ", but class was expected");
        }
        String key = name + descriptor;
        for (VmClass k = c; k != null; k = k.superclass) {
            VmMethod m = k.methodByKey.get(key);
            if (m != null) {
                return m;
            }
        }
        VmMethod m = interfaceMethod(c, key);
        if (m == null) {
            throw noSuchMethod(c, name, descriptor);
        }
        return m;
    }

    /** Interface method resolution (JVMS 5.4.3.4). */
    public VmMethod resolveInterfaceMethod(VmClass c, String name, String descriptor) {
        if (!c.isInterface()) {
            throw new JavaError("java/lang/IncompatibleClassChangeError", "Found class " + c.javaName() + ", but interface was expected");
        }
        String key = name + descriptor;
        VmMethod m = c.methodByKey.get(key);
        if (m != null) {
            return m;
        }
        VmMethod om = load("java/lang/Object").methodByKey.get(key);
        if (om != null && (om.access & Opcodes.ACC_PUBLIC) != 0 && !om.isStatic()) {
            return om;
        }
        m = interfaceMethod(c, key);
        if (m == null) {
            throw noSuchMethod(c, name, descriptor);
        }
        return m;
    }

    private static VmMethod interfaceMethod(VmClass c, String key) {
        VmMethod chosen = maximallySpecific(c, key);
        if (chosen != null) {
            return chosen;
        }
        for (VmClass i : c.supertypes) {
            if (i.isInterface()) {
                VmMethod m = i.methodByKey.get(key);
                if (m != null && !m.isStatic() && !m.isPrivate()) {
                    return m;
                }
            }
        }
        return null;
    }

    private static JavaError noSuchMethod(VmClass c, String name, String descriptor) {
        return new JavaError("java/lang/NoSuchMethodError", "'" + MethodNames.readable(name, descriptor, c.javaName()) + "'");
    }

    /** Field resolution (JVMS 5.4.3.2): the class, its superinterfaces, then its superclass, recursively. */
    public VmField resolveField(VmClass c, String name, String descriptor) {
        VmField f = findField(c, name, descriptor);
        if (f == null) {
            throw new JavaError("java/lang/NoSuchFieldError", name);
        }
        return f;
    }

    private static VmField findField(VmClass c, String name, String descriptor) {
        ArrayDeque<VmClass> todo = new ArrayDeque<>();
        for (VmClass k = c; k != null; k = k.superclass) {
            VmField f = k.fieldByName.get(name);
            if (f != null && f.descriptor.equals(descriptor)) {
                return f;
            }
            todo.clear();
            todo.addAll(List.of(k.interfaces));
            while (!todo.isEmpty()) {
                VmClass i = todo.poll();
                VmField fi = i.fieldByName.get(name);
                if (fi != null && fi.descriptor.equals(descriptor)) {
                    return fi;
                }
                todo.addAll(List.of(i.interfaces));
            }
        }
        return null;
    }

    /** Every method made so far, by id (index 0 is empty). */
    public int methodCount() {
        return methods.size();
    }

    /** Finds the vtable method of {@code receiver} for an interface or virtual call by key, or null. */
    public static VmMethod select(VmClass receiver, String key) {
        Integer slot = receiver.vtableIndex.get(key);
        return slot == null ? null : receiver.vtable[slot];
    }
}
