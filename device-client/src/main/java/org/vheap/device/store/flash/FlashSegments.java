package org.vheap.device.store.flash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A flash store's heap log as segments (the seed's log on flash, cleaned a segment at a time): one
 * {@link FlashMedium} whose positions run on across files, each segment holding the bytes of the log from the
 * position it is named by ({@link FlashLogFiles#segments}). An append goes whole into the newest segment, and opens
 * a new one first when that one holds {@code segmentSize} bytes or more, so a record never spans two segments and a
 * cleaning frees a segment by moving the records that are live in it ({@link FlashCleaning}). Positions are not used
 * twice (but for a torn tail's, which recovery cuts off before anything names them): a snapshot segment a cleaning
 * installs begins at a block boundary after the log's end ({@link #nextBase}), and a segment dropped leaves a hole
 * that reads as nothing.
 *
 * <p>{@link #sync} syncs every segment appended to since the last one, so a crash keeps a prefix of the log. Not
 * thread-safe: the store's monitor guards it.
 */
final class FlashSegments implements FlashMedium {
    private final FlashLogFiles files;
    private final long segmentSize;
    private final TreeMap<Long, FlashMedium> segments = new TreeMap<>();
    private final Set<Long> unsynced = new HashSet<>();
    /** Bytes appended since the log was opened (cleanings' snapshot segments not included). */
    private long appended;
    /** The bytes the segments take. */
    private long taken;

    /** The log in {@code files}, opening a new segment once the newest holds {@code segmentSize} bytes. */
    FlashSegments(FlashLogFiles files, long segmentSize) throws IOException {
        if (segmentSize < 1) {
            throw new IllegalArgumentException("a segment holds at least 1 byte, got " + segmentSize);
        }
        this.files = files;
        this.segmentSize = segmentSize;
        this.segments.putAll(files.segments());
        for (FlashMedium s : segments.values()) {
            taken += s.size();
        }
    }

    @Override
    public long size() throws IOException {
        if (segments.isEmpty()) {
            return 0;
        }
        Map.Entry<Long, FlashMedium> last = segments.lastEntry();
        return last.getKey() + last.getValue().size();
    }

    @Override
    public void append(ByteBuffer bytes) throws IOException {
        if (!bytes.hasRemaining()) {
            return;
        }
        if (segments.isEmpty() || segments.lastEntry().getValue().size() >= segmentSize) {
            long base = size();
            segments.put(base, files.segment(base));
        }
        Map.Entry<Long, FlashMedium> last = segments.lastEntry();
        appended += bytes.remaining();
        taken += bytes.remaining();
        last.getValue().append(bytes);
        unsynced.add(last.getKey());
    }

    @Override
    public int read(long position, ByteBuffer into) throws IOException {
        int total = 0;
        long at = position;
        while (into.hasRemaining()) {
            Map.Entry<Long, FlashMedium> s = segments.floorEntry(at);
            if (s == null) {
                break;
            }
            long end = s.getKey() + s.getValue().size();
            if (at >= end) {
                break;   // a hole: a dropped segment, or the space before a snapshot segment
            }
            ByteBuffer part = into.slice();
            part.limit((int) Math.min(part.limit(), end - at));
            int n = s.getValue().read(at - s.getKey(), part);
            if (n <= 0) {
                break;
            }
            into.position(into.position() + n);
            total += n;
            at += n;
        }
        return total;
    }

    @Override
    public void sync() throws IOException {
        for (long base : unsynced) {
            FlashMedium s = segments.get(base);
            if (s != null) {
                s.sync();
            }
        }
        unsynced.clear();
    }

    @Override
    public void truncate(long size) throws IOException {
        while (!segments.isEmpty() && segments.lastKey() >= size && segments.lastKey() > 0) {
            drop(segments.lastKey());
        }
        if (!segments.isEmpty()) {
            Map.Entry<Long, FlashMedium> last = segments.lastEntry();
            long before = last.getValue().size();
            last.getValue().truncate(Math.max(0, size - last.getKey()));
            taken -= before - last.getValue().size();
            unsynced.add(last.getKey());
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FlashMedium s : segments.values()) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        segments.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Where each segment begins and the bytes it holds, oldest first (a copy). */
    NavigableMap<Long, Long> sizes() throws IOException {
        NavigableMap<Long, Long> sizes = new TreeMap<>();
        for (Map.Entry<Long, FlashMedium> s : segments.entrySet()) {
            sizes.put(s.getKey(), s.getValue().size());
        }
        return sizes;
    }

    /** The bytes the segments take: what counts against the flash size. */
    long taken() {
        return taken;
    }

    /** The segment the byte at {@code position} lies in (where it begins); -1 when none holds it. */
    long segmentOf(long position) {
        Long base = segments.floorKey(position);
        return base == null ? -1 : base;
    }

    /** Where each segment begins, newest first. */
    Iterable<Long> newestFirst() {
        return segments.descendingKeySet();
    }

    /** Bytes appended to the segments since the log was opened. */
    long appended() {
        return appended;
    }

    /**
     * Where a snapshot segment goes: the first block boundary past the log's end and past the newest segment's start
     * (which an empty segment, one a crash left just after naming it, shares with the log's end).
     */
    long nextBase(int blockSize) throws IOException {
        long after = segments.isEmpty() ? size() : Math.max(size(), segments.lastKey() + 1);
        return (after + blockSize - 1) / blockSize * blockSize;
    }

    /** Makes {@code segment}, a snapshot segment {@link FlashLogFiles#install}ed at {@code base}, the newest. */
    void installed(long base, FlashMedium segment) throws IOException {
        if (!segments.isEmpty() && (base < size() || base <= segments.lastKey())) {
            throw new IllegalArgumentException("a snapshot segment at " + base + " would begin inside the log, which"
                    + " ends at " + size());
        }
        segments.put(base, segment);
        taken += segment.size();
    }

    /** Closes and removes the segment at {@code base}: what was live in it lies elsewhere now. */
    void drop(long base) throws IOException {
        FlashMedium s = segments.remove(base);
        unsynced.remove(base);
        if (s != null) {
            taken -= s.size();
            s.close();
            files.drop(base);
        }
    }
}
