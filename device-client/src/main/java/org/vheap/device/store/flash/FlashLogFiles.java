package org.vheap.device.store.flash;

import java.io.IOException;
import java.util.NavigableMap;

/**
 * Where a flash store's logs live: the heap's log as segments, each named by the position its first byte has in the
 * log ({@link FlashSegments}), the system blobs' log beside it, and the snapshot segment a cleaning writes
 * ({@link FlashCleaning}): written into {@link #next}, synced, then {@link #install}ed under its position, which makes
 * it part of the log at once (a crash before leaves the log without it, after it with it, never a part of it).
 */
interface FlashLogFiles extends AutoCloseable {

    /**
     * The heap log's segments as they are, by the position of their first byte, oldest first (none when new); a
     * snapshot segment a crash left unfinished (not installed) is dropped first, and a log of an older store (one
     * file) is its segment at 0. Segments a crash kept after their snapshot segment was installed stay, as dead as they
     * were, until a pass cleans them.
     */
    NavigableMap<Long, FlashMedium> segments() throws IOException;

    /** A new, empty segment whose first byte is at position {@code base} of the log, durably named. */
    FlashMedium segment(long base) throws IOException;

    /** Removes the segment at {@code base} (closed first), durably: a cleaning moved what was live in it. */
    void drop(long base) throws IOException;

    /**
     * The log of the system blobs (class files), beside the heap's: only appended to, never cleaned (a blob is named
     * by its content's hash and never deleted).
     */
    FlashMedium blobs() throws IOException;

    /**
     * Keeps the bytes a recovery cuts off a log's end (from {@code from}; {@code blobs}: the blobs' log, else the
     * heap's): a tail a crash tore, or records behind bytes that went bad, which nothing else may destroy. Beside the
     * log, never read again by the store.
     */
    void keepCut(boolean blobs, long from, byte[] tail) throws IOException;

    /** An empty medium for a cleaning's snapshot segment. */
    FlashMedium next() throws IOException;

    /** Drops a {@link #next} medium the store gave up on (closed first): its bytes are the medium's again. */
    void dropNext() throws IOException;

    /** Makes the synced {@link #next} medium the segment at {@code base}, atomically and durably. */
    void install(long base) throws IOException;

    /** Gives the files back (the lock on them, if any); the media are closed by the store. */
    @Override
    void close() throws IOException;
}
