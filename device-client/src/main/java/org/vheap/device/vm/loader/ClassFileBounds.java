package org.vheap.device.vm.loader;

import org.vheap.device.vm.JavaError;

/**
 * The first checks of a class file, before anything of it is kept: its {@code magic}, its version, and that its
 * structure (JVMS 4.1 {@code ClassFile}: the constant pool by tag, then {@code fields}, {@code methods} and
 * {@code attributes} by their counts and {@code attribute_length}s) ends exactly where its bytes do. Each failure is
 * the error HotSpot's {@code ClassFileParser} reports for it, with its message:
 * <ul>
 *   <li>fewer bytes than the structure needs: ClassFormatError "Truncated class file"</li>
 *   <li>{@code magic} not {@code 0xCAFEBABE}: ClassFormatError "Incompatible magic value N in class file C"</li>
 *   <li>{@code major_version} newer than {@link #MAX_MAJOR_VERSION}: UnsupportedClassVersionError</li>
 *   <li>a constant pool {@code tag} the JVMS does not define: ClassFormatError "Unknown constant tag N in class file C"</li>
 *   <li>bytes after the last attribute: ClassFormatError "Extra bytes at the end of class file C"</li>
 * </ul>
 * What the structure says (indexes, descriptors, code) is ASM's to read.
 */
final class ClassFileBounds {
    /** Newest class file major version this VM reads (Java 25). */
    static final int MAX_MAJOR_VERSION = 69;
    private static final long MAGIC = 0xCAFEBABEL;

    private final String name;
    private final byte[] bytes;
    private int at;

    private ClassFileBounds(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
    }

    /**
     * Checks the class file {@code bytes} of the class with internal name {@code name}.
     *
     * @throws JavaError ClassFormatError or UnsupportedClassVersionError, as HotSpot reports them
     */
    static void check(String name, byte[] bytes) {
        new ClassFileBounds(name, bytes).check();
    }

    private void check() {
        long magic = u4();
        if (magic != MAGIC) {
            throw JavaError.classFormat("Incompatible magic value " + magic + " in class file " + name);
        }
        u2(); // minor_version
        int major = u2();
        if (major > MAX_MAJOR_VERSION) {
            throw new JavaError("java/lang/UnsupportedClassVersionError", name.replace('/', '.')
                    + " has been compiled by a more recent version of the Java Runtime (class file version " + major
                    + ".0), this VM only recognizes class file versions up to " + MAX_MAJOR_VERSION + ".0");
        }
        constantPool();
        skip(6); // access_flags, this_class, super_class
        skip(2 * u2()); // interfaces_count, interfaces
        members(); // fields
        members(); // methods
        attributes();
        if (at != bytes.length) {
            throw JavaError.classFormat("Extra bytes at the end of class file " + name);
        }
    }

    /** {@code constant_pool_count} and the {@code cp_info} entries (JVMS 4.4); long and double take two. */
    private void constantPool() {
        int count = u2();
        for (int i = 1; i < count; i++) {
            int tag = u1();
            switch (tag) {
                case 1 -> skip(u2()); // CONSTANT_Utf8: length, bytes
                case 7, 8, 16, 19, 20 -> skip(2); // Class, String, MethodType, Module, Package
                case 15 -> skip(3); // MethodHandle: reference_kind, reference_index
                case 3, 4, 9, 10, 11, 12, 17, 18 -> skip(4); // Integer, Float, *ref, NameAndType, Dynamic, InvokeDynamic
                case 5, 6 -> { // Long, Double
                    skip(8);
                    i++;
                }
                default -> throw JavaError.classFormat("Unknown constant tag " + tag + " in class file " + name);
            }
        }
    }

    /** {@code fields_count} or {@code methods_count}, then each: access_flags, name_index, descriptor_index, attributes. */
    private void members() {
        int count = u2();
        for (int i = 0; i < count; i++) {
            skip(6);
            attributes();
        }
    }

    /** {@code attributes_count}, then each: attribute_name_index, attribute_length, info. */
    private void attributes() {
        int count = u2();
        for (int i = 0; i < count; i++) {
            skip(2);
            long length = u4();
            skip(length);
        }
    }

    private void skip(long n) {
        if (n > bytes.length - at) {
            throw truncated();
        }
        at += (int) n;
    }

    private int u1() {
        if (at >= bytes.length) {
            throw truncated();
        }
        return bytes[at++] & 0xFF;
    }

    private int u2() {
        return u1() << 8 | u1();
    }

    private long u4() {
        return (long) u2() << 16 | u2();
    }

    private static JavaError truncated() {
        return JavaError.classFormat("Truncated class file");
    }
}
