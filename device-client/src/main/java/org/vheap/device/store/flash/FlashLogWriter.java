package org.vheap.device.store.flash;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Appends records to a {@link FlashMedium} in the {@link FlashLogFormat}: each record is cut into fragments that
 * fill the current block and go on in the next. {@link #sync} makes every record appended so far durable: after a
 * crash a {@link FlashLogReader} returns every record appended before the last sync, in order, and of the later
 * ones a prefix, never a torn or a foreign one. A writer goes on where the log ends: open it on a medium that
 * {@link FlashLogReader#end} found, cut back to its last whole record.
 */
final class FlashLogWriter {
    private final FlashMedium medium;
    private final int blockSize;
    private long position;
    private long limit = Long.MAX_VALUE;

    /** A writer appending at the medium's end, which must be where its last whole record ends. */
    FlashLogWriter(FlashMedium medium, int blockSize) throws IOException {
        this(medium, blockSize, 0);
    }

    /**
     * A writer appending at the medium's end, whose first byte is at position {@code base} of the log (a cleaning's
     * snapshot segment, {@link FlashSegments}: a block boundary, so blocks lie where they lie in the log).
     */
    FlashLogWriter(FlashMedium medium, int blockSize, long base) throws IOException {
        FlashLogFormat.checkBlockSize(blockSize);
        if (base % blockSize != 0) {
            throw new IllegalArgumentException("a log's part begins at a block boundary, not at " + base);
        }
        this.medium = medium;
        this.blockSize = blockSize;
        this.position = base + medium.size();
    }

    /**
     * Refuses, from now on, a record that would end the log past {@code bytes} ({@link FlashLogFullException}: nothing
     * of it written). {@link Long#MAX_VALUE} when new: no limit.
     */
    void limit(long bytes) {
        this.limit = bytes;
    }

    /** The log's end: where the next record goes. */
    long position() {
        return position;
    }

    /**
     * Appends one record (possibly empty); durable after the next {@link #sync}. Returns where it starts, to read it
     * again with {@link FlashLogReader#readAt}.
     */
    long append(byte[] record) throws IOException {
        long before = position;
        ByteBuffer out = ByteBuffer.allocate(encodedSize(record.length));
        int done = 0;
        boolean first = true;
        long start = -1;
        do {
            int room = blockSize - (int) (position % blockSize);
            if (room < FlashLogFormat.HEADER) {
                out.put(new byte[room]);   // the block's tail: zero padding
                position += room;
                room = blockSize;
            }
            if (first) {
                start = position;
            }
            int length = Math.min(record.length - done, room - FlashLogFormat.HEADER);
            boolean last = done + length == record.length;
            byte type = first && last ? FlashLogFormat.FULL : first ? FlashLogFormat.FIRST
                    : last ? FlashLogFormat.LAST : FlashLogFormat.MIDDLE;
            out.putInt(FlashLogFormat.checksum(type, record, done, length)).putInt(length).put(type)
                    .put(record, done, length);
            position += FlashLogFormat.HEADER + length;
            done += length;
            first = false;
        } while (done < record.length);
        if (position > limit) {
            long end = position;
            position = before;
            throw new FlashLogFullException(limit, end);
        }
        out.flip();
        medium.append(out);
        return start;
    }

    /** Makes every record appended so far durable. */
    void sync() throws IOException {
        medium.sync();
    }

    /** The bytes a record of {@code length} takes at most, wherever it starts: its fragments' headers and any padding. */
    int encodedSize(int length) {
        int perBlock = blockSize - FlashLogFormat.HEADER;
        long fragments = Math.max(1, ((long) length + perBlock - 1) / perBlock) + 1;
        return Math.toIntExact(length + fragments * (FlashLogFormat.HEADER + FlashLogFormat.HEADER));
    }
}
