package org.vheap.device.vm.heap.paging;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.vheap.device.store.DeviceClock;
import org.vheap.device.store.HeapSession;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.store.LineImage;

/**
 * An app's virtual heap as a bounded cache of lines in device memory (the seed's in-memory heap), backed
 * by one {@link HeapSession}. See the package documentation for the design.
 *
 * <p>Contract: {@link HeapMemory}'s — aligned accesses, never-written memory reads as zero — with values in
 * little-endian byte order. An access to a line without a frame reads it from the store (or, for a line
 * the store does not hold, zero-fills a frame without asking); a store marks its line {@link LineState#DIRTY}.
 * When free frames would fall below the threshold, a batch of least recently used lines is evicted, clean
 * ones first among those not used since the CLOCK hand last passed ({@link EvictionSweep} chooses them); the
 * dirty ones among them are flushed in one {@code session.flush}, or, while the clean ones leave room enough,
 * written in the background and evicted clean later (write-behind, {@link PagingConfig#setWriteBehind}). Flushes
 * are uncommitted until a checkpoint ({@link #flushAll()} or {@link #dirtyLineImages()} with {@link #markCommitted}).
 *
 * <p>System lines: the lines of {@code [ObjectLayout.SYSTEM_SEGMENT_BASE, SYSTEM_SEGMENT_LIMIT)} are the
 * read-only system segment (class files). They share the frames with the user lines (so device memory bounds
 * both), enter frames clean through {@link #installSystem} or, on a miss, from {@link #systemLines}, are
 * evicted like any clean line, and are never dirty, flushed, committed or deleted: the heap session never
 * sees their ids. A store to one is an {@link IllegalStateException} (a VM bug).
 *
 * <p>The nursery: the lines of {@code [ObjectLayout.NURSERY_BASE, + config.nurseryBytes())} live in device memory
 * after the frames, each at a fixed place, for as long as the heap is open. The cache table never names them: they
 * are never faulted, flushed, evicted, committed or deleted, and the heap session never sees their ids. The VM's
 * nursery allocator and minor collector ({@code vm.heap.Nursery}) decide what they hold.
 *
 * <p>Failures: every store call (line reads, flushes, system line fetches) goes through {@link StoreRetry}: a
 * call failing with a retryable reason ({@code UNAVAILABLE}: the store is unreachable; {@code THROTTLED}: over the
 * app's quota of calls per second; {@code ABORTED}: a lost database race; see {@code StoreException.Reason.retryable()})
 * is retried with backoff on the injected
 * {@link DeviceClock}, then {@link HeapStoreUnreachableException}; {@code FENCED} becomes
 * {@link HeapFencedException} at once; other store failures are rethrown. A call that waits for the store says so
 * to the {@link StoreWaits} given, and again when it goes through. A dirty line is never dropped: if
 * its flush fails it stays dirty in its frame.
 * An address outside {@code [0, maxHeapBytes)} is an {@link IllegalArgumentException}.
 *
 * <p>Risks: only the interpreter thread may call it (no locking). An access that is not aligned to its
 * width may straddle two lines and read or write the wrong frame (checked only with {@code -ea}). A store
 * call blocks the interpreter for as long as the store takes, including retries.
 */
public final class PagedHeap implements HeapMemory {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle CHAR = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** {@link #flushAll()} writes at most this much per store write. */
    private static final long FLUSH_BYTES = 4L << 20;
    /** The memory of a closed heap: any access fails. */
    private static final byte[] CLOSED = new byte[0];

    private final HeapSession session;
    private final String app;
    private final int lineSize;
    private final int lineShift;
    private final long lineMask;
    private final long maxHeapBytes;
    private final int threshold;
    private final boolean writeBehind;
    /** The store held no line when the session began (no base checkpoint): untouched lines are empty. */
    private final boolean storeEmptyAtOpen;
    /**
     * The first line nothing of the base checkpoint was allocated in ({@link #unusedFrom}): an untouched line from
     * here on reads as zeros without a store read. The store may still hold an old version of one (a heap written
     * before collections deleted their garbage lines), so such a line counts as stored: its zeros are written if
     * it is made all zero, never taken for the store's.
     */
    private long unusedFromLine = Long.MAX_VALUE;
    /**
     * Device memory: frame {@code f} is bytes {@code [f << lineShift, (f+1) << lineShift)}, then the nursery. Taken
     * from {@link #frameMemory}; given back by {@link #close}, which leaves {@link #CLOSED} here.
     */
    private byte[] memory;
    private final FrameMemory frameMemory;
    private final CacheTable table;
    private final long systemFirstLine;
    private final long nurseryFirstLine;
    /** Nursery lines, in device memory from frame {@link #nurseryFrame} on. */
    private final long nurseryLines;
    private final int nurseryFrame;
    private SystemLines systemLines = (lineId, dst, offset) -> {
        throw new IllegalStateException("system line " + lineId + " missed, but this heap has no system segment");
    };
    private final byte[] scratch;
    private final EvictionSweep sweep;
    /** Lines a collection is likely to free soon: written only to be evicted ({@link #holdBackFlushing}). */
    private java.util.function.LongPredicate heldBack = line -> false;
    private final ReadAhead readAhead;
    /** The most lines read with a miss: with it, at most a quarter of the frames and one store batch. */
    private final int readAheadMost;
    /** The background write of cold dirty lines in flight ({@link #cleanInBackground}), its images and their mark. */
    private java.util.concurrent.Future<Void> cleaning;
    private List<LineImage> cleaningImages;
    private long cleaningMark;
    private final StoreRetry retry;

    /**
     * Two-entry translation caches: the lines of the last two reads that missed them and of the last two writes that
     * did (already dirty), each with where its frame starts in {@link #memory}; a miss moves the first entry to the
     * second, a hit changes nothing. Two, so code alternating between two lines (two objects on either side of a line
     * boundary, an array and the object holding it) hits as code on one line does.
     * The second entries are used only when the memory has {@link #TWO_ENTRY_FRAMES} frames or more: the eviction
     * sweep takes no line the caches hold, and four of a handful of frames would leave it too little to choose from.
     *
     * <p>Both caches are in one array, {@link #translationCaches}, which translated code reads directly (its barriers'
     * fast paths: the tier's {@code TranslationWriter}), so the array is the caches: from {@link #READ_CACHE} and from
     * {@link #WRITE_CACHE}, the first entry's line (-1: none) and where its frame starts, then the second entry's.
     */
    static final int TWO_ENTRY_FRAMES = 64;
    /** Where the read cache starts in {@link #translationCaches}: line, frame start, second line, its frame start. */
    public static final int READ_CACHE = 0;
    /** Where the write cache starts in {@link #translationCaches}, laid out as the read cache. */
    public static final int WRITE_CACHE = 4;
    private final boolean twoEntries;
    private final long[] caches = {-1, 0, -1, 0, -1, 0, -1, 0};

    private long misses;
    private long linesFetched;
    private long fetchTransactions;
    private long linesFlushed;
    private long flushTransactions;
    private long evictions;
    private long systemMisses;
    private long systemEvictions;
    private long linesDiscarded;
    private long backgroundWritesFailed;
    /** The user heap's working sets' size ({@link HeapMemory#workingSetBytes}). */
    private final long workingSetBytes;
    /** A collection is running: evictions hold dirty lines back ({@link #collecting}). */
    private boolean collecting;
    /** The user lines the running (or last) collection read or wrote, and the misses before it and in it. */
    private final java.util.BitSet touchedInCollection = new java.util.BitSet();
    private long missesBeforeCollection;
    private long missesInCollection;
    /** Lines brought in ahead of use ({@link #prefetch}, {@link #prefetchLines}, {@link ReadAhead}). */
    private long prefetched;
    private final GarbageLines garbage = new GarbageLines();

    /** On the host's clock: see {@link #PagedHeap(HeapSession, PagingConfig, DeviceClock)}. */
    public PagedHeap(HeapSession session, PagingConfig config) {
        this(session, config, DeviceClock.system());
    }

    /** Telling no one when a store call waits: see {@link #PagedHeap(HeapSession, PagingConfig, DeviceClock, StoreWaits)}. */
    public PagedHeap(HeapSession session, PagingConfig config, DeviceClock clock) {
        this(session, config, clock, StoreWaits.none());
    }

    /**
     * @param session the app's open heap; its line size must be {@code config.lineSize()}
     * @param config  validated here and read once
     * @param clock   what the store retry's pauses sleep on and its retry time is measured on
     * @param waits   told when a store call starts waiting for an unavailable store, and when it goes through
     */
    public PagedHeap(HeapSession session, PagingConfig config, DeviceClock clock, StoreWaits waits) {
        this(session, config, clock, waits, new FrameMemory(0));
    }

    /**
     * @param frameMemory the device memory this heap's frames are taken from, and given back to by {@link #close}
     * @see #PagedHeap(HeapSession, PagingConfig, DeviceClock, StoreWaits)
     */
    public PagedHeap(HeapSession session, PagingConfig config, DeviceClock clock, StoreWaits waits,
                     FrameMemory frameMemory) {
        config.validate();
        if (session.lineSize() != config.lineSize()) {
            throw new IllegalArgumentException("app '" + session.app() + "' has " + session.lineSize()
                    + "-byte lines but paging is configured for " + config.lineSize());
        }
        this.session = session;
        this.app = session.app();
        this.lineSize = config.lineSize();
        this.lineShift = Integer.numberOfTrailingZeros(lineSize);
        this.lineMask = lineSize - 1;
        this.maxHeapBytes = config.maxHeapBytes();
        this.threshold = config.freeFrameThreshold();
        this.writeBehind = config.writeBehind();
        this.storeEmptyAtOpen = session.baseCheckpointId() == 0;
        if (maxHeapBytes > ObjectLayout.SYSTEM_SEGMENT_BASE) {
            throw new IllegalArgumentException("max heap " + maxHeapBytes + " reaches into the system segment at 0x"
                    + Long.toHexString(ObjectLayout.SYSTEM_SEGMENT_BASE));
        }
        this.frameMemory = frameMemory;
        this.nurseryFirstLine = ObjectLayout.NURSERY_BASE >>> lineShift;
        this.nurseryLines = config.nurseryBytes() >>> lineShift;
        this.workingSetBytes = config.workingSetBytes();
        this.nurseryFrame = config.frames();
        this.systemFirstLine = ObjectLayout.SYSTEM_SEGMENT_BASE >>> lineShift;
        this.table = new CacheTable(config.frames(), maxHeapBytes >>> lineShift, systemFirstLine,
                (ObjectLayout.SYSTEM_SEGMENT_LIMIT - ObjectLayout.SYSTEM_SEGMENT_BASE) >>> lineShift);
        this.scratch = new byte[lineSize];
        this.readAhead = new ReadAhead(config.readAheadLines(), table.frames());
        this.sweep = new EvictionSweep(table, threshold, readAhead);
        this.twoEntries = table.frames() >= TWO_ENTRY_FRAMES;
        this.readAheadMost = (int) Math.max(0,
                Math.min(table.frames() / 4 - 1, PagingConfig.MAX_BATCH_BYTES / lineSize - 1));
        this.retry = new StoreRetry(app, config, clock, table::dirtyFrames, waits);
        this.memory = frameMemory.take((int) config.memoryBytes());   // last: a constructor that failed took none
    }

    // ---------------------------------------------------------------------------------------------------
    // HeapMemory: the barriers

    @Override
    public byte getByte(long address) {
        return memory[readIndex(address)];
    }

    @Override
    public void putByte(long address, byte value) {
        memory[writeIndex(address)] = value;
    }

    @Override
    public short getShort(long address) {
        assert (address & 1) == 0 : "unaligned short at " + address;
        return (short) SHORT.get(memory, readIndex(address));
    }

    @Override
    public void putShort(long address, short value) {
        assert (address & 1) == 0 : "unaligned short at " + address;
        SHORT.set(memory, writeIndex(address), value);
    }

    @Override
    public char getChar(long address) {
        assert (address & 1) == 0 : "unaligned char at " + address;
        return (char) CHAR.get(memory, readIndex(address));
    }

    @Override
    public void putChar(long address, char value) {
        assert (address & 1) == 0 : "unaligned char at " + address;
        CHAR.set(memory, writeIndex(address), value);
    }

    @Override
    public int getInt(long address) {
        assert (address & 3) == 0 : "unaligned int at " + address;
        return intAt(memory, readIndex(address));
    }

    @Override
    public void putInt(long address, int value) {
        assert (address & 3) == 0 : "unaligned int at " + address;
        putIntAt(memory, writeIndex(address), value);
    }

    @Override
    public long getLong(long address) {
        assert (address & 7) == 0 : "unaligned long at " + address;
        return longAt(memory, readIndex(address));
    }

    @Override
    public void putLong(long address, long value) {
        assert (address & 7) == 0 : "unaligned long at " + address;
        putLongAt(memory, writeIndex(address), value);
    }

    @Override
    public void copy(long from, long to, long length) {
        checkReadable(from, length);
        checkWritable(to, length);
        if (length == 0 || from == to) {
            return;
        }
        prefetch(from, length);
        boolean forward = to < from || to >= from + length;
        long done = 0;
        while (done < length) {
            long left = length - done;
            int n;
            long src;
            long dst;
            if (forward) {
                src = from + done;
                dst = to + done;
                n = (int) Math.min(left, Math.min(lineSize - (src & lineMask), lineSize - (dst & lineMask)));
            } else {
                long srcEnd = from + left;   // copy the tail first, so overlapping bytes are read before overwritten
                long dstEnd = to + left;
                n = (int) Math.min(left, Math.min(((srcEnd - 1) & lineMask) + 1, ((dstEnd - 1) & lineMask) + 1));
                src = srcEnd - n;
                dst = dstEnd - n;
            }
            // through the scratch buffer: the miss on dst may evict src's frame
            System.arraycopy(memory, readIndex(src), scratch, 0, n);
            System.arraycopy(scratch, 0, memory, writeIndex(dst), n);
            done += n;
        }
    }

    @Override
    public void zero(long address, long length) {
        checkWritable(address, length);
        long end = address + length;
        while (address < end) {
            int n = (int) Math.min(end - address, lineSize - (address & lineMask));
            if (n == lineSize && !isNurseryLine(address >>> lineShift) && table.frameOf(address >>> lineShift) < 0) {
                overwriteWithZeros(address >>> lineShift);   // a whole line: no need to read what is replaced
            } else {
                int i = writeIndex(address);
                Arrays.fill(memory, i, i + n, (byte) 0);
            }
            address += n;
        }
    }

    /**
     * Says that nothing of the base checkpoint was allocated at or above {@code address} (its allocation pointer):
     * untouched lines wholly above it are zero-filled on a miss without asking the store. For a resumed heap.
     */
    public void unusedFrom(long address) {
        checkRange(address, 0);
        unusedFromLine = (address + lineMask) >>> lineShift;
    }

    /**
     * Drops the whole lines of {@code [address, address + length)}: a collection found nothing live in them. A
     * resident one keeps its frame, zeroed, clean and holding nothing the store has (dirty or not: nothing is
     * written), the clock's first victim unless it is used again (allocation into it costs no miss); one without a
     * frame becomes {@link LineState#EMPTY} to this heap, so touching it again zero-fills a frame without a store read; a line
     * the store may hold a version of is deleted from the store with the next flush or checkpoint
     * ({@link #garbageLines}). Only at a safepoint (no flush in progress).
     */
    @Override
    public void discard(long address, long length) {
        checkWritable(address, length);
        if (isNurseryLine(address >>> lineShift)) {
            return;   // the nursery's lines are device memory; the minor collector reuses them
        }
        long first = (address + lineMask) >>> lineShift;
        long end = (address + length) >>> lineShift;
        for (long line = first; line < end; line++) {
            int f = table.frameOf(line);
            boolean mayBeStored;
            if (f >= 0) {   // kept, zeroed and first to go: promotion may reuse it at once (no miss, no eviction)
                mayBeStored = table.isStored(f);
                clean(f, false);   // and out of the write cache: the next store must mark it dirty again
                forgetRead(line);   // and out of the read cache, whose lines the sweep does not take
                Arrays.fill(memory, f << lineShift, (f + 1) << lineShift, (byte) 0);
                table.clearReferenced(f);
            } else {
                mayBeStored = mayBeStored(f);
                table.forget(line);
            }
            if (mayBeStored) {
                garbage.add(line);
            }
            linesDiscarded++;
        }
    }

    /**
     * A collection starts ({@code true}) or ends: meanwhile evictions take clean lines before dirty ones and write
     * no dirty line they do not evict, since the collection may free it ({@link EvictionSweep}).
     */
    @Override
    public void holdBackFlushing(java.util.function.LongPredicate lines) {
        this.heldBack = java.util.Objects.requireNonNull(lines, "lines");
    }

    @Override
    public void collecting(boolean running) {
        collecting = running;
        if (running) {
            touchedInCollection.clear();
            missesBeforeCollection = misses + prefetched;
            forgetAll(READ_CACHE);   // so the first read of each line goes past the fast path and is counted
        } else {
            missesInCollection = misses + prefetched - missesBeforeCollection;
        }
    }

    @Override
    public long linesFaulted() {
        return misses;
    }

    @Override
    public int frames() {
        return table.frames();
    }

    @Override
    public long collectionLinesTouched() {
        return touchedInCollection.cardinality();
    }

    @Override
    public long collectionLinesFaulted() {
        return collecting ? misses + prefetched - missesBeforeCollection : missesInCollection;
    }

    /** A collection is running and reads or writes {@code line} of the user heap: counted once. */
    private void touchedByCollection(long line) {
        if (line < Integer.MAX_VALUE) {
            touchedInCollection.set((int) line);
        }
    }

    /**
     * The discarded lines whose store versions are still to be deleted: a flush or a checkpoint sends these as
     * its deletes, then {@link #markDeleted}. A discarded line written again since is no longer garbage (its
     * write supersedes the store's version) and is dropped here.
     */
    public long[] garbageLines() {
        return garbage.toDelete(table);
    }

    /** The store deleted these lines ({@link #garbageLines}'s, sent with a flush or a checkpoint). */
    public void markDeleted(long[] lines) {
        garbage.deleted(lines);
    }

    @Override
    public int lineSize() {
        return lineSize;
    }

    @Override
    public long workingSetBytes() {
        return workingSetBytes;
    }

    @Override
    public long nurseryBytes() {
        return nurseryLines << lineShift;
    }

    private boolean isNurseryLine(long line) {
        return line - nurseryFirstLine >= 0 && line - nurseryFirstLine < nurseryLines;
    }

    /** The fixed place in {@link #memory}, counted in frames, of a nursery line. */
    private int nurseryFrameOf(long line) {
        return nurseryFrame + (int) (line - nurseryFirstLine);
    }

    /**
     * The translation caches (both, laid out as {@link #READ_CACHE} and {@link #WRITE_CACHE} say), for translated code
     * to read: the same array for the life of this heap, changed only by this heap's barriers and sweeps, on the VM's
     * thread. Code that reads it must not write it, and must look again after anything that may page (a barrier's
     * miss, any call into the VM).
     */
    public long[] translationCaches() {
        return caches;
    }

    /**
     * The frames' bytes, which the caches' frame starts index: the same array until {@link #close}, which gives it back
     * to the device's frame memory (the next heap may take it), so nothing may touch it through this after the close.
     */
    public byte[] frameBytes() {
        return memory;
    }

    /**
     * The int at {@code index} of frame bytes ({@link #frameBytes}), in the heap's byte order (little-endian), as
     * {@link #getInt} reads it; with the next three, what translated code's barrier fast paths read and write with.
     */
    public static int intAt(byte[] frames, int index) {
        return (int) INT.get(frames, index);
    }

    public static void putIntAt(byte[] frames, int index, int value) {
        INT.set(frames, index, value);
    }

    public static long longAt(byte[] frames, int index) {
        return (long) LONG.get(frames, index);
    }

    public static void putLongAt(byte[] frames, int index, long value) {
        LONG.set(frames, index, value);
    }

    /** log2 of the line size: an address's line is {@code address >>> lineShift()}. */
    public int lineShift() {
        return lineShift;
    }

    /**
     * The index in {@link #frameBytes} of a byte to read: the read barrier (the getters', and translated code's when its
     * own look in the read cache missed).
     */
    public int readIndex(long address) {
        long line = address >>> lineShift;
        long[] c = caches;
        if (line == c[READ_CACHE]) {
            return (int) c[READ_CACHE + 1] + (int) (address & lineMask);
        }
        if (line == c[READ_CACHE + 2]) {
            return (int) c[READ_CACHE + 3] + (int) (address & lineMask);
        }
        return readIndexMiss(address, line);
    }

    /** A read of a line neither entry of the read cache holds: through the cache table, else the slow path. */
    private int readIndexMiss(long address, long line) {
        checkOpen();
        int[] map = table.lineMap();
        int frame;
        if (line < map.length && (frame = map[(int) line]) >= 0) {
            table.touch(frame);
            if (collecting) {
                touchedByCollection(line);
            }
            return cacheRead(line, frame) + (int) (address & lineMask);
        }
        return readIndexSlow(address, line);
    }

    /** Makes {@code line} (in {@code frame}) the read cache's first entry; returns where the frame starts. */
    private int cacheRead(long line, int frame) {
        return cache(READ_CACHE, line, frame);
    }

    /**
     * Makes {@code line} (in {@code frame}) the first entry of the cache at {@code cache} in {@link #caches}, the first
     * moving to the second; returns where the frame starts.
     */
    private int cache(int cache, long line, int frame) {
        long[] c = caches;
        if (twoEntries) {
            c[cache + 2] = c[cache];
            c[cache + 3] = c[cache + 1];
        }
        int base = frame << lineShift;
        c[cache] = line;
        c[cache + 1] = base;
        return base;
    }

    /**
     * The index in {@link #frameBytes} of a byte to write: the write barrier (the putters', and translated code's when
     * its own look in the write cache missed).
     */
    public int writeIndex(long address) {
        long line = address >>> lineShift;
        long[] c = caches;
        if (line == c[WRITE_CACHE]) {
            return (int) c[WRITE_CACHE + 1] + (int) (address & lineMask);
        }
        if (line == c[WRITE_CACHE + 2]) {
            return (int) c[WRITE_CACHE + 3] + (int) (address & lineMask);
        }
        return writeIndexSlow(address, line);
    }

    private int readIndexSlow(long address, long line) {
        boolean nurseryLine = isNurseryLine(line);
        if (collecting && !nurseryLine) {
            touchedByCollection(line);
        }
        int frame = nurseryLine ? nurseryFrameOf(line) : frameFor(address, line);
        return cacheRead(line, frame) + (int) (address & lineMask);
    }

    private int writeIndexSlow(long address, long line) {
        checkOpen();
        int frame;
        if (isNurseryLine(line)) {
            frame = nurseryFrameOf(line);   // never dirty: never flushed
        } else if (table.isSystemLine(line)) {
            throw readOnly(address, 1);
        } else {
            if (collecting) {
                touchedByCollection(line);
            }
            frame = frameFor(address, line);
            table.markDirty(frame);
        }
        return cacheWrite(line, frame) + (int) (address & lineMask);
    }

    /** Makes {@code line} (in {@code frame}, dirty) the write cache's first entry; returns where the frame starts. */
    private int cacheWrite(long line, int frame) {
        return cache(WRITE_CACHE, line, frame);
    }

    /** Translation through the cache table (the seed's figure 8): the line's frame, faulting it in on a miss. */
    private int frameFor(long address, long line) {
        int frame = table.frameOf(line);
        if (frame >= 0) {
            table.touch(frame);
            return frame;
        }
        if (address < 0 || address >= maxHeapBytes) {
            if (!table.isSystemLine(line)) {
                throw outside(address, 1);
            }
            systemMisses++;
            return faultSystem(line);
        }
        misses++;
        return fault(line, frame);
    }

    /** A miss on a system line: a free frame, then the line from the system segment (never the heap session). */
    private int faultSystem(long line) {
        makeFree(1);
        int frame = table.takeFreeFrame();
        try {
            retry.call(() -> "read system line " + line, () -> {
                systemLines.read(line, memory, frame << lineShift);
                return null;
            });
        } catch (RuntimeException e) {
            table.returnFreeFrame(frame);
            throw e;
        }
        table.install(line, frame, false, true);
        return frame;
    }

    /** A cache miss on {@code line} (cache-table code {@code known}): a free frame, then the line's bytes. */
    private int fault(long line, int known) {
        // a collection reads what it collects in its own batches (prefetchLines): read-ahead would fault lines beyond
        if (!collecting && !isUnused(line, known) && mayBeStored(known)) {
            long[] ahead = linesToReadAhead(line, readAhead.onMiss(line));
            if (ahead.length > 0) {
                return faultReadingAhead(line, ahead);
            }
        }
        makeFree(1);
        int frame = table.takeFreeFrame();
        int base = frame << lineShift;
        boolean unused = isUnused(line, known);
        byte[] data = null;
        if (!unused && mayBeStored(known)) {
            try {
                data = fetch(new long[] {line})[0];
            } catch (RuntimeException e) {
                table.returnFreeFrame(frame);
                throw e;
            }
        }
        if (data != null) {
            System.arraycopy(data, 0, memory, base, lineSize);
        } else {
            Arrays.fill(memory, base, base + lineSize, (byte) 0);
        }
        // an unused line reads as zeros but counts as stored, so it is written in full if made all zero
        table.install(line, frame, false, data != null || (unused && mayBeStored(known)));
        return frame;
    }

    /**
     * With a window, the lines a read-ahead fetches with {@code line}: of the {@code window} lines after it, then the
     * {@link ReadAhead#BEHIND} before it, those {@link #worthReadingAhead}, at most {@link #readAheadMost}.
     */
    private long[] linesToReadAhead(long line, int window) {
        if (window == 0) {
            return new long[0];
        }
        long[] ahead = new long[readAheadMost];
        int n = 0;
        long last = Math.min(line + window, (maxHeapBytes >>> lineShift) - 1);
        for (long l = line + 1; l <= last && n < ahead.length; l++) {
            if (worthReadingAhead(l)) {
                ahead[n++] = l;
            }
        }
        for (long l = line - 1; l >= Math.max(0, line - ReadAhead.BEHIND) && n < ahead.length; l--) {
            if (worthReadingAhead(l)) {
                ahead[n++] = l;
            }
        }
        return Arrays.copyOf(ahead, n);
    }

    /**
     * A user line no frame holds that the store may hold: lines known empty, or unused above the base checkpoint's
     * allocation pointer, are zeros and fault in without a read when used.
     */
    private boolean worthReadingAhead(long line) {
        int known = table.frameOf(line);
        return known < 0 && !isNurseryLine(line) && !isUnused(line, known) && mayBeStored(known);
    }

    /**
     * A miss on {@code line} that reads {@code ahead} too, in the same store call ({@link ReadAhead}); the lines read
     * ahead enter not referenced, so an unused one is the eviction hand's first choice (unless a walk is about to
     * reach it).
     */
    private int faultReadingAhead(long line, long[] ahead) {
        long[] wanted = new long[ahead.length + 1];
        wanted[0] = line;
        System.arraycopy(ahead, 0, wanted, 1, ahead.length);
        readIn(wanted);
        prefetched += ahead.length;
        for (long l : ahead) {
            table.clearReferenced(table.frameOf(l));
        }
        return table.frameOf(line);
    }

    /** An untouched line above the base checkpoint's allocation pointer ({@link #unusedFrom}): zeros, no read. */
    private boolean isUnused(long line, int known) {
        return known == CacheTable.UNKNOWN && line >= unusedFromLine;
    }

    private boolean mayBeStored(int known) {
        return known == CacheTable.KNOWN_PERSISTENT || (known == CacheTable.UNKNOWN && !storeEmptyAtOpen);
    }

    /** Gives a line without a frame a zero-filled one, dirty unless the store holds nothing for it anyway. */
    private void overwriteWithZeros(long line) {
        int known = table.frameOf(line);
        makeFree(1);
        int frame = table.takeFreeFrame();
        Arrays.fill(memory, frame << lineShift, (frame + 1) << lineShift, (byte) 0);
        table.install(line, frame, mayBeStored(known), mayBeStored(known));
    }

    // ---------------------------------------------------------------------------------------------------
    // Prefetch

    /**
     * Brings the lines of {@code [from, from + length)} into frames, reading every one the store may hold in
     * one {@code session.read}. At most half the frames are filled per call (the rest of a longer range
     * faults in on use). Lines already resident are only marked as recently used.
     *
     * @return how many lines were brought in
     */
    public int prefetch(long from, long length) {
        checkReadable(from, length);
        if (length == 0 || table.isSystemLine(from >>> lineShift) || isNurseryLine(from >>> lineShift)) {
            return 0;   // system lines fault in one by one from the system segment; nursery lines never fault
        }
        long first = from >>> lineShift;
        long last = (from + length - 1) >>> lineShift;
        int cap = table.frames() / 2;
        int count = 0;
        for (long line = first; line <= last && count < cap; line++) {
            int f = table.frameOf(line);
            if (f >= 0) {
                table.touch(f);
            } else {
                count++;
            }
        }
        if (count == 0) {
            return 0;
        }
        long[] wanted = new long[count];
        for (long line = first, i = 0; i < count; line++) {
            if (table.frameOf(line) < 0) {
                wanted[(int) i++] = line;
            }
        }
        bringIn(wanted);
        return count;
    }

    /**
     * Brings these lines of the user heap into frames with one {@code session.read} for all the store may hold: a
     * collection's marking asks for the lines of the objects it is about to scan in batches, instead of faulting
     * them in one round trip each. Lines resident already, outside the user heap, repeated or beyond a quarter of
     * the frames are skipped (they fault in on use).
     *
     * @return how many lines were brought in
     */
    @Override
    public int prefetchLines(long[] lines) {
        long[] wanted = Arrays.stream(lines)
                .filter(line -> line >= 0 && line < (maxHeapBytes >>> lineShift) && !isNurseryLine(line)
                        && !table.isSystemLine(line) && table.frameOf(line) < 0)
                .distinct().limit(table.frames() / 4).sorted().toArray();
        if (wanted.length > 0) {
            bringIn(wanted);
        }
        return wanted.length;
    }

    @Override
    public boolean isResident(long address) {
        long line = address >>> lineShift;
        return isNurseryLine(line) || table.frameOf(line) >= 0;
    }

    /** Brings {@code wanted} (distinct user lines, none resident) in ahead of use, the store's in one read. */
    private void bringIn(long[] wanted) {
        prefetched += wanted.length;
        readIn(wanted);
    }

    /** Reads {@code wanted} (distinct user lines, none resident) into free frames, the store's in one read. */
    private void readIn(long[] wanted) {
        int count = wanted.length;
        makeFree(count);
        long[] toRead = new long[count];
        boolean[] unused = new boolean[count];   // zeros without a read, counted as stored (see unusedFromLine)
        int reads = 0;
        for (int i = 0; i < count; i++) {
            int known = table.frameOf(wanted[i]);
            if (isUnused(wanted[i], known)) {
                unused[i] = mayBeStored(known);
            } else if (mayBeStored(known)) {
                toRead[reads++] = wanted[i];
            }
        }
        byte[][] data = reads == 0 ? new byte[0][] : fetch(Arrays.copyOf(toRead, reads));
        int r = 0;
        for (int i = 0; i < count; i++) {
            long line = wanted[i];
            byte[] d = r < reads && toRead[r] == line ? data[r++] : null;
            int frame = table.takeFreeFrame();
            int base = frame << lineShift;
            if (d != null) {
                System.arraycopy(d, 0, memory, base, lineSize);
            } else {
                Arrays.fill(memory, base, base + lineSize, (byte) 0);
            }
            table.install(line, frame, false, d != null || unused[i]);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Eviction

    /**
     * Before {@code needed} frames are taken: if that would leave fewer than the threshold free, evicts the
     * batch the {@link EvictionSweep} chooses, after flushing the dirty lines it names in one store write.
     */
    private void makeFree(int needed) {
        finishCleaning();
        EvictionSweep.Batch batch = sweep.select(needed, this::isCached, collecting, heldBack);
        if (batch == null) {
            return;
        }
        int cleanVictims = 0;
        for (int f : batch.victims()) {
            cleanVictims += table.isDirty(f) ? 0 : 1;
        }
        boolean dirtyVictims = cleanVictims < batch.victims().size();
        if (writeBehind && dirtyVictims && !collecting && table.freeFrames() + cleanVictims >= needed) {
            // write-behind: the clean victims make room now; the dirty ones are written in the background and a later
            // sweep evicts them clean, so the VM waits for no write while frames are left (not while a collection
            // runs: it may be about to free them, and a dirty line it must evict is written once, now)
            cleanInBackground(batch.toFlush());
            for (int f : batch.victims()) {
                if (!table.isDirty(f)) {
                    evict(f);
                }
            }
            return;
        }
        if (!batch.toFlush().isEmpty()) {
            if (dirtyVictims) {
                flush(batch.toFlush());   // one store write; on failure nothing is evicted and every line stays dirty
            } else {
                cleanInBackground(batch.toFlush());   // nothing evicted now waits for this write
            }
        }
        for (int f : batch.victims()) {
            evict(f);
        }
        if (table.freeFrames() < needed) {
            long[] c = caches;
            if (c[READ_CACHE + 2] >= 0 || c[WRITE_CACHE + 2] >= 0) {   // the second entries left the sweep too little
                c[READ_CACHE + 2] = -1;
                c[WRITE_CACHE + 2] = -1;
                makeFree(needed);
                return;
            }
            throw new IllegalStateException("app '" + app + "': no evictable line left to page in " + needed
                    + " more (" + table.freeFrames() + " of " + table.frames() + " frames free; the rest hold pinned"
                    + " system lines or the lines in use)");
        }
    }

    /**
     * WSClock's cleaning off the VM's thread: the cold dirty lines the hand passed are written in the background while
     * they stay resident and dirty; when the write is done ({@link #finishCleaning}) those not written again, nor
     * flushed or evicted since, become clean, so the hand's next pass evicts them without a write. One such write at a
     * time: while one is in flight, lines are left dirty for a later pass. Lines the store never held that are still
     * all zero need no write and become clean at once.
     */
    private void cleanInBackground(List<Integer> frames) {
        if (cleaning != null) {
            return;
        }
        List<LineImage> images = new ArrayList<>(frames.size());
        for (int f : frames) {
            LineImage image = imageToWrite(f);
            if (image != null) {
                images.add(image);
                table.markMaybeStored(f);   // freed before the write is seen done, it must be deleted
            }
        }
        if (!images.isEmpty()) {
            cleaningMark = table.changes();
            cleaning = session.flushInBackground(images);
            cleaningImages = images;
        }
    }

    /**
     * If the background cleaning write is done: its lines still as written become clean ({@link #markCommitted}). If it
     * failed, they stay dirty: a later flush writes them, and reports a store that is down or a lost lease.
     */
    private void finishCleaning() {
        if (cleaning == null || !cleaning.isDone()) {
            return;
        }
        try {
            cleaning.get();
            markCommitted(cleaningImages, cleaningMark);
            flushTransactions++;
            linesFlushed += cleaningImages.size();
        } catch (java.util.concurrent.ExecutionException e) {
            backgroundWritesFailed++;   // the lines stay dirty
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            cleaning = null;
            cleaningImages = null;
        }
    }

    private void evict(int frame) {
        if (table.isSystem(frame)) {
            systemEvictions++;
        }
        release(frame);
        evictions++;
    }

    /** Frees a clean frame, forgetting it in the translation caches. */
    private void release(int frame) {
        long line = table.lineOf(frame);
        forgetRead(line);
        forgetWrite(line);
        table.release(frame);
    }

    /** Whether a translation cache holds {@code line} (the eviction sweep does not take it: it counts as referenced). */
    private boolean isCached(long line) {
        long[] c = caches;
        return line == c[READ_CACHE] || line == c[READ_CACHE + 2] || line == c[WRITE_CACHE] || line == c[WRITE_CACHE + 2];
    }

    private void forgetRead(long line) {
        forget(READ_CACHE, line);
    }

    /** Forgets {@code line} in the write cache: the next store to it goes through the write barrier's slow path. */
    private void forgetWrite(long line) {
        forget(WRITE_CACHE, line);
    }

    private void forget(int cache, long line) {
        long[] c = caches;
        if (line == c[cache]) {
            c[cache] = -1;
        }
        if (line == c[cache + 2]) {
            c[cache + 2] = -1;
        }
    }

    /** Empties the cache at {@code cache} in {@link #caches}. */
    private void forgetAll(int cache) {
        caches[cache] = -1;
        caches[cache + 2] = -1;
    }

    /**
     * Writes these dirty frames to the store in one {@code session.flush} (FLUSHING meanwhile), after which
     * they are clean. Lines the store never held and that are still all zero need no write.
     */
    private void flush(List<Integer> frames) {
        List<LineImage> images = new ArrayList<>(frames.size());
        List<Integer> written = new ArrayList<>(frames.size());
        for (int f : frames) {
            if (table.isSystem(f)) {
                throw new IllegalStateException("system line " + table.lineOf(f) + " in a flush: system lines are read-only");
            }
            LineImage image = imageToWrite(f);
            if (image == null) {
                continue;
            }
            images.add(image);
            written.add(f);
            table.markFlushing(f);
        }
        long[] deletes = garbageLines();
        if (images.isEmpty() && deletes.length == 0) {
            return;
        }
        try {
            retry.call(() -> "flush lines " + describe(images), () -> {
                session.flush(images, deletes);
                return null;
            });
        } catch (RuntimeException e) {
            for (int f : written) {
                table.flushFailed(f);
            }
            throw e;
        }
        markDeleted(deletes);
        flushTransactions++;
        linesFlushed += images.size();
        for (int f : written) {
            clean(f, true);
        }
    }

    /**
     * A copy of the line in dirty {@code frame} for a store write; or, for a line the store never held that is still
     * all zero, null: it needs no write and is made clean now.
     */
    private LineImage imageToWrite(int frame) {
        int base = frame << lineShift;
        if (!table.isStored(frame) && isZero(base)) {
            clean(frame, false);
            return null;
        }
        return new LineImage(table.lineOf(frame), Arrays.copyOfRange(memory, base, base + lineSize));
    }

    /** The frame's line now matches the store; the next store to it must mark it dirty again. */
    private void clean(int frame, boolean inStore) {
        table.markClean(frame, inStore);
        forgetWrite(table.lineOf(frame));
    }

    private boolean isZero(int base) {
        for (int i = base; i < base + lineSize; i += 8) {
            if ((long) LONG.get(memory, i) != 0) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------
    // Checkpoint support

    /** Copies of every dirty line, in line order: what a checkpoint must write. */
    public List<LineImage> dirtyLineImages() {
        return dirtyLineImages(line -> false);
    }

    /**
     * {@link #dirtyLineImages()} without the lines {@code skip} names (a pre-flush leaves young lines, which a young
     * collection is likely to free, to the checkpoint).
     */
    public List<LineImage> dirtyLineImages(java.util.function.LongPredicate skip) {
        List<LineImage> images = new ArrayList<>(table.dirtyFrames());
        for (int f = 0; f < table.frames(); f++) {
            if (table.lineOf(f) >= 0 && table.isDirty(f) && !skip.test(table.lineOf(f))) {
                int base = f << lineShift;
                images.add(new LineImage(table.lineOf(f), Arrays.copyOfRange(memory, base, base + lineSize)));
                table.markMaybeStored(f);   // the caller writes it (a background pre-flush may land after a discard)
            }
        }
        images.sort(Comparator.comparingLong(LineImage::lineId));
        return images;
    }

    /**
     * A moment to compare with, for {@link #markCommitted}: call it just after taking {@link #dirtyLineImages()} (taking
     * an image of a line for a write makes every older image of it stale).
     */
    public long imageMark() {
        return table.changes();
    }

    /**
     * After the store wrote these images, taken at {@code mark} ({@link #imageMark}): each line still dirty, still
     * holding exactly those bytes, and neither evicted nor written to the store in another flush since, becomes
     * {@link LineState#RESIDENT} (clean, in sync with the store). A line written again since its image was taken
     * stays dirty, and so does one flushed since: the store then holds that later version, even if the line's bytes
     * went back to the image's (a background pre-flush overtaken by an eviction's flush), and so does one whose newer
     * image another write carries. One discarded since is already among the lines to delete (an image marks its line
     * possibly stored). Returns how many lines became clean.
     */
    public int markCommitted(List<LineImage> committed, long mark) {
        int cleaned = 0;
        for (LineImage image : committed) {
            int f = table.frameOf(image.lineId());
            if (f < 0 || !table.isDirty(f) || table.changedSince(f, mark) || image.data().length != lineSize) {
                continue;
            }
            int base = f << lineShift;
            if (Arrays.equals(memory, base, base + lineSize, image.data(), 0, lineSize)) {
                clean(f, true);
                cleaned++;
            }
        }
        return cleaned;
    }

    /**
     * Flushes every dirty line (uncommitted, like any flush), in store writes of at most 4 MiB; the lines
     * stay resident and become clean. A checkpoint then needs only {@code session.commit} with no lines
     * (the seed's pre-flushing). Returns how many lines were written.
     */
    public int flushAll() {
        List<Integer> dirty = new ArrayList<>();
        for (int f = 0; f < table.frames(); f++) {
            if (table.lineOf(f) >= 0 && table.isDirty(f)) {
                dirty.add(f);
            }
        }
        dirty.sort(Comparator.comparingLong(table::lineOf));
        long before = linesFlushed;
        int perWrite = (int) Math.max(1, FLUSH_BYTES / lineSize);
        for (int i = 0; i < dirty.size(); i += perWrite) {
            flush(dirty.subList(i, Math.min(dirty.size(), i + perWrite)));
        }
        return (int) (linesFlushed - before);
    }

    // ---------------------------------------------------------------------------------------------------
    // System lines, state, stats

    /**
     * Places read-only bytes in the system segment: the lines of {@code [address, address + bytes.length)},
     * which must be line-aligned and in the system segment, are installed into frames as clean system lines
     * (no store read), the last one zero-padded. Lines already resident are left as they are. The caller
     * keeps the bytes reachable for {@link #systemLines} until the store's system blobs have them, since
     * the lines may be evicted at once.
     */
    @Override
    public void installSystem(long address, byte[] bytes) {
        if ((address & lineMask) != 0 || !table.isSystemLine(address >>> lineShift)
                || !table.isSystemLine((address + Math.max(1, bytes.length) - 1) >>> lineShift)) {
            throw new IllegalArgumentException("app '" + app + "': system bytes at 0x" + Long.toHexString(address)
                    + " (+" + bytes.length + ") are not line-aligned in the system segment");
        }
        for (int off = 0; off < bytes.length; off += lineSize) {
            long line = (address + off) >>> lineShift;
            if (table.frameOf(line) >= 0) {
                continue;
            }
            makeFree(1);
            int frame = table.takeFreeFrame();
            int base = frame << lineShift;
            int n = Math.min(lineSize, bytes.length - off);
            System.arraycopy(bytes, off, memory, base, n);
            Arrays.fill(memory, base + n, base + lineSize, (byte) 0);
            table.install(line, frame, false, true);
        }
    }

    /** Retried as the heap's own calls are ({@link StoreRetry}). */
    @Override
    public <T> T storeCall(java.util.function.Supplier<String> what, java.util.function.Supplier<T> call) {
        return retry.call(what, call);
    }

    /** Where system lines come from on a miss (the VM's system segment). */
    public void systemLines(SystemLines source) {
        this.systemLines = java.util.Objects.requireNonNull(source, "source");
    }

    /**
     * Pins the lines of {@code [address, address + length)} (the seed's "colored" system pages): faulted in
     * now and never evicted. At most half the frames minus the threshold may be pinned. The class-file lines
     * of the system segment are not pinned: they are evicted like clean lines, so memory stays bounded.
     */
    public void pinSystem(long address, long length) {
        checkRange(address, length);
        if (length == 0) {
            return;
        }
        long first = address >>> lineShift;
        long last = (address + length - 1) >>> lineShift;
        int pinned = 0;
        for (int f = 0; f < table.frames(); f++) {
            if (table.lineOf(f) >= 0 && table.isPinned(f)) {
                pinned++;
            }
        }
        if (pinned + (last - first + 1) > table.frames() / 2 - threshold) {
            throw new IllegalArgumentException("app '" + app + "': pinning " + (last - first + 1) + " more lines ("
                    + pinned + " pinned) would leave too few frames to page in; at most "
                    + (table.frames() / 2 - threshold) + " may be pinned");
        }
        for (long line = first; line <= last; line++) {
            table.pin(frameFor(line << lineShift, line));
        }
    }

    /** The state of a line (by line id), resident or not. */
    public LineState lineState(long lineId) {
        return table.state(lineId, storeEmptyAtOpen);
    }

    /** The line holding byte {@code address}. */
    public long lineOf(long address) {
        return address >>> lineShift;
    }

    public HeapSession session() {
        return session;
    }

    /**
     * Gives the device memory back to the {@link FrameMemory} it came from: the heap's lines in it are gone (flush
     * or commit what must be kept first) and any later access fails. Once the app is done with this heap and its
     * session's background writes (which hold copies) no longer need it; on the heap's own thread, like every other
     * call (another thread may still see the old array). Idempotent.
     */
    public void close() {
        byte[] held = memory;
        if (held != CLOSED) {
            memory = CLOSED;
            forgetAll(READ_CACHE);   // and the barriers' misses refuse: translated code holding the bytes given back
            forgetAll(WRITE_CACHE);  // (which the next heap may take) gets no index into them
            frameMemory.give(held);
        }
    }

    /** Refuses a barrier's miss on a closed heap. */
    private void checkOpen() {
        if (memory == CLOSED) {
            throw new IllegalStateException("app '" + app + "': its paged heap is closed");
        }
    }

    public PagingStats stats() {
        return new PagingStats(misses, linesFetched, fetchTransactions, linesFlushed, flushTransactions, evictions,
                retry.retries(), table.frames(), table.residentFrames(), table.dirtyFrames(), systemMisses,
                systemEvictions, table.systemFrames(), linesDiscarded, garbage.deletedCount(), backgroundWritesFailed);
    }

    // ---------------------------------------------------------------------------------------------------
    // Store calls

    private byte[][] fetch(long[] lines) {
        byte[][] data = retry.call(() -> "read lines " + describe(lines), () -> session.read(lines));
        fetchTransactions++;
        for (byte[] d : data) {
            if (d != null) {
                linesFetched++;
                if (d.length != lineSize) {
                    throw new IllegalStateException("app '" + app + "': the store returned a " + d.length
                            + "-byte line; lines are " + lineSize + " bytes");
                }
            }
        }
        return data;
    }

    private static String describe(List<LineImage> images) {
        long[] ids = new long[images.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = images.get(i).lineId();
        }
        return describe(ids);
    }

    private static String describe(long[] lines) {
        return lines.length <= 8 ? Arrays.toString(lines) : Arrays.toString(Arrays.copyOf(lines, 8)) + " and "
                + (lines.length - 8) + " more";
    }

    /** A range that may be read: in the user heap, the nursery or the system segment. */
    private void checkReadable(long address, long length) {
        if (length >= 0 && address >= ObjectLayout.SYSTEM_SEGMENT_BASE
                && address <= ObjectLayout.SYSTEM_SEGMENT_LIMIT - length) {
            return;
        }
        checkRange(address, length);
    }

    /** Whether {@code [address, address + length)} lies in the nursery. */
    private boolean inNursery(long address, long length) {
        return length >= 0 && address >= ObjectLayout.NURSERY_BASE && address <= ObjectLayout.NURSERY_BASE + nurseryBytes() - length;
    }

    /** A range that may be written: in the user heap; the system segment is read-only. */
    private void checkWritable(long address, long length) {
        if (length > 0 && address >= ObjectLayout.SYSTEM_SEGMENT_BASE && address < ObjectLayout.SYSTEM_SEGMENT_LIMIT) {
            throw readOnly(address, length);
        }
        checkRange(address, length);
    }

    private IllegalStateException readOnly(long address, long length) {
        return new IllegalStateException("app '" + app + "': a store to 0x" + Long.toHexString(address) + " (+" + length
                + " bytes), in the read-only system segment (a VM bug: class files are never written in place)");
    }

    private void checkRange(long address, long length) {
        if (inNursery(address, length)) {
            return;
        }
        if (length < 0 || address < 0 || address > maxHeapBytes - length) {
            throw outside(address, length);
        }
    }

    private IllegalArgumentException outside(long address, long length) {
        return new IllegalArgumentException("app '" + app + "': address 0x" + Long.toHexString(address) + " (+"
                + length + " bytes) is outside the virtual heap [0, 0x" + Long.toHexString(maxHeapBytes) + ")");
    }
}
