package org.vheap.device.store;

import java.util.List;
import java.util.Map;
import org.vheap.store.LineImage;

/**
 * A heap session that passes every call to another: the base of sessions that add one concern on top
 * ({@link CachingSession}: copies of lines; {@link OrderedWrites}: writes in order on a writer thread).
 */
public abstract class ForwardingSession implements HeapSession {
    protected final HeapSession inner;

    protected ForwardingSession(HeapSession inner) {
        this.inner = java.util.Objects.requireNonNull(inner, "inner");
    }

    @Override
    public String app() {
        return inner.app();
    }

    @Override
    public int lineSize() {
        return inner.lineSize();
    }

    @Override
    public boolean created() {
        return inner.created();
    }

    @Override
    public long baseCheckpointId() {
        return inner.baseCheckpointId();
    }

    @Override
    public byte[] baseVmState() {
        return inner.baseVmState();
    }

    @Override
    public long fencingToken() {
        return inner.fencingToken();
    }

    @Override
    public byte[][] read(long[] lineIds) {
        return inner.read(lineIds);
    }

    @Override
    public byte[][] read(long[] lineIds, byte[][] knownSha256) {
        return inner.read(lineIds, knownSha256);
    }

    @Override
    public void flush(List<LineImage> writes, long[] deletes) {
        inner.flush(writes, deletes);
    }

    @Override
    public long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata) {
        return inner.commit(writes, deletes, vmState, metadata);
    }

    @Override
    public void renewLease() {
        inner.renewLease();
    }

    @Override
    public void close() {
        inner.close();
    }
}
