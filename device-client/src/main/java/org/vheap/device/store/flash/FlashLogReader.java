package org.vheap.device.store.flash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.ToLongFunction;

/**
 * Reads a flash log's records in order ({@link FlashLogFormat}) and finds where it ends: at the medium's end, or at
 * the first fragment that is not whole and right (a short header or payload, a checksum that fails, an unknown
 * type, a fragment out of FIRST..LAST order), which is what a crash leaves after the last synced record. It never
 * returns part of a record. {@link #end} finds where it ends, so a store cuts the tail off and a {@link FlashLogWriter} goes on there.
 */
final class FlashLogReader {
    private final FlashMedium medium;
    private final int blockSize;
    private final long size;
    private long position;
    private long start;
    private long end;

    FlashLogReader(FlashMedium medium, int blockSize) throws IOException {
        FlashLogFormat.checkBlockSize(blockSize);
        this.medium = medium;
        this.blockSize = blockSize;
        this.size = medium.size();
    }

    /**
     * Reads every record from the start and returns where the last whole one ends: the log's end. What lies after it
     * is what a crash tore (or a medium gone bad under it): the caller keeps a copy and cuts it off.
     */
    static long end(FlashMedium medium, int blockSize) throws IOException {
        FlashLogReader reader = new FlashLogReader(medium, blockSize);
        while (reader.next() != null) {
            // to the end
        }
        return reader.end();
    }

    /**
     * Finds the end of the log on {@code medium} and cuts off what lies after it (a crash's torn tail), handing a copy
     * to {@code keep} first; returns the log's block size: the one its format record names ({@code fresh} for a new
     * log, or one a crash tore before its format record was whole).
     *
     * <p>What a crash tears is only what was appended after the last sync. {@code syncMark} numbers the records that
     * are synced before anything is appended after them (a checkpoint's COMMIT, by its id: the store syncs it before
     * it answers, holding its monitor; the blobs' log's MARK), in the order they were appended, and gives -1 for the
     * others. When whole records lie past the end, one of them a mark numbered above every mark before the end (so it
     * was appended after them, not left there by an older file's blocks) and another record after it, the bytes at
     * the end were synced, and went bad since. That is damage, not a torn tail: nothing is cut, and the store is not
     * opened.
     *
     * @param log what the log is, for the message ({@code heap.log})
     * @throws IOException when the log is damaged before records it had synced (saying where, and what to do)
     */
    static int recover(FlashMedium medium, int fresh, TailKeeper keep, ToLongFunction<byte[]> syncMark, String log)
            throws IOException {
        return recover(medium, 0, fresh, keep, syncMark, log);
    }

    /**
     * {@link #recover(FlashMedium, int, TailKeeper, ToLongFunction, String)} of a log read from {@code from}, where
     * its format record lies (a segmented log's newest beginning, {@link FlashSegments}): what lies before it is only
     * read where records name it.
     */
    static int recover(FlashMedium medium, long from, int fresh, TailKeeper keep, ToLongFunction<byte[]> syncMark,
                       String log) throws IOException {
        long size = medium.size();
        if (size == from) {
            return fresh;
        }
        int block;
        long end;
        long lastMark = -1;
        try {
            block = FlashLogFormat.blockSizeAt(medium, from);
            FlashLogReader reader = new FlashLogReader(medium, block);
            reader.position = from;
            reader.end = from;
            for (byte[] r = reader.next(); r != null; r = reader.next()) {
                lastMark = Math.max(lastMark, syncMark.applyAsLong(r));
            }
            end = reader.end();
        } catch (IOException e) {
            if (size - from >= FlashLogFormat.HEADER + FlashLogFormat.FORMAT_RECORD) {
                throw e;
            }
            block = fresh;   // a crash while the log was made: not even its format record is whole
            end = from;
        }
        if (end < size) {
            long after = syncedAfter(medium, block, end, syncMark, lastMark);
            if (after >= 0) {
                throw new IOException("the flash store's " + log + " is damaged at byte " + end + " of " + size
                        + ", before records it had synced (at byte " + after + "): nothing of it was cut off. Keep a"
                        + " copy of the store's directory; to go on from what comes before the damage, cut " + log
                        + " to " + end + " bytes (what follows is lost), or restore the directory from a backup");
            }
            byte[] tail = new byte[(int) Math.min(Integer.MAX_VALUE - 8, size - end)];
            medium.read(end, ByteBuffer.wrap(tail));
            keep.keep(end, tail);
            medium.truncate(end);
            medium.sync();
        }
        return block;
    }

    /**
     * Where past {@code from} (a position the log's records end at, for bytes that are not a record) a whole record
     * lies that {@code syncMark} numbers above {@code lastMark}, with another whole record after it; -1 when there is
     * none. Scans each block after {@code from}'s for the first fragment that begins a record, and reads on from there.
     */
    private static long syncedAfter(FlashMedium medium, int blockSize, long from, ToLongFunction<byte[]> syncMark,
                                    long lastMark) throws IOException {
        long size = medium.size();
        for (long block = (from / blockSize + 1) * blockSize; block < size; block += blockSize) {
            FlashLogReader reader = new FlashLogReader(medium, blockSize);
            reader.position = firstRecordIn(medium, blockSize, block, size);
            if (reader.position < 0) {
                continue;
            }
            long mark = -1;
            for (byte[] r = reader.next(); r != null; r = reader.next()) {
                if (mark >= 0) {
                    return mark;
                }
                if (syncMark.applyAsLong(r) > lastMark) {
                    mark = reader.start();
                }
            }
            block = Math.max(block, reader.position / blockSize * blockSize);
        }
        return -1;
    }

    /** Where the first fragment in the block at {@code block} that begins a record (FULL or FIRST) lies; -1: none. */
    private static long firstRecordIn(FlashMedium medium, int blockSize, long block, long size) throws IOException {
        long at = block;
        while (at + FlashLogFormat.HEADER <= Math.min(size, block + blockSize)) {
            ByteBuffer header = ByteBuffer.allocate(FlashLogFormat.HEADER);
            medium.read(at, header);
            int length = header.getInt(4);
            byte type = header.get(8);
            if (length < 0 || at + FlashLogFormat.HEADER + length > Math.min(size, block + blockSize)
                    || type < FlashLogFormat.FULL || type > FlashLogFormat.LAST) {
                return -1;
            }
            byte[] payload = new byte[length];
            medium.read(at + FlashLogFormat.HEADER, ByteBuffer.wrap(payload));
            if (FlashLogFormat.checksum(type, payload, 0, length) != header.getInt(0)) {
                return -1;
            }
            if (type == FlashLogFormat.FULL || type == FlashLogFormat.FIRST) {
                return at;
            }
            at += FlashLogFormat.HEADER + length;   // the end of a record begun in a block before
        }
        return -1;
    }

    /** Where {@link #recover} hands the tail it cuts off ({@link FlashLogFiles#keepCut}). */
    interface TailKeeper {
        void keep(long from, byte[] tail) throws IOException;
    }

    /** A reader of the records from {@code start} on (where one starts, as {@link FlashLogWriter#append} returned it). */
    static FlashLogReader from(FlashMedium medium, int blockSize, long start) throws IOException {
        FlashLogReader reader = new FlashLogReader(medium, blockSize);
        reader.position = start;
        reader.end = start;
        return reader;
    }

    /**
     * The record that starts at {@code start} (as {@link FlashLogWriter#append} returned it).
     *
     * @throws IOException when no whole record starts there: the medium went bad under a record it had
     */
    static byte[] readAt(FlashMedium medium, int blockSize, long start) throws IOException {
        FlashLogReader reader = new FlashLogReader(medium, blockSize);
        reader.position = start;
        byte[] record = reader.next();
        if (record == null) {
            throw new IOException("no whole record at " + start + " of the flash log: its medium went bad there");
        }
        return record;
    }

    /** Where the last record returned starts (after any padding before it): what {@link #readAt} takes. */
    long start() {
        return start;
    }

    /** Where the last record returned ends (0 before the first): the log's end once {@link #next} returned null. */
    long end() {
        return end;
    }

    /** The next record, or null where the log ends. */
    byte[] next() throws IOException {
        ByteArrayOutputStream partial = null;
        while (true) {
            int room = blockSize - (int) (position % blockSize);
            if (room < FlashLogFormat.HEADER) {
                position += room;   // the block's padding
                room = blockSize;
            }
            ByteBuffer header = ByteBuffer.allocate(FlashLogFormat.HEADER);
            if (position + FlashLogFormat.HEADER > size || medium.read(position, header) < FlashLogFormat.HEADER) {
                return null;
            }
            int crc = header.getInt(0);
            int length = header.getInt(4);
            byte type = header.get(8);
            if (length < 0 || length > room - FlashLogFormat.HEADER || type < FlashLogFormat.FULL
                    || type > FlashLogFormat.LAST || position + FlashLogFormat.HEADER + length > size) {
                return null;
            }
            byte[] payload = new byte[length];
            if (medium.read(position + FlashLogFormat.HEADER, ByteBuffer.wrap(payload)) < length
                    || FlashLogFormat.checksum(type, payload, 0, length) != crc) {
                return null;
            }
            boolean starts = type == FlashLogFormat.FULL || type == FlashLogFormat.FIRST;
            if (starts != (partial == null)) {
                return null;   // out of order: a record begun and not ended, or a continuation of none
            }
            if (starts) {
                start = position;
            }
            position += FlashLogFormat.HEADER + length;
            if (type == FlashLogFormat.FULL) {
                end = position;
                return payload;
            }
            if (partial == null) {
                partial = new ByteArrayOutputStream(length * 2);
            }
            partial.write(payload);
            if (type == FlashLogFormat.LAST) {
                end = position;
                return partial.toByteArray();
            }
        }
    }
}
