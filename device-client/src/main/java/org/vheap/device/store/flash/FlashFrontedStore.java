package org.vheap.device.store.flash;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * fault). A checkpoint ships every line written since the last one to the server and commits there, then commits in
 * the flash, before the call returns: the server has every checkpoint the device was told of, so a migration through
 * the server sees it.
 *
 * <p>The flash copy of an app is used only while it is the checkpoint the server opens the app on: {@link
 * FlashShipped} records, after each shipped checkpoint, which server checkpoint (and VM state) the flash copy is.
 * Opened on any other (another device ran the app since, the app is resumed at another checkpoint, another server, a
 * checkpoint the server took and the flash did not) the copy is dropped, its lines deleted in flash, and the heap is
 * read from the server: the server's history wins. The directory is marked ({@value #MARKER}) when first used so; a
 * directory that holds apps of its own ({@code --store flash:DIR} alone) is refused, and a marked one is refused by
 * {@code --store flash:DIR} alone, whose apps must be whole heaps. The flash retains one checkpoint per app: the
 * server keeps the history.
 *
 * <p>Risks: a checkpoint waits for the server round trip of the lines written since the last one; checkpoints are not
 * yet shipped in the background, nor kept locally while the server is away (a checkpoint waits for the server, as on
 * the server alone; faults of lines the flash holds and evictions go on until the lease may have ended, see {@link
 * FlashFrontedSession}). Opens are serialized.
 */
public final class FlashFrontedStore implements HeapStore {
    /** The file that marks a directory as a heap server's front. */
    static final String MARKER = "front-of-a-heap-server";
    /** The device name of every flash lease: the flash store's lease follows the server's, held by this process. */
    static final String FRONT = "front";
    private static final Logger LOG = LoggerFactory.getLogger(FlashFrontedStore.class);

    private final FlashHeapStore flash;
    private final HeapStore server;
    private final String serverName;
    private final FlashShipped shipped;
    private final Clock clock;

    /**
     * Opens the flash store in {@code dir} in front of {@code server} ({@code serverName}, its address, tells servers
     * apart in {@link FlashShipped}); {@code clock} times the server's lease. Closing this store closes both.
     *
     * @throws StoreException {@code CONFLICT} when {@code dir} holds apps of a flash store used alone
     */
    public static FlashFrontedStore open(Path dir, FlashStoreConfig config, Clock clock, HeapStore server,
                                         String serverName) {
        FlashHeapStore flash = FlashHeapStore.open(dir, config.copy().retain(1), clock, true);
        try {
            if (!isFront(dir)) {
                if (flash.holdsHeaps()) {   // replayed with one retained checkpoint in memory only: nothing changed
                    throw new StoreException(StoreException.Reason.CONFLICT, "the flash store " + dir + " holds apps"
                            + " of its own (made with --store flash:DIR alone): give --server another directory");
                }
                mark(dir);
            }
            return new FlashFrontedStore(flash, new FlashShipped(dir), server, serverName, clock);
        } catch (RuntimeException e) {
            flash.close();
            throw e;
        }
    }

    /** Whether {@code dir} is marked as a heap server's front. */
    static boolean isFront(Path dir) {
        return Files.exists(dir.resolve(MARKER));
    }

    private static void mark(Path dir) {
        try {
            Files.write(dir.resolve(MARKER), List.of("this flash store is in front of a heap server"));
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot mark the flash store " + dir
                    + " as a heap server's front: " + e.getMessage(), e);
        }
    }

    private FlashFrontedStore(FlashHeapStore flash, FlashShipped shipped, HeapStore server, String serverName,
                              Clock clock) {
        this.flash = flash;
        this.shipped = shipped;
        this.server = server;
        this.serverName = serverName;
        this.clock = clock;
    }

    /** Serialized: the server's lease and the flash's are taken together. */
    @Override
    public synchronized HeapSession openHeap(OpenRequest request) {
        Instant asked = clock.instant();   // the lease runs from the server's answer: from before the call, to be safe
        HeapSession remote = server.openHeap(request);
        HeapSession local = null;
        try {
            local = flash.openHeap(new OpenRequest(request.app(), FRONT, true, remote.lineSize(), request.lease(), 0));
            FlashShipped.Shipped last = lastShipped(request.app());
            boolean current = last != null && last.matches(serverName, remote.baseCheckpointId(),
                    local.baseCheckpointId(), remote.baseVmState());
            if (!current) {
                long[] stale = flash.visibleLines(local);
                if (stale.length > 0) {
                    local.flush(List.of(), stale);   // the server's history wins
                }
            }
            Duration lease = request.lease().isZero() ? FlashFrontedSession.UNKNOWN_LEASE : request.lease();
            return new FlashFrontedSession(remote, local, current, lease, asked, clock, this::shipped);
        } catch (RuntimeException e) {
            try {
                if (local != null) {
                    local.close();
                }
                remote.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The app's record, null when it has none or it cannot be read (the copy is then dropped). */
    private FlashShipped.Shipped lastShipped(String app) {
        try {
            return shipped.read(app);
        } catch (IOException e) {
            LOG.warn("the flash copy of app '{}' is dropped: its record of what was shipped cannot be read: {}", app,
                    e.toString());
            return null;
        }
    }

    /**
     * Records that {@code app}'s flash checkpoint {@code flashCheckpoint} is the server's {@code serverCheckpoint}. A
     * record that cannot be written leaves the one before, which the next open finds out of date: the copy is dropped
     * then, and nothing is lost.
     */
    private void shipped(String app, long serverCheckpoint, long flashCheckpoint, byte[] vmState) {
        try {
            shipped.write(app, serverName, serverCheckpoint, flashCheckpoint, vmState);
        } catch (IOException e) {
            LOG.warn("app '{}': checkpoint {} is on the server, but the flash cannot record it (its copy will be"
                    + " dropped at the next open): {}", app, serverCheckpoint, e.toString());
        }
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
}
