package org.vheap.device.store.flash;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vheap.device.store.BlobHash;
import org.vheap.store.LinePatches;

/**
 * One compaction of a flash store's log: {@link #copy} writes what is live into a new log — for each app its
 * retained checkpoints in order (each as the lines that differ from the one before it, then its COMMIT record), the
 * open epoch of a session that holds the lease, and blobs still in the heap's log (a store older than the blobs' own
 * log, when they did not fit there), each record copied as it was, but for patches: a line's patch (a PACKED_PATCH
 * in the copy) or a COMMIT_PATCH is pointed at the copy of its base; when its base is not copied (or the copy's chain
 * is as deep as chains go) a line's version is patched again on its version copied for the checkpoint before, if
 * any (a skip-delta's base is often a version no checkpoint retains), and is otherwise, like a state, written whole —
 * and, once the store installed that log, {@link #moveIndex} points the index at the copies. Superseded versions, deleted lines,
 * checkpoints beyond retention and dropped epochs stay behind. Replaying the new log gives the same checkpoints.
 */
final class FlashCompaction {
    private final FlashMedium old;
    private final int blockSize;
    /** Where each record copied lies in the new log, by where it lay in the old one. */
    private final Map<Long, Long> moved = new HashMap<>();
    /** How deep and how numbered each version copied is in the new log (its first copy), by where it lay in the old one. */
    private final Map<Long, Copied> copies = new HashMap<>();

    /** A version as copied: how many patches deep, and its number (0: whole). */
    private record Copied(int depth, long number) {
        static final Copied WHOLE = new Copied(0, 0);
    }

    FlashCompaction(FlashMedium old, int blockSize) {
        this.old = old;
        this.blockSize = blockSize;
    }

    /**
     * Writes the live records of {@code heaps} and {@code blobs} into {@code next} and syncs it; returns its writer.
     *
     * @param limit the most bytes the copy may take
     * @throws FlashLogFullException when it would take more (what was copied is left in {@code next})
     */
    FlashLogWriter copy(FlashMedium next, List<FlashHeap> heaps, Map<BlobHash, Long> blobs, long fencingTokens,
                        long limit) throws IOException {
        FlashLogWriter out = new FlashLogWriter(next, blockSize);
        out.limit(limit);
        out.append(FlashLogFormat.formatRecord(blockSize));
        for (FlashHeap h : heaps) {
            out.append(FlashRecord.of(FlashRecord.CREATE).u4(h.number).utf(h.name).u4(h.lineSize).toBytes());
            if (h.everOpened && h.checkpoints.isEmpty() && h.holder == null) {   // opened before: not created again
                out.append(FlashRecord.of(FlashRecord.OPEN).u4(h.number).u8(fencingTokens).u8(0).toBytes());
                out.append(FlashRecord.of(FlashRecord.CLOSE).u4(h.number).toBytes());
            }
            Map<Long, Long> previous = Map.of();
            long previousId = 0;
            for (FlashCheckpoint cp : h.checkpoints.values()) {
                out.append(FlashRecord.of(FlashRecord.OPEN).u4(h.number).u8(fencingTokens).u8(previousId).toBytes());
                copyEpoch(out, h, previous, cp.lines());
                moved.put(cp.commitRecord(), out.append(commit(h, cp)));
                previous = cp.lines();
                previousId = cp.id();
            }
            if (h.holder != null) {   // a session goes on: its open epoch, on its base
                boolean retained = h.epochBase != null && h.checkpoints.containsKey(h.epochBase.id());
                out.append(FlashRecord.of(FlashRecord.OPEN).u4(h.number).u8(h.token)
                        .u8(retained ? h.epochBase.id() : 0).toBytes());
                Map<Long, Long> base = h.epochBase == null ? Map.of() : h.epochBase.lines();
                Map<Long, Long> seen = new HashMap<>(base);
                h.epoch.forEach((line, at) -> {
                    if (at == FlashHeap.DELETED) {
                        seen.remove(line);
                    } else {
                        seen.put(line, at);
                    }
                });
                copyEpoch(out, h, retained ? base : Map.of(), seen);
            }
        }
        for (long at : blobs.values()) {
            moved.put(at, out.append(FlashLogReader.readAt(old, blockSize, at)));
        }
        out.sync();
        out.limit(Long.MAX_VALUE);
        return out;
    }

    /**
     * The bytes {@link #copy} would write now: a copy into a medium that keeps nothing (the live records are read from
     * the old log). What a store opened on a log takes as live, to know when to compact it.
     */
    long measure(List<FlashHeap> heaps, Map<BlobHash, Long> blobs, long fencingTokens) throws IOException {
        CountingMedium counted = new CountingMedium();
        copy(counted, heaps, blobs, fencingTokens, Long.MAX_VALUE);
        moved.clear();   // nothing was moved: the positions are the counting medium's
        copies.clear();
        return counted.size();
    }

    /** After the new log was installed: every position in the index, moved onto it. */
    void moveIndex(List<FlashHeap> heaps, Map<BlobHash, Long> blobs) {
        for (FlashHeap h : heaps) {
            TreeMap<Long, FlashCheckpoint> remapped = new TreeMap<>();
            h.checkpoints.forEach((id, cp) -> remapped.put(id, moved(cp)));
            FlashCheckpoint base = h.epochBase;
            h.checkpoints.clear();
            h.checkpoints.putAll(remapped);
            h.epochBase = base == null ? null : remapped.getOrDefault(base.id(), moved(base));
            h.epoch.replaceAll((line, at) -> at == FlashHeap.DELETED ? FlashHeap.DELETED : moved.get(at));
        }
        blobs.replaceAll((hash, at) -> moved.get(at));
    }

    /**
     * Appends the records that take a view from {@code from} to {@code to} (line positions in the old log): each line
     * whose version differs (one an earlier view had under another base is copied again: replay needs it there),
     * and one DELETE of the lines {@code to} lacks.
     */
    private void copyEpoch(FlashLogWriter out, FlashHeap h, Map<Long, Long> from, Map<Long, Long> to)
            throws IOException {
        for (Map.Entry<Long, Long> line : to.entrySet()) {
            if (!line.getValue().equals(from.get(line.getKey()))) {
                long at = out.append(version(h, line.getKey(), line.getValue(), from.get(line.getKey())));
                moved.putIfAbsent(line.getValue(), at);
            }
        }
        List<Long> gone = from.keySet().stream().filter(line -> !to.containsKey(line)).toList();
        if (!gone.isEmpty()) {
            FlashRecord r = FlashRecord.of(FlashRecord.DELETE).u4(h.number).u4(gone.size());
            gone.forEach(r::u8);
            out.append(r.toBytes());
        }
    }

    /**
     * The record that copies the version of {@code lineId} at {@code at}, whose version in the view before lay at
     * {@code before} ({@code null}: none): a LINE as it was; a patch on a version copied before it, pointed at that
     * copy; else (the version it patches is not live, as a skip-delta's often is not) a patch of the bytes that differ
     * from the view before's version, which was copied; else the whole line it makes. Patches are PACKED_PATCHes.
     */
    private byte[] version(FlashHeap h, long lineId, long at, Long before) throws IOException {
        byte[] record = FlashLogReader.readAt(old, blockSize, at);
        FlashPatches.Header patch = FlashLineVersions.parse(record, at).patch();
        if (patch == null) {
            copies.putIfAbsent(at, Copied.WHOLE);
            return record;
        }
        Copied base = copied(patch.base());
        if (base != null && base.depth() < FlashPatches.MAX_DEPTH) {   // a base re-patched may have a higher number
            Copied copy = new Copied(base.depth() + 1, Math.max(patch.number(), base.number() + 1));
            copies.putIfAbsent(at, copy);
            return FlashLineVersions.rebased(record, at, moved.get(patch.base()), copy.depth(), copy.number());
        }
        byte[] data = FlashLineVersions.read(old, blockSize, h, lineId, at).data();
        Copied previous = before == null ? null : copied(before);
        if (previous != null && previous.depth() < FlashPatches.MAX_DEPTH) {
            FlashPatches.Version copiedBefore = new FlashPatches.Version(
                    FlashLineVersions.read(old, blockSize, h, lineId, before).data(), previous.depth(),
                    previous.number(), moved.get(before), null);
            FlashPatches.Patch p = FlashPatches.on(copiedBefore, data, previous.number() + 1);
            if (p != null) {
                copies.putIfAbsent(at, new Copied(p.depth(), p.number()));
                return FlashLineVersions.patch(h.number, lineId, new FlashPatches.Header(p.base(), p.depth(),
                        p.number(), LinePatches.crc32c(data)), p.runs());
            }
        }
        copies.putIfAbsent(at, Copied.WHOLE);
        return FlashLineVersions.whole(h, lineId, data);
    }

    /** How the version that lay at {@code at} in the old log was copied; {@code null} when it was not. */
    private Copied copied(long at) {
        return moved.containsKey(at) ? copies.get(at) : null;
    }

    /**
     * The record that copies checkpoint {@code cp}'s COMMIT: a COMMIT as it was; a COMMIT_PATCH on a checkpoint copied
     * before it, pointed at that copy; else (the checkpoint it patches is not retained) a COMMIT of the whole state.
     */
    private byte[] commit(FlashHeap h, FlashCheckpoint cp) throws IOException {
        byte[] record = FlashLogReader.readAt(old, blockSize, cp.commitRecord());
        FlashPatches.Header patch = FlashStateVersions.patchOf(record);
        Copied base = patch == null ? null : copied(patch.base());
        int depth = base != null && base.depth() < FlashPatches.MAX_DEPTH ? base.depth() + 1 : 0;
        copies.putIfAbsent(cp.commitRecord(), new Copied(depth, depth));   // a state's number is its depth
        if (patch == null) {
            return record;
        }
        return depth > 0 ? FlashStateVersions.rebased(record, moved.get(patch.base()), depth)
                : FlashStateVersions.whole(h, cp.id(), FlashStateVersions.read(old, blockSize, h, cp.commitRecord()).data());
    }

    /** A checkpoint whose lines and COMMIT record were copied (its COMMIT record may not be: an unretained base). */
    private FlashCheckpoint moved(FlashCheckpoint cp) {
        Map<Long, Long> lines = new HashMap<>(cp.lines().size() * 2);
        cp.lines().forEach((line, at) -> lines.put(line, moved.get(at)));
        return new FlashCheckpoint(cp.id(), lines, moved.getOrDefault(cp.commitRecord(), -1L));
    }

    /** A medium that only counts what is appended to it, for {@link #measure}. */
    private static final class CountingMedium implements FlashMedium {
        private long size;

        @Override
        public long size() {
            return size;
        }

        @Override
        public void append(java.nio.ByteBuffer bytes) {
            size += bytes.remaining();
            bytes.position(bytes.limit());
        }

        @Override
        public int read(long position, java.nio.ByteBuffer into) throws IOException {
            throw new IOException("a measuring copy is never read");
        }

        @Override
        public void sync() {
        }

        @Override
        public void truncate(long newSize) {
            size = newSize;
        }

        @Override
        public void close() {
        }
    }
}
