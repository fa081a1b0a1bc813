package org.vheap.device.vm.heap;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * What each collection of a run did, for the device's stats and the bench: its kind, pause, the lines of the heap it
 * read or wrote and, of those, the ones it faulted in (not resident), and for a working set's collection the most it
 * may fault: the lines of the working set plus those of its remembered slots. Keeps the newest {@link #KEPT} entries
 * and every kind's count.
 *
 * <p>Contract: the VM's interpreter thread adds; {@link #copy} gives a snapshot another thread may read.
 */
public final class CollectionLog {
    /** Entries kept (the oldest are dropped beyond). */
    public static final int KEPT = 1 << 16;

    /** The kinds of collections. */
    public enum Kind {
        /** The nursery's ({@link MinorCollector}). */
        MINOR,
        /** Working sets of the user heap, one or a few together ({@link Collector#collectWorkingSets}). */
        WORKING_SET,
        /** The user heap's young lines ({@link Collector#collectYoung}). */
        YOUNG,
        /** The whole user heap ({@link Collector#collect}). */
        FULL
    }

    /**
     * One collection.
     *
     * @param faultBound for a working set's collection, its lines plus its remembered slots' lines; else -1
     */
    public record Entry(Kind kind, long pauseNanos, long linesTouched, long linesFaulted, long faultBound) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final long[] counts = new long[Kind.values().length];
    // for readers on other threads (a device's reports): written by the one thread that adds
    private volatile long pauseNanosTotal;
    private volatile long pauseNanosMax;

    public void add(Entry e) {
        pauseNanosTotal += e.pauseNanos();
        pauseNanosMax = Math.max(pauseNanosMax, e.pauseNanos());
        if (entries.size() == KEPT) {
            entries.removeFirst();
        }
        entries.addLast(e);
        counts[e.kind().ordinal()]++;
    }

    /** Collections of this kind in the run (all, not only the kept ones). */
    public long count(Kind kind) {
        return counts[kind.ordinal()];
    }

    /** Every collection's pause in the run, summed (nanoseconds). Any thread. */
    public long pauseNanosTotal() {
        return pauseNanosTotal;
    }

    /** The longest pause in the run (nanoseconds). Any thread. */
    public long pauseNanosMax() {
        return pauseNanosMax;
    }

    /** The kept entries, oldest first. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The kept pauses of this kind, in nanoseconds, oldest first. */
    public long[] pauses(Kind kind) {
        return entries.stream().filter(e -> e.kind() == kind).mapToLong(Entry::pauseNanos).toArray();
    }

    /** A snapshot. */
    public CollectionLog copy() {
        CollectionLog c = new CollectionLog();
        c.entries.addAll(entries);
        System.arraycopy(counts, 0, c.counts, 0, counts.length);
        c.pauseNanosTotal = pauseNanosTotal;
        c.pauseNanosMax = pauseNanosMax;
        return c;
    }

    @Override
    public String toString() {
        return "CollectionLog" + Arrays.toString(counts);
    }
}
