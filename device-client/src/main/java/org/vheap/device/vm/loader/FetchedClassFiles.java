package org.vheap.device.vm.loader;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vheap.format.BlobHash;

/**
 * Class files this process has fetched from a store's system blobs, by content hash (part of the code cache,
 * {@link ParsedClasses}): a device that ran an app before resumes it without fetching its class files again, which
 * on a migration back is one store round trip of a few milliseconds saved. A blob's hash names its bytes, so a kept
 * file never goes stale; only files whose bytes were checked against their hash may be put here.
 *
 * <p>Bounded: at most {@link #maxBytes} bytes of files, the least recently used let go first. Thread-safe.
 */
public final class FetchedClassFiles {
    /** The bytes kept by {@link ParsedClasses}: the class files of many apps. */
    static final long DEFAULT_MAX_BYTES = 32L << 20;

    private final long maxBytes;
    private final LinkedHashMap<BlobHash, byte[]> files = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** @param maxBytes bytes of class files kept at most (0: none) */
    public FetchedClassFiles(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, not " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The file with this hash, if kept. */
    public synchronized byte[] get(BlobHash hash) {
        return files.get(hash);
    }

    /** Keeps {@code file}, whose SHA-256 the caller has checked is {@code hash}. */
    public synchronized void put(BlobHash hash, byte[] file) {
        if (file.length > maxBytes || files.containsKey(hash)) {
            return;
        }
        files.put(hash, file);
        bytes += file.length;
        var oldest = files.entrySet().iterator();
        while (bytes > maxBytes) {
            Map.Entry<BlobHash, byte[]> e = oldest.next();
            bytes -= e.getValue().length;
            oldest.remove();
        }
    }

    /** Files kept. */
    public synchronized int size() {
        return files.size();
    }

    /** Bytes of files kept. */
    public synchronized long bytes() {
        return bytes;
    }
}
