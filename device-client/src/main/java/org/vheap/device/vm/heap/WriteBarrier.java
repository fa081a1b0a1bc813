package org.vheap.device.vm.heap;

import org.vheap.format.ObjectLayout;

/**
 * The write barrier of reference stores: every store of a reference into the heap goes through {@link #storeRef}
 * (the interpreter's {@code PUTFIELD_REF}, {@code PUTSTATIC_REF} and {@code aastore}, the natives' reference
 * stores, the VM's own), and stores that move many references at once past it (an array copy, a clone) call
 * {@link #rememberSlots} after. It keeps three kinds of remembered sets: the {@link Nursery}'s (user-heap slots that
 * name nursery objects, the roots of a minor collection), the {@link WorkingSets}' (slots that name an object in
 * another working set, the roots of a working set's collection) and the {@link YoungLines}' (slots in old lines that
 * name objects in young ones, the roots of a young collection). A store that bypassed it would leave a dangling
 * reference after the next collection: the collectors' verification mode (tests) checks that none did.
 *
 * <p>Contract: only the VM's interpreter thread calls it. Stores into the nursery record nothing (a minor collection
 * scans what it copies, and a working set's collection traces the nursery whole).
 */
public final class WriteBarrier {
    private final HeapMemory memory;
    private final Nursery nursery;
    private final WorkingSets workingSets;
    private final YoungLines young;

    public WriteBarrier(HeapMemory memory, Nursery nursery, ObjectAllocator allocator) {
        this.memory = memory;
        this.nursery = nursery;
        this.workingSets = allocator.workingSets();
        this.young = allocator.youngLines();
    }

    /** Stores reference {@code ref} at {@code address}, remembering the slot where a collection needs it. */
    public void storeRef(long address, int ref) {
        memory.putInt(address, ref);
        if (address < ObjectLayout.NURSERY_BASE) {
            note(address, ref);
        }
    }

    /** User-heap slot {@code slot} holds {@code ref} now (a store, or a collector that rewrote it). */
    void note(long slot, int ref) {
        if (ObjectLayout.isNursery(ref)) {
            nursery.remember(slot);
        } else {
            workingSets.note(slot, ref);
            young.note(slot, ref);
        }
    }

    /**
     * After references were copied into {@code [address, address + 4 * count)} without the barrier (an array copy, a
     * clone): remembers the slots that need it.
     */
    public void rememberSlots(long address, int count) {
        if (address >= ObjectLayout.NURSERY_BASE || (nursery.isEmpty() && !workingSets.enabled() && !young.enabled())) {
            return;
        }
        for (int i = 0; i < count; i++) {
            long slot = address + 4L * i;
            note(slot, memory.getInt(slot));
        }
    }
}
