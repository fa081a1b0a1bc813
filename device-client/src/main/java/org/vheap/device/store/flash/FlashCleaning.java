package org.vheap.device.store.flash;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import org.vheap.format.BlobHash;

/**
 * One pass of a flash store's cleaner (the seed's log on flash, reclaimed a segment at a time): the live records of
 * the segments it cleans (its victims, {@link FlashSegments}) move into a new snapshot segment, which then takes the
 * index with it, so the victims can go.
 *
 * <p>The snapshot segment begins a log of its own, which replaying alone gives the index: the format record, then for
 * each app its CREATE, the versions of its victims that only patches need (KEPT: their base; replay skips them), and
 * for each retained checkpoint in order an OPEN, the lines that differ from the checkpoint before it and its commit;
 * the open epoch of a session that holds the lease; the blobs an older store kept in the heap's log; and last the
 * FORWARD records. A version, a commit or a blob in a victim is copied there as it was; one elsewhere is named by a
 * REF, COMMIT_REF or BLOB_REF record, a few bytes. Records are copied byte for byte, patches too: a patch names its
 * base by position, so where a base moved, a FORWARD record says where it lies now ({@link FlashLog#resolve}).
 *
 * <p>{@link #scan} finds what is live first: every version, commit and blob the index names, and every version or
 * state a live patch is built on (bases stay live while a patch needs them), with the bytes each takes in its
 * segment. With no victims a pass only writes the index down; with every segment a victim it is a whole
 * compaction: the snapshot segment is the whole log.
 */
final class FlashCleaning {
    /** Names in one REF or FORWARD record at most: records of a few KiB. */
    static final int NAMES_PER_RECORD = 512;
    private final FlashLog log;
    private final LongPredicate moves;
    /** Where each record copied lies in the snapshot segment, by where it lay before. */
    private final Map<Long, Long> moved = new HashMap<>();
    /** Bytes of the records copied (what the victims had live), framing included. */
    private long copiedBytes;
    /** What {@link #copy} wrote as FORWARD records. */
    private Map<Long, Long> forwards = Map.of();

    /**
     * What is live in a log: its bytes by segment (where each begins) and in all, the versions that only patches need
     * (by where they lie, with their app's number), and the positions live patches name as their base.
     */
    record Live(NavigableMap<Long, Long> bySegment, long bytes, Map<Long, Integer> bases, Set<Long> named) {
    }

    /** A pass over {@code log} that moves the records lying where {@code moves} says (its victims' positions). */
    FlashCleaning(FlashLog log, LongPredicate moves) {
        this.log = log;
        this.moves = moves;
    }

    /**
     * What is live in {@code log} (segmented as {@code segments}): each record the index of {@code heaps} and
     * {@code blobs} names, and the bases of the live patches, read to find their sizes and bases.
     */
    static Live scan(FlashLog log, FlashSegments segments, List<FlashHeap> heaps, Map<BlobHash, Long> blobs)
            throws IOException {
        Set<Long> indexed = new HashSet<>();
        for (FlashHeap h : heaps) {
            for (FlashCheckpoint cp : h.checkpoints.values()) {
                indexed.addAll(cp.lines().values());
                if (cp.commitRecord() >= 0) {
                    indexed.add(cp.commitRecord());
                }
            }
            if (h.epochBase != null) {   // a session's base, retained or not (its view and next commit need it)
                indexed.addAll(h.epochBase.lines().values());
            }
            for (long at : h.epoch.values()) {
                if (at != FlashHeap.DELETED) {
                    indexed.add(at);
                }
            }
        }
        indexed.addAll(blobs.values());
        NavigableMap<Long, Long> bySegment = new TreeMap<>();
        Map<Long, Integer> bases = new HashMap<>();
        Set<Long> named = new HashSet<>();
        Set<Long> seen = new HashSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>(indexed);
        for (FlashHeap h : heaps) {   // the state a session's next commit patches, its base no longer retained
            FlashCheckpoint b = h.epochBase;
            if (b != null && b.commitRecord() >= 0 && !h.checkpoints.containsKey(b.id())
                    && !indexed.contains(b.commitRecord())) {
                bases.put(b.commitRecord(), h.number);
                todo.add(b.commitRecord());
            }
        }
        long bytes = 0;
        while (!todo.isEmpty()) {
            long at = todo.poll();
            if (!seen.add(at)) {
                continue;
            }
            FlashLogReader reader = FlashLogReader.from(log.medium, log.blockSize, at);
            byte[] raw = reader.next();
            if (raw == null) {
                throw new IOException("no whole record at " + at + " of the flash log: its medium went bad there");
            }
            long size = reader.end() - at;
            bySegment.merge(segments.segmentOf(at), size, Long::sum);
            bytes += size;
            byte[] record = FlashLog.unwrapped(raw);
            Base base = baseOf(record, at);
            if (base != null) {
                named.add(base.named());
                long lies = log.resolve(base.named());
                if (!indexed.contains(lies)) {
                    bases.put(lies, base.app());
                }
                todo.add(lies);
            }
        }
        return new Live(bySegment, bytes, bases, named);
    }

    /** The position a patch names as its base, and its app; {@code null} for a record that patches nothing. */
    private record Base(long named, int app) {
    }

    private static Base baseOf(byte[] record, long at) throws IOException {
        if (record.length == 0) {
            return null;
        }
        if (record[0] == FlashRecord.PACKED_PATCH || record[0] == FlashRecord.PATCH) {
            FlashLineVersions.Parsed p = FlashLineVersions.parse(record, at);
            return new Base(p.patch().base(), p.app());
        }
        FlashPatches.Header state = FlashStateVersions.patchOf(record);
        return state == null ? null : new Base(state.base(), java.nio.ByteBuffer.wrap(record, 1, 4).getInt());
    }

    /**
     * Writes the snapshot segment into {@code next}, whose first byte is at position {@code base} of the log, and
     * syncs it; returns its writer.
     *
     * @param limit the position past which the segment may not end
     * @throws FlashLogFullException when it would end past it (what was written is left in {@code next})
     */
    FlashLogWriter copy(FlashMedium next, long base, Live live, List<FlashHeap> heaps, Map<BlobHash, Long> blobs,
                        long fencingTokens, long limit) throws IOException {
        FlashLogWriter out = new FlashLogWriter(next, log.blockSize, base);
        out.limit(limit);
        out.append(FlashLogFormat.formatRecord(log.blockSize));
        Map<Integer, List<Long>> basesByApp = new HashMap<>();
        live.bases().forEach((at, app) -> basesByApp.computeIfAbsent(app, a -> new ArrayList<>()).add(at));
        for (FlashHeap h : heaps) {
            out.append(FlashRecord.of(FlashRecord.CREATE).u4(h.number).utf(h.name).u4(h.lineSize).toBytes());
            for (long at : basesByApp.getOrDefault(h.number, List.of()).stream().sorted().toList()) {
                if (moves.test(at)) {
                    byte[] raw = FlashLogReader.readAt(log.medium, log.blockSize, at);
                    byte[] kept = raw[0] == FlashRecord.KEPT ? raw
                            : FlashRecord.of(FlashRecord.KEPT).bytes(raw).toBytes();
                    move(out, at, kept);
                }
            }
            if (h.everOpened && h.checkpoints.isEmpty() && h.holder == null) {   // opened before: not created again
                out.append(FlashRecord.of(FlashRecord.OPEN).u4(h.number).u8(fencingTokens).u8(0).toBytes());
                out.append(FlashRecord.of(FlashRecord.CLOSE).u4(h.number).toBytes());
            }
            Map<Long, Long> previous = Map.of();
            long previousId = 0;
            for (FlashCheckpoint cp : h.checkpoints.values()) {
                out.append(FlashRecord.of(FlashRecord.OPEN).u4(h.number).u8(fencingTokens).u8(previousId).toBytes());
                epoch(out, h, previous, cp.lines());
                commit(out, h, cp);
                previous = cp.lines();
                previousId = cp.id();
            }
            if (h.holder != null) {   // a session goes on: its open epoch, on its base
                boolean retained = h.epochBase != null && h.checkpoints.containsKey(h.epochBase.id());
                out.append(FlashRecord.of(FlashRecord.OPEN).u4(h.number).u8(h.token)
                        .u8(retained ? h.epochBase.id() : 0).toBytes());
                Map<Long, Long> base0 = h.epochBase == null ? Map.of() : h.epochBase.lines();
                Map<Long, Long> seen = new HashMap<>(base0);
                h.epoch.forEach((line, at) -> {
                    if (at == FlashHeap.DELETED) {
                        seen.remove(line);
                    } else {
                        seen.put(line, at);
                    }
                });
                epoch(out, h, retained ? base0 : Map.of(), seen);
            }
        }
        for (Map.Entry<BlobHash, Long> b : blobs.entrySet()) {
            long at = b.getValue();
            if (moves.test(at)) {
                move(out, at, FlashLogReader.readAt(log.medium, log.blockSize, at));
            } else {
                out.append(FlashRecord.of(FlashRecord.BLOB_REF).bytes(b.getKey().bytes()).varint(at).toBytes());
            }
        }
        forwards = forwardsAfter(live);
        List<Map.Entry<Long, Long>> forwards = new ArrayList<>(this.forwards.entrySet());
        for (int first = 0; first < forwards.size(); first += NAMES_PER_RECORD) {
            List<Map.Entry<Long, Long>> part = forwards.subList(first,
                    Math.min(forwards.size(), first + NAMES_PER_RECORD));
            FlashRecord r = FlashRecord.of(FlashRecord.FORWARD).varint(part.size());
            part.forEach(f -> r.varint(f.getKey()).varint(f.getValue()));
            out.append(r.toBytes());
        }
        out.sync();
        out.limit(Long.MAX_VALUE);
        return out;
    }

    /** Appends {@code record}, the copy of the record that lay at {@code at}, and remembers where it lies now. */
    private void move(FlashLogWriter out, long at, byte[] record) throws IOException {
        long to = out.append(record);
        moved.put(at, to);
        copiedBytes += out.position() - to;
    }

    /** Where the record that lay at {@code at} lies after this pass. */
    long moved(long at) {
        return moved.getOrDefault(at, at);
    }

    /** Bytes of records this pass copied from its victims (framing included). */
    long copiedBytes() {
        return copiedBytes;
    }

    /**
     * The forwards after this pass, as {@link #copy} wrote them: for each position a live patch names, where its base
     * lies now, if elsewhere.
     */
    Map<Long, Long> forwards() {
        return forwards;
    }

    private Map<Long, Long> forwardsAfter(Live live) {
        Map<Long, Long> forwards = new HashMap<>();
        for (long named : live.named()) {
            long lies = moved(log.resolve(named));
            if (lies != named) {
                forwards.put(named, lies);
            }
        }
        return forwards;
    }

    /** After the snapshot segment was installed: every position in the index, moved onto it where it moved. */
    void moveIndex(List<FlashHeap> heaps, Map<BlobHash, Long> blobs) {
        for (FlashHeap h : heaps) {
            TreeMap<Long, FlashCheckpoint> remapped = new TreeMap<>();
            h.checkpoints.forEach((id, cp) -> remapped.put(id, moved(cp)));
            FlashCheckpoint epochBase = h.epochBase;
            h.checkpoints.clear();
            h.checkpoints.putAll(remapped);
            h.epochBase = epochBase == null ? null : remapped.getOrDefault(epochBase.id(), moved(epochBase));
            h.epoch.replaceAll((line, at) -> at == FlashHeap.DELETED ? FlashHeap.DELETED : moved(at));
        }
        blobs.replaceAll((hash, at) -> moved(at));
    }

    /**
     * Appends the records that take a view from {@code from} to {@code to}: each line whose version differs, copied
     * from a victim (once: a version copied before is named) or named where it lies, and one DELETE of the lines
     * {@code to} lacks.
     */
    private void epoch(FlashLogWriter out, FlashHeap h, Map<Long, Long> from, Map<Long, Long> to) throws IOException {
        TreeMap<Long, Long> named = new TreeMap<>();
        for (Map.Entry<Long, Long> line : to.entrySet()) {
            long at = line.getValue();
            if (at == from.getOrDefault(line.getKey(), FlashHeap.DELETED)) {
                continue;
            }
            if (moves.test(at) && !moved.containsKey(at)) {
                move(out, at, FlashLogReader.readAt(log.medium, log.blockSize, at));
            } else {
                named.put(line.getKey(), moved(at));
            }
        }
        List<Map.Entry<Long, Long>> names = new ArrayList<>(named.entrySet());
        for (int first = 0; first < names.size(); first += NAMES_PER_RECORD) {   // by line: ids as differences
            List<Map.Entry<Long, Long>> part = names.subList(first, Math.min(names.size(), first + NAMES_PER_RECORD));
            FlashRecord r = FlashRecord.of(FlashRecord.REF).varint(h.number).varint(part.size());
            long previous = 0;
            for (Map.Entry<Long, Long> name : part) {
                r.varint(name.getKey() - previous).varint(name.getValue());
                previous = name.getKey();
            }
            out.append(r.toBytes());
        }
        List<Long> gone = from.keySet().stream().filter(line -> !to.containsKey(line)).toList();
        if (!gone.isEmpty()) {
            FlashRecord r = FlashRecord.of(FlashRecord.DELETE).u4(h.number).u4(gone.size());
            gone.forEach(r::u8);
            out.append(r.toBytes());
        }
    }

    /** Checkpoint {@code cp}'s commit: its record copied from a victim (once), else named where it lies. */
    private void commit(FlashLogWriter out, FlashHeap h, FlashCheckpoint cp) throws IOException {
        long at = cp.commitRecord();
        if (at >= 0 && moves.test(at) && !moved.containsKey(at)) {
            move(out, at, FlashLogReader.readAt(log.medium, log.blockSize, at));
        } else {
            out.append(FlashRecord.of(FlashRecord.COMMIT_REF).varint(h.number).varint(cp.id()).varint(moved(at))
                    .toBytes());
        }
    }

    /** A checkpoint whose lines and COMMIT record moved where they moved. */
    private FlashCheckpoint moved(FlashCheckpoint cp) {
        Map<Long, Long> lines = new HashMap<>(cp.lines().size() * 2);
        cp.lines().forEach((line, at) -> lines.put(line, moved(at)));
        return new FlashCheckpoint(cp.id(), lines, cp.commitRecord() < 0 ? -1 : moved(cp.commitRecord()));
    }
}
