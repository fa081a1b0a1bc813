package org.vheap.format;

/**
 * Where fields lie in an object ({@link ObjectLayout}): the one rule the device VM lays classes out by and the
 * server reads them back by. A class's instance fields follow its superclass's (from {@link ObjectLayout#HEADER_BYTES}
 * for {@code java.lang.Object}); a class's static fields lie in its mirror, after the {@code java.lang.Class}
 * instance fields. Either way the fields a class declares are placed widest first (8, 4, 2, then 1 byte), in
 * declaration order within a width, each aligned to its width, so they pack without holes. A reference is 4 bytes.
 * {@code java.lang.Class} declares one field more than its class file: {@link #CLASS_ID_FIELD}, an {@code int} after
 * its own, holding the id of the class a mirror stands for.
 */
public final class FieldLayout {
    /** Internal name of the field injected into java.lang.Class holding the class id. */
    public static final String CLASS_ID_FIELD = "vheap$classId";

    private FieldLayout() {
    }

    /** Bytes a field of this JVM descriptor takes (and is aligned to). */
    public static int width(String descriptor) {
        return 1 << ObjectLayout.elementShift(descriptor.charAt(0));
    }

    /** Whether a field of this descriptor holds a reference. */
    public static boolean isReference(String descriptor) {
        char c = descriptor.charAt(0);
        return c == 'L' || c == '[';
    }

    /**
     * Places fields of {@code widths} (declaration order) from offset {@code start}: {@code offsets[i]} gets field
     * i's offset. Returns the first offset after the last field (not rounded to the granule).
     */
    public static int place(int start, int[] widths, int[] offsets) {
        int size = start;
        for (int width = 8; width >= 1; width >>= 1) {
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] == width) {
                    size = (size + width - 1) & -width;
                    offsets[i] = size;
                    size += width;
                }
            }
        }
        return size;
    }
}
