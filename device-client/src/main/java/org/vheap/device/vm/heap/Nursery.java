package org.vheap.device.vm.heap;

import java.util.Arrays;

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
 * <p>The write barrier: every store of a reference into the heap goes through {@link #storeRef}. A store of a
 * nursery reference into a user-heap object records the field's address in the remembered set, so a minor
 * collection finds the user heap's references into the nursery without walking the user heap. Stores that move
 * many references at once (an array copy, a clone into the user heap) record their slots with
 * {@link #rememberSlots}. A reference store that bypasses the barrier would leave a dangling reference after the
 * next minor collection: {@link MinorCollector}'s verification mode (tests) checks that none did.
 *
 * <p>Contract: only the VM's interpreter thread calls it; objects never straddle the nursery's end. A nursery of
 * 0 bytes takes nothing ({@link #allocate} answers 0) and records nothing: every object goes to the user heap.
 */
public final class Nursery {
    /** The remembered set is compacted (sorted, deduplicated) when it reaches this many entries. */
    private static final int COMPACT_AT = 4096;

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
    private long[] slots = new long[COMPACT_AT];
    private int slotCount;
    private int compactedUpTo;

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

    /** The write barrier: stores reference {@code ref} at {@code address}, remembering a user-heap slot into the nursery. */
    public void storeRef(long address, int ref) {
        memory.putInt(address, ref);
        if (address < base && ObjectLayout.isNursery(ref)) {
            remember(address);
        }
    }

    /**
     * After references were copied into {@code [address, address + 4 * count)} of the user heap without the barrier
     * (an array copy): remembers those that name nursery objects.
     */
    public void rememberSlots(long address, int count) {
        if (address >= base || isEmpty()) {
            return;
        }
        for (int i = 0; i < count; i++) {
            long slot = address + 4L * i;
            if (ObjectLayout.isNursery(memory.getInt(slot))) {
                remember(slot);
            }
        }
    }

    private void remember(long slot) {
        if (slotCount > 0 && slots[slotCount - 1] == slot) {
            return;
        }
        if (slotCount == slots.length) {
            compact();
            if (slotCount > slots.length / 2) {
                slots = Arrays.copyOf(slots, slots.length * 2);
            }
        }
        slots[slotCount++] = slot;
    }

    private void compact() {
        if (compactedUpTo == slotCount) {
            return;
        }
        Arrays.sort(slots, 0, slotCount);
        int n = 0;
        for (int i = 0; i < slotCount; i++) {
            if (n == 0 || slots[n - 1] != slots[i]) {
                slots[n++] = slots[i];
            }
        }
        slotCount = n;
        compactedUpTo = n;
    }

    /** The remembered user-heap slots, each once, in address order (for a minor collection). */
    long[] rememberedSlots() {
        compact();
        return Arrays.copyOf(slots, slotCount);
    }

    /** Whether {@code slot} is remembered (for the verification of a minor collection). */
    boolean isRemembered(long slot) {
        compact();
        return Arrays.binarySearch(slots, 0, slotCount, slot) >= 0;
    }

    /** A full collection marked through the nursery: these are the user-heap slots that name nursery objects now. */
    void replaceRemembered(java.util.List<Long> live) {
        forgetRemembered();
        live.forEach(this::remember);
    }

    private void forgetRemembered() {
        slotCount = 0;
        compactedUpTo = 0;
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
        forgetRemembered();
        if (slots.length > COMPACT_AT && stillRemembered.length < COMPACT_AT / 2) {
            slots = new long[COMPACT_AT];
        }
        for (long slot : stillRemembered) {
            remember(slot);
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
