package org.vheap.device.vm.heap;

import org.vheap.format.ObjectLayout;

/**
 * The nursery (the seed's object nursery for short-lived objects): new objects are allocated here by bump
 * pointer, in device memory at {@link ObjectLayout#NURSERY_BASE} that is never flushed, never read from the
 * store and never part of a checkpoint's lines ({@link HeapMemory#nurseryBytes}). Most die here. It has three
 * parts: <em>eden</em> (half), where new objects go, and two <em>survivor spaces</em> (a quarter each),
 * one of which holds the objects that survived one minor collection. A minor collection ({@link MinorCollector})
 * copies eden's survivors into the other survivor space (or, when it is full, into the user heap) and promotes
 * into the user heap those that survive a second one; then eden is empty and the survivor spaces swap roles. An
 * object that is still being built when eden fills (a tree under construction) so gets one more chance to die
 * young instead of reaching a line.
 *
 * <p>The remembered set: the write barrier ({@link WriteBarrier}) records here every user-heap slot a reference to a
 * nursery object is stored into, so a minor collection finds the user heap's references into the nursery without
 * walking the user heap.
 *
 * <p>Contract: only the VM's interpreter thread calls it; objects never straddle the nursery's end. A nursery of
 * 0 bytes takes nothing ({@link #allocate} answers 0): every object goes to the user heap.
 */
public final class Nursery {
    private final HeapMemory memory;
    private final long base = ObjectLayout.NURSERY_BASE;
    private final long end;
    private final long largestObject;
    /** Eden: {@code [base, edenEnd)}, allocated up to {@code top}. */
    private final long edenEnd;
    private long top = ObjectLayout.NURSERY_BASE;
    /** The two survivor spaces' starts; each is {@code survivorBytes} long. */
    private final long[] survivorBase = new long[2];
    private final long survivorBytes;
    /** Which survivor space holds the objects that survived one minor collection, and where they end. */
    private int survivors;
    private long survivorTop;
    /** User-heap slots that name nursery objects (or did: stale entries are read and skipped). */
    private final SlotSet remembered = new SlotSet();

    /** A nursery over all of {@code memory}'s nursery bytes. */
    public Nursery(HeapMemory memory) {
        this.memory = memory;
        long bytes = memory.nurseryBytes();
        this.end = base + bytes;
        this.survivorBytes = bytes / 4 & -ObjectLayout.GRANULE;
        this.edenEnd = end - 2 * survivorBytes;
        this.survivorBase[0] = edenEnd;
        this.survivorBase[1] = edenEnd + survivorBytes;
        this.survivorTop = survivorBase[0];
        this.largestObject = bytes / 8;
    }

    /**
     * Allocates {@code bytes} (granule-aligned, at least the header) with the class id written into the header and
     * everything else zero. Returns 0 when the object does not fit in what is left (a minor collection is due), or
     * is too large for the nursery at all ({@link #takes}).
     */
    public int allocate(int classId, long bytes) {
        if (bytes > largestObject || top + bytes > edenEnd) {
            return 0;
        }
        long at = top;
        top += bytes;
        memory.zero(at, bytes);
        memory.putInt(at + ObjectLayout.CLASS_ID_OFFSET, classId);
        return ObjectLayout.ref(at);
    }

    /** Whether an object of {@code bytes} is ever allocated here (larger ones go straight to the user heap). */
    public boolean takes(long bytes) {
        return bytes <= largestObject;
    }

    /** Remembers user-heap slot {@code slot}, which now names a nursery object (the write barrier's part here). */
    void remember(long slot) {
        remembered.add(slot);
    }

    /** The remembered user-heap slots, each once, in address order (for a minor collection). */
    long[] rememberedSlots() {
        return remembered.toArray();
    }

    /** Whether {@code slot} is remembered (for the verification of a minor collection). */
    boolean isRemembered(long slot) {
        return remembered.contains(slot);
    }

    /** A full collection marked through the nursery: these are the user-heap slots that name nursery objects now. */
    void replaceRemembered(java.util.List<Long> live) {
        remembered.clear();
        live.forEach(remembered::add);
    }

    /** A collection of part of the user heap freed memory: forgets the remembered slots {@code keep} refuses. */
    void retainRemembered(java.util.function.LongPredicate keep) {
        remembered.retain(keep);
    }

    /** Whether {@code ref} names an object in a survivor space (one that survived a minor collection already). */
    boolean isSurvivor(int ref) {
        long a = ObjectLayout.address(ref);
        return a >= edenEnd && a < end;
    }

    /**
     * Copies the {@code bytes} at {@code from} into the survivor space that is not in use (a minor collection's
     * to-space), which fills from its start after each {@link #collected}; 0 when they do not fit.
     */
    int copyToSurvivors(long from, long bytes, long toTop) {
        if (toTop + bytes > survivorBase[1 - survivors] + survivorBytes) {
            return 0;
        }
        memory.copy(from, toTop, bytes);
        return ObjectLayout.ref(toTop);
    }

    /** Where the to-space of the next minor collection starts. */
    long toSpaceStart() {
        return survivorBase[1 - survivors];
    }

    /**
     * After a minor collection: eden is empty; the to-space, filled up to {@code toTop}, now holds the survivors; the
     * remembered set is {@code stillRemembered} (the user-heap slots that name them).
     */
    void collected(long toTop, long[] stillRemembered) {
        top = base;
        survivors = 1 - survivors;
        survivorTop = toTop;
        remembered.clear();
        for (long slot : stillRemembered) {
            remembered.add(slot);
        }
    }

    public boolean isEmpty() {
        return top == base && survivorTop == survivorBase[survivors];
    }

    /** Bytes of the objects here: allocated since the last minor collection, and its survivors. */
    public long bytesUsed() {
        return top - base + survivorTop - survivorBase[survivors];
    }

    /** Bytes the nursery holds in all (0: no nursery). */
    public long capacity() {
        return end - base;
    }
}
