package org.vheap.device.store.flash;

import java.io.IOException;

/**
 * Where a flash store's logs live (the heap's, and the system blobs' beside it), and how a compacted heap log takes
 * its place: the store writes the live records into
 * {@link #next}, syncs it, and {@link #install}s it, which makes it the log at once (a crash before leaves the old
 * log, after it the new one, never a mix).
 */
interface FlashLogFiles extends AutoCloseable {

    /** The log as it is (empty when new); a compaction a crash interrupted is dropped first. */
    FlashMedium current() throws IOException;

    /**
     * The log of the system blobs (class files), beside the heap's: only appended to, never compacted (a blob is
     * named by its content's hash and never deleted), so a compaction of the heap's log never copies them.
     */
    FlashMedium blobs() throws IOException;

    /**
     * Keeps the bytes a recovery cuts off a log's end (from {@code from}; {@code blobs}: the blobs' log, else the
     * heap's): a tail a crash tore, or records behind bytes that went bad, which nothing else may destroy. Beside the
     * log, never read again by the store.
     */
    void keepCut(boolean blobs, long from, byte[] tail) throws IOException;

    /** An empty medium for a compacted log. */
    FlashMedium next() throws IOException;

    /** Drops a {@link #next} medium the store gave up on (closed first): its bytes are the medium's again. */
    void dropNext() throws IOException;

    /** Makes the synced {@link #next} medium the log, atomically and durably; it goes on being written as such. */
    void install() throws IOException;

    /** Gives the files back (the lock on them, if any); the media are closed by the store. */
    @Override
    void close() throws IOException;
}
