package org.vheap.device.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The store's system segment: read-only blobs (class files) named by the SHA-256 of their bytes and
 * shared by every app of the store (the seed's system segment). Hashes are 32-byte arrays wrapped in
 * {@link BlobHash} so they can be map keys.
 */
public interface SystemSegmentStore {

    /** Stores blobs; ones the store already has are skipped. Returns how many were new. */
    int put(Map<BlobHash, byte[]> blobs);

    /** Fetches blobs; the result holds the ones that exist. */
    Map<BlobHash, byte[]> get(Collection<BlobHash> hashes);

    /** The hashes among these that the store lacks. */
    List<BlobHash> missing(Collection<BlobHash> hashes);
}
