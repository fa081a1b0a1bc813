package org.vheap.device;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.vheap.device.store.DeviceClock;
import org.vheap.device.store.DeviceSession;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.device.vm.HeapExhausted;
import org.vheap.device.vm.SafepointListener;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.VmLauncher;
import org.vheap.device.vm.heap.paging.HeapStoreUnreachableException;
import org.vheap.device.vm.heap.paging.PagedHeap;
import org.vheap.device.vm.heap.paging.PagingStats;
import org.vheap.format.BlobHash;
import org.vheap.format.VmStateImage;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * Takes an app's checkpoints at the VM's safepoints (the seed's checkpoint: every dirty line and the VM state,
 * committed in one store transaction) and suspends the app on request.
 *
 * <p>Triggers ({@link DeviceConfig}): time since the last one (every 10 s by default on a store that persists,
 * so a crash of the device loses at most that much work), lines dirtied since the last checkpoint, after a
 * collection, at thread switches, on suspend, and on request ({@link #requestCheckpoint}, the app's API).
 * Before committing, the class files and app files the checkpoint needs that the store's system blobs lack
 * are stored there, so a checkpoint never names a file the store does not have.
 *
 * <p>A checkpoint that fails because the store is unreachable pauses the app (it stays at the safepoint)
 * and retries with backoff until the store is back or the app is stopped: no work is silently lost. A fenced
 * device (another device took the heap) stops the app with a {@link DeviceException}.
 *
 * <p>A store may commit a checkpoint ahead of the one that keeps the app's history ({@code commitAhead}: a flash in
 * front of the heap server, which ships it in the background): the app goes on, and the checkpoint is reported (its
 * event, the app's tickets, {@link #lastCheckpointId}) once the server has it, with the server's id
 * ({@link CheckpointsAhead}); a suspend and the app's end wait for it.
 *
 * <p>{@link #atSafepoint} runs on the VM's host thread; the request methods may be called from any thread.
 */
final class Checkpointer implements SafepointListener {
    /** Name of the VM-state attachment holding the app's class path manifest. */
    static final String APP_FILES = org.vheap.format.ClassPathManifest.ATTACHMENT;
    private static final long MAX_PAUSE_NANOS = 2_000_000_000L;

    private final DeviceConfig config;
    private final DeviceSession session;
    private final PagedHeap heap;
    private final VmLauncher launcher;
    private final Vm vm;
    private final SystemBlobStore blobs;
    private final byte[] appManifest;
    private final Map<BlobHash, byte[]> appFiles;
    private final DeviceClock clock;
    private final DeviceEvents events;
    private final Set<BlobHash> stored = new HashSet<>();
    private final AppApi api = new AppApi(this);
    private final ResourceLeases leases;
    private final CheckpointsAhead ahead;
    private Runnable firstSafepoint = () -> { };

    private volatile boolean checkpointRequested;
    private volatile CompletableFuture<Long> suspendRequest;
    /** Why the app ended, once it has: a suspend asked for afterwards fails at once. */
    private Throwable endedBecause;
    private volatile boolean stopRequested;
    private volatile long lastCheckpointAt;   // read by reports on other threads
    private long lastRenewalAt;
    private final long renewEvery;
    /** Checkpoint when this many nanoseconds have passed since the last one; 0: off. */
    private final long intervalNanos;
    private long flushedAtLastCheckpoint;
    private volatile long lastCheckpointId;
    private long checkpoints;
    /** The background pre-flush in flight (its lines are still dirty in the cache table until it ends), or null. */
    private java.util.concurrent.Future<Void> preflush;
    private List<LineImage> preflushed;
    /** {@link PagedHeap#imageMark} when the pre-flush's images were taken. */
    private long preflushedAt;
    private long linesPreflushed;

    /**
     * @param interval the checkpoint interval on this device's store ({@link DeviceConfig#checkpointInterval(
     *                 org.vheap.device.store.HeapStore)}); zero: off
     */
    Checkpointer(DeviceConfig config, java.time.Duration interval, DeviceSession session, PagedHeap heap,
                 VmLauncher launcher, Vm vm, SystemBlobStore blobs, byte[] appManifest, Map<BlobHash, byte[]> appFiles,
                 DeviceClock clock, DeviceEvents events, DeviceResources resources) {
        this.config = config;
        this.intervalNanos = interval.toNanos();
        this.session = session;
        this.heap = heap;
        this.launcher = launcher;
        this.vm = vm;
        this.blobs = blobs;
        this.appManifest = appManifest;
        this.appFiles = appFiles;
        this.clock = clock;
        this.events = events;
        this.leases = new ResourceLeases(config.app(), resources, api);
        this.ahead = new CheckpointsAhead(clock);
        this.lastCheckpointAt = clock.nanoTime();
        this.lastRenewalAt = lastCheckpointAt;
        java.time.Duration granted = session.leaseGranted();   // a server's default may be shorter than 30 s
        long lease = !granted.isZero() ? granted.toNanos()
                : config.lease().isZero() ? 30_000_000_000L : config.lease().toNanos();
        this.renewEvery = Math.min(5_000_000_000L, lease / 3);
        this.lastCheckpointId = session.baseCheckpointId();
    }

    /** Runs once, at the app's first safepoint (the app is running). */
    void onFirstSafepoint(Runnable action) {
        this.firstSafepoint = action;
    }

    /** The app API's entry points, served by this checkpointer. */
    AppApi api() {
        return api;
    }

    /** The app's leases on the device's resources. */
    ResourceLeases resourceLeases() {
        return leases;
    }

    /** Asks for a checkpoint at the next safepoint. */
    void requestCheckpoint() {
        checkpointRequested = true;
        vm.requestSafepoint();
    }

    /**
     * Asks the app to suspend at the next safepoint (checkpointing first, unless configured off). The future
     * completes with the checkpoint the app can be resumed from, or exceptionally if the app ended first.
     */
    synchronized CompletableFuture<Long> requestSuspend() {
        CompletableFuture<Long> f = suspendRequest;
        if (f == null) {
            f = new CompletableFuture<>();
            if (endedBecause != null) {
                f.completeExceptionally(endedBecause);   // asked after the app ended: no safepoint will come
            }
            suspendRequest = f;
        }
        vm.requestSafepoint();
        return f;
    }

    /** Asks the app to stop at the next safepoint without a checkpoint (it resumes from its last one). */
    void requestStop() {
        stopRequested = true;
        vm.requestSafepoint();
    }

    /**
     * The newest checkpoint of this run the store that keeps the app's history has (or the one it resumed from); 0
     * when none. A checkpoint committed ahead of it (a flash in front of the server) counts once the server has it.
     */
    long lastCheckpointId() {
        return lastCheckpointId;
    }

    /** Checkpoints committed by this run. */
    long checkpoints() {
        return checkpoints;
    }

    /**
     * Completes a pending suspend request exceptionally (the app ended or failed before its safepoint), and any
     * request made from now on.
     */
    synchronized void appEnded(Throwable why) {
        endedBecause = why;
        CompletableFuture<Long> f = suspendRequest;
        if (f != null) {
            f.completeExceptionally(why);
        }
    }

    @Override
    public boolean atSafepoint(boolean collected, boolean switched) {
        if (firstSafepoint != null) {
            firstSafepoint.run();
            firstSafepoint = null;
        }
        if (stopRequested) {
            return true;
        }
        renewLeaseIfDue();
        reportShipped(false);
        preflushIfDue();
        CompletableFuture<Long> suspend = suspendRequest;
        if (suspend != null) {
            if (!config.checkpointOnSuspend()) {
                reportShipped(true);
                suspend.complete(lastCheckpointId);
                return true;
            }
            if (!launcher.checkpointable()) {
                return false; // the next safepoint will do
            }
            return switch (checkpointUntilDone("suspend")) {
                case DONE -> {
                    try {
                        reportShipped(true);   // the app is resumed from the server's checkpoint: wait for it
                    } catch (RuntimeException e) {
                        suspend.completeExceptionally(e);
                        throw e;
                    }
                    suspend.complete(lastCheckpointId);
                    yield true;
                }
                case LATER -> false;
                case STOPPED -> {
                    suspend.completeExceptionally(new DeviceException("app " + config.app()
                            + " was stopped while its checkpoint waited for the store; it resumes from checkpoint " + lastCheckpointId));
                    yield true;
                }
            };
        }
        if (!due(collected, switched) || !launcher.checkpointable()) {
            return false;
        }
        String reason = checkpointRequested ? "request" : collected ? "collection" : switched ? "thread switch" : "policy";
        checkpointRequested = false;
        return checkpointUntilDone(reason) == Outcome.STOPPED;
    }

    private enum Outcome { DONE, LATER, STOPPED }

    /**
     * Keeps the heap lease: renewed every {@link #renewEvery}. Fenced (another device took the heap) ends the app
     * here; an unreachable store is retried at the next renewal, and a flush or checkpoint says if it is lost.
     */
    private void renewLeaseIfDue() {
        long now = clock.nanoTime();
        if (now - lastRenewalAt < renewEvery) {
            return;
        }
        lastRenewalAt = now;
        try {
            session.renewLease();
        } catch (StoreException e) {
            if (!e.reason().retryable()) {
                throw e; // fenced: the device reports it and stops the app
            }
            events.checkpointFailed("renewing the heap lease: " + e.getMessage());
        }
    }

    /**
     * Pre-flushing (the seed's): once {@link DeviceConfig#preflushLines()} lines are dirty, their images are written
     * in the background while the app goes on (not young lines while young collections free most of what they collect:
     * one is likely to free them, and a collection holds back flushing what it is about to free); when the write is done, the lines that were not written again
     * meanwhile become clean, so the next checkpoint writes only the rest. The session orders writes, so a later
     * flush or checkpoint of the same lines never loses to this one.
     */
    private void preflushIfDue() {
        if (config.preflushLines() == 0) {
            return;
        }
        if (preflush != null) {
            if (!preflush.isDone()) {
                return;
            }
            finishPreflush();
        }
        if (heap.stats().dirtyFrames() < config.preflushLines()) {
            return;
        }
        preflushed = heap.dirtyLineImages(vm.allocator().youngLines()::preflushSkips);
        if (preflushed.isEmpty()) {
            preflushed = null;
            return;
        }
        preflushedAt = heap.imageMark();
        preflush = session.flushInBackground(preflushed);
    }

    /** Waits for the pre-flush in flight, if any, and cleans its lines that still hold what it wrote. */
    private void finishPreflush() {
        if (preflush == null) {
            return;
        }
        try {
            preflush.get();
            heap.markCommitted(preflushed, preflushedAt);
            linesPreflushed += preflushed.size();
        } catch (java.util.concurrent.ExecutionException e) {
            // the lines stay dirty: the checkpoint (or an eviction) writes them and reports a store that is down
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException("interrupted waiting for a pre-flush of app " + config.app(), e);
        } finally {
            preflush = null;
            preflushed = null;
        }
    }

    /** Lines written ahead of checkpoints by pre-flushing. */
    long linesPreflushed() {
        return linesPreflushed;
    }

    private boolean due(boolean collected, boolean switched) {
        if (checkpointRequested || (collected && config.checkpointAfterCollection())
                || (switched && config.checkpointOnThreadSwitch())) {
            return true;
        }
        if (intervalNanos > 0 && clock.nanoTime() - lastCheckpointAt >= intervalNanos) {
            return true;
        }
        if (config.checkpointEveryDirtyLines() > 0) {
            PagingStats p = heap.stats();
            return p.dirtyFrames() + (p.linesFlushed() - flushedAtLastCheckpoint) >= config.checkpointEveryDirtyLines();
        }
        return false;
    }

    /**
     * Commits a checkpoint, pausing the app while the store is unreachable: DONE; LATER when the heap is too full
     * for the VM's tables (the next safepoint collects first, then tries again); STOPPED when the app was stopped
     * while paused.
     */
    private Outcome checkpointUntilDone(String reason) {
        long pause = 50_000_000L;
        long started = clock.nanoTime();   // the first attempt's store calls may have waited before it failed
        boolean failed = false;
        while (true) {
            try {
                long id = checkpoint(reason);
                if (failed) {
                    events.storeBack("checkpoint " + id, clock.nanoTime() - started);
                }
                return Outcome.DONE;
            } catch (HeapExhausted full) {
                vm.requestCollection();
                checkpointRequested = true;
                return Outcome.LATER;
            } catch (StoreException | HeapStoreUnreachableException e) {
                if (e instanceof StoreException se && !se.reason().retryable()) {
                    throw se; // fenced, or refused: the device reports it and stops the app
                }
                events.checkpointFailed(e.getMessage());
                api.failed(e.getMessage());
                failed = true;
                if (stopRequested) {
                    return Outcome.STOPPED;
                }
                pause(pause);
                pause = Math.min(MAX_PAUSE_NANOS, pause * 2);
            }
        }
    }

    /**
     * One checkpoint, now (at a checkpointable safepoint). Returns {@link #lastCheckpointId}: this one's id, unless it
     * was committed ahead of the server and the server does not have it yet.
     */
    long checkpoint(String reason) {
        long started = clock.nanoTime();
        finishPreflush();
        VmStateImage state = launcher.checkpointState();
        state.attachments.put(APP_FILES, appManifest);
        long covers = api.taking(state);
        leases.taking(state);
        storeMissingFiles();
        byte[] vmState = state.encode();
        DirtyLines dirty = dirtyLines();
        CompletableFuture<Long> shipped = session.commitAhead(dirty.lines(), dirty.deletes(), vmState,
                metadata(reason, vmState, state.threads.size()));
        committed(dirty);
        lastCheckpointAt = clock.nanoTime();
        flushedAtLastCheckpoint = heap.stats().linesFlushed();
        checkpoints++;
        ahead.add(shipped, dirty.lines().size(), started, reason, covers);
        reportShipped(false);
        return lastCheckpointId;
    }

    /**
     * Reports the checkpoints that reached the store that keeps the app's history (at once, unless the session
     * commits ahead of it), in order; with {@code waitForAll}, after waiting for every one, renewing the lease meanwhile
     * (a flash in front of a server that does not come back within the lease fails it as fenced).
     */
    private void reportShipped(boolean waitForAll) {
        while (waitForAll && !stopRequested && !ahead.await(Math.min(renewEvery, 1_000_000_000L))) {
            renewLeaseIfDue();   // ends the wait as fenced once the lease may have ended, the server still away
        }
        ahead.report((id, lines, nanos, reason, covers) -> {
            lastCheckpointId = id;
            api.checkpointed(id, covers);
            events.checkpointed(id, lines, nanos, reason);
        });
    }

    /** Milliseconds since this run's newest checkpoint (or its start). Any thread. */
    long checkpointAgeMillis() {
        return Math.max(0, (clock.nanoTime() - lastCheckpointAt) / 1_000_000);
    }

    /** Checkpoints committed on the device that the heap server does not have yet. */
    int checkpointsBehind() {
        return ahead.behind();
    }

    /** A checkpoint's metadata: the device, the reason and, when there is VM state, its threads. */
    private Map<String, String> metadata(String reason, byte[] vmState, int threads) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("device", config.deviceName());
        metadata.put("reason", reason);
        if (vmState.length > 0) {
            metadata.put("threads", Integer.toString(threads));
        }
        return metadata;
    }

    /** What a checkpoint commits: the dirty lines' images (taken at {@code mark}) and the lines to delete. */
    private record DirtyLines(List<LineImage> lines, long mark, long[] deletes) {
    }

    /** Every dirty line's image, and the lines a collection freed since the last flush. */
    private DirtyLines dirtyLines() {
        List<LineImage> lines = heap.dirtyLineImages();
        long mark = heap.imageMark();
        return new DirtyLines(lines, mark, heap.garbageLines());
    }

    /** The lines a commit wrote become clean, those it deleted gone. */
    private void committed(DirtyLines dirty) {
        heap.markCommitted(dirty.lines(), dirty.mark());
        heap.markDeleted(dirty.deletes());
    }

    /**
     * The app ended: a last checkpoint with every dirty line and no VM state, so nobody resumes the heap into a
     * past moment of a finished app. It waits until the server has it (and every checkpoint before).
     */
    void commitEnd() {
        finishPreflush();
        reportShipped(true);
        DirtyLines dirty = dirtyLines();
        byte[] none = new byte[0];
        lastCheckpointId = session.commit(dirty.lines(), dirty.deletes(), none, metadata("app ended", none, 0));
        committed(dirty);
        events.checkpointed(lastCheckpointId, dirty.lines().size(), 0, "app ended");
    }

    /**
     * Stores the app's class path files the store's system blobs lack, checking each with the store once; the class
     * files the VM ran went there with the heap header the checkpoint wrote ({@code Vm.writeHeapHeader}).
     */
    private void storeMissingFiles() {
        Map<BlobHash, byte[]> unchecked = new LinkedHashMap<>(appFiles);
        unchecked.keySet().removeAll(stored);
        blobs.putMissing(unchecked);
        stored.addAll(unchecked.keySet());
    }

    private void pause(long nanos) {
        try {
            clock.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException("the device was interrupted while the app was paused", e);
        }
    }
}
