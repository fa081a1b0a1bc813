package org.vheap.server.store;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.vheap.format.BlobHash;
import org.vheap.format.CheckpointBlobs;
import org.vheap.format.HeapImageException;
import org.vheap.format.HeapImageHeader;
import org.vheap.format.HeapImageReader;
import org.vheap.format.HeapImageWriter;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * What an export, an import and a whole read do to the tables, in the transaction {@link PgHeapStore} gives them: a
 * whole read ({@link #read}) gives a {@link CheckpointReader} one checkpoint's VM state, system blobs and lines; an export reads
 * one checkpoint (its row, its VM state, its lines through {@link LineVersions#stream}, the system blobs its VM state
 * names) into a {@link HeapImageWriter}; an import makes a heap from a {@link HeapImageReader} as a device's first
 * commit would: a heap row and its token, an epoch from the store's sequence written with the file's lines, a
 * checkpoint publishing it, the lease let go, and last the file's system blobs.
 *
 * <p><b>Locks.</b> An import inserts its blobs last, in ascending hash order as {@link SystemBlobs#put} does, so a
 * device putting the same new class files waits only for the import's last statements, and the two never wait for
 * each other in opposite orders. A refused import still takes values from the sequences (heap id, epoch, fencing
 * token), which only ever grow: nothing else of it remains.
 */
final class HeapImages {
    /** The device an import's short lease names while its transaction runs (no one sees it: the lease is let go). */
    static final String IMPORTER = "vheap-import";
    /** Metadata an import adds to the checkpoint it makes: where the image came from. */
    static final String IMPORTED_FROM = "vheap.imported-from";
    private static final int LINES_CHUNK_BYTES = 1 << 20;

    private HeapImages() {
    }

    /** Writes checkpoint {@code cp} of heap {@code h} as a heap image to {@code out}. */
    static void export(Connection c, HeapRow h, String app, CheckpointRecord cp, Lineage lineage, byte[] vmState,
                       OutputStream out, Consumer<HeapToolProgress> progress) throws SQLException {
        Set<BlobHash> named = inHashOrder(namedBlobs(app, cp.checkpointId(), vmState));
        Map<ByteBuffer, byte[]> blobs = SystemBlobs.data(c, named.stream().map(b -> ByteBuffer.wrap(b.bytes())).toList());
        for (BlobHash b : named) {
            if (!blobs.containsKey(ByteBuffer.wrap(b.bytes()))) {
                throw new StoreException(StoreException.Reason.CONFLICT, "checkpoint " + cp.checkpointId() + " of app '"
                        + app + "' names system blob " + b + ", which the store lacks: it cannot resume here either");
            }
        }
        try (HeapImageWriter writer = new HeapImageWriter(out, new HeapImageHeader(app, h.lineSize(), cp.checkpointId(),
                cp.createdAt().toEpochMilli(), cp.device(), cp.lineCount(), named.size(), cp.metadata()))) {
            writer.vmState(vmState);
            for (BlobHash b : named) {
                writer.blob(b, blobs.get(ByteBuffer.wrap(b.bytes())));
            }
            progress.accept(new HeapToolProgress("blobs", 0, cp.lineCount(), writer.bytesWritten()));
            LineVersions.stream(c, h.heapId(), lineage, List.of(new PgHeapStore.LineRange(0, Long.MAX_VALUE)),
                    LINES_CHUNK_BYTES, lines -> {
                        for (LineImage l : lines) {
                            writer.line(l.lineId(), l.data());
                        }
                        progress.accept(new HeapToolProgress("lines", writer.lines(), cp.lineCount(),
                                writer.bytesWritten()));
                    });
            writer.finish();
        }
    }

    /** Reads checkpoint {@code cp} of heap {@code h} whole into {@code reader} (see {@link CheckpointReader}). */
    static void read(Connection c, HeapRow h, CheckpointRecord cp, Lineage lineage, byte[] vmState,
                     CheckpointReader reader) throws SQLException {
        Set<BlobHash> wanted = inHashOrder(reader.begin(cp, h.lineSize(), vmState));
        Map<ByteBuffer, byte[]> blobs = SystemBlobs.data(c, wanted.stream().map(b -> ByteBuffer.wrap(b.bytes())).toList());
        Map<BlobHash, byte[]> found = new java.util.HashMap<>();
        blobs.forEach((hash, data) -> found.put(BlobHash.of(hash.array()), data));
        reader.blobs(found);
        LineVersions.stream(c, h.heapId(), lineage, List.of(new PgHeapStore.LineRange(0, Long.MAX_VALUE)),
                LINES_CHUNK_BYTES, reader::lines);
    }

    /** What an import made. */
    record Imported(CheckpointRecord checkpoint, int blobs, int blobsAdded, boolean replaced) {
    }

    /**
     * Makes heap {@code app} from the image {@code reader} has read the header of, in the caller's transaction: the
     * caller rolls it back when anything here throws (a damaged file: INVALID_ARGUMENT).
     *
     * @param existing    the heap of that name (locked), or null
     * @param tokenSha256 the new heap's access token's hash
     */
    static Imported importHeap(Connection c, HeapIds ids, String app, HeapRow existing, boolean replace,
                               HeapImageReader reader, byte[] tokenSha256, Instant now,
                               Consumer<HeapToolProgress> progress) throws SQLException {
        HeapImageHeader header = reader.header();
        StoreArguments.checkLineSize(header.lineSize());
        if (!header.device().isEmpty()) {
            HeapNames.checkDevice(header.device());
        }
        if (existing != null && !replace) {
            throw new StoreException(StoreException.Reason.CONFLICT, "an app named '" + app + "' exists; import with"
                    + " replace to replace it, or under another name");
        }
        if (existing != null && existing.holder() != null && existing.expiresAt().isAfter(now)) {
            throw new StoreException(StoreException.Reason.CONFLICT, "app '" + app + "' is leased to device '"
                    + existing.holder() + "' until " + existing.expiresAt() + "; suspend it (or let its device stop)"
                    + " before replacing it");
        }
        if (existing != null) {
            StoreAdmin.deleteHeap(c, ids, app, existing, true, now);
        }
        byte[] vmState = fromFile(reader::vmState);
        Set<BlobHash> named = namedBlobs(app, header.checkpointId(), vmState);
        if (!HeapRow.insert(c, ids, app, header.lineSize(), now)) {
            throw new StoreException(StoreException.Reason.ABORTED, "app '" + app + "' was created by another call at"
                    + " the same time; retry");
        }
        HeapRow h = HeapRow.find(c, ids, app, true);
        long heapId = h.heapId();
        AppTokens.upsert(c, heapId, tokenSha256);
        long epoch = HeapLeases.nextEpoch(c);
        Duration length = Duration.ofMinutes(1);
        HeapLeases.grant(c, heapId, new HeapLease(IMPORTER, HeapLeases.nextFencingToken(c), now.plus(length), length),
                epoch, Lineage.empty().plus(epoch, epoch), null);
        TreeMap<byte[], byte[]> blobs = new TreeMap<>(Arrays::compareUnsigned);   // inserted last, in this order
        long[] lines = {0};
        fromFile(() -> {
            reader.read(new HeapImageReader.Sink() {
                @Override
                public void blobs(Map<BlobHash, byte[]> found) {
                    found.forEach((hash, data) -> blobs.put(hash.bytes(), data));
                    progress.accept(new HeapToolProgress("blobs", 0, header.lineCount(), reader.bytesRead()));
                }

                @Override
                public void lines(List<HeapImageReader.Line> batch) {
                    List<LineImage> writes = new ArrayList<>(batch.size());
                    batch.forEach(l -> writes.add(new LineImage(l.id(), l.data())));
                    sql(() -> {
                        LineVersions.write(c, heapId, epoch, writes, new long[0]);
                        return null;
                    });
                    lines[0] += batch.size();
                    progress.accept(new HeapToolProgress("lines", lines[0], header.lineCount(), reader.bytesRead()));
                }
            });
            return null;
        });
        checkBlobsNamed(c, named, blobs);
        progress.accept(new HeapToolProgress("committing", lines[0], header.lineCount(), reader.bytesRead()));
        AppQuotas.effective(c, app).checkCheckpoint(app, header.lineCount(), header.lineSize(), vmState.length);
        h = HeapRow.find(c, ids, app, true);
        Map<String, String> metadata = new TreeMap<>(header.metadata());
        metadata.put(IMPORTED_FROM, header.app() + "@" + header.checkpointId());
        CheckpointRecord cp = new CheckpointRecord(epoch, 0, now, header.device(), header.lineCount(),
                header.lineCount() * header.lineSize(), header.lineCount(), vmState.length, Map.copyOf(metadata), null);
        Checkpoints.insert(c, h, cp, vmState);
        HeapLeases.release(c, heapId);
        int added = SystemBlobs.insert(c, new ArrayList<>(blobs.entrySet()), Timestamp.from(now));
        return new Imported(cp, blobs.size(), added, existing != null);
    }

    /** INVALID_ARGUMENT unless every blob the VM state names is in the file or in the store. */
    private static void checkBlobsNamed(Connection c, Set<BlobHash> named, TreeMap<byte[], byte[]> inFile)
            throws SQLException {
        List<byte[]> elsewhere = named.stream().map(BlobHash::bytes).filter(b -> !inFile.containsKey(b)).toList();
        if (elsewhere.isEmpty()) {
            return;
        }
        Map<ByteBuffer, Integer> have = SystemBlobs.sizes(c, elsewhere);
        List<byte[]> missing = elsewhere.stream().filter(b -> !have.containsKey(ByteBuffer.wrap(b))).toList();
        if (!missing.isEmpty()) {
            throw StoreException.invalid("the heap image lacks " + missing.size() + " system blob(s) its VM state names ("
                    + BlobHash.of(missing.get(0)) + (missing.size() > 1 ? ", ..." : "") + "), and this store has none"
                    + " of them; nothing was imported");
        }
    }

    /** Reads from the image: a damaged file is the caller's INVALID_ARGUMENT. */
    private static <T> T fromFile(Supplier<T> read) {
        try {
            return read.get();
        } catch (HeapImageException e) {
            throw StoreException.invalid(e.getMessage() + "; nothing was imported");
        }
    }

    private interface SqlStep<T> {
        T run() throws SQLException;
    }

    /** A statement inside a callback that may not throw {@link SQLException}. */
    private static <T> T sql(SqlStep<T> step) {
        try {
            return step.run();
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** The blobs a checkpoint's VM state names; a VM state that is not one is the checkpoint's damage. */
    private static Set<BlobHash> namedBlobs(String app, long checkpointId, byte[] vmState) {
        try {
            return CheckpointBlobs.of(vmState);
        } catch (IllegalArgumentException e) {
            throw StoreException.invalid("the VM state of checkpoint " + checkpointId + " of app '" + app
                    + "' cannot be read: " + e.getMessage());
        }
    }

    /** The blobs in ascending order of their hashes' bytes (unsigned), the order of every insert of blobs. */
    private static Set<BlobHash> inHashOrder(Set<BlobHash> blobs) {
        TreeSet<BlobHash> sorted = new TreeSet<>((a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes()));
        sorted.addAll(blobs);
        return sorted;
    }
}
