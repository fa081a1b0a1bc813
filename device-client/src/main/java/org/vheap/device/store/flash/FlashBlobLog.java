package org.vheap.device.store.flash;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.vheap.format.BlobHash;

/**
 * A flash store's system blobs (the class files of its apps, the seed's system segment) in a log of their own
 * ({@link FlashLogFiles#blobs}), BLOB records found by their hash: appended to, never cleaned. A blob is named by
 * its content and never deleted, so it is written once in the store's life, where in the heap's log every cleaning
 * copied it again.
 *
 * <p>A blob appended is durable at the next {@link #sync}, which the store runs before it syncs a checkpoint or a
 * lease in the heap's log: whatever a checkpoint needs of the system segment is on the medium before the checkpoint
 * is. Stores made before the blobs had a log of their own have BLOB records in the heap's log too; the store moves
 * them here at its next cleaning ({@link FlashHeapStore}). Guarded by the store's monitor.
 */
final class FlashBlobLog implements AutoCloseable {
    private final FlashMedium medium;
    private final int blockSize;
    private final FlashLogWriter writer;
    private final Map<BlobHash, Long> at = new HashMap<>();
    /** Where the writer started appending when the log opened: for the store's stats. */
    private final long opened;
    private boolean unsynced;
    /** The number of the last MARK appended. */
    private long marks;

    /** Opens the blobs' log of {@code files}, cutting a torn tail off, and reads where each blob lies. */
    static FlashBlobLog open(FlashLogFiles files, int blockSize) throws IOException {
        FlashMedium medium = files.blobs();
        try {
            return new FlashBlobLog(medium, FlashLogReader.recover(medium, blockSize,
                    (from, tail) -> files.keepCut(true, from, tail), FlashBlobLog::markNumber, "blobs.log"));
        } catch (IOException | RuntimeException e) {
            medium.close();
            throw e;
        }
    }

    private FlashBlobLog(FlashMedium medium, int blockSize) throws IOException {
        this.medium = medium;
        this.blockSize = blockSize;
        FlashLogReader reader = new FlashLogReader(medium, blockSize);
        if (medium.size() > 0) {
            reader.next();   // the format record
        }
        for (byte[] record = reader.next(); record != null; record = reader.next()) {
            long mark = markNumber(record);
            if (mark >= 0) {
                marks = Math.max(marks, mark);
                continue;
            }
            if (record.length < FlashRecord.BLOB_DATA || record[0] != FlashRecord.BLOB) {
                throw new IOException("the flash store's blob log holds a record of kind " + (record.length == 0
                        ? "none" : record[0]) + " at " + reader.start() + ", not a BLOB");
            }
            at.put(hashOf(record), reader.start());
        }
        this.writer = new FlashLogWriter(medium, blockSize);
        if (medium.size() == 0) {   // a new log: its format first, durable before any record
            writer.append(FlashLogFormat.formatRecord(blockSize));
            writer.sync();
        }
        this.opened = writer.position();
    }

    boolean contains(BlobHash hash) {
        return at.containsKey(hash);
    }

    /** The blob named {@code hash}, or {@code null} when the log has none. */
    byte[] get(BlobHash hash) throws IOException {
        Long start = at.get(hash);
        if (start == null) {
            return null;
        }
        byte[] record = FlashLogReader.readAt(medium, blockSize, start);
        return Arrays.copyOfRange(record, FlashRecord.BLOB_DATA, record.length);
    }

    /** Appends a BLOB record (as {@link #record} makes it) of the blob named {@code hash}; durable at {@link #sync}. */
    void append(BlobHash hash, byte[] record) throws IOException {
        at.put(hash, writer.append(record));
        unsynced = true;
    }

    /** The MARK record numbered {@code n}: MARK u8 (numbers grow with each sync). */
    static byte[] mark(long n) {
        return FlashRecord.of(FlashRecord.MARK).u8(n).toBytes();
    }

    /** The bytes a MARK record takes at most: what a put counts beside its blobs, for the sync that follows it. */
    int markSize() {
        return writer.encodedSize(1 + 8);
    }

    /** The number of a MARK record, or -1 for another record. */
    static long markNumber(byte[] record) {
        return record.length == 1 + 8 && record[0] == FlashRecord.MARK ? java.nio.ByteBuffer.wrap(record, 1, 8).getLong()
                : -1;
    }

    /** The BLOB record of {@code blob}, named {@code hash}. */
    static byte[] record(BlobHash hash, byte[] blob) {
        return FlashRecord.of(FlashRecord.BLOB).bytes(hash.bytes()).bytes(blob).toBytes();
    }

    /** The hash a BLOB or BLOB_REF record names (after its type byte). */
    static BlobHash hashOf(byte[] record) {
        return BlobHash.of(Arrays.copyOfRange(record, 1, FlashRecord.BLOB_DATA));
    }

    /**
     * Makes every blob appended so far durable (nothing to do when none was), after a MARK record: nothing is appended
     * between a MARK and its sync, so a MARK with a record after it was synced, and damage before it is not a torn
     * tail ({@link FlashLogReader#recover}).
     */
    void sync() throws IOException {
        if (unsynced) {
            writer.append(mark(++marks));
            writer.sync();
            unsynced = false;
        }
    }

    /** The log's size: what it takes of the flash size. */
    long size() {
        return writer.position();
    }

    /** The bytes a record of {@code length} takes at most in this log. */
    int encodedSize(int length) {
        return writer.encodedSize(length);
    }

    /** Bytes appended since the log opened. */
    long written() {
        return writer.position() - opened;
    }

    @Override
    public void close() throws IOException {
        medium.close();
    }
}
