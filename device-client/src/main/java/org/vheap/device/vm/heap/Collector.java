package org.vheap.device.vm.heap;

import java.util.BitSet;
import java.util.function.IntConsumer;

/**
 * A non-moving mark-sweep collector over the user heap. Mark bits live on the host, one per granule, so a
 * collection writes nothing into the heap: it faults in live objects only (to read their references) and
 * never touches the lines of dead ones. Sweeping is bitmap work: the gaps between marked objects become free
 * space for the allocator; a gap that reaches the allocation pointer lowers it. The whole lines of each gap are
 * discarded ({@link HeapMemory#discard}): a paged heap drops them without writing them, deletes them from the
 * store, and zero-fills them when they are allocated again instead of reading garbage back.
 *
 * <p>Runs only at a safepoint (every green thread between instructions, activations saved), from roots the VM
 * gives: thread activations, class mirrors (statics), interned strings, monitors. Objects never move, so
 * references held by the VM (mirrors, interned strings, quickened constants) stay valid. The nursery and
 * working-set collection of a later issue fit beside it: young objects would live in their own segment.
 */
public final class Collector {
    /** What a collection did. */
    public record Result(long liveBytes, long freedBytes, long objectsMarked) {
    }

    private final ObjectAllocator allocator;
    private final HeapShapes shapes;
    private final long lineSize;

    public Collector(ObjectAllocator allocator, HeapShapes shapes, long lineSize) {
        this.allocator = allocator;
        this.shapes = shapes;
        this.lineSize = lineSize;
    }

    /**
     * Collects: marks from {@code roots} (it calls the consumer with every root reference; 0 is ignored),
     * then rebuilds the allocator's free space.
     */
    public Result collect(java.util.function.Consumer<IntConsumer> roots) {
        long before = allocator.bytesInUse();
        Marker marker = new Marker();
        roots.accept(marker);
        while (marker.depth > 0) {
            shapes.forEachReference(marker.stack[--marker.depth], marker);
        }
        return sweep(marker.starts, marker.ends, marker.objects, before);
    }

    /** Marks objects (a start bit and an end bit each) and keeps the ones still to scan on a stack. */
    private final class Marker implements IntConsumer {
        final BitSet starts = new BitSet();
        final BitSet ends = new BitSet();
        int[] stack = new int[1024];
        int depth;
        long objects;

        @Override
        public void accept(int ref) {
            // references are granule indexes; the nursery and system segment are not collected here
            if (ref == 0 || Integer.compareUnsigned(ref, ObjectLayout.NURSERY_FIRST_REF) >= 0 || starts.get(ref)) {
                return;
            }
            starts.set(ref);
            ends.set((int) (ref + shapes.sizeOf(ref) / ObjectLayout.GRANULE - 1));
            objects++;
            if (depth == stack.length) {
                stack = java.util.Arrays.copyOf(stack, depth * 2);
            }
            stack[depth++] = ref;
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
