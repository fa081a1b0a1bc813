package org.vheap.device.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vheap.format.BlobHash;

/**
 * The store's system blobs: read-only blobs (class files) named by the SHA-256 of their bytes and shared by
 * every app of the store — what the lines of a VM's system segment (the seed's system pages) hold. Hashes are 32-byte arrays wrapped in
 * {@link BlobHash} so they can be map keys.
 */
public interface SystemBlobStore {

    /** Stores blobs; ones the store already has are skipped. Returns how many were new. */
    int put(Map<BlobHash, byte[]> blobs);

    /** Fetches blobs; the result holds the ones that exist. */
    Map<BlobHash, byte[]> get(Collection<BlobHash> hashes);

    /** The hashes among these that the store lacks. */
    List<BlobHash> missing(Collection<BlobHash> hashes);

    /** Blob bytes in one {@link #putMissing} put, at most (a larger blob goes alone). */
    long PUT_BATCH_BYTES = 4L << 20;

    /**
     * Stores those of these blobs the store lacks (one {@link #missing} check, then puts of at most
     * {@link #PUT_BATCH_BYTES} of data). Returns how many the store lacked.
     */
    default int putMissing(Map<BlobHash, byte[]> blobs) {
        if (blobs.isEmpty()) {
            return 0;
        }
        List<BlobHash> lacking = missing(new ArrayList<>(blobs.keySet()));
        Map<BlobHash, byte[]> batch = new LinkedHashMap<>();
        long bytes = 0;
        for (BlobHash h : lacking) {
            byte[] b = blobs.get(h);
            if (!batch.isEmpty() && bytes + b.length > PUT_BATCH_BYTES) {
                put(batch);
                batch.clear();
                bytes = 0;
            }
            batch.put(h, b);
            bytes += b.length;
        }
        if (!batch.isEmpty()) {
            put(batch);
        }
        return lacking.size();
    }

    /** Throws {@code INVALID_ARGUMENT} unless each blob hashes to the name it is given; a store then stores none. */
    static void checkNames(Map<BlobHash, byte[]> blobs) {
        for (Map.Entry<BlobHash, byte[]> e : blobs.entrySet()) {
            if (!e.getKey().names(e.getValue())) {
                throw new org.vheap.store.StoreException(org.vheap.store.StoreException.Reason.INVALID_ARGUMENT,
                        "blob " + e.getKey() + " does not hash to its name; nothing was stored");
            }
        }
    }
}
