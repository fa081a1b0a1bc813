package org.vheap.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.vheap.format.HeapClasses.HeapClass;
import org.vheap.format.HeapClasses.HeapField;

/**
 * One object of a {@link HeapGraph} as a person reads it: its class, size and fields by name with their values
 * (references as addresses with their class, a string's text), an array summarised by its length and first elements.
 */
public final class HeapObjects {
    /** Elements an array's summary shows. */
    public static final int ELEMENTS_SHOWN = 16;
    /** Characters of a string shown where a reference to it is. */
    private static final int STRING_SHOWN = 60;

    /** A field (or an array element, named {@code [i]}): its value as text, and the reference it holds (0: none). */
    public record FieldValue(String owner, String name, String descriptor, String value, int ref) {
    }

    /**
     * An object: {@code arrayLength} is -1 for an instance; {@code text} is a string's value, or a mirror's class name;
     * {@code fields} are an instance's fields (a mirror's statics after them) or an array's first elements.
     */
    public record ObjectDetail(int ref, long address, String className, long bytes, int arrayLength, String text,
                               List<FieldValue> fields) {
    }

    private final HeapGraph graph;
    private final HeapLines lines;
    private final HeapClass stringClass;

    public HeapObjects(HeapGraph graph) {
        this.graph = graph;
        this.lines = graph.lines();
        this.stringClass = graph.classes().byName("java/lang/String");
    }

    /** The object at {@code ref}, or null when it names nothing readable as an object. */
    public ObjectDetail detail(int ref) {
        HeapClass c = graph.classOf(ref);
        if (c == null) {
            return null;
        }
        long a = ObjectLayout.address(ref);
        List<FieldValue> fields = new ArrayList<>();
        if (c.isArray()) {
            int n = graph.arrayLength(ref);
            String element = c.name().substring(1);
            for (int i = 0; i < Math.min(n, ELEMENTS_SHOWN); i++) {
                long at = a + ObjectLayout.ARRAY_BASE_OFFSET + ((long) i << c.elementShift());
                fields.add(value(c.name(), "[" + i + "]", element, at));
            }
            return new ObjectDetail(ref, a, c.javaName(), graph.sizeOf(ref, c), n, null, List.copyOf(fields));
        }
        for (HeapField f : c.fields()) {
            fields.add(value(f.owner(), f.name(), f.descriptor(), a + f.offset()));
        }
        HeapClass mirrored = graph.classes().mirrorOf(ref);
        if (mirrored != null && c.name().equals("java/lang/Class")) {
            for (HeapField f : mirrored.statics()) {
                fields.add(value(f.owner(), "static " + f.name(), f.descriptor(), a + f.offset()));
            }
        }
        String text = c == stringClass ? stringValue(ref) : mirrored != null ? mirrored.javaName() : null;
        return new ObjectDetail(ref, a, c.javaName(), graph.sizeOf(ref, c), -1, text, List.copyOf(fields));
    }

    /** The text of a {@code java.lang.String} (its {@code value} bytes by its {@code coder}), or null for anything else. */
    public String stringValue(int ref) {
        if (stringClass == null || graph.classOf(ref) != stringClass) {
            return null;
        }
        HeapField value = field(stringClass, "value");
        HeapField coder = field(stringClass, "coder");
        if (value == null || coder == null) {
            return null;
        }
        long a = ObjectLayout.address(ref);
        byte[] b = graph.byteArray(lines.getInt(a + value.offset()));
        if (b == null) {
            return null;
        }
        // UTF16 strings hold their chars little-endian: the device's StringUTF16.isBigEndian answers false
        return new String(b, lines.getByte(a + coder.offset()) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_16LE);
    }

    private static HeapField field(HeapClass c, String name) {
        for (HeapField f : c.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private FieldValue value(String owner, String name, String descriptor, long at) {
        return switch (descriptor.charAt(0)) {
            case 'Z' -> new FieldValue(owner, name, descriptor, lines.getByte(at) != 0 ? "true" : "false", 0);
            case 'B' -> new FieldValue(owner, name, descriptor, Byte.toString(lines.getByte(at)), 0);
            case 'S' -> new FieldValue(owner, name, descriptor, Short.toString(lines.getShort(at)), 0);
            case 'C' -> new FieldValue(owner, name, descriptor, charLiteral((char) lines.getShort(at)), 0);
            case 'I' -> new FieldValue(owner, name, descriptor, Integer.toString(lines.getInt(at)), 0);
            case 'J' -> new FieldValue(owner, name, descriptor, Long.toString(lines.getLong(at)), 0);
            case 'F' -> new FieldValue(owner, name, descriptor, Float.toString(Float.intBitsToFloat(lines.getInt(at))), 0);
            case 'D' -> new FieldValue(owner, name, descriptor, Double.toString(Double.longBitsToDouble(lines.getLong(at))), 0);
            default -> reference(owner, name, descriptor, lines.getInt(at));
        };
    }

    private FieldValue reference(String owner, String name, String descriptor, int ref) {
        if (ref == 0) {
            return new FieldValue(owner, name, descriptor, "null", 0);
        }
        HeapClass c = graph.classOf(ref);
        if (c == null) {
            return new FieldValue(owner, name, descriptor, address(ref) + " (broken: no object there)", ref);
        }
        String s = stringValue(ref);
        String shown = s != null ? " \"" + HeapGraph.abbreviate(s, STRING_SHOWN) + "\""
                : c.isArray() ? " length " + graph.arrayLength(ref) : "";
        return new FieldValue(owner, name, descriptor, address(ref) + " " + c.javaName() + shown, ref);
    }

    private static String charLiteral(char c) {
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("'\\u%04x'", (int) c);
    }

    /** How an object's address is written: {@code 0x} and hex digits. */
    public static String address(int ref) {
        return "0x" + Long.toHexString(ObjectLayout.address(ref));
    }

    /**
     * The reference an address written by {@link #address} (or plain hex digits) names.
     *
     * @throws IllegalArgumentException when the text is no address of an object start in the user heap
     */
    public static int parseAddress(String text) {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        long a;
        try {
            a = Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is no object address: give one as 0x and hex digits");
        }
        if (!isObjectAddress(a)) {
            throw new IllegalArgumentException(notAnAddress("'" + text + "'"));
        }
        return ObjectLayout.ref(a);
    }

    /** Whether an object may start at {@code address}: a granule of the user heap past 0. */
    public static boolean isObjectAddress(long address) {
        return address > 0 && (address & (ObjectLayout.GRANULE - 1)) == 0 && address < ObjectLayout.USER_HEAP_LIMIT;
    }

    /** What is wrong with an address that {@link #isObjectAddress} refuses, {@code shown} as the user wrote it. */
    public static String notAnAddress(String shown) {
        return shown + " is no object address: objects start on 8-byte boundaries in the user heap, below 0x"
                + Long.toHexString(ObjectLayout.USER_HEAP_LIMIT);
    }
}
