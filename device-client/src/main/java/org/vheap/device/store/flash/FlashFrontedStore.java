package org.vheap.device.store.flash;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.store.StoreException;

/**
 * The seed's figure 1c: the heap on the device, its checkpoints on an external store ({@code --store flash:DIR
 * --server HOST:PORT}). A {@link FlashHeapStore} in {@code DIR} holds a copy of each app's heap, kept in front of a
 * heap server that holds the app's lease and its checkpoints.
 *
 * <p>Contract: a session is the server's session (its lease, fencing token, base checkpoint and checkpoint ids) with
 * the flash store's copy in front ({@link FlashFrontedSession}). Evictions are written to the flash store only, and a
 * fault is served from it when it has the line (otherwise from the server, and the line is kept in flash for the next
 * fault). A checkpoint commits in the flash store first, then ships every line written since the last one to the
 * server and commits there, before the call returns: the server has every checkpoint the device was told of, so a
 * migration through the server sees it.
 *
 * <p>The flash copy of an app is used only while it is the server's newest checkpoint: {@link FlashShipped} records,
 * after each shipped checkpoint, which server checkpoint (and VM state) the flash copy matches. Opened on any other
 * (another device ran the app since, the app was resumed at an older checkpoint, another server) the copy is
 * dropped, its lines deleted in flash, and the heap is read from the server: the server's history wins. A directory
 * that holds an app of its own under the same name ({@code --store flash:DIR} alone) is refused, not overwritten.
 *
 * <p>Risks: a checkpoint costs the server round trip of the lines written since the last one, at the checkpoint (the
 * app waits); checkpoints are not yet shipped in the background, nor kept locally while the server is away (a commit
 * fails as on the server alone, and the device retries it). A crash between the flash commit and the server's leaves
 * the flash copy ahead of the server: the next open drops it.
 */
public final class FlashFrontedStore implements HeapStore {
    /** The device name of every flash lease: the flash store's lease follows the server's, held by this process. */
    static final String FRONT = "front";

    private final FlashHeapStore flash;
    private final HeapStore server;
    private final String serverName;
    private final FlashShipped shipped;

    /**
     * Opens the flash store in {@code dir} in front of {@code server} ({@code serverName}, its address, tells servers
     * apart in {@link FlashShipped}). The flash retains one checkpoint per app, the server the app's history. Closing
     * this store closes both.
     */
    public static FlashFrontedStore open(Path dir, FlashStoreConfig config, Clock clock, HeapStore server,
                                         String serverName) {
        return new FlashFrontedStore(FlashHeapStore.open(dir, config.copy().retain(1), clock), new FlashShipped(dir),
                server, serverName);
    }

    FlashFrontedStore(FlashHeapStore flash, FlashShipped shipped, HeapStore server, String serverName) {
        this.flash = flash;
        this.shipped = shipped;
        this.server = server;
        this.serverName = serverName;
    }

    @Override
    public HeapSession openHeap(OpenRequest request) {
        FlashShipped.Shipped last = io(() -> shipped.read(request.app()));
        if (last == null && flash.holds(request.app())) {
            throw new StoreException(StoreException.Reason.CONFLICT, "the flash store holds an app '" + request.app()
                    + "' of its own (made with --store flash:DIR alone): give --server another --store flash:DIR");
        }
        HeapSession remote = server.openHeap(request);
        HeapSession local = null;
        try {
            if (last == null) {   // recorded first: a copy made here is never taken for an app of the flash's own
                shipped(request.app(), 0, 0, new byte[0]);
            }
            local = flash.openHeap(new OpenRequest(request.app(), FRONT, true, remote.lineSize(), request.lease(), 0));
            boolean current = last != null && last.matches(serverName, remote.baseCheckpointId(),
                    local.baseCheckpointId(), remote.baseVmState());
            if (!current) {
                long[] stale = flash.visibleLines(local);
                if (stale.length > 0) {
                    local.flush(java.util.List.of(), stale);   // the server's history wins
                }
            }
            return new FlashFrontedSession(remote, local, current, this::shipped);
        } catch (RuntimeException e) {
            if (local != null) {
                local.close();
            }
            remote.close();
            throw e;
        }
    }

    /** Records that {@code app}'s flash checkpoint {@code flashCheckpoint} is the server's {@code serverCheckpoint}. */
    private void shipped(String app, long serverCheckpoint, long flashCheckpoint, byte[] vmState) {
        io(() -> {
            shipped.write(app, serverName, serverCheckpoint, flashCheckpoint, vmState);
            return null;
        });
    }

    /** The server's: class files go where any device resuming the app finds them. */
    @Override
    public SystemBlobStore systemBlobs(String app) {
        return server.systemBlobs(app);
    }

    @Override
    public void connect() {
        server.connect();
    }

    /** What the flash store in front wrote, compacted and holds. */
    public FlashStoreStats stats() {
        return flash.stats();
    }

    @Override
    public void close() {
        try {
            flash.close();
        } finally {
            server.close();
        }
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T io(IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "the flash store's record of what it shipped"
                    + " to the server cannot be used: " + e.getMessage(), e);
        }
    }
}
