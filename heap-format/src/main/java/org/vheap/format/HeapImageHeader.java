package org.vheap.format;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a heap image file says of the checkpoint it holds, before its sections ({@link HeapImageWriter}).
 *
 * @param app               the app's name in the store it came from
 * @param lineSize          bytes per line
 * @param checkpointId      the checkpoint's id in that store (an import gets a new one from its own store)
 * @param createdAtMillis   when the checkpoint was committed (epoch milliseconds)
 * @param device            the device that committed it
 * @param lineCount         the lines it holds: the file has exactly this many
 * @param blobCount         the system blobs it needs: the file has exactly this many
 * @param metadata          the checkpoint's metadata, as its device gave it
 */
public record HeapImageHeader(String app, int lineSize, long checkpointId, long createdAtMillis, String device,
                              long lineCount, int blobCount, Map<String, String> metadata) {
    /** The largest line a heap has (a store's limit too). */
    public static final int MAX_LINE_SIZE = 1 << 20;

    public HeapImageHeader {
        if (app == null || app.isEmpty()) {
            throw new IllegalArgumentException("a heap image names its app");
        }
        if (lineSize <= 0 || lineSize > MAX_LINE_SIZE || Integer.bitCount(lineSize) != 1) {
            throw new IllegalArgumentException("a line size is a power of two up to " + MAX_LINE_SIZE + ", not " + lineSize);
        }
        if (lineCount < 0 || blobCount < 0) {
            throw new IllegalArgumentException("negative counts: " + lineCount + " lines, " + blobCount + " blobs");
        }
        metadata = java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
        device = device == null ? "" : device;
    }
}
