package org.vheap.device.vm.heap;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The free space of the user heap below the allocation pointer, as the collector last found it: chunks
 * inside lines (by size, for small objects) and runs of whole free lines (for large objects, or to carve
 * small chunks from). Host-side bookkeeping, rebuilt by every collection; a checkpoint saves it in the VM
 * state (see {@link ObjectAllocator#freeRanges}) so a resumed heap need not be collected (paged in) first.
 */
final class FreeSpace {
    private final long lineSize;
    /** The user heap's working sets: nothing taken straddles two, unless larger than one. */
    private final WorkingSets workingSets;
    /** Free chunks inside one line, by size in bytes, each a deque of addresses. */
    private final TreeMap<Long, ArrayDeque<Long>> chunks = new TreeMap<>();
    /** Runs of whole free lines: first line's address to number of lines. */
    private final TreeMap<Long, Long> lineRuns = new TreeMap<>();
    private long freeBytes;

    FreeSpace(long lineSize, WorkingSets workingSets) {
        this.lineSize = lineSize;
        this.workingSets = workingSets;
    }

    void clear() {
        chunks.clear();
        lineRuns.clear();
        freeBytes = 0;
    }

    long freeBytes() {
        return freeBytes;
    }

    boolean isEmpty() {
        return freeBytes == 0;
    }

    /** Adds a free range [from, to), splitting it into whole lines and in-line chunks. */
    void addRange(long from, long to) {
        while (from < to) {
            long lineStart = from & -lineSize;
            long lineEnd = lineStart + lineSize;
            if (from == lineStart && to >= lineEnd) {
                long lines = (to - from) / lineSize;
                addLines(from, lines);
                from += lines * lineSize;
            } else {
                long end = Math.min(to, lineEnd);
                addChunk(from, end - from);
                from = end;
            }
        }
    }

    private void addChunk(long at, long bytes) {
        chunks.computeIfAbsent(bytes, k -> new ArrayDeque<>()).add(at);
        freeBytes += bytes;
    }

    private void addLines(long at, long lines) {
        Map.Entry<Long, Long> before = lineRuns.floorEntry(at);
        if (before != null && before.getKey() + before.getValue() * lineSize == at) {
            lineRuns.put(before.getKey(), before.getValue() + lines);
        } else {
            lineRuns.put(at, lines);
        }
        freeBytes += lines * lineSize;
    }

    /**
     * Forgets the free space inside {@code [from, to)} (working sets about to be swept anew; a run of lines reaching
     * over its ends is cut there) and returns its bytes.
     */
    long removeWithin(long from, long to) {
        long removed = 0;
        for (var it = chunks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, ArrayDeque<Long>> e = it.next();
            int before = e.getValue().size();
            e.getValue().removeIf(at -> at >= from && at < to);
            removed += (before - e.getValue().size()) * e.getKey();
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
        // runs of lines may reach into [from, to) from below and out of it above: only their part inside goes
        Map.Entry<Long, Long> first = lineRuns.floorEntry(from);
        long start = first != null && first.getKey() + first.getValue() * lineSize > from ? first.getKey() : from;
        for (Map.Entry<Long, Long> run : new java.util.ArrayList<>(lineRuns.subMap(start, to).entrySet())) {
            long at = run.getKey();
            long end = at + run.getValue() * lineSize;
            lineRuns.remove(at);
            if (at < from) {
                lineRuns.put(at, (from - at) / lineSize);
            }
            if (end > to) {
                lineRuns.put(to, (end - to) / lineSize);
            }
            removed += Math.min(end, to) - Math.max(at, from);
        }
        freeBytes -= removed;
        return removed;
    }

    /**
     * Takes {@code bytes} (granule-aligned) of free space that does not straddle lines (or, for more than a
     * line, starts on a line boundary), or returns -1.
     */
    long take(long bytes) {
        if (freeBytes < bytes) {
            return -1;
        }
        if (bytes <= lineSize) {
            Map.Entry<Long, ArrayDeque<Long>> e = chunks.ceilingEntry(bytes);
            if (e != null) {
                long size = e.getKey();
                long at = e.getValue().poll();
                if (e.getValue().isEmpty()) {
                    chunks.remove(size);
                }
                freeBytes -= size;
                if (size > bytes) {
                    addChunk(at + bytes, size - bytes);
                }
                return at;
            }
        }
        long lines = (bytes + lineSize - 1) / lineSize;
        for (Map.Entry<Long, Long> run : lineRuns.entrySet()) {
            // read the entry before removing it: TreeMap reuses a removed node with two children for its
            // successor, so afterwards the entry would name another run (and a bogus rest would be put back)
            long runAt = run.getKey();
            long runLines = run.getValue();
            long at = workingSets.place(runAt, bytes);   // not straddling two working sets
            long head = (at - runAt) / lineSize;
            if (runLines - head >= lines) {
                lineRuns.remove(runAt);
                if (head > 0) {
                    lineRuns.put(runAt, head);
                }
                if (runLines - head > lines) {
                    lineRuns.put(at + lines * lineSize, runLines - head - lines);
                }
                freeBytes -= lines * lineSize;
                long tail = lines * lineSize - bytes;
                if (tail > 0) {
                    addChunk(at + bytes, tail);
                }
                return at;
            }
        }
        return -1;
    }

    /**
     * Takes the whole free line at {@code at} (line-aligned) out of the run holding it, if one does: whether it was
     * free (a young collection's freed lines are refilled by promotions: {@link ObjectAllocator#allocatePromoted}).
     */
    boolean takeLine(long at) {
        Map.Entry<Long, Long> run = lineRuns.floorEntry(at);
        if (run == null || run.getKey() + run.getValue() * lineSize <= at) {
            return false;
        }
        long runAt = run.getKey();
        long end = runAt + run.getValue() * lineSize;
        lineRuns.remove(runAt);
        if (at > runAt) {
            lineRuns.put(runAt, (at - runAt) / lineSize);
        }
        if (end > at + lineSize) {
            lineRuns.put(at + lineSize, (end - at - lineSize) / lineSize);
        }
        freeBytes -= lineSize;
        return true;
    }

    /** Takes the highest whole free line (the last of the highest run): its address, or -1 when there is none. */
    long takeHighestLine() {
        Map.Entry<Long, Long> run = lineRuns.lastEntry();
        if (run == null) {
            return -1;
        }
        long runAt = run.getKey();
        long lines = run.getValue();
        if (lines == 1) {
            lineRuns.remove(runAt);
        } else {
            lineRuns.put(runAt, lines - 1);
        }
        freeBytes -= lineSize;
        return runAt + (lines - 1) * lineSize;
    }

    /**
     * Forgets the free chunks inside the lines {@code young} names (about to be swept anew by a young collection) and
     * returns their bytes. Runs of whole free lines are never young.
     */
    long removeChunksIn(YoungLines young) {
        long removed = 0;
        for (var it = chunks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, ArrayDeque<Long>> e = it.next();
            int before = e.getValue().size();
            e.getValue().removeIf(young::isYoungAddress);
            removed += (before - e.getValue().size()) * e.getKey();
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
        freeBytes -= removed;
        return removed;
    }

    /** Every free range as (address, bytes) pairs: chunks by size in queue order, then line runs. */
    long[] ranges() {
        int n = lineRuns.size();
        for (ArrayDeque<Long> q : chunks.values()) {
            n += q.size();
        }
        long[] out = new long[2 * n];
        int i = 0;
        for (Map.Entry<Long, ArrayDeque<Long>> e : chunks.entrySet()) {
            for (long at : e.getValue()) {
                out[i++] = at;
                out[i++] = e.getKey();
            }
        }
        for (Map.Entry<Long, Long> run : lineRuns.entrySet()) {
            out[i++] = run.getKey();
            out[i++] = run.getValue() * lineSize;
        }
        return out;
    }
}
