package org.vheap.device.vm.heap;

import org.vheap.format.ObjectLayout;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The user heap divided into the seed's <em>working sets</em>: aligned runs of lines of a fixed size (a power of two;
 * a quarter of the device's memory lets a group of them fit in it), collected a few at a time
 * ({@link Collector#collectWorkingSets}) so a collection touches the part of the heap it collects and not the whole
 * live heap through the cache. Each working set has a remembered set: the slots outside it that name objects in it
 * (the seed's "inter-working set dependencies"), which are its roots besides the VM's.
 *
 * <p>Object placement keeps working sets separable: an object no larger than a working set never straddles two (the
 * allocator moves on to the next one, as it does for lines), and a larger one <em>pins</em> every working set it
 * touches: those are collected only by full collections.
 *
 * <p>Bookkeeping per working set: its remembered set, the bytes in use (live or not yet collected) and the bytes
 * allocated in it since it was last collected, which picks the next one to collect (most new bytes, most likely
 * garbage). All host-side: it is rebuilt by a full collection, which is why a resumed heap starts with it
 * {@linkplain #known() unknown} and collects in full first.
 *
 * <p>Contract: only the VM's interpreter thread uses it. A working-set size of 0 turns working sets off: every
 * collection of the user heap is full and the barrier records nothing here.
 */
public final class WorkingSets {
    private final int shift;
    private final long bytes;
    private SlotSet[] remembered = new SlotSet[0];
    private long[] inUse = new long[0];
    private long[] allocatedSince = new long[0];
    private boolean[] pinned = new boolean[0];
    private boolean known;

    /**
     * @param bytes each working set's size: a power of two at least {@code lineSize}; 0 turns them off
     * @param known whether the heap is new (its working sets are known: empty); false for a resumed heap
     */
    WorkingSets(long bytes, long lineSize, boolean known) {
        if (bytes != 0 && (Long.bitCount(bytes) != 1 || bytes < lineSize)) {
            throw new IllegalArgumentException("a working set is a power of two of at least a line (" + lineSize
                    + " bytes), got " + bytes);
        }
        this.bytes = bytes;
        this.shift = bytes == 0 ? 0 : Long.numberOfTrailingZeros(bytes);
        this.known = bytes != 0 && known;
    }

    /** Whether working sets are on. */
    public boolean enabled() {
        return bytes != 0;
    }

    /** Each working set's size in bytes (0: off). */
    public long bytes() {
        return bytes;
    }

    /** Whether the remembered sets are complete, so one working set may be collected alone. */
    public boolean known() {
        return known;
    }

    /** The working set of the user-heap object {@code ref} (a granule index). */
    int indexOfRef(int ref) {
        return ref >>> (shift - ObjectLayout.GRANULE_SHIFT);
    }

    int indexOf(long address) {
        return (int) (address >>> shift);
    }

    long start(int ws) {
        return (long) ws << shift;
    }

    /** The write barrier's part here: user-heap slot {@code slot} now holds {@code ref}. */
    void note(long slot, int ref) {
        // off, null, or not a user-heap object (nursery and system-segment references are negative)
        if (ref > 0 && crosses(slot, ref)) {
            remember(indexOfRef(ref), slot);
        }
    }

    private void remember(int ws, long slot) {
        grow(ws);
        SlotSet set = remembered[ws];
        if (set == null) {
            set = remembered[ws] = new SlotSet();
        }
        set.add(slot);
    }

    private void grow(int ws) {
        if (ws >= inUse.length) {
            int n = Math.max(ws + 1, inUse.length * 2);
            remembered = Arrays.copyOf(remembered, n);
            inUse = Arrays.copyOf(inUse, n);
            allocatedSince = Arrays.copyOf(allocatedSince, n);
            pinned = Arrays.copyOf(pinned, n);
        }
    }

    /**
     * Where an object of {@code size} bytes the allocator would place at {@code at} (at the bump pointer, or in a run
     * of free lines) goes instead so it does not straddle two working sets: {@code at}, or the start of the next one.
     * An object larger than a working set straddles anyway (it pins the ones it touches).
     */
    long place(long at, long size) {
        if (shift == 0 || size > bytes || indexOf(at) == indexOf(at + size - 1)) {
            return at;
        }
        return start(indexOf(at) + 1);
    }

    /** The allocator placed {@code size} bytes at {@code at}. */
    void allocated(long at, long size) {
        if (shift != 0) {
            occupy(at, size);
            allocatedSince[indexOf(at)] += size;
        }
    }

    /** An object of {@code size} bytes lies at {@code at}: in use there, and pinning what it straddles. */
    private void occupy(long at, long size) {
        int first = indexOf(at);
        int last = indexOf(at + size - 1);
        grow(last);
        inUse[first] += size;
        if (last != first) {
            Arrays.fill(pinned, first, last + 1, true);
        }
    }

    /**
     * The working sets to collect together next, at most {@code max}: of those not pinned, the ones with the most bytes
     * allocated since they were last collected (where garbage is likely), in address order. Empty when none is worth
     * it (nothing new, or the sets are not known). Collecting several together frees a dead structure that spans
     * them, which each one's remembered set would keep alive alone.
     */
    int[] nextGroup(int max) {
        if (!known) {
            return new int[0];
        }
        return java.util.stream.IntStream.range(0, allocatedSince.length)
                .filter(ws -> !pinned[ws] && allocatedSince[ws] > 0)
                .boxed()
                .sorted((x, y) -> Long.compare(allocatedSince[y], allocatedSince[x]))
                .limit(max)
                .mapToInt(Integer::intValue)
                .sorted()
                .toArray();
    }

    /** The slots outside {@code ws} remembered as naming objects in it. */
    long[] remembered(int ws) {
        return ws < remembered.length && remembered[ws] != null ? remembered[ws].toArray() : new long[0];
    }

    /** Bytes in use in {@code ws}: live, or allocated since it was last collected. */
    long inUse(int ws) {
        return ws < inUse.length ? inUse[ws] : 0;
    }

    /**
     * Working set {@code ws} was collected (alone or in a group): {@code live} bytes survive; its remembered set is
     * now {@code stillRemembered}.
     */
    void collected(int ws, long live, long[] stillRemembered) {
        grow(ws);
        inUse[ws] = live;
        allocatedSince[ws] = 0;
        remembered[ws] = null;
        for (long slot : stillRemembered) {
            remember(ws, slot);
        }
    }

    /**
     * After a group's collection: every remembered set forgets the slots inside the group that {@code isLive}
     * refuses (memory the collection freed, which may be reused for anything).
     */
    void forgetFreedSlots(java.util.BitSet group, LongPredicate isLive) {
        for (SlotSet set : remembered) {
            if (set != null) {
                set.retain(slot -> !group.get(indexOf(slot)) || isLive.test(slot));
            }
        }
    }

    /** A full collection starts: it will {@link #noteLive} every live object and {@link #note} every slot anew. */
    void forgetAll() {
        Arrays.fill(remembered, null);
        Arrays.fill(inUse, 0);
        Arrays.fill(allocatedSince, 0);
        Arrays.fill(pinned, false);
    }

    /** A full collection found a live object of {@code size} bytes at {@code at}. */
    void noteLive(long at, long size) {
        if (shift != 0) {
            occupy(at, size);
        }
    }

    /** A full collection ended: the remembered sets are complete. */
    void fullCollectionDone() {
        known = enabled();
    }

    /** Whether {@code slot} is in the remembered set of the working set {@code ref} names (for verification). */
    boolean isRemembered(long slot, int ref) {
        int ws = indexOfRef(ref);
        return ws < remembered.length && remembered[ws] != null && remembered[ws].contains(slot);
    }

    /** Whether {@code slot} and the user-heap object {@code ref} lie in different working sets. */
    boolean crosses(long slot, int ref) {
        return shift != 0 && indexOfRef(ref) != indexOf(slot);
    }
}
