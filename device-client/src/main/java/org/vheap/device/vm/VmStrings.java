package org.vheap.device.vm;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.VmClass;

/**
 * {@code java.lang.String} objects in the heap: made from host text, read back as host text, and the intern table
 * (string literals and {@code String.intern}). A string is the JDK's compact string: its {@code value} is a
 * {@code byte[]} of Latin-1 bytes when every char fits ({@code coder} 0), else of UTF-16 little-endian units
 * ({@code coder} 1, the order the device's {@code StringUTF16.isBigEndian} answers). Interned strings are roots of
 * the heap: the heap header and a checkpoint's VM state list them.
 */
public final class VmStrings {
    private final Vm vm;
    private final HeapMemory memory;
    private final Map<String, Integer> interned = new HashMap<>();
    private VmClass stringClass;
    private int valueOffset;
    private int coderOffset;

    VmStrings(Vm vm) {
        this.vm = vm;
        this.memory = vm.memory();
    }

    /** Learns String's field layout (once java.lang.String is loaded: at boot, or after a resume's class replay). */
    void bind() {
        stringClass = vm.classes().load("java/lang/String");
        valueOffset = stringClass.declaredField("value").offset();
        coderOffset = stringClass.declaredField("coder").offset();
    }

    /** A new java.lang.String with this text. */
    public int newString(String s) {
        boolean latin1 = true;
        for (int i = 0; i < s.length() && latin1; i++) {
            latin1 = s.charAt(i) <= 0xFF;
        }
        byte[] bytes = latin1 ? s.getBytes(StandardCharsets.ISO_8859_1) : s.getBytes(StandardCharsets.UTF_16LE);
        int value = vm.newByteArray(bytes);
        int str = vm.newObject(stringClass);
        long a = ObjectLayout.address(str);
        vm.putRef(a + valueOffset, value);
        memory.putByte(a + coderOffset, (byte) (latin1 ? 0 : 1));
        return str;
    }

    /** The text of a java.lang.String, or null for the null reference. */
    public String hostString(int str) {
        if (str == 0) {
            return null;
        }
        long a = ObjectLayout.address(str);
        int value = memory.getInt(a + valueOffset);
        byte coder = memory.getByte(a + coderOffset);
        byte[] bytes = vm.bytesOf(value, 0, vm.arrayLength(value));
        return new String(bytes, coder == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_16LE);
    }

    /**
     * The interned String with this text (a string literal): made and interned at first use, in the user heap, since
     * code quickens it as a constant. (One that {@code String.intern} made canonical may still be in the nursery.)
     */
    public int intern(String s) {
        Integer ref = interned.get(s);
        if (ref == null) {
            ref = vm.tenured(() -> newString(s));
            interned.put(s, ref);
        }
        return ref;
    }

    /** {@code String.intern}: the interned String equal to {@code str}, which becomes it when there is none yet. */
    public int intern(int str) {
        return interned.computeIfAbsent(hostString(str), text -> str);
    }

    /** The intern table, text to string (read-only; roots for the collector, saved by a checkpoint). */
    public Map<String, Integer> internTable() {
        return Collections.unmodifiableMap(interned);
    }

    /** Applies a collector's root operator to every interned string, keeping the one it answers (a moved string). */
    void visitInterned(java.util.function.IntUnaryOperator roots) {
        interned.replaceAll((text, ref) -> roots.applyAsInt(ref));
    }

    /** Puts back the intern table a checkpoint saved (resume, before anything runs). */
    void restore(Map<String, Integer> table) {
        interned.putAll(table);
    }
}
