package org.vheap.device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.vheap.device.store.DeviceClock;
import org.vheap.device.store.DeviceSession;
import org.vheap.device.store.DeviceSessions;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.LineCache;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.VmLauncher;
import org.vheap.device.vm.heap.ObjectAllocator;
import org.vheap.device.vm.heap.paging.HeapFencedException;
import org.vheap.device.vm.heap.paging.HeapStoreUnreachableException;
import org.vheap.device.vm.heap.paging.PagedHeap;
import org.vheap.device.vm.heap.paging.PagingConfig;
import org.vheap.device.vm.heap.paging.PagingStats;
import org.vheap.device.vm.interp.CallSites;
import org.vheap.device.vm.loader.ClassPathImage;
import org.vheap.device.vm.loader.ClassSource;
import org.vheap.device.vm.loader.HostLibrary;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.format.BlobHash;
import org.vheap.format.VmStateImage;
import org.vheap.proto.v1.AppReport;
import org.vheap.store.StoreException;

/**
 * One app on an emulated device: opens the app's heap in the store (taking its lease), boots the JDK's
 * library on a paged heap of {@link DeviceConfig#memoryBytes()} bytes of frames — or resumes the app from a
 * checkpoint — runs it, checkpoints it as {@link DeviceConfig} says (by default every 10 s on a store that
 * persists, so a crash of the device loses at most that much work), and releases the lease when the app ends
 * or is suspended. The class files it runs are lines of the heap's system segment, sharing the frames
 * (and so {@code --memory}) with the user lines; the VM uploads them to the store's system blobs.
 *
 * <p>{@link #run} starts an app fresh (an app whose heap already has a checkpoint is refused: resume it or
 * delete it); {@link #resume} goes on from a checkpoint on this device, which may be another process on
 * another host than the one that took it: the app's class files and class path come from the store's system
 * blobs, not from this host. {@link #suspend} and {@link #checkpoint} may be called from other threads while
 * the app runs. Failures of the device itself (the store unreachable after retries, the lease lost, a heap that
 * cannot be resumed) end the run with {@link DeviceException}; failures of the program are the program's (its
 * exit code and stderr).
 */
public final class Device {
    /** What {@link #run} and {@link #resume} return when the app was suspended (see {@link #lastCheckpointId()}). */
    public static final int SUSPENDED = VmLauncher.SUSPENDED;

    private final DeviceConfig config;
    private final HeapStore store;
    private final DeviceConsole console;
    private final ParsedClasses parsed;
    private final DeviceEvents events;
    private final DeviceResources resources;
    private final DeviceClock clock;
    private volatile LineCache lineCache;
    private volatile Supplier<AppReport> live;   // set while the app runs
    private volatile DeviceStats stats = new DeviceStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, new org.vheap.device.vm.heap.CollectionLog(), 0, 0, 0, 0, 0, 0);
    private volatile Checkpointer checkpointer;
    private volatile long lastCheckpointId;
    private final java.util.concurrent.CompletableFuture<Checkpointer> started = new java.util.concurrent.CompletableFuture<>();

    public Device(DeviceConfig config, HeapStore store, DeviceConsole console) {
        this(config, store, console, new ParsedClasses(), DeviceEvents.none());
    }

    /** With parsed class files shared between devices of this process (tests, several apps). */
    public Device(DeviceConfig config, HeapStore store, DeviceConsole console, ParsedClasses parsed) {
        this(config, store, console, parsed, DeviceEvents.none());
    }

    /** A device for one app: its resources its own, its memory not kept after the app (nor zeroed for a next one). */
    public Device(DeviceConfig config, HeapStore store, DeviceConsole console, ParsedClasses parsed, DeviceEvents events) {
        this(config, store, console, parsed, events, new DeviceResources(config.deviceName(), config.resources(),
                new org.vheap.device.vm.heap.paging.FrameMemory(0)));
    }

    /** With the resources of a device process shared by its apps. */
    public Device(DeviceConfig config, HeapStore store, DeviceConsole console, ParsedClasses parsed, DeviceEvents events,
                  DeviceResources resources) {
        this(config, store, console, parsed, events, resources, DeviceClock.system());
    }

    /**
     * With the clock every wait and time-based decision of the device runs on: the wait for a held lease, the
     * store retries, the checkpoint triggers and pauses, and the VM's clock (tests move it).
     */
    public Device(DeviceConfig config, HeapStore store, DeviceConsole console, ParsedClasses parsed, DeviceEvents events,
                  DeviceResources resources, DeviceClock clock) {
        config.validate();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.resources = Objects.requireNonNull(resources, "resources");
        this.config = config;
        this.store = Objects.requireNonNull(store, "store");
        this.console = Objects.requireNonNull(console, "console");
        this.parsed = Objects.requireNonNull(parsed, "parsed");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Runs {@code mainClass} from {@code classpath} (jars and class directories) with {@code args}, and returns
     * the program's exit code: the argument of {@code System.exit}, 0 when every non-daemon thread ended, or 1
     * after an uncaught exception in main (printed to the console's error stream as HotSpot prints it); or
     * {@link #SUSPENDED}.
     *
     * @throws DeviceException when the device cannot run the app (store unreachable, lease, heap exists)
     */
    public int run(List<Path> classpath, String mainClass, List<String> args) {
        ClassPathImage appFiles = ClassPathImage.capture(classpath);
        return execute(true, false, 0, (session, steps) -> new Start(appFiles, name -> null, null, mainClass, args));
    }

    /**
     * Runs the app as {@link #run} does when it has no heap yet, else resumes it from its newest checkpoint as
     * {@link #resume} does: what a device that comes back (a restarted container) does with its app.
     *
     * @throws DeviceException as {@link #run} and {@link #resume} do (an app that has ended cannot go on)
     */
    public int runOrResume(List<Path> classpath, String mainClass, List<String> args) {
        ClassPathImage appFiles = ClassPathImage.capture(classpath);
        return execute(true, true, 0, (session, steps) -> session.baseCheckpointId() == 0
                ? new Start(appFiles, name -> null, null, mainClass, args) : resumeStart(session, steps));
    }

    /**
     * Goes on with the app from checkpoint {@code checkpointId} (0: the newest), exactly where it stopped, and
     * returns as {@link #run} does. Lazy: the app runs as soon as its VM state is read and its classes are
     * linked; heap lines come in as the app touches them.
     *
     * @throws DeviceException when there is nothing to resume or the checkpoint cannot be resumed here
     */
    public int resume(long checkpointId) {
        return execute(false, true, checkpointId, this::resumeStart);
    }

    /**
     * Suspends the running app at its next safepoint: checkpoints it (unless configured off), stops it and
     * releases its lease. Returns the checkpoint it can be resumed from; waits at most {@code timeout}.
     *
     * @throws DeviceException when no app is running, it ended first, or the time ran out
     */
    public long suspend(java.time.Duration timeout) {
        Checkpointer c = awaitStarted(timeout);
        return await(c.requestSuspend(), timeout, "did not suspend", "did not reach a safepoint", "while suspending");
    }

    /**
     * Waits until the app runs (its first safepoint: booted, or its VM state restored).
     *
     * @throws DeviceException when it failed to start (with why) or the time ran out
     */
    public void awaitRunning(java.time.Duration timeout) {
        awaitStarted(timeout);
    }

    /**
     * Keeps copies of the app's lines in {@code cache} (shared by a device process's apps), so that when the app
     * returns to this device only lines that changed meanwhile are fetched. Before {@link #run} or {@link #resume}.
     */
    public void setLineCache(LineCache cache) {
        this.lineCache = cache;
    }

    /** Asks the running app for a checkpoint at its next safepoint. */
    public void checkpoint() {
        awaitStarted(java.time.Duration.ofSeconds(30)).requestCheckpoint();
    }

    /** Stops the running app at its next safepoint without a checkpoint; it can resume from its last one. */
    public void stop() {
        Checkpointer c = checkpointer;
        if (c != null) {
            c.requestStop();
        }
    }

    private Checkpointer awaitStarted(java.time.Duration timeout) {
        return await(started, timeout, "is not running", "has not started", "waiting for");
    }

    /**
     * Waits at most {@code timeout} for {@code f}. Its failure is "app A {@code failed}: why", the time running
     * out "app A {@code late} within N ms", an interrupt "interrupted {@code waiting} app A": DeviceExceptions.
     */
    private <T> T await(java.util.concurrent.Future<T> f, java.time.Duration timeout, String failed, String late,
                        String waiting) {
        try {
            return f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new DeviceException("app " + config.app() + " " + failed + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new DeviceException("app " + config.app() + " " + late + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException("interrupted " + waiting + " app " + config.app(), e);
        }
    }

    /** The newest checkpoint of the last run (or the one it resumed from); 0 when none. */
    public long lastCheckpointId() {
        Checkpointer c = checkpointer;
        return c != null ? c.lastCheckpointId() : lastCheckpointId;
    }

    /**
     * Checkpoints of the running app committed on the device that the heap server does not have yet: a flash store in
     * front of it ships them in the background. 0 when none, or when the app is not running.
     */
    public int checkpointsBehind() {
        Checkpointer c = checkpointer;
        return c != null ? c.checkpointsBehind() : 0;
    }

    /** How an app starts: fresh (a main class) or from a VM state. */
    private record Start(ClassPathImage appFiles, ClassSource.Pinned pinned, VmStateImage state, String mainClass,
                         List<String> args) {
    }

    /** Gathers what a resume needs before the VM is built: the VM state and its class files, parsed. */
    private Start resumeStart(HeapSession session, ResumeSteps.Recorder steps) {
        if (session.baseCheckpointId() == 0) {
            throw new DeviceException("app " + config.app() + " has no checkpoint to resume; start it with ./vheap device run");
        }
        byte[] raw = session.baseVmState();
        if (raw.length == 0) {
            throw endedRefusal(session.baseCheckpointId(), "checkpoint");
        }
        VmStateImage state;
        try {
            state = VmLauncher.readState(raw);
        } catch (IllegalArgumentException e) {
            throw new DeviceException("checkpoint " + session.baseCheckpointId() + " of app " + config.app()
                    + " cannot be resumed here: " + e.getMessage() + " (delete it: ./vheap delete-app --app " + config.app() + ")", e);
        }
        SystemBlobStore blobs = store.systemBlobs(config.app());
        Map<BlobHash, byte[]> classFiles = fetchClassFiles(blobs, state);
        steps.next();
        org.vheap.device.vm.loader.ClassRegistry.preparse(parsed, classFiles);
        steps.next();
        Map<String, ClassSource.Found> pinned = new java.util.HashMap<>();
        for (VmStateImage.ClassImage c : state.classes) {
            if (c.sha256() != null) {
                BlobHash h = BlobHash.of(c.sha256());
                pinned.put(c.name(), new ClassSource.Found(classFiles.get(h), c.module(), c.bootstrap(), h));
            }
        }
        byte[] manifest = state.attachments.get(Checkpointer.APP_FILES);
        ClassPathImage appFiles = manifest == null ? ClassPathImage.empty() : ClassPathImage.stored(manifest, h -> {
            Map<BlobHash, byte[]> one = blobs.get(List.of(h));
            return one.get(h);
        });
        return new Start(appFiles, pinned::get, state, null, null);
    }

    /**
     * Refuses to run or resume an app whose heap ended: the checkpoint its last run committed when the app ended
     * holds every line but no VM state, so there is nothing to go on from, and a fresh run would start over on a heap
     * that is not empty.
     */
    private DeviceException endedRefusal(long checkpointId, String which) {
        return new DeviceException("app " + config.app() + " ended (its " + which + " " + checkpointId
                + " holds no VM state): nothing to resume; to run it again delete it first: ./vheap delete-app --app "
                + config.app() + ", or run it under another --app name");
    }

    /**
     * The class files a checkpoint's class table names, by SHA-256: the JDK's from this host's own JDK where its
     * class file is the very same, those fetched before from the code cache, the rest from the store's system blobs
     * (all must be there, with those bytes).
     */
    private Map<BlobHash, byte[]> fetchClassFiles(SystemBlobStore blobs, VmStateImage state) {
        Map<BlobHash, byte[]> files = new java.util.HashMap<>();
        List<BlobHash> hashes = new ArrayList<>();
        for (VmStateImage.ClassImage c : state.classes) {
            if (c.sha256() == null) {
                continue;
            }
            BlobHash h = BlobHash.of(c.sha256());
            if (c.module() != null) {
                ClassSource.Found local = parsed.hostFiles().find(c.name());
                if (local != null && local.hash().equals(h)) {
                    files.put(h, local.bytes());
                    continue;
                }
            }
            byte[] fetched = parsed.fetchedFiles().get(h);
            if (fetched != null) {   // fetched for an earlier run in this process, checked then
                files.put(h, fetched);
                continue;
            }
            hashes.add(h);
        }
        for (int i = 0; i < hashes.size(); i += 500) {
            files.putAll(blobs.get(hashes.subList(i, Math.min(hashes.size(), i + 500))));
        }
        for (BlobHash h : hashes) {
            byte[] file = files.get(h);
            if (file == null) {
                throw new DeviceException("app " + config.app() + " cannot be resumed: class file " + h
                        + " is missing from the store's system blobs");
            }
            if (!BlobHash.digest(file).equals(h)) {
                throw new DeviceException("app " + config.app() + " cannot be resumed: the store's system blobs returned"
                        + " other bytes for class file " + h);
            }
            parsed.fetchedFiles().put(h, file);
        }
        return files;
    }

    private int execute(boolean create, boolean existing, long checkpointId,
                        java.util.function.BiFunction<HeapSession, ResumeSteps.Recorder, Start> starter) {
        String unsupported = HostLibrary.refusal(Runtime.version().feature());
        if (unsupported != null) {   // before the heap is opened: a refused run changes nothing in the store
            DeviceException refused = new DeviceException(unsupported);
            started.completeExceptionally(refused);
            throw refused;
        }
        Checkpointer cp = null;
        ResumeSteps.Recorder steps = new ResumeSteps.Recorder(clock::nanoTime);
        PagedHeap opened = null;   // its device memory goes back to the device once the session closed
        OpenRequest request = new OpenRequest(config.app(), config.deviceName(), create, config.lineSize(), config.lease(),
                checkpointId);
        // closing it lets its queued background writes finish before the lease is released
        try (DeviceSession session = DeviceSessions.open(store, request, config.waitForLease(), config.storeRetryFor(),
                lineCache, clock)) {
            session.probe(config.sessionProbe());
            if (!existing && session.baseCheckpointId() != 0) {
                if (session.baseVmState().length == 0) {
                    throw endedRefusal(session.baseCheckpointId(), "newest checkpoint");
                }
                throw new DeviceException("app " + config.app() + " already has a heap (checkpoint "
                        + session.baseCheckpointId() + "); resume it, or delete it first: ./vheap delete-app --app " + config.app());
            }
            steps.next();
            Start start = starter.apply(session, steps);
            int lineSize = session.lineSize();
            long memory = config.heapMemoryBytes(lineSize);
            long nursery = Math.min(config.nurseryBytes() - config.nurseryBytes() % lineSize, memory / 2 / lineSize * lineSize);
            int frames = (int) ((memory - nursery) / lineSize);
            PagingConfig paging = new PagingConfig().setMemoryBytes(memory).setLineSize(lineSize)
                    .setNurseryBytes(nursery)
                    .setFreeFrameThreshold(Math.max(1, Math.min(8, frames / 8)))
                    .setMaxHeapBytes(config.maxHeapBytes()).setStoreRetryFor(config.storeRetryFor())
                    .setWriteBehind(config.writeBehind());
            if (config.readAheadLines() >= 0) {
                paging.setReadAheadLines(Math.min(config.readAheadLines(), frames / 4));
            }
            if (config.workingSetBytes() > 0) {   // smaller than a line: a line
                paging.setWorkingSetBytes(Math.max(config.workingSetBytes(), lineSize));
            }
            PagedHeap heap = new PagedHeap(session, paging.validate(), clock, events, resources.frameMemory());
            opened = heap;
            ObjectAllocator allocator = new ObjectAllocator(heap, start.state() == null ? lineSize : start.state().top,
                    config.maxHeapBytes());
            if (start.state() != null) {
                heap.unusedFrom(start.state().top);   // above the checkpoint's allocation pointer: no store reads
            }
            if (start.state() != null && config.eagerResume()) {
                long chunk = (long) (frames / 2) * lineSize;
                long end = Math.min(start.state().top, memory - chunk);
                for (long at = 0; at < end; at += chunk) {
                    heap.prefetch(at, Math.min(chunk, end - at));
                }
            }
            // the VM's clock goes on from the checkpoint's, whatever this host's clock says
            long offset = start.state() == null ? 0 : start.state().vmNanos - clock.nanoTime();
            java.util.function.LongSupplier nanos = () -> clock.nanoTime() + offset;
            try (ClassSource source = new ClassSource(start.appFiles(), start.pinned(), parsed.hostFiles())) {
                SystemBlobStore blobs = store.systemBlobs(config.app());
                Vm vm = new Vm(heap, allocator, source, parsed, blobs, console, nanos, System::currentTimeMillis);
                heap.systemLines(vm.systemSegment());
                VmLauncher launcher = new VmLauncher(vm, CallSites.standard(vm::classFile), config.quantum(),
                        config.fileSpaceBytes());
                launcher.verifyRememberedSets(config.verifyWriteBarrier());
                launcher.compactUserHeap(config.compaction());
                launcher.setTier(config.tierThreshold());
                if (config.youngCollections() && config.workingSetBytes() == 0) {
                    launcher.collectYoungLines();
                }
                launcher.setCollectorProbe(config.collectorProbe());
                cp = new Checkpointer(config, config.checkpointInterval(store), session, heap, launcher, vm, blobs,
                        start.appFiles().encodeManifest(), start.appFiles().localFiles(), clock, events, resources);
                launcher.setSafepointListener(cp);
                cp.api().register(launcher.natives(), vm);
                cp.resourceLeases().register(launcher.natives(), vm);
                vm.sockets().gate(cp.resourceLeases().network());
                ResourceLeases leases = cp.resourceLeases();
                vm.mounts().offer(config.mounts(), leases::takeForVm);
                if (start.state() != null) {
                    cp.api().resumed(start.state(), session.baseCheckpointId(), config.deviceName());
                    cp.resourceLeases().resumed(start.state());
                }
                checkpointer = cp;
                Checkpointer running = cp;
                String app = config.app();
                live = () -> {   // counters of a running VM read from another thread: a moment's values, never negative
                    PagingStats p = heap.stats();
                    return AppReport.newBuilder().setApp(app).setFaults(Math.max(0, p.misses()))
                            .setLinesFetched(Math.max(0, p.linesFetched())).setLinesFlushed(Math.max(0, p.linesFlushed()))
                            .setCollections(Math.max(0, vm.collections()))
                            .setPauseNanosTotal(Math.max(0, launcher.pauseNanosTotal()))
                            .setPauseNanosMax(Math.max(0, launcher.pauseNanosMax()))
                            .setHeapBytesUsed(Math.max(0, vm.heapBytesInUse()))
                            .setResidentBytes(Math.max(0, (long) p.residentFrames() * lineSize))
                            .setLastCheckpointId(Math.max(0, running.lastCheckpointId()))
                            .setCheckpointAgeMillis(running.checkpointAgeMillis())
                            .setCheckpointsBehind(Math.max(0, running.checkpointsBehind())).build();
                };
                boolean resuming = start.state() != null;
                cp.onFirstSafepoint(() -> {
                    if (resuming) {
                        steps.next();
                        events.resumed(session.baseCheckpointId(), steps.steps(), heap.stats().linesFetched());
                    }
                    started.complete(running);
                });
                int exit;
                try {
                    if (start.state() == null) {
                        exit = launcher.launch(start.mainClass(), start.args());
                    } else {
                        steps.next();
                        launcher.restore(start.state());
                        steps.next();
                        exit = launcher.runRestored();
                    }
                } finally {
                    live = null;
                    vm.sockets().closeAll();
                    cp.resourceLeases().releaseAll();
                    console.out().flush();
                    console.err().flush();
                    PagingStats p = heap.stats();
                    long peak = Math.max(launcher.peakHeapBytes(), vm.heapBytesInUse());
                    stats = new DeviceStats(vm.bytecodes(), p.misses(), p.linesFlushed(), p.evictions(),
                            vm.heapBytesInUse(), peak, vm.collections(), p.systemMisses(), p.systemEvictions(),
                            vm.systemSegment().blobsFetched(), vm.systemSegment().map().placements().size(),
                            session.bytesFetched(), session.linesUnchanged(), cp.linesPreflushed(), p.linesFetched(),
                            p.linesDiscarded(), p.linesDeleted(), launcher.bytesPromoted(), vm.nursery().capacity(),
                            launcher.collectionLog(), vm.allocator().workingSets().bytes(), launcher.bytesCompacted(),
                            p.backgroundWritesFailed(), launcher.translatedMethods(), session.linesPatched(),
                            session.bytesChanged());
                }
                if (exit != SUSPENDED) {
                    ended(cp, vm);
                }
                lastCheckpointId = cp.lastCheckpointId();
                return exit;
            }
        } catch (InterruptedException e) {   // only the lease wait throws it: nothing was opened
            Thread.currentThread().interrupt();
            DeviceException stopped = new DeviceException("interrupted waiting for the heap lease of app " + config.app()
                    + " (another device holds it)", e);
            started.completeExceptionally(stopped);
            throw stopped;
        } catch (RuntimeException e) {
            started.completeExceptionally(e);
            if (cp != null) {
                cp.appEnded(e);
            }
            if (e instanceof DeviceException) {
                throw e;
            }
            boolean fenced = e instanceof HeapFencedException || (e instanceof StoreException se
                    && se.reason() == StoreException.Reason.FENCED);
            if (fenced) {   // a paging call (HeapFencedException says why), a renewal at a safepoint or a commit
                String why = e instanceof HeapFencedException ? e.getMessage() : "app '" + config.app()
                        + "' was taken over by another device or its lease ended: " + e.getMessage();
                throw new DeviceException("this device is fenced; stopping the app here: " + why, e);
            }
            if (e instanceof StoreException) {
                throw new DeviceException("the heap store failed: " + e.getMessage(), e);
            }
            if (e instanceof HeapStoreUnreachableException) {
                throw new DeviceException(e.getMessage(), e);
            }
            throw e;
        } finally {
            checkpointer = null;
            if (opened != null) {
                opened.close();
            }
            if (!started.isDone()) {
                started.completeExceptionally(new DeviceException("app " + config.app() + " did not start"));
            }
        }
    }

    /**
     * The app ended: the store's system blobs get every class file it ran (if the last heap header did not upload them); a heap that was checkpointed gets a last
     * checkpoint without VM state, so it is not resumed into a past moment of a finished app.
     */
    private void ended(Checkpointer cp, Vm vm) {
        cp.appEnded(new DeviceException("app " + config.app() + " ended"));
        vm.systemSegment().upload();   // the last heap header did; a no-op unless it was skipped
        if (cp.lastCheckpointId() != 0 || cp.checkpoints() > 0) {   // one may not have reached the server yet
            cp.commitEnd();
        }
    }

    /**
     * How the app runs now, read from another thread for the device's reports (counters since this run began; a
     * moment's values, not a consistent snapshot); null while it is not running.
     */
    public AppReport report() {
        Supplier<AppReport> now = live;
        return now == null ? null : now.get();
    }

    /** What the last run did. */
    public DeviceStats stats() {
        return stats;
    }
}
