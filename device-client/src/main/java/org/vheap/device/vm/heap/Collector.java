package org.vheap.device.vm.heap;

import java.util.BitSet;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

/**
 * The full collection: a non-moving mark-sweep over the user heap. Mark bits live on the host, one per granule, so a
 * collection writes nothing into the heap: it faults in live objects only (to read their references) and
 * never touches the lines of dead ones. Sweeping is bitmap work: the gaps between marked objects become free
 * space for the allocator; a gap that reaches the allocation pointer lowers it. The whole lines of each gap are
 * discarded ({@link HeapMemory#discard}): a paged heap drops them without writing them, deletes them from the
 * store, and zero-fills them when they are allocated again instead of reading garbage back.
 *
 * <p>Runs only at a safepoint (every green thread between instructions, activations saved), from roots the VM
 * gives: thread activations, class mirrors (statics), interned strings, monitors. The VM runs a minor collection
 * ({@link MinorCollector}) first (or after, when the user heap has no room to promote into); the nursery still holds
 * what that minor collection kept in a survivor space (or everything), so marking goes through nursery objects too,
 * and the nursery's remembered set is rebuilt from the user-heap slots marking found naming nursery objects, since
 * the sweep may free the ones it held.
 */
public final class Collector {
    /** What a collection did. */
    public record Result(long liveBytes, long freedBytes, long objectsMarked) {
    }

    private final ObjectAllocator allocator;
    private final Nursery nursery;
    private final HeapShapes shapes;
    private final HeapMemory memory;
    private final long lineSize;

    public Collector(HeapMemory memory, ObjectAllocator allocator, Nursery nursery, HeapShapes shapes) {
        this.memory = memory;
        this.allocator = allocator;
        this.nursery = nursery;
        this.shapes = shapes;
        this.lineSize = memory.lineSize();
    }

    /**
     * Collects: marks from {@code roots} (it calls the consumer with an operator it applies to every root
     * reference; 0 is ignored, and nothing moves, so the operator answers each reference unchanged), then rebuilds
     * the allocator's free space.
     */
    public Result collect(Consumer<IntUnaryOperator> roots) {
        memory.collecting(true);
        try {
            return mark(roots);
        } finally {
            memory.collecting(false);
        }
    }

    private Result mark(Consumer<IntUnaryOperator> roots) {
        long before = allocator.bytesInUse();
        Marker marker = new Marker();
        roots.accept(marker);
        while (marker.depth > 0) {
            int ref = marker.stack[--marker.depth];
            boolean inUserHeap = !ObjectLayout.isNursery(ref);
            shapes.forEachReferenceSlot(ref, slot -> {
                int value = memory.getInt(slot);
                marker.applyAsInt(value);
                if (inUserHeap && ObjectLayout.isNursery(value)) {
                    marker.slotsIntoNursery.add(slot);
                }
            });
        }
        if (!nursery.isEmpty()) {
            nursery.replaceRemembered(marker.slotsIntoNursery);
        }
        return sweep(marker.starts, marker.ends, marker.objects, before);
    }

    /** Marks objects (a start bit and an end bit each) and keeps the ones still to scan on a stack. */
    private final class Marker implements IntUnaryOperator {
        final BitSet starts = new BitSet();
        final BitSet ends = new BitSet();
        /** Nursery objects already met (by granule from the nursery's base). */
        final BitSet young = new BitSet();
        final java.util.List<Long> slotsIntoNursery = new java.util.ArrayList<>();
        int[] stack = new int[1024];
        int depth;
        long objects;

        @Override
        public int applyAsInt(int ref) {
            // references are granule indexes; the system segment is not collected
            if (ref == 0 || Integer.compareUnsigned(ref, ObjectLayout.SYSTEM_SEGMENT_FIRST_REF) >= 0) {
                return ref;
            }
            if (ObjectLayout.isNursery(ref)) {
                int g = ref - ObjectLayout.NURSERY_FIRST_REF;
                if (young.get(g)) {
                    return ref;
                }
                young.set(g);
            } else {
                if (starts.get(ref)) {
                    return ref;
                }
                starts.set(ref);
                ends.set((int) (ref + shapes.sizeOf(ref) / ObjectLayout.GRANULE - 1));
                objects++;
            }
            if (depth == stack.length) {
                stack = java.util.Arrays.copyOf(stack, depth * 2);
            }
            stack[depth++] = ref;
            return ref;
        }
    }

    private Result sweep(BitSet starts, BitSet ends, long objects, long before) {
        FreeSpace free = allocator.freeSpace();
        free.clear();
        long first = lineSize; // line 0 is the heap header
        long cursor = first;
        long live = 0;
        for (int g = starts.nextSetBit((int) (first / ObjectLayout.GRANULE)); g >= 0; g = starts.nextSetBit(g + 1)) {
            long at = (long) g * ObjectLayout.GRANULE;
            int endGranule = ends.nextSetBit(g);
            long end = (long) (endGranule + 1) * ObjectLayout.GRANULE;
            if (at > cursor) {
                free.addRange(cursor, at);
                allocator.discard(cursor, at);
            }
            live += end - at;
            cursor = end;
            g = endGranule;
        }
        allocator.discard(cursor, allocator.top());   // above the new allocation pointer: all garbage
        allocator.collected(cursor, live);
        return new Result(live, Math.max(0, before - live), objects);
    }
}
