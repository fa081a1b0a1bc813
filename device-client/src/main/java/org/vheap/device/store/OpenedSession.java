package org.vheap.device.store;

/**
 * What a {@link HeapSession} knows from its open — the app, the lease's device and fencing token, the line
 * size, and the base checkpoint with its VM state — shared by the store implementations, which add the
 * calls. {@link #baseCheckpointId()} stays the checkpoint the session was opened from, also after it commits.
 */
public abstract class OpenedSession implements HeapSession {
    protected final String app;
    protected final String device;
    protected final long token;
    private final int lineSize;
    private final boolean created;
    private final long baseCheckpointId;
    private final byte[] baseVmState;

    protected OpenedSession(String app, String device, long token, int lineSize, boolean created, long baseCheckpointId,
                  byte[] baseVmState) {
        this.app = app;
        this.device = device;
        this.token = token;
        this.lineSize = lineSize;
        this.created = created;
        this.baseCheckpointId = baseCheckpointId;
        this.baseVmState = baseVmState;
    }

    @Override
    public String app() {
        return app;
    }

    @Override
    public int lineSize() {
        return lineSize;
    }

    @Override
    public boolean created() {
        return created;
    }

    @Override
    public long baseCheckpointId() {
        return baseCheckpointId;
    }

    @Override
    public byte[] baseVmState() {
        return baseVmState.clone();
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " of app '" + app + "' on device '" + device + "' (token " + token + ")";
    }
}
