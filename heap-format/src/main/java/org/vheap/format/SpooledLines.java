package org.vheap.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A checkpoint's lines spooled to a file, each at its own address (the file is sparse: lines the checkpoint lacks
 * take no disk and read as zeros), then read by address through memory maps of a gigabyte each, so a heap of any size
 * is read without holding it in the Java heap. {@link #line} writes while spooling; {@link #finish} maps the file for
 * reading and deletes it at once: its disk space is the mapping's until the spool is garbage (the system unmaps it
 * then), so a spool dropped while a reader still reads it stays readable. {@link #close} deletes the file of a spool
 * that is not finished (one abandoned). Not thread-safe while spooling; reads are, once finished.
 */
public final class SpooledLines implements HeapLines, AutoCloseable {
    private static final int SEGMENT_SHIFT = 30;
    private static final long SEGMENT_MASK = (1L << SEGMENT_SHIFT) - 1;

    private final Path file;
    private final FileChannel channel;
    private final int lineSize;
    private long limit;
    private ByteBuffer[] segments;

    /** A spool in a new temporary file in {@code dir} for lines of {@code lineSize} bytes. */
    public SpooledLines(Path dir, int lineSize) {
        if (lineSize <= 0 || (lineSize & (lineSize - 1)) != 0) {
            throw new IllegalArgumentException("a line size must be a power of two, not " + lineSize);
        }
        this.lineSize = lineSize;
        try {
            this.file = Files.createTempFile(dir, "vheap-lines-", ".spool");
            this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a spool file in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes line {@code lineId} (at most a line of bytes; a shorter one is zeros after its end). */
    public void line(long lineId, byte[] data) {
        if (segments != null) {
            throw new IllegalStateException("the spool is finished");
        }
        if (lineId < 0 || data.length > lineSize || lineId >= (ObjectLayout.USER_HEAP_LIMIT / lineSize)) {
            throw new IllegalArgumentException("line " + lineId + " of " + data.length + " bytes is outside the heap");
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            long at = lineId * lineSize;
            while (b.hasRemaining()) {
                at += channel.write(b, at);
            }
            limit = Math.max(limit, (lineId + 1) * lineSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spool file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Maps what was spooled for reading, up to {@code atLeast} bytes at least (a heap's allocated extent), in whole
     * lines.
     */
    public SpooledLines finish(long atLeast) {
        long wanted = Math.min(Math.max(atLeast, 0), ObjectLayout.USER_HEAP_LIMIT);
        limit = Math.max(limit, (wanted + lineSize - 1) / lineSize * lineSize);   // whole lines, within the user heap
        try {
            if (channel.size() < limit) {
                channel.write(ByteBuffer.allocate(1), limit - 1);   // reads up to the limit see zeros, not EOF
            }
            int n = (int) ((limit + SEGMENT_MASK) >>> SEGMENT_SHIFT);
            segments = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                long from = (long) i << SEGMENT_SHIFT;
                MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(1L << SEGMENT_SHIFT, limit - from));
                segments[i] = m.order(ByteOrder.LITTLE_ENDIAN);
            }
            channel.close();   // deletes the file; the mappings keep its bytes
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the spool file " + file + ": " + e.getMessage(), e);
        }
        return this;
    }

    @Override
    public long limit() {
        return limit;
    }

    @Override
    public byte getByte(long address) {
        return segment(address, 1).get((int) (address & SEGMENT_MASK));
    }

    @Override
    public short getShort(long address) {
        return segment(address, 2).getShort((int) (address & SEGMENT_MASK));
    }

    @Override
    public int getInt(long address) {
        return segment(address, 4).getInt((int) (address & SEGMENT_MASK));
    }

    @Override
    public long getLong(long address) {
        return segment(address, 8).getLong((int) (address & SEGMENT_MASK));
    }

    private ByteBuffer segment(long address, int bytes) {
        if (segments == null) {
            throw new IllegalStateException("the spool is not finished");
        }
        if (address < 0 || address + bytes > limit || (address & (bytes - 1)) != 0) {
            throw new IndexOutOfBoundsException("address " + address + " (" + bytes + " bytes) is outside the heap's "
                    + limit + " bytes or unaligned");
        }
        return segments[(int) (address >>> SEGMENT_SHIFT)];
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
