package org.vheap.device.vm.heap;

import org.vheap.format.ObjectLayout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import java.util.function.LongConsumer;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.vm.heap.paging.PagedHeap;
import org.vheap.device.vm.heap.paging.PagingConfig;

/**
 * The heap tests' shared helper: a user heap paged over an in-memory store, with its allocator, write barrier and
 * collectors, and three made-up classes the collectors see through {@link HeapShapes}: a node (two references and a
 * value), a fan (32 references) and a blob (no references, several lines). Roots are host-held references the
 * collectors visit (and pinned ones, which a compacting collection does not move). No nursery: the working sets' collections and full ones are what these tests exercise.
 */
final class TestObjectHeap implements AutoCloseable {
    static final int LINE = 256;
    static final int NODE = 1;
    static final int FAN = 2;
    static final int BLOB = 3;
    static final long NODE_BYTES = 24;
    static final int FAN_SLOTS = 32;
    static final long FAN_BYTES = ObjectLayout.HEADER_BYTES + 4L * FAN_SLOTS;
    static final long BLOB_BYTES = 4 * LINE;

    final HeapSession session;
    final PagedHeap memory;
    final ObjectAllocator allocator;
    final Nursery nursery;
    final WriteBarrier barrier;
    final Collector collector;
    final MinorCollector minor;
    private final HeapShapes shapes = new Shapes();
    /** The roots: host-held references (0: none), rewritten when a compacting collection moves what they name. */
    final List<Integer> roots = new ArrayList<>();
    /** Pinned roots: host-held references a compacting collection must not move (as the VM's mirrors). */
    final List<Integer> pinned = new ArrayList<>();
    /** Allocations are the minor collection's promotions ({@link ObjectAllocator#allocatePromoted}) while set. */
    boolean promoting;

    /** A heap of {@code frames} lines of memory and working sets of {@code workingSetLines} lines. */
    TestObjectHeap(MemoryHeapStore store, String app, int frames, int workingSetLines) {
        session = store.openHeap(new OpenRequest(app, "dev", true, LINE, Duration.ofSeconds(10), 0));
        memory = new PagedHeap(session, new PagingConfig().setLineSize(LINE).setMemoryBytes((long) frames * LINE)
                .setFreeFrameThreshold(2).setMaxHeapBytes(1L << 24).setWorkingSetBytes((long) workingSetLines * LINE).validate());
        allocator = new ObjectAllocator(memory, LINE, 1L << 24);
        nursery = new Nursery(memory);
        barrier = new WriteBarrier(memory, nursery, allocator);
        collector = new Collector(memory, allocator, nursery, shapes);
        minor = new MinorCollector(memory, allocator, nursery, shapes);
    }

    private final class Shapes implements HeapShapes {
        @Override
        public long sizeOf(int ref) {
            return switch (classOf(ref)) {
                case NODE -> NODE_BYTES;
                case FAN -> FAN_BYTES;
                case BLOB -> BLOB_BYTES;
                default -> throw new IllegalStateException("no object at 0x" + Integer.toHexString(ref) + " (class "
                        + classOf(ref) + ")");
            };
        }

        @Override
        public void forEachReferenceSlot(int ref, LongConsumer slots) {
            long at = ObjectLayout.address(ref);
            switch (classOf(ref)) {
                case NODE -> {
                    slots.accept(at + 8);
                    slots.accept(at + 12);
                }
                case FAN -> {
                    for (int i = 0; i < FAN_SLOTS; i++) {
                        slots.accept(at + ObjectLayout.HEADER_BYTES + 4L * i);
                    }
                }
                default -> {
                }
            }
        }
    }

    int classOf(int ref) {
        return memory.getInt(ObjectLayout.address(ref) + ObjectLayout.CLASS_ID_OFFSET);
    }

    int allocate(int classId) {
        long bytes = switch (classId) {
            case NODE -> NODE_BYTES;
            case FAN -> FAN_BYTES;
            default -> BLOB_BYTES;
        };
        int ref = promoting ? allocator.allocatePromoted(classId, bytes) : allocator.allocate(classId, bytes);
        if (ref == 0) {
            throw new IllegalStateException("test heap full");
        }
        return ref;
    }

    /** The identity hash in {@code ref}'s status word (0: none assigned). */
    int hash(int ref) {
        return memory.getInt(ObjectLayout.address(ref) + ObjectLayout.STATUS_OFFSET) >>> ObjectLayout.HASH_SHIFT;
    }

    /** Assigns {@code ref} an identity hash (24 bits), as {@code System.identityHashCode} does. */
    void hash(int ref, int hash) {
        memory.putInt(ObjectLayout.address(ref) + ObjectLayout.STATUS_OFFSET,
                hash << ObjectLayout.HASH_SHIFT | ObjectLayout.STATUS_HASHED);
    }

    /** A node with {@code value} and no references. */
    int node(long value) {
        int ref = allocate(NODE);
        memory.putLong(ObjectLayout.address(ref) + 16, value);
        return ref;
    }

    long value(int node) {
        return memory.getLong(ObjectLayout.address(node) + 16);
    }

    /** Reference field {@code i} of {@code ref}: 0 and 1 of a node, 0 to 31 of a fan. */
    long slot(int ref, int i) {
        return ObjectLayout.address(ref) + (classOf(ref) == NODE ? 8 : ObjectLayout.HEADER_BYTES) + 4L * i;
    }

    int get(int ref, int i) {
        return memory.getInt(slot(ref, i));
    }

    /** Stores through the write barrier, as the interpreter does. */
    void set(int ref, int i, int value) {
        barrier.storeRef(slot(ref, i), value);
    }

    /** The roots and the pinned roots (whose references are not stored back: they must not move). */
    void visitRoots(IntUnaryOperator op) {
        pinned.forEach(op::applyAsInt);
        roots.replaceAll(r -> r == 0 ? 0 : op.applyAsInt(r));
    }

    Consumer<IntUnaryOperator> rootVisitor() {
        return this::visitRoots;
    }

    /** A full collection that compacts, from the roots and the pinned roots. */
    Collector.Result collectAndCompact() {
        return collector.collectAndCompact(rootVisitor(), pin -> pinned.forEach(pin::accept));
    }

    /**
     * A compacting full collection as a VM resumed from a checkpoint of this heap runs its first: over an allocator
     * restored from this one's free ranges and bytes in use (what the checkpoint's VM state saves) and a new collector,
     * which knows no earlier sweep. This heap's own allocator and collector are stale afterwards.
     */
    Collector.Result collectAndCompactAsResumed() {
        ObjectAllocator resumed = new ObjectAllocator(memory, allocator.top(), 1L << 24);
        resumed.restore(allocator.freeRanges(), allocator.bytesInUse(), 0);
        return new Collector(memory, resumed, nursery, shapes).collectAndCompact(rootVisitor(), pin -> pinned.forEach(pin::accept));
    }

    /** Checks the write barrier's remembered sets over everything reachable (throws when one lacks a slot). */
    void verifyRemembered() {
        minor.verifyRemembered(rootVisitor());
    }

    @Override
    public void close() {
        session.close();
    }
}
