package org.vheap.device.vm.heap;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * A remembered set: heap slots (addresses of reference fields) a collection must read as roots. Appending is the
 * write barrier's fast path (a slot just added is not added again); the set is sorted and deduplicated when it fills
 * up and whenever it is read, so it stays as large as the distinct slots it names.
 *
 * <p>Contract: only the VM's interpreter thread uses it. Entries may be stale (the slot was overwritten since):
 * whoever reads the set reads each slot again and ignores the ones that no longer name what it collects.
 */
final class SlotSet {
    /** Sorted and deduplicated when it reaches this many entries. */
    private static final int COMPACT_AT = 4096;

    private long[] slots = new long[16];
    private int count;
    private int compactedUpTo;

    void add(long slot) {
        if (count > 0 && slots[count - 1] == slot) {
            return;
        }
        if (count == slots.length) {
            compact();
            if (count > slots.length / 2) {
                slots = Arrays.copyOf(slots, slots.length < COMPACT_AT ? COMPACT_AT : slots.length * 2);
            }
        }
        slots[count++] = slot;
    }

    private void compact() {
        if (compactedUpTo == count) {
            return;
        }
        Arrays.sort(slots, 0, count);
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (n == 0 || slots[n - 1] != slots[i]) {
                slots[n++] = slots[i];
            }
        }
        count = n;
        compactedUpTo = n;
    }

    /** The slots, each once, in address order. */
    long[] toArray() {
        compact();
        return Arrays.copyOf(slots, count);
    }

    boolean contains(long slot) {
        compact();
        return Arrays.binarySearch(slots, 0, count, slot) >= 0;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Keeps only the slots {@code keep} accepts. */
    void retain(LongPredicate keep) {
        int n = 0;
        int sortedPrefix = 0;   // the kept slots of the sorted prefix stay sorted, in front
        for (int i = 0; i < count; i++) {
            if (keep.test(slots[i])) {
                slots[n++] = slots[i];
                if (i < compactedUpTo) {
                    sortedPrefix = n;
                }
            }
        }
        count = n;
        compactedUpTo = sortedPrefix;
    }

    void clear() {
        count = 0;
        compactedUpTo = 0;
        if (slots.length > COMPACT_AT) {
            slots = new long[16];
        }
    }
}
