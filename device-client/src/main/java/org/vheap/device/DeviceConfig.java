package org.vheap.device;

import org.vheap.device.store.HeapStore;
import org.vheap.device.vm.heap.paging.PagingConfig;

/**
 * How a device runs an app. Setters reject impossible values at once; {@link #validate()} checks the
 * combinations before a run (HikariCP's two layers).
 */
public final class DeviceConfig {
    /** The smallest device memory: the VM needs a handful of frames to make progress. */
    public static final int MIN_FRAMES = 16;
    /**
     * The checkpoint interval unless one is set, on a store that persists: a crash of the device loses at most
     * about this much of the app's work.
     */
    public static final java.time.Duration DEFAULT_CHECKPOINT_INTERVAL = java.time.Duration.ofSeconds(10);
    /** The largest nursery a device gets unless one is set. */
    public static final long DEFAULT_NURSERY_MAX = 1L << 20;

    private String app = "app";
    private String deviceName = "device";
    private long memoryBytes = 512L << 10;
    /** Negative: not set, an eighth of the memory ({@link #nurseryBytes()}). */
    private long nurseryBytes = -1;
    private long fileSpaceBytes = org.vheap.device.vm.VmLauncher.DEFAULT_FILE_SPACE;
    private long workingSetBytes;
    /** -1: paging's default (an eighth of the frames, at most 32). */
    private int readAheadLines = -1;
    private boolean compaction = true;
    private boolean youngCollections = false;
    private boolean writeBehind = true;
    private int lineSize = 4096;
    private long maxHeapBytes = 1L << 30;
    private int quantum = 10_000;
    private int tierThreshold = DEFAULT_TIER_THRESHOLD;
    private int checkpointEveryDirtyLines;
    /** Null: not set, {@link #checkpointInterval(HeapStore)} gives the default for the store. */
    private java.time.Duration checkpointInterval;
    private boolean checkpointAfterCollection;
    private boolean checkpointOnThreadSwitch;
    private boolean checkpointOnSuspend = true;
    private java.util.List<String> resources = java.util.List.of();
    private java.util.List<org.vheap.device.vm.mount.Mount> mounts = java.util.List.of();
    private java.time.Duration lease = java.time.Duration.ZERO;
    private java.time.Duration waitForLease = java.time.Duration.ZERO;
    private boolean eagerResume;
    private boolean verifyWriteBarrier;
    private org.vheap.device.vm.heap.CollectorProbe collectorProbe = org.vheap.device.vm.heap.CollectorProbe.NONE;
    private org.vheap.device.store.SessionProbe sessionProbe = org.vheap.device.store.SessionProbe.NONE;
    private int preflushLines = 64;
    private java.time.Duration storeRetryFor = java.time.Duration.ofSeconds(30);

    public String app() {
        return app;
    }

    public DeviceConfig app(String app) {
        if (app == null || app.isBlank()) {
            throw new IllegalArgumentException("app name must not be empty");
        }
        this.app = app;
        return this;
    }

    public String deviceName() {
        return deviceName;
    }

    public DeviceConfig deviceName(String deviceName) {
        if (deviceName == null || deviceName.isBlank()) {
            throw new IllegalArgumentException("device name must not be empty");
        }
        this.deviceName = deviceName;
        return this;
    }

    /** Bytes of device memory for line frames: the bound on the resident part of the virtual heap. */
    public long memoryBytes() {
        return memoryBytes;
    }

    /**
     * The device memory an app's paged heap takes for heaps of {@code lineSize}-byte lines: {@link #memoryBytes()} in
     * whole lines, at least {@link #MIN_FRAMES} of them (frames and nursery).
     */
    public long heapMemoryBytes(int lineSize) {
        return Math.max(memoryBytes - memoryBytes % lineSize, (long) MIN_FRAMES * lineSize);
    }

    public DeviceConfig memoryBytes(long memoryBytes) {
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("memory must be positive, got " + memoryBytes);
        }
        this.memoryBytes = memoryBytes;
        return this;
    }

    /**
     * Bytes of the device memory that hold the nursery, where new objects are allocated and most die without ever
     * reaching the store; the rest holds frames. Unless set, an eighth of the memory up to {@link #DEFAULT_NURSERY_MAX}
     * (a checkpoint promotes the nursery's survivors, which it then commits: a larger nursery, a longer checkpoint).
     * 0: no nursery.
     */
    public long nurseryBytes() {
        return nurseryBytes < 0 ? Math.min(memoryBytes / 8, DEFAULT_NURSERY_MAX) : nurseryBytes;
    }

    public DeviceConfig nurseryBytes(long nurseryBytes) {
        if (nurseryBytes < 0) {
            throw new IllegalArgumentException("nursery must be 0 (none) or more bytes, got " + nurseryBytes);
        }
        this.nurseryBytes = nurseryBytes;
        return this;
    }

    /**
     * The bytes the app's own files (its file system, kept in its heap) may hold together; a write beyond fails
     * with IOException "No space left on device". Default {@link org.vheap.device.vm.VmLauncher#DEFAULT_FILE_SPACE}.
     */
    public long fileSpaceBytes() {
        return fileSpaceBytes;
    }

    public DeviceConfig fileSpaceBytes(long fileSpaceBytes) {
        if (fileSpaceBytes < 0) {
            throw new IllegalArgumentException("file space must be 0 (no files) or more bytes, got " + fileSpaceBytes);
        }
        this.fileSpaceBytes = fileSpaceBytes;
        return this;
    }

    /**
     * The size of the user heap's working sets, collected a few at a time so a collection reads the part of the heap
     * it collects (a power of two; less than a line means a line); 0, the default: none, every collection of the user
     * heap is full (on the samples, working sets cost more reads than they save: see docs/device-vm.md).
     */
    public long workingSetBytes() {
        return workingSetBytes;
    }

    public DeviceConfig workingSetBytes(long workingSetBytes) {
        if (workingSetBytes < 0 || (workingSetBytes != 0 && Long.bitCount(workingSetBytes) != 1)) {
            throw new IllegalArgumentException("a working set must be 0 (none) or a power of two of bytes (64k, 256k, 1m), got "
                    + workingSetBytes);
        }
        this.workingSetBytes = workingSetBytes;
        return this;
    }

    /**
     * Whether the nursery's promotions fill young lines of the user heap, collected alone while they are still in device
     * memory ({@code vm.heap.YoungLines}; off by default); not with working sets, which take their place.
     */
    public boolean youngCollections() {
        return youngCollections;
    }

    public DeviceConfig youngCollections(boolean young) {
        this.youngCollections = young;
        return this;
    }

    /**
     * Whether full collections of the user heap also compact it: the live objects of mostly free lines move together
     * into dense ones, so a running program's working set takes fewer lines (on by default).
     */
    public boolean compaction() {
        return compaction;
    }

    public DeviceConfig compaction(boolean compact) {
        this.compaction = compact;
        return this;
    }

    /**
     * Write-behind: an eviction writes its dirty victims in the background while clean ones leave room, instead of
     * waiting for them (a failed store or a lost lease is then reported by the next write that waits, or the
     * checkpoint). On by default.
     */
    public boolean writeBehind() {
        return writeBehind;
    }

    public DeviceConfig writeBehind(boolean writeBehind) {
        this.writeBehind = writeBehind;
        return this;
    }

    /** Bytes per line for a new heap (an existing heap keeps its own). */
    public int lineSize() {
        return lineSize;
    }

    public DeviceConfig lineSize(int lineSize) {
        if (lineSize < 64 || lineSize > (1 << 20) || Integer.bitCount(lineSize) != 1) {
            throw new IllegalArgumentException("line size must be a power of two from 64 to 1 MiB, got " + lineSize);
        }
        this.lineSize = lineSize;
        return this;
    }

    /** The virtual heap's size limit: beyond it, allocation throws OutOfMemoryError in the app. */
    public long maxHeapBytes() {
        return maxHeapBytes;
    }

    public DeviceConfig maxHeapBytes(long maxHeapBytes) {
        if (maxHeapBytes < (1 << 20) || maxHeapBytes > (16L << 30)) {
            throw new IllegalArgumentException("max heap must be from 1 MiB to 16 GiB, got " + maxHeapBytes);
        }
        this.maxHeapBytes = maxHeapBytes;
        return this;
    }

    /** Calls plus backward branches of a method before the tier translates it, by default. */
    public static final int DEFAULT_TIER_THRESHOLD = 2_000;

    /**
     * The tier (the interpreter's translator of hot methods into host code, {@code vm.interp.Translator}): a method is
     * translated once its calls and backward branches reach this; 0 translates every method at its first call (a test
     * mode); -1: the tier is off ({@code --no-tier}).
     */
    public int tierThreshold() {
        return tierThreshold;
    }

    public DeviceConfig tierThreshold(int threshold) {
        if (threshold < -1) {
            throw new IllegalArgumentException("the tier's threshold is a count from 0, or -1 for no tier, got " + threshold);
        }
        this.tierThreshold = threshold;
        return this;
    }

    /** Bytecodes a green thread runs before the scheduler may switch to another. */
    public int quantum() {
        return quantum;
    }

    public DeviceConfig quantum(int quantum) {
        if (quantum < 1) {
            throw new IllegalArgumentException("quantum must be at least 1, got " + quantum);
        }
        this.quantum = quantum;
        return this;
    }

    /** Checkpoint when this many lines have been dirtied since the last one; 0: off. */
    public int checkpointEveryDirtyLines() {
        return checkpointEveryDirtyLines;
    }

    public DeviceConfig checkpointEveryDirtyLines(int lines) {
        if (lines < 0) {
            throw new IllegalArgumentException("checkpoint every N dirty lines needs N >= 0 (0: off), got " + lines);
        }
        this.checkpointEveryDirtyLines = lines;
        return this;
    }

    /**
     * Checkpoint when this long has passed since the last one (zero: off) — what a device on {@code store} uses.
     * Unless set, {@link #DEFAULT_CHECKPOINT_INTERVAL} (10 s) on a store that {@link HeapStore#persistent()
     * persists}, so that work is protected by default: a crash of the device loses at most the last 10 s. Off on a
     * store that does not persist ({@code MemoryHeapStore}), whose checkpoints die with the process anyway.
     */
    public java.time.Duration checkpointInterval(HeapStore store) {
        if (checkpointInterval != null) {
            return checkpointInterval;
        }
        return store.persistent() ? DEFAULT_CHECKPOINT_INTERVAL : java.time.Duration.ZERO;
    }

    /** Sets the checkpoint interval on every store (zero: off); see {@link #checkpointInterval(HeapStore)}. */
    public DeviceConfig checkpointInterval(java.time.Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("checkpoint interval must be zero (off) or positive, got " + interval);
        }
        this.checkpointInterval = interval;
        return this;
    }

    /** Checkpoint after each garbage collection. */
    public boolean checkpointAfterCollection() {
        return checkpointAfterCollection;
    }

    public DeviceConfig checkpointAfterCollection(boolean on) {
        this.checkpointAfterCollection = on;
        return this;
    }

    /** Checkpoint at every switch between green threads (costly; off by default). */
    public boolean checkpointOnThreadSwitch() {
        return checkpointOnThreadSwitch;
    }

    public DeviceConfig checkpointOnThreadSwitch(boolean on) {
        this.checkpointOnThreadSwitch = on;
        return this;
    }

    /** Checkpoint when the app is suspended (on by default; off suspends to the last checkpoint, losing later work). */
    public boolean checkpointOnSuspend() {
        return checkpointOnSuspend;
    }

    public DeviceConfig checkpointOnSuspend(boolean on) {
        this.checkpointOnSuspend = on;
        return this;
    }

    /**
     * The device's resources apps may lease ({@code console}, {@code sensor:temperature}, {@code net}), its mounts'
     * ({@code mount:/PATH}) among them.
     */
    public java.util.List<String> resources() {
        if (mounts.isEmpty()) {
            return resources;
        }
        java.util.List<String> all = new java.util.ArrayList<>(resources);
        for (org.vheap.device.vm.mount.Mount m : mounts) {
            all.add(m.resource());
        }
        return java.util.List.copyOf(all);
    }

    /** The host directories the device mounts into its apps' file systems ({@code --mount}). */
    public java.util.List<org.vheap.device.vm.mount.Mount> mounts() {
        return mounts;
    }

    /** Mounts, one per point (two at one point are refused). */
    public DeviceConfig mounts(java.util.List<org.vheap.device.vm.mount.Mount> mounts) {
        for (org.vheap.device.vm.mount.Mount m : mounts) {
            for (org.vheap.device.vm.mount.Mount other : mounts) {
                if (m != other && m.point().equals(other.point())) {
                    throw new IllegalArgumentException("two mounts at " + m.point() + ": give each mount its own path");
                }
                if ((m.point() + "/").startsWith(other.point() + "/") && !m.point().equals(other.point())) {
                    throw new IllegalArgumentException("mount " + m.point() + " is inside mount " + other.point()
                            + ": give mounts paths that do not nest");
                }
            }
        }
        this.mounts = java.util.List.copyOf(mounts);
        return this;
    }

    public DeviceConfig resources(java.util.List<String> names) {
        for (String r : names) {
            if (r == null || r.isBlank() || r.contains(",")) {
                throw new IllegalArgumentException("a resource name must be non-empty without commas, got '" + r + "'");
            }
        }
        this.resources = java.util.List.copyOf(names);
        return this;
    }

    /**
     * How long the app's heap lease lasts without renewal (zero: the store's default). The device renews it at
     * safepoints every third of it (at most every 5 s); a device that stalls longer loses the heap to any device
     * that resumes the app, and is fenced.
     */
    public java.time.Duration lease() {
        return lease;
    }

    public DeviceConfig lease(java.time.Duration lease) {
        if (lease == null || lease.isNegative() || (!lease.isZero() && lease.toMillis() < 500)) {
            throw new IllegalArgumentException("lease must be zero (the store's default) or at least 500 ms, got " + lease);
        }
        this.lease = lease;
        return this;
    }

    /**
     * How long to wait for another device's lease on the app's heap to end (it was killed, or is being
     * suspended) before giving up; zero: do not wait.
     */
    public java.time.Duration waitForLease() {
        return waitForLease;
    }

    public DeviceConfig waitForLease(java.time.Duration wait) {
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("the lease wait must be zero or positive, got " + wait);
        }
        this.waitForLease = wait;
        return this;
    }

    /**
     * Resume eagerly: bring in every line of the heap (as far as memory holds them) before the app runs again,
     * instead of the lines its first instructions touch (lazy, the default).
     */
    public boolean eagerResume() {
        return eagerResume;
    }

    public DeviceConfig eagerResume(boolean eager) {
        this.eagerResume = eager;
        return this;
    }

    /**
     * Pre-flushing: when this many lines are dirty, write them to the store in the background (uncommitted), so
     * the next checkpoint has fewer to write; 0: off.
     */
    public int preflushLines() {
        return preflushLines;
    }

    public DeviceConfig preflushLines(int lines) {
        if (lines < 0) {
            throw new IllegalArgumentException("pre-flush lines must be >= 0 (0: off), got " + lines);
        }
        this.preflushLines = lines;
        return this;
    }

    /**
     * How long a line read or flush keeps retrying a store that is unavailable (a heap server restarting, its
     * database away) before the app stops with a device error; checkpoints wait for the store regardless.
     */
    public java.time.Duration storeRetryFor() {
        return storeRetryFor;
    }

    public DeviceConfig storeRetryFor(java.time.Duration retryFor) {
        if (retryFor == null || retryFor.isNegative() || retryFor.compareTo(PagingConfig.MAX_RETRY_FOR) > 0) {
            throw new IllegalArgumentException("store retry time must be 0.." + PagingConfig.MAX_RETRY_FOR + ", got " + retryFor);
        }
        this.storeRetryFor = retryFor;
        return this;
    }

    /** A copy to change (a device's apps each get one with their own name). */
    public DeviceConfig copy() {
        DeviceConfig c = new DeviceConfig();
        c.app = app;
        c.deviceName = deviceName;
        c.memoryBytes = memoryBytes;
        c.nurseryBytes = nurseryBytes;
        c.workingSetBytes = workingSetBytes;
        c.readAheadLines = readAheadLines;
        c.compaction = compaction;
        c.youngCollections = youngCollections;
        c.writeBehind = writeBehind;
        c.lineSize = lineSize;
        c.maxHeapBytes = maxHeapBytes;
        c.quantum = quantum;
        c.tierThreshold = tierThreshold;
        c.checkpointEveryDirtyLines = checkpointEveryDirtyLines;
        c.checkpointInterval = checkpointInterval;
        c.checkpointAfterCollection = checkpointAfterCollection;
        c.checkpointOnThreadSwitch = checkpointOnThreadSwitch;
        c.checkpointOnSuspend = checkpointOnSuspend;
        c.resources = resources;
        c.mounts = mounts;
        c.lease = lease;
        c.waitForLease = waitForLease;
        c.eagerResume = eagerResume;
        c.fileSpaceBytes = fileSpaceBytes;
        c.verifyWriteBarrier = verifyWriteBarrier;
        c.collectorProbe = collectorProbe;
        c.sessionProbe = sessionProbe;
        c.preflushLines = preflushLines;
        c.storeRetryFor = storeRetryFor;
        return c;
    }

    /**
     * How many lines a miss that continues an ascending run reads after it (with the 4 before it) in the same store
     * call (0: none; -1, the default: an eighth of the frames, at most 32; see {@code vm.heap.paging.ReadAhead}). At
     * most a quarter of the frames is used.
     */
    public int readAheadLines() {
        return readAheadLines;
    }

    public DeviceConfig readAheadLines(int lines) {
        if (lines < -1) {
            throw new IllegalArgumentException("read-ahead must be 0 (off) or more lines (-1: the default), got " + lines);
        }
        this.readAheadLines = lines;
        return this;
    }

    /** Told as the app's collections pass their points: the crash tests' {@link CrashPoint}; by default nothing. */
    public org.vheap.device.vm.heap.CollectorProbe collectorProbe() {
        return collectorProbe;
    }

    public DeviceConfig collectorProbe(org.vheap.device.vm.heap.CollectorProbe probe) {
        this.collectorProbe = java.util.Objects.requireNonNull(probe, "probe");
        return this;
    }

    /** Told as the app's writes to the store pass their points: the crash tests' {@link CrashPoint}; by default nothing. */
    public org.vheap.device.store.SessionProbe sessionProbe() {
        return sessionProbe;
    }

    public DeviceConfig sessionProbe(org.vheap.device.store.SessionProbe probe) {
        this.sessionProbe = java.util.Objects.requireNonNull(probe, "probe");
        return this;
    }

    /**
     * Before every minor collection, walk the whole heap and stop the app if a user-heap reference into the nursery
     * escaped the write barrier (a VM bug). For tests: it reads every live object at each minor collection.
     */
    public boolean verifyWriteBarrier() {
        return verifyWriteBarrier;
    }

    public DeviceConfig verifyWriteBarrier(boolean verify) {
        this.verifyWriteBarrier = verify;
        return this;
    }

    /** Checks the combination of settings. */
    public void validate() {
        if (memoryBytes / lineSize < MIN_FRAMES) {
            throw new IllegalArgumentException("memory " + memoryBytes + " holds fewer than " + MIN_FRAMES
                    + " lines of " + lineSize + " bytes; give more memory or a smaller line size");
        }
        if (maxHeapBytes < memoryBytes) {
            throw new IllegalArgumentException("max heap " + maxHeapBytes + " is smaller than the device memory " + memoryBytes);
        }
        if (nurseryBytes() > memoryBytes / 2) {
            throw new IllegalArgumentException("nursery " + nurseryBytes() + " is over half the device memory " + memoryBytes
                    + " (the rest pages the heap); give a smaller nursery or more memory");
        }
    }
}
