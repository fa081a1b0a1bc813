package org.vheap.device.vm.heap.paging;

import java.util.Arrays;

/**
 * The cache table (the seed's figure 7, table 122): one entry per frame of device memory that holds a line
 * (the seed's variant with "an entry only for lines currently cached"), plus the reverse map from line id to
 * frame that address translation needs.
 *
 * <p>An entry holds what the seed lists: the line id ({@code CacheID}), the frame ({@code HeapCacheID}: the
 * entry's index), the state ({@link LineState#RESIDENT}, {@link LineState#DIRTY} or
 * {@link LineState#FLUSHING}; the dirty and flushing bits folded into one), the user/system type, a pinned
 * bit (the seed's "colored" lines, never evicted), and a referenced bit (this table's "last use"). A line's
 * type follows from its id: lines from {@code systemFirstLine} on are the read-only system segment's (class
 * files, shared by every app of the store), always clean. Length is not stored:
 * every line of a heap has the heap's line size. Besides, each entry remembers whether the store holds a
 * version of its line, so that a line never stored and still zero needs no flush.
 *
 * <p>The line-to-frame map is an {@code int[]} indexed by line id, grown on demand up to the heap's line
 * count (4 bytes per line of the virtual heap touched so far); system lines have a second one, indexed from
 * {@code systemFirstLine} and grown the same way. A value {@code >= 0} is the frame; negative
 * values say what is known about a line without a frame: {@link #UNKNOWN} (never touched by this table),
 * {@link #KNOWN_EMPTY} or {@link #KNOWN_PERSISTENT}.
 *
 * <p>Recency is the CLOCK approximation of LRU: a referenced bit per frame, set by {@link #touch} (one
 * array store) and cleared by the eviction sweep's hand as it passes (see {@link EvictionSweep}). An exact LRU
 * list was built first and measured: its relink on every change of line cost 8-15 ns per access, more
 * than the rest of the translation.
 *
 * <p>Not thread-safe: it belongs to one {@link PagedHeap}.
 */
public final class CacheTable {
    /** Line without a frame that this table has never seen: it may or may not be in the store. */
    static final int UNKNOWN = -1;
    /** Line without a frame that the store does not hold: it reads as zeros. */
    static final int KNOWN_EMPTY = -2;
    /** Line without a frame whose latest version is in the store. */
    static final int KNOWN_PERSISTENT = -3;

    private static final byte RESIDENT = 0;
    private static final byte DIRTY = 1;
    private static final byte FLUSHING = 2;

    private final int frames;
    private final long maxLines;
    private final long systemFirstLine;
    private final long systemLines;
    private final long[] lineOfFrame;
    private final byte[] stateOfFrame;
    private final boolean[] pinned;
    private final boolean[] stored;
    private final boolean[] referenced;
    /**
     * Per frame, the {@link #changes} count when the frame last took its line, last matched the store, or had a write
     * of its line asked for: images of lines taken before that no longer say what the store holds
     * ({@link PagedHeap#markCommitted}).
     */
    private final long[] syncedAt;
    private long changes;
    private int hand;
    private final int[] freeStack;
    private int freeCount;
    private int dirtyCount;
    private int[] frameOfLine = new int[0];
    private int[] frameOfSystemLine = new int[0];
    private int systemResident;

    /**
     * @param frames   frames of device memory
     * @param maxLines lines in the virtual heap (line ids are {@code 0 .. maxLines-1})
     */
    public CacheTable(int frames, long maxLines) {
        this(frames, maxLines, Long.MAX_VALUE, 0);
    }

    /**
     * @param frames          frames of device memory
     * @param maxLines        lines in the user part of the virtual heap (line ids {@code 0 .. maxLines-1})
     * @param systemFirstLine the first line of the system segment (past the user lines)
     * @param systemLines     lines in the system segment
     */
    public CacheTable(int frames, long maxLines, long systemFirstLine, long systemLines) {
        if (frames < 1) {
            throw new IllegalArgumentException("a cache table needs at least one frame, got " + frames);
        }
        if (maxLines < 1 || maxLines > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("line count must be 1.." + (Integer.MAX_VALUE - 8) + ", got " + maxLines);
        }
        if (systemLines < 0 || systemLines > Integer.MAX_VALUE - 8 || (systemLines > 0 && systemFirstLine < maxLines)) {
            throw new IllegalArgumentException("system segment of " + systemLines + " lines from line " + systemFirstLine
                    + " overlaps the " + maxLines + " user lines or is too large");
        }
        this.frames = frames;
        this.maxLines = maxLines;
        this.systemFirstLine = systemFirstLine;
        this.systemLines = systemLines;
        lineOfFrame = new long[frames];
        stateOfFrame = new byte[frames];
        pinned = new boolean[frames];
        stored = new boolean[frames];
        referenced = new boolean[frames];
        syncedAt = new long[frames];
        freeStack = new int[frames];
        Arrays.fill(lineOfFrame, -1);
        for (int f = 0; f < frames; f++) {
            freeStack[f] = frames - 1 - f;   // frame 0 is taken first
        }
        freeCount = frames;
    }

    public int frames() {
        return frames;
    }

    public int freeFrames() {
        return freeCount;
    }

    public int residentFrames() {
        return frames - freeCount;
    }

    public int dirtyFrames() {
        return dirtyCount;
    }

    /** Frames holding a system line. */
    public int systemFrames() {
        return systemResident;
    }

    /** Whether {@code lineId} is a line of the read-only system segment. */
    boolean isSystemLine(long lineId) {
        return lineId >= systemFirstLine && lineId - systemFirstLine < systemLines;
    }

    /** The frame holding {@code lineId}, or a negative code ({@link #UNKNOWN}, ...). Any line id is fine. */
    int frameOf(long lineId) {
        if (lineId >= 0 && lineId < frameOfLine.length) {
            return frameOfLine[(int) lineId];
        }
        long s = lineId - systemFirstLine;
        return lineId >= systemFirstLine && s < frameOfSystemLine.length ? frameOfSystemLine[(int) s] : UNKNOWN;
    }

    /**
     * The line-to-frame map itself, for the translation fast path: entry {@code lineId} is the frame or a
     * negative code; lines past its end are {@link #UNKNOWN}. The array is replaced when it grows, so
     * callers must not keep it across a miss.
     */
    int[] lineMap() {
        return frameOfLine;
    }

    /** The line in {@code frame}, or -1 when the frame is free. */
    public long lineOf(int frame) {
        return lineOfFrame[frame];
    }

    /** The state of a line, resident or not. {@code storeEmpty}: the store held nothing when the session began. */
    public LineState state(long lineId, boolean storeEmpty) {
        int f = frameOf(lineId);
        if (f >= 0) {
            return stateOfFrame(f);
        }
        if (isSystemLine(lineId)) {
            return LineState.PERSISTENT;   // the store's system blobs hold every placed class file
        }
        return f == KNOWN_EMPTY || (f == UNKNOWN && storeEmpty) ? LineState.EMPTY : LineState.PERSISTENT;
    }

    public LineState stateOfFrame(int frame) {
        return switch (stateOfFrame[frame]) {
            case RESIDENT -> LineState.RESIDENT;
            case DIRTY -> LineState.DIRTY;
            default -> LineState.FLUSHING;
        };
    }

    boolean isDirty(int frame) {
        return stateOfFrame[frame] == DIRTY;
    }

    /** Whether {@code frame} holds a system line (read-only, never dirty). */
    boolean isSystem(int frame) {
        return isSystemLine(lineOfFrame[frame]);
    }

    /** Whether {@code frame} is pinned: never evicted. */
    boolean isPinned(int frame) {
        return pinned[frame];
    }

    void pin(int frame) {
        pinned[frame] = true;
    }

    /** Whether the store holds a version of the line in {@code frame}, or may: a write of it was asked for. */
    boolean isStored(int frame) {
        return stored[frame];
    }

    /**
     * A write of the line in {@code frame} was asked for (one that may land after this, in the background): from now
     * the store may hold a version, so a collection freeing the line has it deleted.
     */
    void markMaybeStored(int frame) {
        stored[frame] = true;
        syncedAt[frame] = ++changes;   // an older image of the line no longer says what the store will hold
    }

    /** Takes a free frame; the caller must have checked {@link #freeFrames()}. */
    int takeFreeFrame() {
        if (freeCount == 0) {
            throw new IllegalStateException("no free frame (the caller evicts first)");
        }
        return freeStack[--freeCount];
    }

    /** Gives back a frame taken but never installed (its fetch failed). */
    void returnFreeFrame(int frame) {
        freeStack[freeCount++] = frame;
    }

    /** Makes {@code frame} hold {@code lineId}, clean, as the most recently used line. */
    void install(long lineId, int frame, boolean dirty, boolean inStore) {
        boolean sys = isSystemLine(lineId);
        if (sys && dirty) {
            throw new IllegalStateException("system line " + lineId + " is read-only and cannot be dirty");
        }
        ensureLineCapacity(lineId);
        lineOfFrame[frame] = lineId;
        stateOfFrame[frame] = dirty ? DIRTY : RESIDENT;
        if (dirty) {
            dirtyCount++;
        }
        pinned[frame] = false;
        stored[frame] = inStore || sys;
        if (sys) {
            frameOfSystemLine[(int) (lineId - systemFirstLine)] = frame;
            systemResident++;
        } else {
            frameOfLine[(int) lineId] = frame;
        }
        referenced[frame] = true;
        syncedAt[frame] = ++changes;
    }

    /** Frees a clean frame (evicted); the line becomes persistent or empty, as the store has it. */
    void release(int frame) {
        if (stateOfFrame[frame] != RESIDENT) {
            throw new IllegalStateException("frame " + frame + " holds line " + lineOfFrame[frame] + " in state "
                    + stateOfFrame(frame) + "; only a clean line can be evicted");
        }
        long line = lineOfFrame[frame];
        if (isSystemLine(line)) {
            frameOfSystemLine[(int) (line - systemFirstLine)] = KNOWN_PERSISTENT;
            systemResident--;
        } else {
            frameOfLine[(int) line] = stored[frame] ? KNOWN_PERSISTENT : KNOWN_EMPTY;
        }
        lineOfFrame[frame] = -1;
        pinned[frame] = false;
        referenced[frame] = false;
        freeStack[freeCount++] = frame;
    }

    /**
     * A user line without a frame whose contents are garbage: it becomes {@link #KNOWN_EMPTY}, so the next
     * access zero-fills a frame instead of reading the store.
     */
    void forget(long lineId) {
        if (isSystemLine(lineId) || frameOf(lineId) >= 0) {
            throw new IllegalStateException("line " + lineId + " is a system line or has a frame; only a user line"
                    + " without one is forgotten");
        }
        ensureLineCapacity(lineId);
        frameOfLine[(int) lineId] = KNOWN_EMPTY;
    }

    void markDirty(int frame) {
        if (isSystem(frame)) {
            throw new IllegalStateException("line " + lineOfFrame[frame] + " is a read-only system line");
        }
        if (stateOfFrame[frame] == RESIDENT) {
            stateOfFrame[frame] = DIRTY;
            dirtyCount++;
        } else if (stateOfFrame[frame] == FLUSHING) {
            throw new IllegalStateException("line " + lineOfFrame[frame] + " is being flushed and is write-locked");
        }
    }

    void markFlushing(int frame) {
        stateOfFrame[frame] = FLUSHING;
        markMaybeStored(frame);   // even a flush that fails may have reached the store
    }

    /** A failed flush: the line goes back to dirty (its frame is still the only copy of the data). */
    void flushFailed(int frame) {
        stateOfFrame[frame] = DIRTY;
    }

    /** The line's data is now what the store holds ({@code inStore}: a version, or nothing); it is clean. */
    void markClean(int frame, boolean inStore) {
        if (stateOfFrame[frame] != RESIDENT) {
            dirtyCount--;
        }
        stateOfFrame[frame] = RESIDENT;
        stored[frame] = inStore;
        syncedAt[frame] = ++changes;
    }

    /** A count that grows with every line a frame takes and every line made clean: a moment to compare with. */
    long changes() {
        return changes;
    }

    /** Whether {@code frame} took its line, or was last made clean, after the moment {@code changes} counted. */
    boolean changedSince(int frame, long changes) {
        return syncedAt[frame] > changes;
    }

    /** Marks {@code frame} as used since the clock hand last passed it. */
    void touch(int frame) {
        referenced[frame] = true;
    }

    /** The frame under the clock hand; the hand then moves on to the next frame. */
    int advanceHand() {
        int f = hand;
        hand = f + 1 == frames ? 0 : f + 1;
        return f;
    }

    /** Clears the frame's referenced bit (the hand's second chance); returns whether it was set. */
    boolean clearReferenced(int frame) {
        boolean was = referenced[frame];
        referenced[frame] = false;
        return was;
    }

    private void ensureLineCapacity(long lineId) {
        if (isSystemLine(lineId)) {
            long s = lineId - systemFirstLine;
            if (s >= frameOfSystemLine.length) {
                int old = frameOfSystemLine.length;
                long grown = Math.max(s + 1, Math.max(1024L, 2L * old));
                frameOfSystemLine = Arrays.copyOf(frameOfSystemLine, (int) Math.min(grown, systemLines));
                Arrays.fill(frameOfSystemLine, old, frameOfSystemLine.length, UNKNOWN);
            }
            return;
        }
        if (lineId >= maxLines || lineId < 0) {
            throw new IllegalArgumentException("line " + lineId + " is outside the heap's " + maxLines + " lines");
        }
        if (lineId < frameOfLine.length) {
            return;
        }
        int old = frameOfLine.length;
        long grown = Math.max(lineId + 1, Math.max(1024L, 2L * old));
        frameOfLine = Arrays.copyOf(frameOfLine, (int) Math.min(grown, maxLines));
        Arrays.fill(frameOfLine, old, frameOfLine.length, UNKNOWN);
    }
}
