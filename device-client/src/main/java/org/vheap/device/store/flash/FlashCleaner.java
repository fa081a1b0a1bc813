package org.vheap.device.store.flash;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import org.vheap.format.BlobHash;
import org.vheap.store.StoreException;

/**
 * When a {@link FlashHeapStore} cleans its log and which segments, and how much room the cleaner keeps: the policy
 * around {@link FlashCleaning}'s passes. Without a flash size, a commit cleans when the segments take {@link #GROWTH}
 * times what was live at the last pass, every segment at most {@code 1 - 1 / GROWTH} live. With one, a call whose
 * records would not fit with the cleaner's room left ({@link #makeRoom}) cleans first, the least live segments
 * first, as many as their live records fit beside the log, in passes until an eighth of the flash size is
 * free again ({@link #FREED_SHARE}); when they do not fit even so, the store is full and says why.
 *
 * <p>Guarded by the store's monitor, over the store's index (its heaps, blobs and forwards, which a pass moves).
 */
final class FlashCleaner {
    /**
     * Without a flash size, the log is cleaned when it grew to this many times what is live: the segments at most
     * {@code 1 - 1 / GROWTH} live are cleaned, and the log takes up to this many times the live bytes (3: RocksDB's
     * universal compaction allows the same 200 % space amplification by default).
     */
    static final int GROWTH = 3;
    /** With a flash size, a cleaning pass goes on until this share of it is free beside what the call needs. */
    private static final int FREED_SHARE = 8;
    /** The room kept for a pass's copies, in snapshot segments' names ({@link #cleaningRoom}). */
    private static final int COPY_ROOM = 3;
    /** Passes a call makes at most to make room before the store says it is full. */
    private static final int PASSES = 16;

    /** What the cleaner asks of the store whose log it cleans. */
    interface Store {
        /** The highest fencing token issued, which a snapshot segment's OPEN records carry. */
        long fencingTokens();

        /** The log failed in a pass: the store fails its later calls. */
        void failed(IOException e);

        /** Throws what the store's calls throw once its log failed. */
        void usable();

        /** A snapshot segment was installed: the store appends after it from now on. */
        void installed() throws IOException;

        /**
         * Lets go of the checkpoints kept beside the retained ones only until a server has them (their lines reach it
         * with a later checkpoint); returns whether it let go of any.
         */
        boolean releaseKept();
    }

    private final FlashStoreConfig config;
    private final long flashSize;
    private final int blockSize;
    private final FlashLogFiles files;
    private final FlashSegments segments;
    private final FlashLog log;
    private final Map<Long, Long> forwards;
    private final List<FlashHeap> heaps;
    private final Map<BlobHash, Long> heapLogBlobs;
    private final FlashBlobLog blobLog;
    private final Store store;
    /** Without a flash size: the bytes of segments from which the next commit cleans them ({@link #cleanAt()}). */
    private long cleanAt;
    /** What was live at the last cleaning pass (the segments' bytes when none ran since the store opened). */
    private long live;
    /** Why the last cleaning pass failed, when it did for another reason than room; {@code null} otherwise. */
    private String cleaningFailure;
    /** Changes to the index ({@link #changed}): after a pass that found nothing to free, the next waits for one. */
    private long changes;
    /** {@link #changes} when a pass found nothing to free; -1 when the last one did. */
    private long fruitlessAt = -1;
    /** Bytes the last pass's snapshot segment took beside the records it moved: what the next one needs about. */
    private long snapshotOverhead;
    /** Cleaning passes installed. */
    private long cleanings;
    /** Bytes of the snapshot segments the passes wrote (the records they moved and the index they named). */
    private long bytesCleaned;

    /**
     * The cleaner of {@code segments} (in {@code files}, read as {@code log}, with the store's {@code forwards}), over
     * the index of {@code heaps} and {@code heapLogBlobs}; {@code flashSize} {@link Long#MAX_VALUE} when unbounded.
     */
    FlashCleaner(FlashStoreConfig config, long flashSize, int blockSize, FlashLogFiles files, FlashSegments segments,
                 FlashLog log, Map<Long, Long> forwards, List<FlashHeap> heaps, Map<BlobHash, Long> heapLogBlobs,
                 FlashBlobLog blobLog, Store store) {
        this.config = config;
        this.flashSize = flashSize;
        this.blockSize = blockSize;
        this.files = files;
        this.segments = segments;
        this.log = log;
        this.forwards = forwards;
        this.heaps = heaps;
        this.heapLogBlobs = heapLogBlobs;
        this.blobLog = blobLog;
        this.store = store;
        this.live = segments.taken();   // at most: a pass measures it
        this.cleanAt = cleanAt();
    }

    /** After a commit: without a flash size, cleans the segments once they take {@link #GROWTH} times what is live. */
    void committed() {
        if (segments.taken() >= cleanAt) {
            clean(FlashCleaner::mostlyDead);
        }
    }

    /** Cleaning passes installed since the store opened. */
    long cleanings() {
        return cleanings;
    }

    /** Bytes of the snapshot segments written since the store opened. */
    long bytesCleaned() {
        return bytesCleaned;
    }

    /** Which segments a cleaning pass cleans, knowing what is live in each and the bytes each takes. */
    private interface Victims {
        Set<Long> of(FlashCleaning.Live live, NavigableMap<Long, Long> sizes) throws IOException;
    }

    /**
     * One pass of the cleaner ({@link FlashCleaning}) over the segments {@code victims} picks: the snapshot segment
     * may take what the flash size leaves beside the log, which stays until the snapshot segment is installed. A pass
     * that fails, or finds no room, leaves the log as it was (or, if the snapshot segment may have been installed,
     * fails the store's later calls), never the call that started it.
     *
     * @return what came of it
     */
    private Pass clean(Victims victims) {
        FlashCleaning.Live found;
        Set<Long> cleaned;
        try {
            moveHeapLogBlobs();
            segments.sync();   // what a snapshot names is durable before it is
            found = FlashCleaning.scan(log, segments, heaps, heapLogBlobs);
            cleaned = victims.of(found, segments.sizes());
        } catch (IOException | RuntimeException e) {   // the logs go on being used: their failure is the store's
            store.failed(e instanceof IOException io ? io : new IOException(e));
            return Pass.FAILED;
        }
        live = found.bytes();
        if (cleaned.isEmpty()) {
            cleanAt = cleanAt();
            return Pass.NOTHING_TO_FREE;
        }
        FlashCleaning pass = new FlashCleaning(log, at -> cleaned.contains(segments.segmentOf(at)));
        FlashMedium next = null;
        FlashLogWriter copied;
        long base;
        try {
            base = segments.nextBase(blockSize);
            next = files.next();
            copied = pass.copy(next, base, found, heaps, heapLogBlobs, store.fencingTokens(),
                    flashSize == Long.MAX_VALUE ? Long.MAX_VALUE : base + room(0));
        } catch (IOException | RuntimeException e) {
            FlashHeapStore.closeQuietly(next);   // the log goes on as it was; a later call tries again
            if (next != null) {
                try {
                    files.dropNext();
                } catch (IOException ignored) {
                    // left for the next pass or the next start to drop
                }
            }
            cleanAt = cleanAt > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * cleanAt;
            if (e instanceof FlashLogFullException full) {   // the snapshot took more than estimated: estimate more
                snapshotOverhead = snapshotRoom() + full.past() + blockSize;
                cleaningFailure = null;
                return Pass.OVERFLOWED;
            }
            cleaningFailure = e.toString();
            return Pass.FAILED;
        }
        try {
            files.install(base);
            segments.installed(base, next);
        } catch (IOException | RuntimeException e) {
            // which segments hold the log is not known here: replaying it on the next start will tell
            store.failed(e instanceof IOException io ? io : new IOException(e));
            FlashHeapStore.closeQuietly(next);
            return Pass.FAILED;
        }
        pass.moveIndex(heaps, heapLogBlobs);
        Map<Long, Long> moved = pass.forwards();
        forwards.clear();
        forwards.putAll(moved);
        long snapshot = copied.position() - base;
        bytesCleaned += snapshot;
        snapshotOverhead = snapshot - pass.copiedBytes();
        cleanings++;
        try {
            store.installed();
            for (long victim : cleaned) {
                segments.drop(victim);
            }
        } catch (IOException e) {
            store.failed(e);
        }
        live = found.bytes() + snapshotOverhead;
        cleaningFailure = null;
        cleanAt = cleanAt();
        return Pass.INSTALLED;
    }

    /** What came of a pass. */
    private enum Pass {
        /** Its snapshot segment installed, the segments it cleaned dropped. */
        INSTALLED,
        /** No segment it could clean would free more than its snapshot takes: nothing written. */
        NOTHING_TO_FREE,
        /** Its snapshot segment would have gone past the room beside the log: dropped, the estimate raised. */
        OVERFLOWED,
        /** The medium failed, or the snapshot segment could not be made: {@link #cleaningFailure} says why. */
        FAILED
    }

    /** Without a flash size: the segments at most {@code 1 - 1 / GROWTH} live (those a pass copies least to free). */
    private static Set<Long> mostlyDead(FlashCleaning.Live live, NavigableMap<Long, Long> sizes) {
        Set<Long> victims = new HashSet<>();
        sizes.forEach((base, size) -> {
            if (GROWTH * live.bySegment().getOrDefault(base, 0L) <= (GROWTH - 1) * size) {
                victims.add(base);
            }
        });
        return victims;
    }

    /**
     * With a flash size: the segments to clean so that {@code need} bytes fit with {@code leave} left, least live
     * first, as many as their live records fit beside the log with the snapshot's room, until an eighth of the flash
     * size is free beside them; none when a pass would free less than its snapshot takes.
     */
    private Set<Long> roomFor(long need, long leave, FlashCleaning.Live live, NavigableMap<Long, Long> sizes) {
        long free = room(0);
        long snapshot = snapshotRoom();
        long target = need + leave + (flashSize - blobLog.size()) / FREED_SHARE;
        List<Long> order = new ArrayList<>(sizes.keySet());
        order.sort(java.util.Comparator.comparingDouble(
                base -> (double) live.bySegment().getOrDefault(base, 0L) / Math.max(1, sizes.get(base))));
        Set<Long> victims = new HashSet<>();
        long copies = 0;
        long freed = 0;
        for (long base : order) {
            long size = sizes.get(base);
            long inUse = live.bySegment().getOrDefault(base, 0L);
            if (inUse >= size) {
                continue;   // nothing to free (an empty segment, or all live)
            }
            if (copies + inUse + snapshot > free) {
                continue;   // its live records do not fit beside the log: a less live one may
            }
            victims.add(base);
            copies += inUse;
            freed += size - inUse;
            if (free + freed - snapshot >= target) {
                break;
            }
        }
        return freed > snapshot ? victims : Set.of();
    }

    /**
     * What a cleaning's snapshot segment takes beside the records it moves, about: what the last pass's took and a
     * block; before the first pass, a name (about 8 bytes of a packed REF record) for each line of each app's largest
     * checkpoint or open epoch and a few records for each checkpoint (retained checkpoints mostly share their lines).
     */
    private long snapshotRoom() {
        if (snapshotOverhead > 0) {
            return snapshotOverhead + blockSize;
        }
        long names = 0;
        for (FlashHeap h : heaps) {
            long largest = h.epochBase == null ? 0 : h.epochBase.lines().size();
            for (FlashCheckpoint cp : h.checkpoints.values()) {
                largest = Math.max(largest, cp.lines().size());
            }
            names += largest + h.epoch.size() + 4L * (h.checkpoints.size() + 2);
        }
        return 8 * (names + heapLogBlobs.size()) + blockSize;
    }

    /**
     * With a flash size: what calls that write lines leave free for the cleaner: a segment, and {@link #COPY_ROOM}
     * times a snapshot segment's names beside its own (a pass copying segments four fifths live frees a byte for
     * four it copies, and its names must take less than it frees); at most a quarter of the flash size.
     */
    private long cleaningRoom() {
        return Math.min((flashSize - blobLog.size()) / 4, config.segmentSize() + (COPY_ROOM + 1) * snapshotRoom());
    }

    /**
     * Before a pass: the blobs a store made before the blobs' log put in the heap's log go to the blobs' log (synced),
     * so the cleaning leaves them behind; when they fit beside the logs, else they stay and are named.
     */
    private void moveHeapLogBlobs() throws IOException {
        if (heapLogBlobs.isEmpty()) {
            return;
        }
        Map<BlobHash, byte[]> records = new LinkedHashMap<>();
        long need = blobLog.markSize();   // the sync's MARK
        for (Map.Entry<BlobHash, Long> e : heapLogBlobs.entrySet()) {
            byte[] record = log.record(e.getValue());
            records.put(e.getKey(), record);
            need += blobLog.encodedSize(record.length);
        }
        if (need > room(0)) {
            return;
        }
        for (Map.Entry<BlobHash, byte[]> e : records.entrySet()) {
            if (!blobLog.contains(e.getKey())) {
                blobLog.append(e.getKey(), e.getValue());
            }
        }
        blobLog.sync();
        heapLogBlobs.clear();
    }

    /** Cleans every segment now (a whole compaction: the snapshot segment is the whole log), for tests. */
    void cleanAll() {
        clean((found, sizes) -> sizes.keySet());
    }

    /**
     * Without a flash size, the bytes of segments from which a commit cleans them: {@link #GROWTH} times what was live
     * at the last pass, at least {@link FlashStoreConfig#compactFloor}; with one, never (calls clean when their
     * records do not fit, {@link #makeRoom}).
     */
    private long cleanAt() {
        return flashSize != Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(config.compactFloor(), GROWTH * live);
    }

    /** The bytes the flash size leaves beside the logs and {@code keep} ({@link Long#MAX_VALUE} when unbounded). */
    long room(long keep) {
        return flashSize == Long.MAX_VALUE ? Long.MAX_VALUE : flashSize - blobLog.size() - segments.taken() - keep;
    }

    /** Something changed what is live (a write, a commit, a lease given back): a pass may free what one could not. */
    void changed() {
        changes++;
    }

    /**
     * Before a call appends anything: makes sure records of {@code need} bytes (bounded by
     * {@link FlashLogWriter#encodedSize}) fit in the flash size with {@code keep} bytes left, and, for a call that
     * writes lines ({@code keep} above 0), the room a cleaning pass needs; cleaning first when they do not.
     *
     * @throws StoreException {@code UNAVAILABLE} when they do not fit even after a pass: the store is full, and
     *         nothing was written
     */
    void makeRoom(long need, long keep) throws IOException {
        if (need == 0 || flashSize == Long.MAX_VALUE) {
            return;
        }
        long leave = keep + (keep > 0 ? cleaningRoom() : 0);
        if (need + leave <= room(0)) {
            return;
        }
        for (int pass = 0; pass < PASSES && need + leave > room(0); pass++) {
            if (cleaningFailure == null && fruitlessAt == changes) {
                break;   // a pass would find what the last one did
            }
            Pass result = clean((found, sizes) -> roomFor(need, leave, found, sizes));
            store.usable();
            fruitlessAt = result == Pass.NOTHING_TO_FREE ? changes : -1;
            if (result == Pass.NOTHING_TO_FREE || result == Pass.FAILED) {
                break;   // an overflowed pass is tried again on fewer segments
            }
        }
        if (need + leave > room(0) && store.releaseKept()) {
            fruitlessAt = -1;   // what they kept live is dead now
            makeRoom(need, keep);
            return;
        }
        if (need + leave > room(0)) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "the flash store is full: " + need
                    + " more bytes of log do not fit in its " + flashSize + " bytes (--flash-size) beside the "
                    + leave + " it keeps free to clean: " + segments.taken() + " taken by the heap's log (" + live
                    + " live at the last cleaning) and " + blobLog.size() + " by the blobs', and "
                    + (cleaningFailure == null ? "no segment is dead enough to free room"
                            : "the cleaner failed (" + cleaningFailure + ")")
                    + "; the app waits for room (resume it with a larger --flash-size)");
        }
    }
}
