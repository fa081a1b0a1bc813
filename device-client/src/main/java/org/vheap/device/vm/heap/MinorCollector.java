package org.vheap.device.vm.heap;

import org.vheap.format.ObjectLayout;

import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

/**
 * The minor collection: empties the {@link Nursery}'s eden by copying the objects reachable from the roots and from
 * the remembered set into the free survivor space, promoting into the user heap those that had survived a minor
 * collection already (and eden's survivors too when the survivor space is full, or when every object must leave the
 * nursery: before a checkpoint), then forgets everything else there. Garbage in the nursery costs nothing: it is
 * never marked, copied, written to a line or sent to the store.
 *
 * <p>The copy is Cheney's, with the queue on the host: each root and each remembered user-heap slot naming a
 * nursery object is rewritten to the object's copy; the copies are then scanned in turn, and so on. A user-heap
 * slot that names a survivor afterwards is remembered again. A copied object leaves a forwarding header behind
 * (class id {@link #FORWARDED}, then the copy's reference), so each is copied once. An object is copied whole, its
 * status word too, so its identity hash stays the same. Objects are promoted in the order the traversal meets
 * them, so objects used together (a node and what it points to) land in the same lines.
 *
 * <p>Roots are given as an operator the VM applies to every reference it holds outside the heap (activations,
 * threads, monitors, the intern table) and stores back: those are the only places a nursery object moves from. The
 * VM keeps its other host-held references (class mirrors, quickened constants, the heap header's tables) in the
 * user heap, where only a compacting collection moves objects, and it pins those. Runs only at a safepoint. The caller checks {@link #canPromoteAll} first: a
 * promotion that ran out of user heap half-way could not be undone.
 */
public final class MinorCollector {
    /** The class id of a nursery object that has been copied; its status word holds the copy's reference. */
    static final int FORWARDED = -1;

    /** What a minor collection did. */
    public record Result(long promotedBytes, long promotedObjects, long survivorBytes, long rememberedSlots, long nurseryBytes) {
    }

    private final HeapMemory memory;
    private final ObjectAllocator allocator;
    private final Nursery nursery;
    private final HeapShapes shapes;
    private final WorkingSets workingSets;
    private final YoungLines young;
    private int[] queue = new int[1024];
    private int queued;
    private long promotedBytes;
    private long promotedObjects;
    /** This collection promotes every survivor, eden's too (the nursery ends empty). */
    private boolean promoteAll;
    private CollectorProbe probe = CollectorProbe.NONE;
    /** The to-space: this collection's survivor copies are {@code [toStart, toTop)}. */
    private long toStart;
    private long toTop;
    /** User-heap slots that name survivors after this collection: the next remembered set. */
    private long[] stillRemembered = new long[256];
    private int stillCount;

    public MinorCollector(HeapMemory memory, ObjectAllocator allocator, Nursery nursery, HeapShapes shapes) {
        this.memory = memory;
        this.allocator = allocator;
        this.nursery = nursery;
        this.shapes = shapes;
        this.workingSets = allocator.workingSets();
        this.young = allocator.youngLines();
    }

    /**
     * Whether the user heap has room for every object now in the nursery at the allocation pointer, even if all
     * survive (each may skip the rest of a line, so twice their bytes plus a line).
     */
    public boolean canPromoteAll() {
        return allocator.limit() - allocator.top() >= 2 * nursery.bytesUsed() + memory.lineSize();
    }

    /** Who is told as a collection passes its {@link CollectorProbe.Point#MINOR} and promotion points. */
    public void setProbe(CollectorProbe probe) {
        this.probe = java.util.Objects.requireNonNull(probe, "probe");
    }

    /**
     * Empties eden: its survivors go to the free survivor space, those of the survivor space in use to the user heap;
     * with {@code promoteAll}, every survivor goes to the user heap and the nursery ends empty.
     */
    public Result collect(Consumer<IntUnaryOperator> roots, boolean promoteAll) {
        if (!canPromoteAll()) {
            throw new IllegalStateException("a minor collection needs " + (2 * nursery.bytesUsed() + memory.lineSize())
                    + " bytes of user heap to promote into; " + (allocator.limit() - allocator.top()) + " are left");
        }
        long used = nursery.bytesUsed();
        this.promoteAll = promoteAll;
        promotedBytes = 0;
        promotedObjects = 0;
        queued = 0;
        stillCount = 0;
        toStart = nursery.toSpaceStart();
        toTop = toStart;
        roots.accept(this::forward);
        probe.passed(CollectorProbe.Point.MINOR);
        long[] remembered = nursery.rememberedSlots();
        for (long slot : remembered) {
            update(slot);
        }
        for (int next = 0; next < queued; next++) {
            shapes.forEachReferenceSlot(queue[next], this::update);
        }
        nursery.collected(toTop, java.util.Arrays.copyOf(stillRemembered, stillCount));
        return new Result(promotedBytes, promotedObjects, toTop - toStart, remembered.length, used);
    }

    /**
     * Rewrites the reference at {@code slot} if it names a nursery object; a user-heap slot that then names a
     * survivor is remembered for the next collection, and one naming another working set's object or a young object
     * in those remembered sets (a promoted copy's slots were copied past the write barrier).
     */
    private void update(long slot) {
        int ref = memory.getInt(slot);
        if (ObjectLayout.isNursery(ref)) {
            ref = forward(ref);
            memory.putInt(slot, ref);
        }
        if (slot >= ObjectLayout.NURSERY_BASE) {
            return;
        }
        if (ObjectLayout.isNursery(ref)) {
            if (stillCount == stillRemembered.length) {
                stillRemembered = java.util.Arrays.copyOf(stillRemembered, stillCount * 2);
            }
            stillRemembered[stillCount++] = slot;
        } else {
            workingSets.note(slot, ref);
            young.note(slot, ref);
        }
    }

    /** The reference of {@code ref}'s object after this collection: its copy in the user heap, made now if need be. */
    private int forward(int ref) {
        long from = ObjectLayout.address(ref);
        if (!ObjectLayout.isNursery(ref) || (from >= toStart && from < toTop)) {
            return ref;   // in the user heap, or a copy this collection made (a root met twice)
        }
        int classId = memory.getInt(from + ObjectLayout.CLASS_ID_OFFSET);
        if (classId == FORWARDED) {
            return memory.getInt(from + ObjectLayout.STATUS_OFFSET);
        }
        long bytes = shapes.sizeOf(ref);
        int copy = promoteAll || nursery.isSurvivor(ref) ? 0 : nursery.copyToSurvivors(from, bytes, toTop);
        if (copy != 0) {
            toTop += bytes;
        } else {
            copy = allocator.allocatePromoted(classId, bytes);
            if (copy == 0) {
                throw new IllegalStateException("promotion ran out of user heap (" + allocator.limit() + " bytes)");
            }
            memory.copy(from, ObjectLayout.address(copy), bytes);
            promotedBytes += bytes;
            promotedObjects++;
            probe.passed(CollectorProbe.Point.PROMOTION);
        }
        memory.putInt(from + ObjectLayout.CLASS_ID_OFFSET, FORWARDED);
        memory.putInt(from + ObjectLayout.STATUS_OFFSET, copy);
        if (queued == queue.length) {
            queue = java.util.Arrays.copyOf(queue, queued * 2);
        }
        queue[queued++] = copy;
        return copy;
    }

    /**
     * Checks the write barrier (tests): walks everything reachable from {@code roots} and throws
     * {@link IllegalStateException} naming the first user-heap slot that names a nursery object but is not in the
     * nursery's remembered set, or (when the working sets are known) names an object of another working set but is
     * not in that one's, or names a young object from an old line but is not in the {@link YoungLines}' remembered set. Changes
     * nothing; call it just before a minor, a working set's or a young collection.
     */
    public void verifyRemembered(Consumer<IntUnaryOperator> roots) {
        java.util.BitSet seenOld = new java.util.BitSet();
        java.util.BitSet seenYoung = new java.util.BitSet();
        int[][] stack = {new int[1024]};
        int[] depth = {0};
        IntUnaryOperator visit = ref -> {
            if (ref == 0 || Integer.compareUnsigned(ref, ObjectLayout.SYSTEM_SEGMENT_FIRST_REF) >= 0) {
                return ref;
            }
            java.util.BitSet seen = ObjectLayout.isNursery(ref) ? seenYoung : seenOld;
            int bit = ref & 0x3FFF_FFFF;
            if (!seen.get(bit)) {
                seen.set(bit);
                if (depth[0] == stack[0].length) {
                    stack[0] = java.util.Arrays.copyOf(stack[0], depth[0] * 2);
                }
                stack[0][depth[0]++] = ref;
            }
            return ref;
        };
        roots.accept(visit);
        while (depth[0] > 0) {
            int holder = stack[0][--depth[0]];
            shapes.forEachReferenceSlot(holder, slot -> {
                int ref = memory.getInt(slot);
                if (!ObjectLayout.isNursery(holder) && ObjectLayout.isNursery(ref) && !nursery.isRemembered(slot)) {
                    throw missed(slot, holder, ref, "nursery object");
                }
                if (!ObjectLayout.isNursery(holder) && ref > 0 && workingSets.known() && workingSets.crosses(slot, ref)
                        && !workingSets.isRemembered(slot, ref)) {
                    throw missed(slot, holder, ref, "object of working set " + workingSets.indexOfRef(ref));
                }
                if (!ObjectLayout.isNursery(holder) && young.crossesInto(slot, ref) && !young.isRemembered(slot)) {
                    throw missed(slot, holder, ref, "object of a young line");
                }
                visit.applyAsInt(ref);
            });
        }
    }

    private static IllegalStateException missed(long slot, int holder, int ref, String what) {
        return new IllegalStateException("write barrier missed: slot 0x" + Long.toHexString(slot) + " of object 0x"
                + Integer.toHexString(holder) + " (+" + (slot - ObjectLayout.address(holder)) + ") names " + what + " 0x"
                + Integer.toHexString(ref) + " but is not remembered");
    }
}
