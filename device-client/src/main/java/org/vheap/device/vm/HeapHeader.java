package org.vheap.device.vm;

import static org.vheap.format.HeapHeaderFormat.CLASS_COUNT;
import static org.vheap.format.HeapHeaderFormat.HASHES;
import static org.vheap.format.HeapHeaderFormat.INTERNED;
import static org.vheap.format.HeapHeaderFormat.MIRRORS;
import static org.vheap.format.HeapHeaderFormat.NAMES;
import static org.vheap.format.HeapHeaderFormat.PLACES;
import static org.vheap.format.HeapHeaderFormat.STATES;
import static org.vheap.format.HeapHeaderFormat.SYSTEM_TOP;
import static org.vheap.format.HeapHeaderFormat.TOP;

import java.util.ArrayList;
import java.util.List;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.SystemSegmentMap;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.format.BlobHash;
import org.vheap.format.HeapHeaderFormat;

/**
 * Line 0 of every heap ({@link HeapHeaderFormat}, where its fields are laid out): what a VM needs, besides the objects,
 * to carry on with the heap — the VM's own data for the app, kept in the virtual heap (the seed's "heap is the
 * truth"). Written at safepoints (after each collection and when the app ends), so the lines a checkpoint commits
 * carry it. The tables are ordinary heap arrays, so they are reached, paged and collected like any object; the
 * header's references are roots of the collector.
 */
public final class HeapHeader {
    public static final long MAGIC = HeapHeaderFormat.MAGIC;
    public static final int VERSION = HeapHeaderFormat.VERSION;

    private HeapHeader() {
    }

    /** Writes the header and the tables for the VM's current state. Runs at a safepoint. */
    static void write(Vm vm) {
        HeapMemory m = vm.memory();
        // the tables' own array classes first, so the snapshot below includes them
        VmClass stringArray = vm.classes().load("[Ljava/lang/String;");
        VmClass byteArrays = vm.classes().load("[[B");
        VmClass classArray = vm.classes().load("[Ljava/lang/Class;");
        VmClass byteArray = vm.classes().load("[B");
        VmClass intArray = vm.classes().load("[I");
        SystemSegmentMap placed = vm.systemSegment().map();
        List<VmClass> classes = List.copyOf(vm.classes().classes());
        int n = classes.size() + 1;
        int names = vm.newArray(stringArray, n);
        int hashes = vm.newArray(byteArrays, n);
        int mirrors = vm.newArray(classArray, n);
        int states = vm.newArray(byteArray, n);
        int places = vm.newArray(intArray, 2 * n);
        for (VmClass c : classes) {
            int id = c.id();
            vm.putRef(Vm.elementAddress(names, id, 2), vm.strings().intern(c.name()));
            if (c.hash() != null) {
                vm.putRef(Vm.elementAddress(hashes, id, 2), vm.newByteArray(c.hash().bytes()));
                SystemSegmentMap.Placement p = placed.placement(c.hash());
                if (p != null) {
                    m.putInt(Vm.elementAddress(places, 2 * id, 2), ObjectLayout.ref(p.address()));
                    m.putInt(Vm.elementAddress(places, 2 * id + 1, 2), p.length());
                }
            }
            vm.putRef(Vm.elementAddress(mirrors, id, 2), c.mirror());
            m.putByte(Vm.elementAddress(states, id, 0), (byte) c.initState.ordinal());
        }
        List<Integer> strings = new ArrayList<>(vm.strings().internTable().values());
        int interned = vm.newArray(stringArray, strings.size());
        for (int i = 0; i < strings.size(); i++) {
            vm.putRef(Vm.elementAddress(interned, i, 2), strings.get(i));
        }
        m.putLong(0, MAGIC);
        m.putInt(8, VERSION);
        m.putInt(CLASS_COUNT, n - 1);
        m.putLong(TOP, vm.allocator().top());
        m.putInt(NAMES, names);
        m.putInt(HASHES, hashes);
        m.putInt(MIRRORS, mirrors);
        m.putInt(STATES, states);
        m.putInt(INTERNED, interned);
        m.putInt(PLACES, places);
        m.putLong(SYSTEM_TOP, placed.top());
    }

    /** The header's table references (roots of the collector); zeros on a heap without a header yet. */
    static int[] roots(HeapMemory m) {
        if (m.getLong(0) != MAGIC) {
            return new int[0];
        }
        return new int[] {m.getInt(NAMES), m.getInt(HASHES), m.getInt(MIRRORS), m.getInt(STATES), m.getInt(INTERNED),
                m.getInt(8) >= 2 ? m.getInt(PLACES) : 0};
    }

    /**
     * A class as the header records it; {@code systemAddress} is where its class file lies in the system
     * segment (0 for arrays and primitives, and in a version 1 header), {@code systemLength} its length.
     */
    public record ClassEntry(int id, String name, byte[] sha256, int mirror, int initState, long systemAddress,
                             int systemLength) {
    }

    /** Reads the class table back from a heap (for resuming, inspection and tests). */
    public static List<ClassEntry> readClasses(HeapMemory m, Vm vm) {
        if (m.getLong(0) != MAGIC) {
            throw new IllegalStateException("line 0 holds no vheap heap header");
        }
        int n = m.getInt(CLASS_COUNT);
        int names = m.getInt(NAMES);
        int hashes = m.getInt(HASHES);
        int mirrors = m.getInt(MIRRORS);
        int states = m.getInt(STATES);
        int places = m.getInt(8) >= 2 ? m.getInt(PLACES) : 0;
        List<ClassEntry> entries = new ArrayList<>();
        for (int id = 1; id <= n; id++) {
            int hash = m.getInt(Vm.elementAddress(hashes, id, 2));
            int placeRef = places == 0 ? 0 : m.getInt(Vm.elementAddress(places, 2 * id, 2));
            entries.add(new ClassEntry(id, vm.strings().hostString(m.getInt(Vm.elementAddress(names, id, 2))),
                    hash == 0 ? null : vm.bytesOf(hash, 0, vm.arrayLength(hash)),
                    m.getInt(Vm.elementAddress(mirrors, id, 2)), m.getByte(Vm.elementAddress(states, id, 0)),
                    placeRef == 0 ? 0 : ObjectLayout.address(placeRef),
                    placeRef == 0 ? 0 : m.getInt(Vm.elementAddress(places, 2 * id + 1, 2))));
        }
        return entries;
    }

    /**
     * The system segment's placements as the header records them: what a VM rebuilding from this heap maps,
     * so every class file keeps its address. Empty (nothing placed) for a version 1 header.
     */
    public static SystemSegmentMap readSystemSegment(HeapMemory m, Vm vm) {
        SystemSegmentMap map = new SystemSegmentMap(m.lineSize());
        for (ClassEntry e : readClasses(m, vm)) {
            if (e.sha256() != null && e.systemAddress() != 0) {
                map.restore(BlobHash.of(e.sha256()), e.systemAddress(), e.systemLength());
            }
        }
        if (m.getInt(8) >= 2) {
            map.restoreTop(m.getLong(SYSTEM_TOP));
        }
        return map;
    }

    /** The allocation pointer the header recorded. */
    public static long top(HeapMemory m) {
        return m.getLong(TOP);
    }
}
