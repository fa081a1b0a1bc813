package org.vheap.device.vm.loader;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.device.vm.heap.paging.SystemLines;
import org.vheap.format.BlobHash;

/**
 * One VM's view of the system segment (the seed's system pages: read-only class bytes shared by every app of
 * a store): class files are placed by {@link SystemSegmentMap}, enter the heap's system lines when defined
 * ({@link HeapMemory#installSystem}, clean, no store read), and are read back through the heap. On a miss the
 * heap asks this class for the line ({@link SystemLines}): it slices the class file from the store's
 * content-addressed system blobs by hash.
 *
 * <p>Host memory: a class file defined from {@code jrt:/}, the class path or synthesis is kept on the host only
 * until it is uploaded ({@link #upload}: by the definition that makes {@link #pendingBytes} reach
 * {@link #UPLOAD_BATCH_BYTES}, before every heap header, and when the app ends), because its lines may be
 * evicted before the store has it. Uploading needs no safepoint: the blobs are immutable and store-wide, and
 * no checkpoint names them before a heap header does. After
 * that the only host copy is the last class file fetched from the store (one entry, for the next lines of
 * the same file). Without a store (a heap that never evicts, in tests) nothing is kept: the heap holds it.
 *
 * <p>Not thread-safe: the VM's interpreter thread uses it (definitions, and misses inside heap accesses).
 */
public final class SystemSegment implements SystemLines {
    /** Class files waiting for the store are uploaded as soon as they reach this many bytes. */
    public static final long UPLOAD_BATCH_BYTES = 1L << 20;

    private final HeapMemory memory;
    private final SystemBlobStore store;
    private final SystemSegmentMap map;
    private final Map<BlobHash, byte[]> pending = new LinkedHashMap<>();
    private final Set<BlobHash> stored = new HashSet<>();
    private long pendingBytes;
    private long peakPendingBytes;
    private BlobHash lastHash;
    private byte[] lastBlob;
    private long blobsFetched;
    private long blobsUploaded;

    /** @param store the store's system blobs, or null when the heap keeps every line (no paging) */
    public SystemSegment(HeapMemory memory, SystemBlobStore store) {
        this.memory = memory;
        this.store = store;
        this.map = new SystemSegmentMap(memory.lineSize());
    }

    /**
     * Class files the store's system blobs are known to have: a resumed class table's, since the heap header
     * that named them was written only after they were uploaded ({@code Vm#writeHeapHeader}). Defining one of
     * them queues no upload (a resume would otherwise ask the store about every class file it replays).
     */
    public void storeHas(Collection<BlobHash> hashes) {
        stored.addAll(hashes);
    }

    /**
     * Places a class file being defined and puts its bytes into the system lines (unless it was placed
     * before: the same bytes keep one place), queuing them for the store unless it has them. Returns its place.
     */
    public SystemSegmentMap.Placement define(BlobHash hash, byte[] bytes) {
        SystemSegmentMap.Placement known = map.placement(hash);
        if (known != null) {
            return known;
        }
        SystemSegmentMap.Placement p = map.place(hash, bytes.length);
        if (store != null && !stored.contains(hash)) {
            pending.put(hash, bytes);   // before installing: installing may evict the first lines at once
            pendingBytes += bytes.length;
            peakPendingBytes = Math.max(peakPendingBytes, pendingBytes);
        }
        memory.installSystem(p.address(), bytes);
        if (pendingBytes >= UPLOAD_BATCH_BYTES) {
            upload();
        }
        return p;
    }

    /** The bytes of a placed class file, read through the heap (system lines fault in from the store). */
    public byte[] read(SystemSegmentMap.Placement p) {
        byte[] b = new byte[p.length()];
        long a = p.address();
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            long v = memory.getLong(a + i);
            for (int k = 0; k < 8; k++) {
                b[i + k] = (byte) (v >>> (8 * k));   // the heap is little-endian
            }
        }
        for (; i < b.length; i++) {
            b[i] = memory.getByte(a + i);
        }
        return b;
    }

    /** The bytes of a placed class file by hash, through the heap, or null when it was never placed. */
    public byte[] bytes(BlobHash hash) {
        SystemSegmentMap.Placement p = map.placement(hash);
        return p == null ? null : read(p);
    }

    public SystemSegmentMap map() {
        return map;
    }

    /** Bytes of class files the store does not have yet (kept on the host until {@link #upload}). */
    public long pendingBytes() {
        return pendingBytes;
    }

    /** The most {@link #pendingBytes} seen (at most {@link #UPLOAD_BATCH_BYTES} plus one class file). */
    public long peakPendingBytes() {
        return peakPendingBytes;
    }

    /**
     * Puts the class files defined since the last upload into the store's system blobs (those it lacks, see
     * {@link SystemBlobStore#putMissing}) and drops their host copies; while the store is away or full, tried again
     * as the heap's own calls are ({@link HeapMemory#storeCall}). Returns how many the store lacked.
     */
    public int upload() {
        if (pending.isEmpty()) {
            return 0;   // also: a VM without a store never has any waiting
        }
        int lacked = memory.storeCall(() -> "store " + pending.size() + " class files", () -> store.putMissing(pending));
        blobsUploaded += lacked;
        pending.clear();
        pendingBytes = 0;
        return lacked;
    }

    /** A system line for the heap's miss: the slice of the class file placed there, zero-padded. */
    @Override
    public void read(long lineId, byte[] dst, int offset) {
        int lineSize = map.lineSize();
        SystemSegmentMap.Slice slice = map.at(lineId);
        if (slice == null) {
            Arrays.fill(dst, offset, offset + lineSize, (byte) 0);
            return;
        }
        byte[] blob = blob(slice.placement().hash());
        int n = Math.max(0, Math.min(lineSize, blob.length - slice.offset()));
        System.arraycopy(blob, slice.offset(), dst, offset, n);
        Arrays.fill(dst, offset + n, offset + lineSize, (byte) 0);
    }

    /** Class files read from the store's system blobs to serve misses. */
    public long blobsFetched() {
        return blobsFetched;
    }

    /** Class files this VM put into the store's system blobs (that it lacked). */
    public long blobsUploaded() {
        return blobsUploaded;
    }

    private byte[] blob(BlobHash hash) {
        byte[] b = pending.get(hash);
        if (b != null) {
            return b;
        }
        if (hash.equals(lastHash)) {
            return lastBlob;
        }
        if (store == null) {
            throw new IllegalStateException("class file " + hash + " missed, but this VM has no system blob store");
        }
        b = store.get(List.of(hash)).get(hash);
        if (b == null) {
            throw new IllegalStateException("the store's system blobs lack class file " + hash);
        }
        if (!BlobHash.digest(b).equals(hash)) {
            throw new IllegalStateException("the store's system blobs returned other bytes for class file " + hash);
        }
        blobsFetched++;
        lastHash = hash;
        lastBlob = b;
        return b;
    }
}
