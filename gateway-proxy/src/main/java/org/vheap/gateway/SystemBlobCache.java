package org.vheap.gateway;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * System blobs by SHA-256, least recently used first out, bounded by the bytes of their data.
 * Blobs are immutable and content-addressed, so a cached blob is never stale; {@link #put} checks the hash
 * and refuses a blob whose bytes do not match it (a corrupt blob is never cached). A blob larger than the
 * whole cache is not cached. Thread-safe (one lock; a hit is a map lookup).
 */
final class SystemBlobCache {
    private final long maxBytes;
    private final LinkedHashMap<ByteString, ByteString> blobs = new LinkedHashMap<>(64, 0.75f, true);   // guarded by this
    private long bytes;                                                                               // guarded by this

    SystemBlobCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The blob with this hash, or null. */
    synchronized ByteString get(ByteString sha256) {
        return blobs.get(sha256);
    }

    /**
     * Caches {@code data} under {@code sha256} if its SHA-256 is that hash.
     *
     * @return false when the hash does not match the data (nothing cached)
     */
    boolean put(ByteString sha256, ByteString data) {
        if (!matches(sha256, data)) {
            return false;
        }
        long size = data.size();
        if (size > maxBytes) {
            return true;
        }
        synchronized (this) {
            ByteString old = blobs.put(sha256, data);
            if (old != null) {
                bytes -= old.size();
            }
            bytes += size;
            Iterator<Map.Entry<ByteString, ByteString>> eldest = blobs.entrySet().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                bytes -= eldest.next().getValue().size();
                eldest.remove();
            }
        }
        return true;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return blobs.size();
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Whether {@code data}'s SHA-256 is {@code sha256}. */
    static boolean matches(ByteString sha256, ByteString data) {
        if (sha256.size() != 32) {
            return false;
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data.asReadOnlyByteBuffer());
            return MessageDigest.isEqual(md.digest(), sha256.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
