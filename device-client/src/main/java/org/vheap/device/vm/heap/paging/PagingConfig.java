package org.vheap.device.vm.heap.paging;

import java.time.Duration;

/**
 * How a {@link PagedHeap} pages. Setters reject impossible values at once; {@link #validate()} checks the
 * combinations and names what to fix. A {@link PagedHeap} validates it and reads it once, when it is
 * built; changing the config afterwards changes nothing for that heap. Not thread-safe.
 *
 * <ul>
 *   <li>memory bytes: device memory, one array: the nursery and the frames ({@code (memoryBytes - nurseryBytes) /
 *       lineSize} of them)</li>
 *   <li>nursery bytes: the part of the memory that holds the nursery (at most half; 0: no nursery), never paged</li>
 *   <li>working-set bytes: the size of the user heap's working sets, collected a few at a time (a power of two, at
 *       least a line); 0, the default: none, every collection of the user heap is full</li>
 *   <li>line size: bytes per line; must be the heap's (the store fixes it when the heap is created)</li>
 *   <li>free-frame threshold: when free frames would fall below it, a batch of at least this many lines is
 *       evicted, and their dirty ones are flushed in one store write</li>
 *   <li>store retry attempts and backoff: a store call that fails with {@code UNAVAILABLE} is tried this
 *       many times in all, sleeping {@code backoff}, then twice that, and so on (capped at
 *       {@link #MAX_BACKOFF}) in between; and, with a retry time, for at least that long (a heap server
 *       restarting, or its database coming back, takes seconds)</li>
 *   <li>max heap bytes: the size of the virtual heap's address space</li>
 *   <li>read-ahead lines: the most lines a miss that continues an ascending run reads after it (with
 *       {@link ReadAhead#BEHIND} before it) in the same store call ({@link ReadAhead}); by default an eighth of the
 *       frames, at most {@link #MAX_READ_AHEAD_LINES}; 0: off</li>
 *   <li>write-behind (on by default): an eviction batch's dirty victims are written in the background while
 *       clean victims leave room enough, and evicted clean by a later sweep; off, every batch with a dirty victim
 *       waits for its flush, so a store failure or a lost lease is reported by the eviction that met it</li>
 * </ul>
 */
public final class PagingConfig {
    /** One frame array: Java arrays are int-indexed. */
    public static final long MAX_MEMORY_BYTES = 1L << 30;
    /** A flush batch is one store write; keep it well under the heap server's 16 MiB message limit. */
    public static final long MAX_BATCH_BYTES = 8L << 20;
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** The default read-ahead's cap: 32 lines, 128 KiB of 4 KiB lines, per store read. */
    public static final int MAX_READ_AHEAD_LINES = 32;
    /** The longest a device keeps retrying an unreachable store before it gives up with a device error. */
    public static final Duration MAX_RETRY_FOR = Duration.ofHours(1);

    private long memoryBytes = 4L << 20;
    private int lineSize = 4096;
    private int freeFrameThreshold = 8;
    private int storeRetryAttempts = 4;
    private Duration storeRetryBackoff = Duration.ofMillis(100);
    private Duration storeRetryFor = Duration.ZERO;
    private long maxHeapBytes = 1L << 30;
    private long nurseryBytes;
    private long workingSetBytes;
    /** -1: the default, from the frames. */
    private int readAheadLines = -1;
    private boolean writeBehind = true;

    public PagingConfig setMemoryBytes(long memoryBytes) {
        if (memoryBytes <= 0 || memoryBytes > MAX_MEMORY_BYTES) {
            throw new IllegalArgumentException("memory must be 1 byte to 1 GiB, got " + memoryBytes);
        }
        this.memoryBytes = memoryBytes;
        return this;
    }

    public PagingConfig setLineSize(int lineSize) {
        if (lineSize < 64 || lineSize > (1 << 20) || Integer.bitCount(lineSize) != 1) {
            throw new IllegalArgumentException("line size must be a power of two from 64 to 1 MiB, got " + lineSize);
        }
        this.lineSize = lineSize;
        return this;
    }

    public PagingConfig setFreeFrameThreshold(int freeFrameThreshold) {
        if (freeFrameThreshold < 1) {
            throw new IllegalArgumentException("free-frame threshold must be at least 1, got " + freeFrameThreshold);
        }
        this.freeFrameThreshold = freeFrameThreshold;
        return this;
    }

    public PagingConfig setStoreRetryAttempts(int storeRetryAttempts) {
        if (storeRetryAttempts < 1 || storeRetryAttempts > 100) {
            throw new IllegalArgumentException("store attempts must be 1..100 (1: no retry), got " + storeRetryAttempts);
        }
        this.storeRetryAttempts = storeRetryAttempts;
        return this;
    }

    public PagingConfig setStoreRetryBackoff(Duration storeRetryBackoff) {
        if (storeRetryBackoff == null || storeRetryBackoff.isNegative() || storeRetryBackoff.compareTo(MAX_BACKOFF) > 0) {
            throw new IllegalArgumentException("store retry backoff must be 0.." + MAX_BACKOFF + ", got " + storeRetryBackoff);
        }
        this.storeRetryBackoff = storeRetryBackoff;
        return this;
    }

    /**
     * Keep retrying a store call that fails with {@code UNAVAILABLE} until this long has passed since its first
     * failure, even after the attempts are used up (0: the attempts alone bound it).
     */
    public PagingConfig setStoreRetryFor(Duration storeRetryFor) {
        if (storeRetryFor == null || storeRetryFor.isNegative() || storeRetryFor.compareTo(MAX_RETRY_FOR) > 0) {
            throw new IllegalArgumentException("store retry time must be 0.." + MAX_RETRY_FOR + ", got " + storeRetryFor);
        }
        this.storeRetryFor = storeRetryFor;
        return this;
    }

    public PagingConfig setMaxHeapBytes(long maxHeapBytes) {
        if (maxHeapBytes <= 0) {
            throw new IllegalArgumentException("max heap must be positive, got " + maxHeapBytes);
        }
        this.maxHeapBytes = maxHeapBytes;
        return this;
    }

    /** Of the memory, this much holds the nursery ({@link org.vheap.format.ObjectLayout#NURSERY_BASE} on). */
    public PagingConfig setNurseryBytes(long nurseryBytes) {
        if (nurseryBytes < 0) {
            throw new IllegalArgumentException("nursery must be 0 (none) or more bytes, got " + nurseryBytes);
        }
        this.nurseryBytes = nurseryBytes;
        return this;
    }

    /** The size of the user heap's working sets: a power of two of at least a line, or 0 for none. */
    public PagingConfig setWorkingSetBytes(long workingSetBytes) {
        if (workingSetBytes < 0 || (workingSetBytes != 0 && Long.bitCount(workingSetBytes) != 1)) {
            throw new IllegalArgumentException("a working set must be 0 (none) or a power of two of bytes, got " + workingSetBytes);
        }
        this.workingSetBytes = workingSetBytes;
        return this;
    }

    /** The most lines read ahead of a miss in the same store call (0: no read-ahead). */
    public PagingConfig setReadAheadLines(int readAheadLines) {
        if (readAheadLines < 0) {
            throw new IllegalArgumentException("read-ahead must be 0 (off) or more lines, got " + readAheadLines);
        }
        this.readAheadLines = readAheadLines;
        return this;
    }

    /** Whether eviction writes dirty victims in the background while frames are left (see the class javadoc). */
    public PagingConfig setWriteBehind(boolean writeBehind) {
        this.writeBehind = writeBehind;
        return this;
    }

    /** Checks the combinations; throws IllegalArgumentException naming what to fix. Returns this. */
    public PagingConfig validate() {
        if (memoryBytes % lineSize != 0) {
            throw new IllegalArgumentException("memory (" + memoryBytes + " bytes) must be a whole number of "
                    + lineSize + "-byte lines");
        }
        if (nurseryBytes % lineSize != 0) {
            throw new IllegalArgumentException("nursery (" + nurseryBytes + " bytes) must be a whole number of "
                    + lineSize + "-byte lines");
        }
        if (nurseryBytes > memoryBytes / 2) {
            throw new IllegalArgumentException("nursery (" + nurseryBytes + " bytes) is over half the memory ("
                    + memoryBytes + "): the rest must page the heap; lower the nursery");
        }
        if (maxHeapBytes % lineSize != 0) {
            throw new IllegalArgumentException("max heap (" + maxHeapBytes + " bytes) must be a whole number of "
                    + lineSize + "-byte lines");
        }
        if (maxHeapBytes < memoryBytes) {
            throw new IllegalArgumentException("max heap (" + maxHeapBytes + ") is smaller than device memory ("
                    + memoryBytes + "): lower the memory");
        }
        if (maxHeapBytes / lineSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("max heap of " + maxHeapBytes / lineSize
                    + " lines is more than the cache table can name; use larger lines or a smaller heap");
        }
        if (workingSetBytes > 0 && workingSetBytes < lineSize) {
            throw new IllegalArgumentException("a working set (" + workingSetBytes + " bytes) must hold at least one "
                    + lineSize + "-byte line");
        }
        int frames = frames();
        if (frames < 4) {
            throw new IllegalArgumentException("memory holds " + frames + " lines; paging needs at least 4");
        }
        if (freeFrameThreshold > frames / 4) {
            throw new IllegalArgumentException("free-frame threshold " + freeFrameThreshold + " is over a quarter of the "
                    + frames + " frames: eviction would empty the cache; at most " + frames / 4);
        }
        if ((long) freeFrameThreshold * lineSize > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("an eviction batch of " + freeFrameThreshold + " lines of " + lineSize
                    + " bytes is over " + MAX_BATCH_BYTES + " bytes, too big for one store write; lower the threshold");
        }
        if (readAheadLines > frames / 4) {
            throw new IllegalArgumentException("read-ahead of " + readAheadLines + " lines is over a quarter of the "
                    + frames + " frames: it would evict what the app uses; at most " + frames / 4);
        }
        if ((readAheadLines + 1L) * lineSize > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("a read-ahead of " + readAheadLines + " lines of " + lineSize
                    + " bytes is over " + MAX_BATCH_BYTES + " bytes, too big for one store read; lower it");
        }
        return this;
    }

    public long memoryBytes() { return memoryBytes; }
    public int lineSize() { return lineSize; }
    public int freeFrameThreshold() { return freeFrameThreshold; }
    public int storeRetryAttempts() { return storeRetryAttempts; }
    public Duration storeRetryBackoff() { return storeRetryBackoff; }
    public Duration storeRetryFor() { return storeRetryFor; }
    public long maxHeapBytes() { return maxHeapBytes; }
    public long nurseryBytes() { return nurseryBytes; }

    public long workingSetBytes() {
        return workingSetBytes;
    }

    public boolean writeBehind() {
        return writeBehind;
    }

    /** The most lines read ahead of a miss: as set, or an eighth of the frames, at most {@link #MAX_READ_AHEAD_LINES}. */
    public int readAheadLines() {
        return readAheadLines >= 0 ? readAheadLines
                : (int) Math.min(Math.min(frames() / 8, MAX_READ_AHEAD_LINES), MAX_BATCH_BYTES / lineSize - 1);
    }

    /** Frames of device memory: what the nursery leaves. */
    public int frames() {
        return (int) ((memoryBytes - nurseryBytes) / lineSize);
    }

    @Override
    public String toString() {
        return "PagingConfig[memory=" + memoryBytes + ", lineSize=" + lineSize + ", freeFrameThreshold="
                + freeFrameThreshold + ", storeRetryAttempts=" + storeRetryAttempts + ", storeRetryBackoff="
                + storeRetryBackoff + ", maxHeap=" + maxHeapBytes + ", nursery=" + nurseryBytes + ", workingSet=" + workingSetBytes
                + ", readAhead=" + readAheadLines() + ", writeBehind=" + writeBehind + "]";
    }
}
