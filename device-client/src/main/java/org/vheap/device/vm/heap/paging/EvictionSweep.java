package org.vheap.device.vm.heap.paging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The eviction sweep of a {@link PagedHeap}: before a miss takes frames, it picks the batch of lines to evict
 * and the dirty lines to flush with them. It only chooses; the heap flushes and evicts.
 *
 * <p>A batch is due when taking {@code needed} frames would leave fewer free than the free-frame threshold
 * (the seed's free-page threshold); it then holds at least the threshold, and at least the deficit.
 *
 * <p>Victims are found by the CLOCK hand of the {@link CacheTable}. In its first turn it clears each
 * referenced bit it passes (second chance) and collects the lines that were not referenced: <em>cold</em>
 * lines, not used since the hand last passed. It stops early once it has as many cold clean or as many cold dirty
 * lines as the batch still wants, so a flush writes at most a batch of lines. If cold lines are too few, a
 * second turn collects the lines it has just cleared (<em>warm</em>), until the cold lines and the warm clean
 * ones are enough. The batch is taken in this order: cold clean, cold dirty, warm clean, warm dirty — the
 * seed's "non-dirty pages before dirty pages", but only among lines of the same recency (as clean-first LRU
 * does). Cold dirty lines the hand passed but the batch does not take are flushed in the same store write
 * (in the background when no victim needs a write, or when the clean victims leave room enough: {@code PagedHeap}'s
 * cleaning and write-behind) and stay resident, clean
 * (WSClock's cleaning, the seed's pre-flushing): a cold dirty line is evicted at the
 * latest on the hand's next pass, so freshly used clean lines are not evicted again and again while cold dirty
 * ones stay. Pinned lines, and the lines in the heap's two-entry translation caches (they count as
 * referenced), are never taken.
 *
 * <p>While the program walks a structure larger than memory ({@link ReadAhead}'s walks), the sweep takes the lines
 * the walk has passed first, clean ones first, and the lines just ahead of it last, the farthest first: the
 * most-recently-used policy, which keeps the part of a loop that fits resident where CLOCK would evict the very lines
 * the walk reaches next. The hand finds the rest of the batch. The sweep tells the walk how many lines it took, so
 * a walk the program left (more than a memory's worth evicted since its last miss) stops counting.
 *
 * <p>Dirty lines a collection is likely to free soon (young lines: {@code HeapMemory#holdBackFlushing}) are taken
 * after every other cold line and the warm clean ones, and cleaned only when taken.
 *
 * <p>While a collection runs, dirty lines are held back: the sweep takes clean lines, cold then warm, from the
 * whole table before any dirty one, and cleans none it does not evict, since the collection may be about to free
 * them (a freed line is then dropped without ever being written). Of a walk, it then takes only the clean lines it
 * passed, and protects nothing ahead of it (a collection's own reads are no walk; the program's is paused).
 *
 * <p>Not thread-safe: it belongs to one {@link PagedHeap}.
 */
final class EvictionSweep {
    /** What one sweep chose: the frames to evict, and the dirty frames to flush first (in one store write). */
    record Batch(List<Integer> victims, List<Integer> toFlush) {
    }

    private final CacheTable table;
    private final int threshold;
    /** Frames already picked by the current sweep (all false between sweeps). */
    private final boolean[] chosen;
    private final ReadAhead walk;

    EvictionSweep(CacheTable table, int threshold, ReadAhead walk) {
        this.table = table;
        this.walk = walk;
        this.threshold = threshold;
        this.chosen = new boolean[table.frames()];
    }

    /**
     * The batch to evict before {@code needed} frames are taken, or null when enough frames stay free.
     * {@code cached} names the lines in the heap's translation caches; the dirty lines {@code heldBack} names (lines a
     * collection is likely to free soon) are taken after the other cold lines and the warm clean ones, and never
     * cleaned unless taken. The lines a walk passed go first, those ahead of it last (not
     * while {@code holdBackDirty}: then only its passed clean lines go first).
     */
    Batch select(int needed, LongPredicate cached, boolean holdBackDirty, LongPredicate heldBack) {
        int deficit = needed + threshold - table.freeFrames();
        if (deficit <= 0) {
            return null;
        }
        int batch = Math.max(deficit, threshold);
        List<Integer> passedClean = new ArrayList<>();
        List<Integer> passedDirty = new ArrayList<>();
        for (long line; passedClean.size() + passedDirty.size() < batch && (line = walk.nextPassed()) >= 0; ) {
            int f = table.frameOf(line);
            if (f >= 0 && evictable(f, cached) && !(table.isDirty(f) && (holdBackDirty || heldBack.test(line)))) {
                chosen[f] = true;
                (table.isDirty(f) ? passedDirty : passedClean).add(f);
            }
        }
        int want = batch - passedClean.size() - passedDirty.size();
        int frames = want == 0 ? 0 : table.frames();
        List<Integer> coldClean = new ArrayList<>();
        List<Integer> coldDirty = new ArrayList<>();
        List<Integer> coldHeldBack = new ArrayList<>();
        List<Integer> warmClean = new ArrayList<>();
        List<Integer> warmDirty = new ArrayList<>();
        List<Integer> ahead = new ArrayList<>();
        for (int step = 0; step < frames && coldClean.size() < want && (holdBackDirty || coldDirty.size() < want); step++) {
            int f = table.advanceHand();
            if (evictable(f, cached) && !chosen[f]) {
                if (!holdBackDirty && walk.isAhead(table.lineOf(f))) {
                    chosen[f] = true;
                    ahead.add(f);
                } else if (!table.clearReferenced(f)) {
                    chosen[f] = true;
                    (!table.isDirty(f) ? coldClean : heldBack.test(table.lineOf(f)) ? coldHeldBack : coldDirty).add(f);
                }
            }
        }
        int cold = holdBackDirty ? coldClean.size() : coldClean.size() + coldDirty.size();
        for (int step = 0; step < frames && cold < want && cold + warmClean.size() < want; step++) {
            int f = table.advanceHand();
            if (evictable(f, cached) && !chosen[f]) {
                chosen[f] = true;
                (!holdBackDirty && walk.isAhead(table.lineOf(f)) ? ahead : table.isDirty(f) ? warmDirty : warmClean).add(f);
            }
        }
        // the lines just ahead of a walk last, the farthest first (the walk reaches them last)
        ahead.sort(Comparator.comparingLong((Integer f) -> table.lineOf(f)).reversed());
        List<Integer> victims = new ArrayList<>(batch);
        // taken or not, cold dirty lines are cleaned, unless a collection may be about to free them
        List<Integer> toFlush = new ArrayList<>(holdBackDirty ? List.of() : coldDirty);
        List<List<Integer>> order = holdBackDirty
                ? List.of(passedClean, passedDirty, coldClean, warmClean, coldDirty, coldHeldBack, warmDirty, ahead)
                : List.of(passedClean, passedDirty, coldClean, coldDirty, warmClean, coldHeldBack, warmDirty, ahead);
        for (List<Integer> group : order) {
            for (int f : group) {
                chosen[f] = false;
                if (victims.size() < batch) {
                    victims.add(f);
                    if (table.isDirty(f) && !(group == coldDirty && !holdBackDirty)) {
                        toFlush.add(f);
                    }
                }
            }
        }
        walk.evicted(victims.size());
        return new Batch(victims, toFlush);
    }

    /** A frame the sweep may take: holding a line, not pinned, not in a translation cache. */
    private boolean evictable(int frame, LongPredicate cached) {
        long line = table.lineOf(frame);
        return line >= 0 && !table.isPinned(frame) && !cached.test(line);
    }
}
