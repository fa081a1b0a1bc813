package org.vheap.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A checkpoint's class table as a reader that runs no code sees it: for each class id of its VM state, the shape of
 * its instances (size, fields by name and offset, where the references are) and of its mirror's statics, laid out
 * from the class files by {@link FieldLayout}, the rule the device VM laid them out by. Arrays and primitives need no
 * class file; every other class needs its own (a system blob the checkpoint names), read with ASM for its field table
 * alone.
 */
public final class HeapClasses {
    /** A field: its declaring class's internal name, its name and JVM descriptor, and its offset in the object. */
    public record HeapField(String owner, String name, String descriptor, int offset) {
        public boolean isReference() {
            return FieldLayout.isReference(descriptor);
        }
    }

    /**
     * A class. {@code elementShift} is log2 of an array's element size (-1: not an array); {@code fields} are an
     * instance's fields, inherited ones first; {@code statics} lie in the class's mirror.
     */
    public record HeapClass(int id, String name, int elementShift, boolean referenceArray, int instanceBytes,
                            int[] referenceOffsets, List<HeapField> fields, List<HeapField> statics,
                            int[] staticReferenceOffsets, int mirror, int mirrorBytes) {
        public boolean isArray() {
            return elementShift >= 0;
        }

        /** The Java name ({@code java.util.HashMap}, {@code int[]}). */
        public String javaName() {
            return HeapClasses.javaName(name);
        }
    }

    /** The most classes a class table may have (ids 1 to this). */
    static final int MAX_CLASSES = 1 << 22;

    private final HeapClass[] byId;
    private final Map<String, HeapClass> byName = new HashMap<>();
    private final Map<Integer, HeapClass> byMirror = new HashMap<>();

    /**
     * The classes of {@code state}, their class files from {@code classFiles} (by SHA-256).
     *
     * @throws IllegalArgumentException when a class's id or name is impossible, its file is missing or is no class
     *                                  file, or its superclass is not in the table before it
     */
    public HeapClasses(VmStateImage state, Function<BlobHash, byte[]> classFiles) {
        for (VmStateImage.ClassImage c : state.classes) {
            if (c.id() <= 0 || c.id() > MAX_CLASSES || c.name().isEmpty() || c.name().equals("[")) {
                throw new IllegalArgumentException("the class table names class " + c.id() + " '" + c.name()
                        + "': no class has such an id or name");
            }
        }
        int max = state.classes.stream().mapToInt(VmStateImage.ClassImage::id).max().orElse(0);
        byId = new HeapClass[max + 1];
        HeapClass classClass = null;
        List<VmStateImage.ClassImage> ordered = new ArrayList<>(state.classes);
        ordered.sort((a, b) -> Integer.compare(a.id(), b.id()));
        List<Declared> pendingStatics = new ArrayList<>();
        for (VmStateImage.ClassImage c : ordered) {
            Declared d;
            HeapClass made;
            if (c.name().startsWith("[")) {
                char e = c.name().charAt(1);
                d = new Declared(null, List.of(), List.of());
                made = new HeapClass(c.id(), c.name(), ObjectLayout.elementShift(e), e == 'L' || e == '[',
                        ObjectLayout.ARRAY_BASE_OFFSET, new int[0], List.of(), List.of(), new int[0], c.mirror(), c.mirrorBytes());
            } else if (c.primitive() != 0 || c.sha256() == null) {
                d = new Declared(null, List.of(), List.of());
                made = new HeapClass(c.id(), c.name(), -1, false, ObjectLayout.HEADER_BYTES, new int[0], List.of(),
                        List.of(), new int[0], c.mirror(), c.mirrorBytes());
            } else {
                byte[] file = classFiles.apply(BlobHash.of(c.sha256()));
                if (file == null) {
                    throw new IllegalArgumentException("the class file of " + c.name() + " (" + BlobHash.of(c.sha256())
                            + ") is missing");
                }
                d = declared(c.name(), file);
                HeapClass superclass = null;
                if (d.superName != null) {
                    superclass = byName.get(d.superName);
                    if (superclass == null) {
                        throw new IllegalArgumentException("class " + c.name() + " extends " + d.superName
                                + ", which the class table lacks before it");
                    }
                }
                List<HeapField> fields = new ArrayList<>(superclass == null ? List.of() : superclass.fields());
                List<HeapField> own = place(c.name(), d.instance,
                        superclass == null ? ObjectLayout.HEADER_BYTES : superclass.instanceBytes());
                fields.addAll(own);
                int end = own.stream().mapToInt(f -> f.offset() + FieldLayout.width(f.descriptor())).max()
                        .orElse(superclass == null ? ObjectLayout.HEADER_BYTES : superclass.instanceBytes());
                made = new HeapClass(c.id(), c.name(), -1, false, (int) ObjectLayout.alignToGranule(end),
                        references(fields), List.copyOf(fields), List.of(), new int[0], c.mirror(), c.mirrorBytes());
                if (c.name().equals("java/lang/Class")) {
                    classClass = made;
                }
            }
            byId[c.id()] = made;
            byName.putIfAbsent(c.name(), made);
            pendingStatics.add(d);
        }
        // statics follow java.lang.Class's instance fields in each mirror
        int staticsStart = classClass == null ? ObjectLayout.HEADER_BYTES : classClass.instanceBytes();
        for (int i = 0; i < ordered.size(); i++) {
            HeapClass c = byId[ordered.get(i).id()];
            List<HeapField> statics = place(c.name(), pendingStatics.get(i).statics, staticsStart);
            HeapClass full = new HeapClass(c.id(), c.name(), c.elementShift(), c.referenceArray(), c.instanceBytes(),
                    c.referenceOffsets(), c.fields(), statics, references(statics), c.mirror(), c.mirrorBytes());
            byId[c.id()] = full;
            byName.computeIfPresent(c.name(), (name, first) -> first.id() == c.id() ? full : first);
            if (c.mirror() != 0) {
                byMirror.put(c.mirror(), full);
            }
        }
    }

    /** The class of this id, or null when the table has none. */
    public HeapClass byId(int id) {
        return id > 0 && id < byId.length ? byId[id] : null;
    }

    /** The class of this internal name, or null. */
    public HeapClass byName(String internalName) {
        return byName.get(internalName);
    }

    /** The class a mirror stands for, or null when {@code ref} is no class's mirror. */
    public HeapClass mirrorOf(int ref) {
        return byMirror.get(ref);
    }

    /** The classes, by id. */
    public List<HeapClass> all() {
        return Arrays.stream(byId).filter(c -> c != null).toList();
    }

    /** The largest class id. */
    public int maxId() {
        return byId.length - 1;
    }

    /** {@code java/util/HashMap} as {@code java.util.HashMap}, {@code [[I} as {@code int[][]}. */
    public static String javaName(String internalName) {
        int dims = 0;
        while (dims < internalName.length() && internalName.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return internalName.replace('/', '.');
        }
        String element = internalName.substring(dims);
        String base = switch (element.charAt(0)) {
            case 'Z' -> "boolean";
            case 'B' -> "byte";
            case 'C' -> "char";
            case 'S' -> "short";
            case 'I' -> "int";
            case 'J' -> "long";
            case 'F' -> "float";
            case 'D' -> "double";
            default -> element.substring(1, element.length() - 1).replace('/', '.');
        };
        return base + "[]".repeat(dims);
    }

    /** {@code java.util.HashMap} as {@code java/util/HashMap}, {@code int[][]} as {@code [[I}; an internal name as it is. */
    public static String internalName(String name) {
        int dims = 0;
        String base = name;
        while (base.endsWith("[]")) {
            dims++;
            base = base.substring(0, base.length() - 2);
        }
        if (dims == 0) {
            return base.replace('.', '/');
        }
        String element = switch (base) {
            case "boolean" -> "Z";
            case "byte" -> "B";
            case "char" -> "C";
            case "short" -> "S";
            case "int" -> "I";
            case "long" -> "J";
            case "float" -> "F";
            case "double" -> "D";
            default -> "L" + base.replace('.', '/') + ";";
        };
        return "[".repeat(dims) + element;
    }

    private record FieldDecl(String name, String descriptor) {
    }

    private record Declared(String superName, List<FieldDecl> instance, List<FieldDecl> statics) {
    }

    private static Declared declared(String name, byte[] file) {
        String[] superName = new String[1];
        List<FieldDecl> instance = new ArrayList<>();
        List<FieldDecl> statics = new ArrayList<>();
        try {
            new ClassReader(file).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visit(int version, int access, String n, String signature, String s, String[] interfaces) {
                    superName[0] = s;
                }

                @Override
                public FieldVisitor visitField(int access, String n, String descriptor, String signature, Object value) {
                    ObjectLayout.elementShift(descriptor.charAt(0)); // fails fast on a descriptor that is none
                    ((access & Opcodes.ACC_STATIC) != 0 ? statics : instance).add(new FieldDecl(n, descriptor));
                    return null;
                }
            }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the class file of " + name + " is damaged: " + e, e);
        }
        if (name.equals("java/lang/Class")) {
            instance.add(new FieldDecl(FieldLayout.CLASS_ID_FIELD, "I"));
        }
        return new Declared(superName[0], instance, statics);
    }

    private static List<HeapField> place(String owner, List<FieldDecl> declared, int start) {
        int[] widths = declared.stream().mapToInt(f -> FieldLayout.width(f.descriptor())).toArray();
        int[] offsets = new int[widths.length];
        FieldLayout.place(start, widths, offsets);
        List<HeapField> placed = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            placed.add(new HeapField(owner, declared.get(i).name(), declared.get(i).descriptor(), offsets[i]));
        }
        placed.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
        return List.copyOf(placed);
    }

    private static int[] references(List<HeapField> fields) {
        return fields.stream().filter(HeapField::isReference).mapToInt(HeapField::offset).toArray();
    }
}
