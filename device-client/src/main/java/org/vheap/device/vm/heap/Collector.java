package org.vheap.device.vm.heap;

import org.vheap.format.ObjectLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntUnaryOperator;
import java.util.function.LongPredicate;

/**
 * The collection of the user heap: a mark-sweep, of the whole heap ({@link #collect}, a full collection) or of a
 * group of working sets ({@link #collectWorkingSets}). Mark bits live on the host, one per granule, so a collection
 * writes nothing into the heap: it faults in live objects only (to read their references) and never touches the
 * lines of dead ones. Sweeping is bitmap work: the gaps between marked objects become free space for the allocator;
 * a gap that reaches the allocation pointer lowers it. The whole lines of each gap are discarded
 * ({@link HeapMemory#discard}): a paged heap drops them without writing them, deletes them from the store, and
 * zero-fills them when they are allocated again instead of reading garbage back. A full collection may also compact
 * ({@link #collectAndCompact}, {@link Evacuation}): the live objects of mostly free lines move as marking meets them,
 * and the slots naming them are rewritten as marking reads them.
 *
 * <p>A working set's collection ({@link WorkingSets}) marks only the objects in it: its roots are the VM's roots that
 * name objects in it, the slots of its remembered set (references from the rest of the user heap, read where they
 * lie, each line once) and the nursery, which it traces whole (from the roots and the nursery's remembered set: it
 * lies in device memory). References leaving the working set are not followed, so it reads the lines of its own live
 * objects and of its remembered slots, not the whole live heap. It is conservative: an object in it that only dead
 * objects elsewhere name survives until a full collection. Afterwards every remembered set forgets the slots that lay
 * in memory it freed.
 *
 * <p>A full collection marks everything reachable and rebuilds what the partial ones rely on: every working set's
 * remembered set (each marked slot naming another working set's object), the bytes in use in each, and the
 * nursery's remembered set (the user-heap slots marking found naming nursery objects, since the sweep may free the
 * ones it held).
 *
 * <p>Runs only at a safepoint (every green thread between instructions, activations saved), from roots the VM
 * gives: thread activations, class mirrors (statics), interned strings, monitors. The root operator answers each
 * reference unchanged unless the collection compacts and the object moved.
 */
public final class Collector {
    /**
     * What a collection did.
     *
     * @param workingSets     the working sets collected together, or 0 for a full collection
     * @param rememberedLines the distinct lines of the remembered slots a partial collection read (0 when full)
     */
    public record Result(long liveBytes, long freedBytes, long objectsMarked, int workingSets, long rememberedLines,
                         long movedBytes) {
    }

    private final ObjectAllocator allocator;
    private final Nursery nursery;
    private final WorkingSets workingSets;
    private final HeapShapes shapes;
    private final HeapMemory memory;
    private final long lineSize;
    /** What the last full sweep left on each line: where compaction finds sparse ones. */
    private final LiveLines liveLines;
    private CollectorProbe probe = CollectorProbe.NONE;

    public Collector(HeapMemory memory, ObjectAllocator allocator, Nursery nursery, HeapShapes shapes) {
        this.memory = memory;
        this.allocator = allocator;
        this.nursery = nursery;
        this.workingSets = allocator.workingSets();
        this.shapes = shapes;
        this.lineSize = memory.lineSize();
        this.liveLines = new LiveLines(lineSize);
    }

    /** Who is told as a full collection passes its {@link CollectorProbe.Point#FULL} point. */
    public void setProbe(CollectorProbe probe) {
        this.probe = java.util.Objects.requireNonNull(probe, "probe");
    }

    /**
     * A full collection: marks from {@code roots} (it calls the consumer with an operator it applies to every root
     * reference; 0 is ignored), then rebuilds the allocator's free space and the working sets' bookkeeping.
     */
    public Result collect(Consumer<IntUnaryOperator> roots) {
        return collect(roots, null, null);
    }

    /**
     * A full collection that compacts too ({@link Evacuation}): the objects {@code pinnedRoots} names stay where they
     * are; live objects of mostly free lines move, and every root and slot naming them is rewritten, so the caller's
     * root operator must store back what it answers for every root it does not also pin.
     */
    public Result collectAndCompact(Consumer<IntUnaryOperator> roots, Consumer<IntConsumer> pinnedRoots) {
        return collect(roots, pinnedRoots, Evacuation.plan(memory, allocator, shapes, liveLines));
    }

    private Result collect(Consumer<IntUnaryOperator> roots, Consumer<IntConsumer> pinnedRoots, Evacuation evacuation) {
        memory.collecting(true);
        try {
            allocator.endRecycling();
            long before = allocator.bytesInUse();
            workingSets.forgetAll();
            Marker marker = new Marker(lineSize);
            if (evacuation != null) {
                pinnedRoots.accept(marker::applyAsInt);   // marked where they lie before anything can move them
                marker.evacuation = evacuation;
            }
            roots.accept(marker);
            List<Long> slotsIntoNursery = new ArrayList<>();
            SlotVisitor rebuild = (slot, value) -> {
                if (ObjectLayout.isNursery(value)) {
                    slotsIntoNursery.add(slot);
                } else {
                    workingSets.note(slot, value);
                }
            };
            marker.trace(rebuild);
            marker.fixUp(rebuild);
            probe.passed(CollectorProbe.Point.FULL);
            if (!nursery.isEmpty()) {
                nursery.replaceRemembered(slotsIntoNursery);
            }
            allocator.freeSpace().clear();
            Swept swept = sweep(marker, lineSize, allocator.top());
            allocator.collected(swept.top(), swept.live());
            workingSets.fullCollectionDone();
            long moved = evacuation == null ? 0 : evacuation.movedBytes();
            return new Result(swept.live(), Math.max(0, before - swept.live()), marker.objects, 0, 0, moved);
        } finally {
            memory.collecting(false);
        }
    }

    /** The most working sets one partial collection takes together. */
    public static final int MAX_GROUP = 4;

    /** Whether a working set (or a group of them) can be collected alone now: {@link #collectWorkingSets} has work. */
    public boolean workingSetsCollectable() {
        return workingSets.nextGroup(groupSize()).length > 0;
    }

    /**
     * How many working sets a group takes: {@link #MAX_GROUP}, fewer when they would not fit in half the frames of a
     * paged heap (a group's marking jumps between its lines; more than the frames hold, and it faults them in again
     * and again), one at least.
     */
    private int groupSize() {
        int frames = memory.frames();
        if (frames == 0) {
            return MAX_GROUP;
        }
        long fit = (long) frames * lineSize / 2 / workingSets.bytes();
        return (int) Math.max(1, Math.min(MAX_GROUP, fit));
    }

    /**
     * Collects the working sets {@link WorkingSets#nextGroup} names (there must be some) together: marks only their
     * objects, sweeps only them. References between them are internal, so a dead structure spanning them dies.
     */
    public Result collectWorkingSets(Consumer<IntUnaryOperator> roots) {
        int[] group = workingSets.nextGroup(groupSize());
        if (group.length == 0) {
            throw new IllegalStateException("no working set can be collected alone now");
        }
        memory.collecting(true);
        try {
            BitSet members = new BitSet();
            for (int ws : group) {
                members.set(ws);
            }
            long top = allocator.top();
            long lo = Math.max(workingSets.start(group[0]), lineSize);
            long hi = Math.min(workingSets.start(group[group.length - 1] + 1), top);
            Marker marker = new Marker(lo, hi, members);
            roots.accept(marker);
            long rememberedLines = 0;
            long[][] remembered = new long[group.length][];
            for (int i = 0; i < group.length; i++) {
                remembered[i] = workingSets.remembered(group[i]);
                rememberedLines += distinctLines(remembered[i]);
                long[] outside = Arrays.stream(remembered[i]).filter(slot -> !members.get(workingSets.indexOf(slot))).toArray();
                readSlots(outside, marker);   // from outside the group: roots
            }
            long[] intoNursery = nursery.rememberedSlots();
            rememberedLines += distinctLines(intoNursery);
            readSlots(intoNursery, marker);
            marker.trace((slot, value) -> { });
            LongPredicate isLive = slot -> !members.get(workingSets.indexOf(slot)) || marker.holdsLive(slot);
            long live = 0;
            long inUseBefore = 0;
            long newTop = top;
            for (int i = 0; i < group.length; i++) {
                int ws = group[i];
                long from = Math.max(workingSets.start(ws), lineSize);
                long to = Math.min(workingSets.start(ws + 1), top);
                Swept swept = from < to ? sweep(marker, from, to) : new Swept(0, top);
                newTop = Math.min(newTop, swept.top());
                inUseBefore += workingSets.inUse(ws);
                live += swept.live();
                workingSets.collected(ws, swept.live(), stillNaming(remembered[i], ws, isLive));
            }
            workingSets.forgetFreedSlots(members, isLive);
            nursery.retainRemembered(isLive);
            allocator.collectedWorkingSet(newTop, inUseBefore, live);
            return new Result(live, Math.max(0, inUseBefore - live), marker.objects, group.length, rememberedLines, 0);
        } finally {
            memory.collecting(false);
        }
    }

    /**
     * A young collection ({@link YoungLines}): marks only the objects in young lines, from the VM's roots, the
     * remembered slots (old lines naming young objects) and the nursery, and sweeps only the young lines; then ages
     * them: a line that survived the last one too is tenured (old), a new line holding something live survives, one
     * freed whole is old and free. The tenured survivors' slots that name objects still young are remembered.
     */
    public Result collectYoung(Consumer<IntUnaryOperator> roots) {
        YoungLines young = allocator.youngLines();
        if (!young.enabled()) {
            throw new IllegalStateException("young collections are off");
        }
        memory.collecting(true);
        try {
            allocator.endRecycling();
            young.forgetFreedLines();
            long top = allocator.top();
            Marker marker = new Marker(lineSize, Long.MAX_VALUE, null);
            marker.youngLines = young;
            roots.accept(marker);
            long[] remembered = young.rememberedSlots();
            List<Long> candidates = new ArrayList<>();   // slot, then the reference it holds: kept if that stays young
            forEachSlot(remembered, slot -> {
                int ref = memory.getInt(slot);
                marker.applyAsInt(ref);
                if (young.crossesInto(slot, ref)) {
                    candidates.add(slot);
                    candidates.add((long) ref);
                }
            });
            long[] intoNursery = nursery.rememberedSlots();
            readSlots(intoNursery, marker);
            marker.trace((slot, value) -> {
                if (young.age(slot / lineSize) == YoungLines.SURVIVOR && young.isYoung(value)) {
                    candidates.add(slot);   // a survivor tenured now naming a young object
                    candidates.add((long) value);
                }
            });
            probe.passed(CollectorProbe.Point.YOUNG);
            LongPredicate isLive = slot -> !young.isYoungAddress(slot) || marker.holdsLive(slot);
            nursery.retainRemembered(isLive);
            allocator.freeSpace().removeChunksIn(young);
            long live = 0;
            long stillYoung = 0;
            long newTop = top;
            long endLine = Math.min(young.endLine(), (top + lineSize - 1) / lineSize);
            for (long line = 1; line < endLine; line++) {
                if (young.age(line) == YoungLines.OLD) {
                    continue;
                }
                long first = line;
                while (line < endLine && young.age(line) != YoungLines.OLD) {
                    line++;
                }
                Swept swept = sweep(marker, first * lineSize, Math.min(line * lineSize, top));
                live += swept.live();
                newTop = Math.min(newTop, swept.top());
                for (long l = first; l < line; l++) {   // age the run's lines
                    long liveInLine = marker.liveBytesIn(l * lineSize, (l + 1) * lineSize);
                    byte age = young.age(l) == YoungLines.NEW && liveInLine > 0 ? YoungLines.SURVIVOR : YoungLines.OLD;
                    young.setAge(l, age, liveInLine == 0 && (l + 1) * lineSize <= newTop);
                    if (age == YoungLines.SURVIVOR) {
                        stillYoung += liveInLine;
                    }
                }
            }
            long inUseBefore = young.inUse();
            long[] stillRemembered = new long[candidates.size() / 2];
            int kept = 0;
            for (int i = 0; i < candidates.size(); i += 2) {
                if (young.crossesInto(candidates.get(i), (int) (long) candidates.get(i + 1))) {
                    stillRemembered[kept++] = candidates.get(i);
                }
            }
            young.collected(stillYoung, inUseBefore, live,
                    Arrays.stream(stillRemembered, 0, kept).sorted().distinct().toArray());
            allocator.collectedWorkingSet(newTop, inUseBefore, live);
            return new Result(live, Math.max(0, inUseBefore - live), marker.objects, 0,
                    distinctLines(remembered) + distinctLines(intoNursery), 0);
        } finally {
            memory.collecting(false);
        }
    }

    /** Of a working set's remembered slots, those that still name an object in it and do not lie in freed memory. */
    private long[] stillNaming(long[] slots, int ws, LongPredicate isLive) {
        return Arrays.stream(slots).filter(slot -> {
            if (!isLive.test(slot)) {
                return false;
            }
            int ref = memory.getInt(slot);
            return ref > 0 && workingSets.indexOfRef(ref) == ws;
        }).toArray();
    }

    /**
     * Marks what the slots (in address order) name, bringing their lines in by batches ({@link
     * HeapMemory#prefetchLines}) rather than faulting each.
     */
    private void readSlots(long[] sortedSlots, Marker marker) {
        forEachSlot(sortedSlots, slot -> marker.applyAsInt(memory.getInt(slot)));
    }

    /** Calls {@code action} with each slot (in address order), bringing their lines in by batches. */
    private void forEachSlot(long[] sortedSlots, java.util.function.LongConsumer action) {
        for (int i = 0; i < sortedSlots.length; i++) {
            if (!memory.isResident(sortedSlots[i])) {
                int ahead = Math.min(sortedSlots.length, i + 8192);
                memory.prefetchLines(Arrays.stream(sortedSlots, i, ahead).map(slot -> slot / lineSize).distinct().toArray());
            }
            action.accept(sortedSlots[i]);
        }
    }

    private long distinctLines(long[] sortedSlots) {
        long lines = 0;
        long last = -1;
        for (long slot : sortedSlots) {
            long line = slot / lineSize;
            if (line != last) {
                lines++;
                last = line;
            }
        }
        return lines;
    }

    /** A marked object's reference slot and what it holds, as tracing reads it. */
    private interface SlotVisitor {
        void visit(long slot, int value);
    }

    /**
     * Marks the user-heap objects in {@code [lo, hi)} (a start bit and an end bit each, by granule from {@code lo})
     * and every nursery object it meets, keeping the ones still to scan on a stack; references elsewhere are left.
     */
    private final class Marker implements IntUnaryOperator {
        final int firstGranule;
        final long endGranule;
        /** The working sets collected (null: all of them). */
        final BitSet group;
        /** A full collection's: it rebuilds the bookkeeping of the whole user heap as it sweeps. */
        final boolean full;
        /** A young collection's: only objects in young lines are marked. */
        YoungLines youngLines;
        final BitSet starts = new BitSet();
        final BitSet ends = new BitSet();
        /** Nursery objects already met (by granule from the nursery's base). */
        final BitSet young = new BitSet();
        /** What moves as marking meets it (a full collection that compacts), else null. */
        Evacuation evacuation;
        /**
         * Candidates met on lines not in memory (by granule): marked where they lie and moved when scanned, their lines
         * brought in by batches like every waiting object's, rather than faulted in one by one to be moved at once.
         */
        final BitSet pendingMoves = new BitSet();
        /** Slots read naming an object whose move was pending: rewritten after tracing ({@link #fixUp}). */
        long[] fixUps = new long[64];
        int fixUpCount;
        /** Marking reads a slot of a scanned object now (not a root, whose answer must be final). */
        boolean scanning;
        int[] stack = new int[1024];
        int depth;
        long objects;

        /** A full collection's marker: everything from {@code lo} on. */
        Marker(long lo) {
            this(lo, Long.MAX_VALUE, null, true);
        }

        Marker(long lo, long hi, BitSet group) {
            this(lo, hi, group, false);
        }

        private Marker(long lo, long hi, BitSet group, boolean full) {
            this.firstGranule = (int) (lo / ObjectLayout.GRANULE);
            this.endGranule = hi == Long.MAX_VALUE ? Long.MAX_VALUE : hi / ObjectLayout.GRANULE;
            this.group = group;
            this.full = full;
        }

        /** Whether {@code ref} names a user-heap object this collection marks. */
        boolean inScope(int ref) {
            return ref > 0 && ref >= firstGranule && ref < endGranule && (group == null || group.get(workingSets.indexOfRef(ref)))
                    && (youngLines == null || youngLines.isYoung(ref));
        }

        @Override
        public int applyAsInt(int ref) {
            if (ObjectLayout.isNursery(ref)) {
                int g = ref - ObjectLayout.NURSERY_FIRST_REF;
                if (young.get(g)) {
                    return ref;
                }
                young.set(g);
            } else if (inScope(ref)) {
                int bit = ref - firstGranule;
                if (starts.get(bit)) {
                    return ref;
                }
                if (evacuation != null && evacuation.isCandidate(ref)) {   // only candidates are ever forwarded
                    int moved = evacuation.forwarded(ref);
                    if (moved != 0) {
                        return moved;
                    }
                    if (scanning && !memory.isResident(ObjectLayout.address(ref))) {
                        pendingMoves.set(bit);   // moved when scanned; the slot is fixed up afterwards
                    } else {
                        int copy = evacuation.move(ref);
                        if (copy != 0) {
                            ref = copy;   // marked, scanned and answered at its new place; the old one is swept
                            bit = ref - firstGranule;
                        }
                    }
                }
                starts.set(bit);   // its end bit when it is scanned: reading its size now would fault its line in alone
                objects++;
            } else {
                return ref;   // null, the system segment (never collected), or outside what is collected
            }
            if (depth == stack.length) {
                stack = Arrays.copyOf(stack, depth * 2);
            }
            stack[depth++] = ref;
            return ref;
        }

        /**
         * Scans every marked object, marking what it names; {@code userHeapSlots} sees each user-heap object's slots.
         * Objects whose first line is not resident wait, and when nothing resident is left to scan, the lines of the
         * waiting ones are brought in together ({@link HeapMemory#prefetchLines}: one store read for many), lowest
         * first: marking pays a round trip per batch of lines, not per line.
         */
        void trace(SlotVisitor userHeapSlots) {
            int[] waiting = new int[64];
            int waitingCount = 0;
            while (true) {
                while (depth > 0) {
                    int ref = stack[--depth];
                    if (!memory.isResident(ObjectLayout.address(ref))) {
                        if (waitingCount == waiting.length) {
                            waiting = Arrays.copyOf(waiting, waitingCount * 2);
                        }
                        waiting[waitingCount++] = ref;
                        continue;
                    }
                    scan(ref, userHeapSlots);
                }
                if (waitingCount == 0) {
                    return;
                }
                int[] batch = Arrays.copyOf(waiting, waitingCount);
                waitingCount = 0;
                Arrays.sort(batch);   // user-heap references sort by address
                memory.prefetchLines(Arrays.stream(batch).mapToLong(r -> ObjectLayout.address(r) / lineSize).toArray());
                for (int ref : batch) {
                    if (memory.isResident(ObjectLayout.address(ref))) {
                        scan(ref, userHeapSlots);   // what it marks goes on the stack, scanned next round
                    } else {
                        waiting[waitingCount++] = ref;   // beyond this batch: the next one
                    }
                }
                if (waitingCount == batch.length) {   // nothing could be brought in: fault them in one by one
                    for (int i = 0; i < waitingCount; i++) {
                        scan(waiting[i], userHeapSlots);
                    }
                    waitingCount = 0;
                }
            }
        }

        private void scan(int ref, SlotVisitor userHeapSlots) {
            boolean inUserHeap = !ObjectLayout.isNursery(ref);
            if (inUserHeap && pendingMoves.get(ref - firstGranule)) {   // its line is in memory now
                pendingMoves.clear(ref - firstGranule);
                int copy = evacuation.move(ref);
                if (copy != 0) {
                    starts.clear(ref - firstGranule);
                    ref = copy;
                    starts.set(ref - firstGranule);
                }
            }
            if (inUserHeap) {
                ends.set((int) (ref - firstGranule + shapes.sizeOf(ref) / ObjectLayout.GRANULE - 1));
            }
            scanning = true;
            shapes.forEachReferenceSlot(ref, slot -> {
                int value = memory.getInt(slot);
                int now = applyAsInt(value);
                if (now != value) {
                    memory.putInt(slot, now);   // it names an object that moved
                } else if (evacuation != null && now >= firstGranule && pendingMoves.get(now - firstGranule)) {
                    if (fixUpCount == fixUps.length) {
                        fixUps = Arrays.copyOf(fixUps, fixUpCount * 2);
                    }
                    fixUps[fixUpCount++] = slot;   // it names an object that will move: visited once fixed up
                    return;
                }
                if (inUserHeap && now != 0) {
                    userHeapSlots.visit(slot, now);
                }
            });
            scanning = false;
        }

        /**
         * After tracing: rewrites the slots that named an object whose move was pending (their lines brought in by
         * batches, in address order), and shows the user heap's among them to {@code userHeapSlots} as they are now.
         */
        void fixUp(SlotVisitor userHeapSlots) {
            long[] slots = Arrays.copyOf(fixUps, fixUpCount);
            Arrays.sort(slots);
            forEachSlot(slots, slot -> {
                int value = memory.getInt(slot);
                int moved = evacuation.forwarded(value);
                if (moved != 0) {
                    memory.putInt(slot, moved);
                    value = moved;
                }
                if (slot < ObjectLayout.NURSERY_BASE) {
                    userHeapSlots.visit(slot, value);
                }
            });
        }

        /**
         * Bytes of the marked objects that start in {@code [from, to)} (a line's: objects no larger than a line never
         * straddle two).
         */
        long liveBytesIn(long from, long to) {
            long bytes = 0;
            int end = (int) (to / ObjectLayout.GRANULE) - firstGranule;
            for (int bit = starts.nextSetBit((int) (from / ObjectLayout.GRANULE) - firstGranule); bit >= 0 && bit < end;
                 bit = starts.nextSetBit(bit + 1)) {
                int last = ends.nextSetBit(bit);
                bytes += (long) (last - bit + 1) * ObjectLayout.GRANULE;
                bit = last;
            }
            return bytes;
        }

        /** Whether the user-heap address {@code at} (in scope) lies inside a marked object. */
        boolean holdsLive(long at) {
            int g = (int) (at / ObjectLayout.GRANULE) - firstGranule;
            int start = starts.previousSetBit(g);
            return start >= 0 && ends.nextSetBit(start) >= g;
        }
    }

    /** What a sweep left: the live bytes, and the allocation pointer (lowered when the last gap reached it). */
    private record Swept(long live, long top) {
    }

    /**
     * Sweeps {@code [from, end)} of the marked scope: gaps between marked objects become free space (a working set's
     * old free space is forgotten first) and are discarded; when {@code end} is the allocation pointer, the last gap
     * lowers it instead.
     */
    private Swept sweep(Marker marker, long from, long end) {
        FreeSpace free = allocator.freeSpace();
        long base = (long) marker.firstGranule * ObjectLayout.GRANULE;
        boolean full = marker.full;
        if (full) {
            liveLines.clear();
        } else if (marker.youngLines == null) {   // a young collection removed its lines' free chunks already
            free.removeWithin(from, end);
        }
        long cursor = from;
        long live = 0;
        int endBit = (int) ((end - base) / ObjectLayout.GRANULE);
        for (int bit = marker.starts.nextSetBit((int) ((from - base) / ObjectLayout.GRANULE)); bit >= 0 && bit < endBit;
             bit = marker.starts.nextSetBit(bit + 1)) {
            long at = base + (long) bit * ObjectLayout.GRANULE;
            int lastBit = marker.ends.nextSetBit(bit);
            long objectEnd = base + (long) (lastBit + 1) * ObjectLayout.GRANULE;
            if (at > cursor) {
                free.addRange(cursor, at);
                allocator.discard(cursor, at);
            }
            if (full) {
                workingSets.noteLive(at, objectEnd - at);
                liveLines.add(at, objectEnd - at);
            }
            live += objectEnd - at;
            cursor = objectEnd;
            bit = lastBit;
        }
        long top = allocator.top();
        if (end == top) {
            allocator.discard(cursor, top);   // above the new allocation pointer: all garbage
            return new Swept(live, cursor);
        }
        if (end > cursor) {
            free.addRange(cursor, end);
            allocator.discard(cursor, end);
        }
        return new Swept(live, top);
    }
}
