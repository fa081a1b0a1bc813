package org.vheap.device.store.flash;

import java.io.IOException;

/**
 * Where a flash store's log lives, and how a compacted log takes its place: the store writes the live records into
 * {@link #next}, syncs it, and {@link #install}s it, which makes it the log at once (a crash before leaves the old
 * log, after it the new one, never a mix).
 */
interface FlashLogFiles extends AutoCloseable {

    /** The log as it is (empty when new); a compaction a crash interrupted is dropped first. */
    FlashMedium current() throws IOException;

    /**
     * Keeps the bytes a recovery cuts off the log's end (from {@code from}): a tail a crash tore, or records behind
     * bytes that went bad, which nothing else may destroy. Beside the log, never read again by the store.
     */
    void keepCut(long from, byte[] tail) throws IOException;

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
