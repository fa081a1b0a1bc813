package org.vheap.format;

/**
 * A heap image file refused by {@link HeapImageReader}: not an image, of another format, truncated or damaged. The
 * message says which and where. An import that meets one takes nothing from the file.
 */
public final class HeapImageException extends IllegalArgumentException {
    public HeapImageException(String message) {
        super(message);
    }
}
