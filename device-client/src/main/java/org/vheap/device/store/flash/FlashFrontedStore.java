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
import java.util.Map;
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
 * fault). A checkpoint commits in the flash, then reaches the server in the background ({@link FlashShipper}: in
 * order, each atomically and as a server checkpoint of its own, the flash keeping each until it is shipped, up to
 * {@link FlashStoreConfig#keepUnshipped()} and while it has room; past that, one reaches the server with the next);
 * closing a session waits for them while its lease lasts, so a migration through the server (suspend, close, resume elsewhere)
 * sees the last one.
 *
 * <p>The flash copy of an app is used as it is while it is the checkpoint the server opens the app on: {@link
 * FlashShipped} records, after each shipped checkpoint, which server checkpoint (and VM state) the flash copy is. When
 * the flash's newest checkpoint never reached the server (the device stopped first: it died, or the server was away
 * past its lease) and the server opens its newest checkpoint, the one the lines {@link FlashUnshipped} recorded follow
 * (no other device went on), that flash checkpoint is shipped first and the session starts from it. Opened on any
 * other (another device ran the app since, the app is resumed at another checkpoint, another server) the copy is
 * dropped, its lines deleted in flash, and the heap is read from the server: the server's history wins (logged when
 * a flash checkpoint is dropped so). The directory is marked ({@value #MARKER}) when first used so; a directory that
 * holds apps of its own ({@code --store flash:DIR} alone) is refused, and a marked one is refused by {@code --store
 * flash:DIR} alone, whose apps must be whole heaps. The flash retains one checkpoint per app: the server keeps the
 * history.
 *
 * <p>Risks: while the server is away the device runs and checkpoints in the flash until the lease may have ended, and
 * the shipper catches up when the server returns within it; past it the device stops the app. A flash checkpoint the
 * server refuses for good when shipped at an open (a quota, a limit) is dropped, logged. Opens are serialized, a
 * catch-up's shipping included: another app's open waits for it. Each flash checkpoint writes and syncs its record
 * of lines not yet shipped, which grows with what the server lacks.
 */
public final class FlashFrontedStore implements HeapStore {
    /** The file that marks a directory as a heap server's front. */
    static final String MARKER = "front-of-a-heap-server";
    /** The device name of every flash lease: the flash store's lease follows the server's, held by this process. */
    static final String FRONT = "front";
    private static final Logger LOG = LoggerFactory.getLogger(FlashFrontedStore.class);
    /** What the server says of a flash checkpoint shipped at an open that shipping it again would not change. */
    private static final java.util.Set<StoreException.Reason> REFUSED_FOR_GOOD = java.util.EnumSet.of(
            StoreException.Reason.QUOTA_EXCEEDED, StoreException.Reason.LIMIT_EXCEEDED,
            StoreException.Reason.INVALID_ARGUMENT);

    private final FlashHeapStore flash;
    private final HeapStore server;
    private final String serverName;
    private final FlashShipped shipped;
    private final FlashUnshipped unshipped;
    /** Whether sessions renew the server's lease on a thread of their own (see {@link FlashFrontedSession}). */
    private final boolean renewInBackground;
    private final Clock clock;

    /**
     * Opens the flash store in {@code dir} in front of {@code server} ({@code serverName}, its address, tells servers
     * apart in {@link FlashShipped}); {@code clock} times the server's lease. Closing this store closes both.
     *
     * @throws StoreException {@code CONFLICT} when {@code dir} holds apps of a flash store used alone
     */
    public static FlashFrontedStore open(Path dir, FlashStoreConfig config, Clock clock, HeapStore server,
                                         String serverName) {
        return open(dir, config, clock, server, serverName, true);
    }

    /** As {@link #open(Path, FlashStoreConfig, Clock, HeapStore, String)}; without renewing leases in the background. */
    static FlashFrontedStore open(Path dir, FlashStoreConfig config, Clock clock, HeapStore server, String serverName,
                                  boolean renewInBackground) {
        FlashHeapStore flash = FlashHeapStore.open(dir, config.copy().retain(1), clock, true);
        try {
            if (!isFront(dir)) {
                if (flash.holdsHeaps()) {   // replayed with one retained checkpoint in memory only: nothing changed
                    throw new StoreException(StoreException.Reason.CONFLICT, "the flash store " + dir + " holds apps"
                            + " of its own (made with --store flash:DIR alone): give --server another directory");
                }
                mark(dir);
            }
            return new FlashFrontedStore(flash, new FlashShipped(dir), new FlashUnshipped(dir), server, serverName,
                    clock, renewInBackground);
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

    private FlashFrontedStore(FlashHeapStore flash, FlashShipped shipped, FlashUnshipped unshipped, HeapStore server,
                              String serverName, Clock clock, boolean renewInBackground) {
        this.renewInBackground = renewInBackground;
        this.flash = flash;
        this.shipped = shipped;
        this.unshipped = unshipped;
        this.server = server;
        this.serverName = serverName;
        this.clock = clock;
    }

    /**
     * Serialized: the server's lease and the flash's are taken together. A flash checkpoint that did not reach the
     * server (the device died, or its lease ended while the server was away) is shipped now when the server's newest
     * checkpoint is still the one it follows, and the session starts from it; otherwise the flash copy is dropped.
     */
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
            FlashUnshipped.Lines behind = current || request.baseCheckpointId() != 0 ? null
                    : unshippedFollowing(request.app(), last, remote, local);
            if (!current && behind == null) {
                dropCopy(request.app(), last, remote, local);
            }
            Duration lease = request.lease().isZero() ? FlashFrontedSession.UNKNOWN_LEASE : request.lease();
            HeapSession copy = local;
            FlashFrontedSession session = new FlashFrontedSession(remote, local, current || behind != null, lease,
                    asked, clock, FlashShipper.Flash.of(flash, copy), ledger, renewInBackground);
            if (behind != null) {
                LOG.info("app '{}': flash checkpoint {} did not reach the heap server {}; shipping it now ({} lines)",
                        request.app(), behind.upTo(), serverName, behind.lines().length);
                try {
                    session.catchUp(behind, local.baseVmState(), Map.of("device", request.device(), "reason",
                            "flash checkpoint " + behind.upTo() + ", shipped when the device came back"));
                } catch (StoreException refused) {
                    try {
                        session.close();   // its shipper too; the lease released
                    } catch (RuntimeException closing) {
                        refused.addSuppressed(closing);
                    }
                    if (!REFUSED_FOR_GOOD.contains(refused.reason())) {
                        throw refused;   // the next open tries again, or finds another device went on
                    }
                    LOG.warn("app '{}': the heap server refused flash checkpoint {} for good ({}): it is dropped, and"
                            + " the app goes on from the server's checkpoint {}", request.app(), behind.upTo(),
                            refused.getMessage(), remote.baseCheckpointId());
                    forgetUnshipped(request.app());
                    return openHeap(request);   // once: with nothing to ship, the copy is dropped
                }
            }
            return session;
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

    /**
     * The app's lines not yet shipped when the flash's newest checkpoint is one the server lacks and its newest is the
     * one they follow (no other device went on), else null.
     */
    private FlashUnshipped.Lines unshippedFollowing(String app, FlashShipped.Shipped last, HeapSession remote,
                                                      HeapSession local) {
        FlashUnshipped.Lines u;
        try {
            u = unshipped.read(app);
        } catch (IOException e) {
            LOG.warn("app '{}': its record of the lines not yet shipped cannot be read: {}", app, e.toString());
            return null;
        }
        if (u == null || !u.server().equals(serverName) || u.upTo() != local.baseCheckpointId()
                || remote.created()) {
            return null;   // none, another server's, not written for the flash's newest checkpoint, or the app is new
        }
        boolean follows = remote.baseCheckpointId() == u.serverBase()   // or one this device shipped since
                || last != null && last.serverCheckpoint() >= u.serverBase() && last.matches(serverName,
                remote.baseCheckpointId(), last.flashCheckpoint(), remote.baseVmState());
        return follows ? u : null;
    }

    /** Deletes the app's record of lines not yet shipped; one that cannot be deleted is refused (the open fails). */
    private void forgetUnshipped(String app) {
        try {
            unshipped.forget(app);
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "app '" + app + "': the flash cannot forget"
                    + " a checkpoint the heap server refused: " + e.getMessage(), e);
        }
    }

    /** The flash copy is out of date: its lines are deleted in the flash, and the heap is read from the server. */
    private void dropCopy(String app, FlashShipped.Shipped last, HeapSession remote, HeapSession local) {
        if (last != null && local.baseCheckpointId() != last.flashCheckpoint()) {
            LOG.warn("app '{}': flash checkpoint {} never reached the heap server, which went on from checkpoint {}"
                    + " without it: it is dropped (the server's history wins)", app, local.baseCheckpointId(),
                    remote.baseCheckpointId());
        }
        long[] stale = flash.visibleLines(local);
        if (stale.length > 0) {
            local.flush(List.of(), stale);
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
     * Records what reached the server and what has not. A record that cannot be written leaves the one before, which
     * the next open finds out of date: the copy is dropped then, and only what was not shipped is lost.
     */
    private final FlashFrontedSession.ShippedListener ledger = new FlashFrontedSession.ShippedListener() {
        @Override
        public void shipped(String app, long serverCheckpoint, long flashCheckpoint, byte[] vmState) {
            try {
                shipped.write(app, serverName, serverCheckpoint, flashCheckpoint, vmState);
            } catch (IOException e) {
                LOG.warn("app '{}': checkpoint {} is on the server, but the flash cannot record it (its copy will be"
                        + " dropped at the next open): {}", app, serverCheckpoint, e.toString());
            }
        }

        @Override
        public void unshipped(String app, long serverBase, long flashCheckpoint, long[] lines) {
            try {
                unshipped.write(app, new FlashUnshipped.Lines(serverName, serverBase, flashCheckpoint, lines));
            } catch (IOException e) {
                LOG.warn("app '{}': the flash cannot record which lines flash checkpoint {} changed (if the device"
                        + " stops before it reaches the server, it is dropped): {}", app, flashCheckpoint,
                        e.toString());
            }
        }
    };

    /** The server's: class files go where any device resuming the app finds them. */
    @Override
    public SystemBlobStore systemBlobs(String app) {
        return server.systemBlobs(app);
    }

    @Override
    public void connect() {
        server.connect();
    }

    /** What the flash store in front wrote, cleaned and holds. */
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
