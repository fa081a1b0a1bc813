package org.vheap.device.store;

import java.util.List;
import java.util.Map;
import org.vheap.store.LineImage;

/**
 * For tests: a heap session that passes every call to a real one, so a test session overrides only the calls
 * it changes (fails, records, holds up).
 */
public abstract class ForwardingSession implements HeapSession {
    protected final HeapSession real;

    protected ForwardingSession(HeapSession real) {
        this.real = java.util.Objects.requireNonNull(real, "real");
    }

    @Override public String app() { return real.app(); }
    @Override public int lineSize() { return real.lineSize(); }
    @Override public boolean created() { return real.created(); }
    @Override public long baseCheckpointId() { return real.baseCheckpointId(); }
    @Override public byte[] baseVmState() { return real.baseVmState(); }
    @Override public long fencingToken() { return real.fencingToken(); }
    @Override public byte[][] read(long[] lineIds) { return real.read(lineIds); }
    @Override public byte[][] read(long[] lineIds, byte[][] knownSha256) { return real.read(lineIds, knownSha256); }
    @Override public void pinCheckpointsForCopies() { real.pinCheckpointsForCopies(); }
    @Override public Fetched readAgainst(long[] lineIds, byte[][] copies, byte[][] copySha256) { return real.readAgainst(lineIds, copies, copySha256); }
    @Override public void flush(List<LineImage> writes, long[] deletes) { real.flush(writes, deletes); }

    @Override
    public long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata) {
        return real.commit(writes, deletes, vmState, metadata);
    }

    @Override public void renewLease() { real.renewLease(); }
    @Override public java.time.Duration leaseGranted() { return real.leaseGranted(); }
    @Override public void close() { real.close(); }
}
