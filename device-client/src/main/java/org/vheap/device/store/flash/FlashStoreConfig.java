package org.vheap.device.store.flash;

import java.time.Duration;
import org.vheap.device.store.StoreLeases;

/**
 * How a {@link FlashHeapStore} keeps its log: the write block, the most bytes the log may take ({@code --flash-size}),
 * how many checkpoints each app retains (and keeps beside them until they are shipped to a server), the default lease,
 * and whether changed lines are written as patches. Set with the fluent setters; {@link #validate} checks each value
 * and how they fit together, and the store validates again when it opens (a config changed after that is
 * not seen by the store: it copies the values).
 */
public final class FlashStoreConfig {
    public static final int DEFAULT_BLOCK = 128 << 10;
    public static final int MAX_BLOCK = 64 << 20;
    public static final int DEFAULT_RETAIN = 3;
    /** Checkpoints a flash in front of a server keeps beside those it retains until they are shipped. */
    public static final int DEFAULT_KEEP_UNSHIPPED = 16;
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /** A flash size holds at least this many blocks. */
    public static final int MIN_BLOCKS = 8;
    /** A log smaller than this is not cleaned to keep it within three times what is live (it is, to stay within the size). */
    static final long DEFAULT_COMPACT_FLOOR = 4L << 20;
    /** The largest segment a store derives ({@link #segmentSize(long)}): 4 MiB. */
    public static final long MAX_AUTO_SEGMENT = 4L << 20;

    private int blockSize = DEFAULT_BLOCK;
    private long flashSize;
    private int retain = DEFAULT_RETAIN;
    private int keepUnshipped = DEFAULT_KEEP_UNSHIPPED;
    private Duration defaultLease = DEFAULT_LEASE;
    private long compactFloor = DEFAULT_COMPACT_FLOOR;
    private boolean patches = true;
    private long segmentSize;

    /** The log's write block, from {@link FlashLogFormat#MIN_BLOCK} bytes to 64 MiB (an existing log keeps its own). */
    public FlashStoreConfig blockSize(int bytes) {
        this.blockSize = bytes;
        return this;
    }

    /** The most bytes the logs may take, the cleaner's snapshot segment included; 0 (the default): as many as the medium has. */
    public FlashStoreConfig flashSize(long bytes) {
        this.flashSize = bytes;
        return this;
    }

    /** Checkpoints each app retains, at least 1. */
    public FlashStoreConfig retain(int checkpoints) {
        this.retain = checkpoints;
        return this;
    }

    /**
     * In front of a server: how many checkpoints an app keeps beside those it retains while they wait to be shipped, so
     * each reaches the server as a checkpoint of its own (0 or more). Past that the oldest are let go of, and all of
     * them when the flash is full; their lines reach the server with the next one shipped. Each costs an index of the heap's
     * lines in memory, and keeps its lines' versions in the log.
     */
    public FlashStoreConfig keepUnshipped(int checkpoints) {
        this.keepUnshipped = checkpoints;
        return this;
    }

    /** The lease of a session that asks for none. */
    public FlashStoreConfig defaultLease(Duration lease) {
        this.defaultLease = lease;
        return this;
    }

    /**
     * Whether a changed line or VM state is written as the bytes that changed (a patch on its version before) and an
     * unchanged line not at all (the default), or every line and state flushed written whole, as the store did before
     * patches (to compare: {@code ./vheap bench flash}).
     */
    public FlashStoreConfig patches(boolean on) {
        this.patches = on;
        return this;
    }

    /**
     * The bytes of the heap log's segments, which the cleaner frees one at a time (a record never spans two, so one
     * may hold more); 0 (the default): a 32nd of the flash size, at most {@link #MAX_AUTO_SEGMENT}, or that
     * without a flash size, and at least a block. A pass needs a segment's room free beside the log.
     */
    public FlashStoreConfig segmentSize(long bytes) {
        this.segmentSize = bytes;
        return this;
    }

    /** The segments' bytes: as set, or as {@link #segmentSize(long)} derives them. */
    public long segmentSize() {
        if (segmentSize > 0) {
            return segmentSize;
        }
        long share = flashSize == 0 ? MAX_AUTO_SEGMENT : Math.min(MAX_AUTO_SEGMENT, flashSize / 32);
        return Math.max(blockSize, share);
    }

    /** Tests: the log is not cleaned to keep it within three times what is live while it is smaller than this. */
    FlashStoreConfig compactFloor(long bytes) {
        this.compactFloor = bytes;
        return this;
    }

    public int blockSize() {
        return blockSize;
    }

    /** The most bytes the log may take; 0: no bound. */
    public long flashSize() {
        return flashSize;
    }

    public int retain() {
        return retain;
    }

    public int keepUnshipped() {
        return keepUnshipped;
    }

    public Duration defaultLease() {
        return defaultLease;
    }

    public boolean patches() {
        return patches;
    }

    long compactFloor() {
        return compactFloor;
    }

    /**
     * Checks every value and how they fit together.
     *
     * @throws IllegalArgumentException naming the value to fix
     */
    public FlashStoreConfig validate() {
        FlashLogFormat.checkBlockSize(blockSize);
        if (blockSize > MAX_BLOCK) {
            throw new IllegalArgumentException("a flash block must be at most " + MAX_BLOCK + " bytes, got " + blockSize);
        }
        if (flashSize < 0 || (flashSize > 0 && flashSize < (long) MIN_BLOCKS * blockSize)) {
            throw new IllegalArgumentException("the flash size must be 0 (no bound) or at least " + MIN_BLOCKS
                    + " blocks (" + (long) MIN_BLOCKS * blockSize + " bytes with " + blockSize + "-byte blocks), got "
                    + flashSize);
        }
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be at least 1, got " + retain);
        }
        if (keepUnshipped < 0) {
            throw new IllegalArgumentException("the checkpoints kept until shipped must not be negative, got "
                    + keepUnshipped);
        }
        StoreLeases.checkDefault(defaultLease);
        if (segmentSize < 0) {
            throw new IllegalArgumentException("the segment size must be 0 (derived) or more, got " + segmentSize);
        }
        if (compactFloor < 0) {
            throw new IllegalArgumentException("the compaction floor must not be negative, got " + compactFloor);
        }
        return this;
    }

    /** A copy, for a store to keep: later changes to this one do not reach it. */
    FlashStoreConfig copy() {
        return new FlashStoreConfig().blockSize(blockSize).flashSize(flashSize).retain(retain)
                .keepUnshipped(keepUnshipped).defaultLease(defaultLease).compactFloor(compactFloor).patches(patches)
                .segmentSize(segmentSize);
    }
}
