package org.vheap.device.vm.loader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vheap.format.ObjectLayout;
import org.vheap.format.BlobHash;

/**
 * Where each class file the VM defined lies in the system segment of the virtual heap (ObjectLayout's
 * {@code SYSTEM_SEGMENT_BASE .. SYSTEM_SEGMENT_LIMIT}): a line-aligned place per distinct class file (by
 * SHA-256), given in definition order, so a line belongs to at most one class file and names it by hash and
 * offset. The heap header records the placements, so a VM rebuilding from the heap maps the same addresses
 * ({@link #restore}).
 *
 * <p>Placing is idempotent: the same bytes (hash) keep the place they got first. Places are never freed (the
 * segment is 8 GiB of address space; a class file takes its length rounded up to whole lines). Not
 * thread-safe: it belongs to one VM.
 */
public final class SystemSegmentMap {
    /** A class file's place: {@code length} bytes from the line-aligned {@code address}. */
    public record Placement(BlobHash hash, long address, int length) {
    }

    /** What a line of the segment holds: bytes from {@code offset} of the placed class file. */
    public record Slice(Placement placement, int offset) {
    }

    private final int lineSize;
    private final Map<BlobHash, Placement> byHash = new HashMap<>();
    private final TreeMap<Long, Placement> byAddress = new TreeMap<>();
    private final List<Placement> inOrder = new ArrayList<>();
    private long top = ObjectLayout.SYSTEM_SEGMENT_BASE;

    public SystemSegmentMap(int lineSize) {
        if (lineSize <= 0 || Integer.bitCount(lineSize) != 1) {
            throw new IllegalArgumentException("line size must be a power of two, got " + lineSize);
        }
        this.lineSize = lineSize;
    }

    /** The place of the class file with this hash, giving it the next free lines if it has none yet. */
    public Placement place(BlobHash hash, int length) {
        Placement p = byHash.get(hash);
        if (p != null) {
            return p;
        }
        long end = top + roundUp(length);
        if (end > ObjectLayout.SYSTEM_SEGMENT_LIMIT) {
            throw new IllegalStateException("the system segment is full: " + inOrder.size() + " class files placed");
        }
        p = new Placement(hash, top, length);
        add(p);
        top = end;
        return p;
    }

    /**
     * Records a place read back from a heap header: the class file keeps exactly this address. Rejects one
     * that is not line-aligned, outside the segment or overlapping another.
     */
    public Placement restore(BlobHash hash, long address, int length) {
        Placement known = byHash.get(hash);
        if (known != null) {
            if (known.address() != address || known.length() != length) {
                throw new IllegalStateException("class file " + hash + " is placed at 0x" + Long.toHexString(known.address())
                        + ", the header says 0x" + Long.toHexString(address));
            }
            return known;
        }
        long end = address + roundUp(length);
        if (address % lineSize != 0 || address < ObjectLayout.SYSTEM_SEGMENT_BASE || end > ObjectLayout.SYSTEM_SEGMENT_LIMIT) {
            throw new IllegalArgumentException("no line-aligned system-segment place: 0x" + Long.toHexString(address));
        }
        var before = byAddress.floorEntry(end - 1);
        if (before != null && before.getKey() + roundUp(before.getValue().length()) > address) {
            throw new IllegalArgumentException("class file " + hash + " at 0x" + Long.toHexString(address)
                    + " overlaps " + before.getValue().hash());
        }
        Placement p = new Placement(hash, address, length);
        add(p);
        top = Math.max(top, end);
        return p;
    }

    /** Moves the next free address up to {@code address} (a header's recorded top: places of failed definitions). */
    public void restoreTop(long address) {
        if (address > ObjectLayout.SYSTEM_SEGMENT_LIMIT || address % lineSize != 0) {
            throw new IllegalArgumentException("not a system-segment line boundary: 0x" + Long.toHexString(address));
        }
        top = Math.max(top, address);
    }

    /** The place of a class file, or null. */
    public Placement placement(BlobHash hash) {
        return byHash.get(hash);
    }

    /** What line {@code lineId} holds, or null for a line no class file was placed in. */
    public Slice at(long lineId) {
        long address = lineId * lineSize;
        var e = byAddress.floorEntry(address);
        if (e == null) {
            return null;
        }
        Placement p = e.getValue();
        long offset = address - p.address();
        return offset < Math.max(p.length(), 1) ? new Slice(p, (int) offset) : null;
    }

    /** The first address no class file has been placed at. */
    public long top() {
        return top;
    }

    /** Every place, in the order given. */
    public List<Placement> placements() {
        return List.copyOf(inOrder);
    }

    public int lineSize() {
        return lineSize;
    }

    private void add(Placement p) {
        byHash.put(p.hash(), p);
        byAddress.put(p.address(), p);
        inOrder.add(p);
    }

    private long roundUp(int length) {
        long n = Math.max(1, length);
        return (n + lineSize - 1) & -(long) lineSize;
    }
}
