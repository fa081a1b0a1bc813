package org.vheap.device.store;

import java.util.List;
import java.util.Map;
import org.vheap.store.LineImage;

/**
 * A heap session that keeps a {@link LineCache} of every line it reads or writes, and reads with the hashes
 * of the copies it has, so that only lines that changed since the copy travel. Counts what travelled:
 * {@link #bytesFetched()} (line bytes received) and {@link #linesUnchanged()} (lines served from copies).
 */
public final class CachingSession extends ForwardingSession {
    private final LineCache cache;
    private long bytesFetched;
    private long linesUnchanged;

    public CachingSession(HeapSession inner, LineCache cache) {
        super(inner);
        this.cache = cache;
    }

    @Override
    public byte[][] read(long[] lineIds) {
        byte[][] known = new byte[lineIds.length][];
        LineCache.Copy[] copies = new LineCache.Copy[lineIds.length];
        for (int i = 0; i < lineIds.length; i++) {
            copies[i] = cache.get(app(), lineIds[i]);
            known[i] = copies[i] == null ? null : copies[i].sha256();
        }
        byte[][] result = inner.read(lineIds, known);
        for (int i = 0; i < lineIds.length; i++) {
            if (result[i] == UNCHANGED) {
                result[i] = copies[i].data().clone();
                linesUnchanged++;
            } else if (result[i] == null) {
                cache.remove(app(), lineIds[i]);
            } else {
                bytesFetched += result[i].length;
                cache.put(app(), lineIds[i], result[i]);
            }
        }
        return result;
    }

    @Override
    public void flush(List<LineImage> writes, long[] deletes) {
        inner.flush(writes, deletes);
        remember(writes, deletes);
    }

    @Override
    public long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata) {
        long id = inner.commit(writes, deletes, vmState, metadata);
        remember(writes, deletes);
        return id;
    }

    private void remember(List<LineImage> writes, long[] deletes) {
        for (LineImage w : writes) {
            cache.put(app(), w.lineId(), w.data());
        }
        for (long d : deletes) {
            cache.remove(app(), d);
        }
    }

    /** Line bytes received from the store by this session's reads. */
    public long bytesFetched() {
        return bytesFetched;
    }

    /** Lines read that the store said were unchanged from the device's copy. */
    public long linesUnchanged() {
        return linesUnchanged;
    }
}
