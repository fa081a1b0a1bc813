package org.vheap.device.store.flash;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.store.OpenedSession;
import org.vheap.device.store.StoreLeases;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.device.store.WriteSets;
import org.vheap.format.BlobHash;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The seed's flash store: the device's own persistent heap store ({@code --store flash:DIR}), a log on a
 * {@link FlashMedium} with the heap server's semantics (as {@code MemoryHeapStore} has them: leases, fencing tokens,
 * open epochs, retained checkpoints, any of which can be opened, system blobs).
 *
 * <p><b>Contract.</b> Every change is appended to the log ({@link FlashRecord}); a flush's lines go to the log at
 * once (a line that had a version as the bytes that changed, {@link FlashLineVersions}) and are not synced; a commit
 * appends its last lines and one COMMIT record (its VM state as the bytes that changed, {@link FlashStateVersions}),
 * syncs, and only then answers, so a checkpoint the caller was told of survives a crash or a power loss, and the
 * log's order makes whatever came before it durable too. The system blobs have a log of their own
 * ({@link FlashBlobLog}), synced before the heap's log is, so the class files a checkpoint needs are durable first.
 * Opening the store replays the log: each app's checkpoints come back as they were committed (the torn tail a crash
 * left is cut off first, a copy kept: {@link FlashLogFiles#keepCut}; damage before a checkpoint the log had synced is
 * refused, not cut: {@link FlashLogReader#recover}), and no lease is held, since the sessions
 * that held them ended with the process that had the store open. Memory holds only an index: for each checkpoint
 * and open epoch, where each line's newest version lies in the log; a read reads it from the medium.
 *
 * <p><b>Concurrency.</b> One process has a store's directory at a time (a lock file); inside it every call takes
 * the store's monitor. A failure of the medium fails that call with {@code INTERNAL} (not retried) and every later
 * one (the log and the index may no longer agree): the device stops, and reopening the store replays what reached the
 * medium.
 *
 * <p><b>Cleaning and the flash size.</b> The log only grows by appends, into segments ({@link FlashSegments}, of
 * {@link FlashStoreConfig#segmentSize} bytes); the cleaner reclaims them ({@link FlashCleaning}): a pass moves the
 * records still live in the segments it picks (retained checkpoints, open epochs, the bases their patches need; not
 * the blobs, which are in their own log, but for an older store's that did not fit there) into a snapshot segment
 * that names everything else live where it lies, and drops the segments it cleaned. Superseded versions, deleted
 * lines, checkpoints beyond retention and dropped epochs go with them. Without a flash size, when the segments reach {@link #GROWTH} (3) times what was live at the last
 * pass (and at least {@link FlashStoreConfig#compactFloor}), the commit that took them there cleans every segment at
 * most two thirds live: the log stays within about three times its live size. With a flash size
 * ({@code --flash-size}, {@link FlashStoreConfig#flashSize}) every call first makes sure its records fit (the bytes
 * they take at most, framing and padding included) beside the room a pass needs (a segment and a snapshot), and
 * when they do not, cleans first, as late as the flash size lets it (the fewer copies, the less the flash wears):
 * the segments least live first, as many as their live records fit beside the log and until an eighth of the flash
 * size is free again. A pass needs only the room of what it moves, not the live size's, so a store fills to well
 * past half its flash size. Lines, checkpoints and blobs leave {@link #RESERVE} bytes (at most an eighth) for the
 * records that open sessions. A call that does not fit even so is refused, {@code UNAVAILABLE} with a message that
 * says the store is full, having written nothing: the device pauses the app and tries again, as when a server is away.
 *
 * <p><b>Not yet</b> (issue 17). A cleaner that works alongside the app rather than within a call. In front of a heap
 * server, this store is the {@link FlashFrontedStore}'s copy of the server's heaps.
 */
public final class FlashHeapStore implements HeapStore {
    private static final int DEFAULT_LINE_SIZE = 4096;
    private static final int MAX_NAME = 1024;
    /**
     * Bytes of the flash size that lines, checkpoints and blobs leave free (at most an eighth of it), for the small
     * records that open and close sessions: an app can still be opened (and its lease taken) when the store is full.
     */
    static final int RESERVE = 4096;
    /** The reserve is at most the flash size divided by this. */
    private static final int RESERVE_SHARE = 8;
    /** Without a flash size, the log is cleaned when it grew to this many times what is live ({@link FlashCleaner}). */
    public static final int GROWTH = FlashCleaner.GROWTH;

    private final FlashLogFiles files;
    private final FlashStoreConfig config;
    /** The most bytes the log may take ({@code --flash-size}), {@link Long#MAX_VALUE} when unbounded. */
    private final long flashSize;
    /** What lines, checkpoints and blobs leave free of it: {@link #RESERVE}, at most {@link #RESERVE_SHARE} of it. */
    private final long reserve;
    /** The heap's log, in segments. */
    private final FlashSegments segments;
    /** Where the records that live patches name as their base lie now, when a cleaning moved them. */
    private final Map<Long, Long> forwards = new HashMap<>();
    /** The log as records are read from it: through {@link #forwards}. */
    private final FlashLog log;
    private FlashLogWriter writer;
    /** When and what to clean. */
    private final FlashCleaner cleaner;
    private final int blockSize;
    private final Clock clock;
    private final Map<String, FlashHeap> heaps = new HashMap<>();
    private final List<FlashHeap> heapsByNumber = new ArrayList<>();
    /** The system blobs, in their own log. */
    private FlashBlobLog blobLog;
    /**
     * Blobs in the heap's log, where stores made before the blobs had a log of their own put them: moved to
     * {@link #blobLog} at the next cleaning.
     */
    private final Map<BlobHash, Long> heapLogBlobs = new HashMap<>();
    private final Blobs systemBlobs = new Blobs();
    private long fencingTokens;
    private long checkpointIds;
    private long linesWhole;
    private long linesPatched;
    private long linesUnchanged;
    private long bytesChanged;
    private long wordBytesChanged;
    private long vmStateBytes;
    private IOException failed;

    /**
     * Opens the store in {@code dir} (made if missing), replaying its log; refused while another process has it.
     *
     * @throws IllegalArgumentException when {@code config} does not validate, or does not fit the log in {@code dir}
     *         (a flash size under 8 of its blocks, or under what it holds)
     * @throws StoreException {@code UNAVAILABLE} when the directory cannot be used, {@code CONFLICT} when another
     *         process has it, or when it is a heap server's front ({@link FlashFrontedStore}: its copies are not whole
     *         heaps)
     */
    public static FlashHeapStore open(Path dir, FlashStoreConfig config, Clock clock) {
        return open(dir, config, clock, false);
    }

    /** {@link #open(Path, FlashStoreConfig, Clock)}; {@code front}: for a {@link FlashFrontedStore}, which may open one. */
    static FlashHeapStore open(Path dir, FlashStoreConfig config, Clock clock, boolean front) {
        config.validate();
        DirectoryLogFiles files = null;
        try {
            files = new DirectoryLogFiles(dir);
            if (!front && FlashFrontedStore.isFront(dir)) {
                throw new StoreException(StoreException.Reason.CONFLICT, "the flash store " + dir + " is in front of a"
                        + " heap server (made with --server): it holds copies of parts of heaps, not whole ones; give"
                        + " --server HOST:PORT with it");
            }
            return new FlashHeapStore(files, config, clock);
        } catch (IOException e) {
            closeQuietly(files);
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot open the flash store " + dir + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(files);
            throw e;
        }
    }

    /** A store on the log in {@code files}, replaying what it holds. */
    FlashHeapStore(FlashLogFiles files, FlashStoreConfig config, Clock clock) throws IOException {
        this.config = config.copy().validate();
        this.files = files;
        this.clock = clock;
        this.flashSize = this.config.flashSize() == 0 ? Long.MAX_VALUE : this.config.flashSize();
        this.reserve = Math.min(RESERVE, flashSize / RESERVE_SHARE);
        this.segments = new FlashSegments(files, this.config.segmentSize());
        try {
            long start = replayStart();
            this.blockSize = FlashLogReader.recover(segments, start, this.config.blockSize(),
                    (from, tail) -> files.keepCut(false, from, tail), FlashHeapStore::checkpointId, "heap log");
            this.log = new FlashLog(segments, blockSize, forwards);
            this.blobLog = FlashBlobLog.open(files, blockSize);
            if (flashSize < (long) FlashStoreConfig.MIN_BLOCKS * blockSize) {
                throw new IllegalArgumentException("the flash size must be at least " + FlashStoreConfig.MIN_BLOCKS
                        + " blocks of this log (" + (long) FlashStoreConfig.MIN_BLOCKS * blockSize + " bytes), got "
                        + flashSize);
            }
            replay(start);
            this.writer = new FlashLogWriter(segments, this.blockSize);
            if (segments.size() == 0) {   // a new log: its format first, durable before any record
                writer.append(FlashLogFormat.formatRecord(this.blockSize));
                writer.sync();
            }
            long taken = segments.taken() + blobLog.size();
            if (flashSize != Long.MAX_VALUE && taken > flashSize) {
                throw new IllegalArgumentException("the flash store's logs take " + taken + " bytes, past a flash size"
                        + " of " + flashSize + ": give --flash-size at least " + taken);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(blobLog);
            closeQuietly(segments);
            throw e;
        }
        this.cleaner = new FlashCleaner(this.config, flashSize, blockSize, files, segments, log, forwards,
                heapsByNumber, heapLogBlobs, blobLog, new FlashCleaner.Store() {
                    @Override
                    public long fencingTokens() {
                        return fencingTokens;
                    }

                    @Override
                    public void failed(IOException e) {
                        failed = e;
                    }

                    @Override
                    public void usable() {
                        FlashHeapStore.this.usable();
                    }

                    @Override
                    public void installed() throws IOException {
                        writer = new FlashLogWriter(segments, FlashHeapStore.this.blockSize);
                    }

                    @Override
                    public boolean releaseKept() {
                        boolean any = false;
                        for (FlashHeap h : heaps.values()) {
                            any |= h.trim(FlashHeapStore.this.config.retain(), 0);
                        }
                        return any;
                    }
                });
    }

    /**
     * Where replaying the log begins: the newest segment that begins a log (a cleaning's snapshot segment, or the
     * log's first), or 0 for a new log or one a crash tore while it was made.
     */
    private long replayStart() throws IOException {
        long oldest = -1;
        for (long base : segments.newestFirst()) {
            if (FlashLogFormat.beginsAt(segments, base)) {
                return base;
            }
            oldest = base;
        }
        if (oldest > 0) {
            throw new IOException("no segment of the flash store's heap log begins it (the oldest begins at " + oldest
                    + "): the store is damaged; restore its directory from a backup");
        }
        return 0;
    }

    @Override
    public synchronized HeapSession openHeap(OpenRequest request) {
        usable();
        if (request.app().isBlank() || request.device().isBlank()) {
            throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "app and device names must not be empty");
        }
        if (request.app().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME) {
            throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "app names are at most " + MAX_NAME
                    + " bytes of UTF-8");
        }
        Duration lease = StoreLeases.length(request.lease(), config.defaultLease());
        FlashHeap heap = heaps.get(request.app());
        if (heap == null && !request.create()) {
            throw new StoreException(StoreException.Reason.NOT_FOUND,
                    "no app named '" + request.app() + "' (open it with create to make one)");
        }
        if (heap != null && request.lineSize() != 0 && request.lineSize() != heap.lineSize) {
            throw new StoreException(StoreException.Reason.CONFLICT, "app '" + request.app() + "' has "
                    + heap.lineSize + "-byte lines, not " + request.lineSize() + " (pass 0 to take the heap's)");
        }
        Instant now = clock.instant();
        if (heap != null) {
            StoreLeases.checkFree(request.app(), heap.holder, heap.expiresAt, request.device(), now);
        }
        if (heap != null && request.baseCheckpointId() != 0 && !heap.checkpoints.containsKey(request.baseCheckpointId())) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "app '" + request.app() + "' has no checkpoint "
                    + request.baseCheckpointId() + " (retained: " + heap.checkpoints.keySet() + ")");
        }
        if (heap == null && request.baseCheckpointId() != 0) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "app '" + request.app() + "' has no checkpoint "
                    + request.baseCheckpointId() + " (retained: [])");
        }
        return io(() -> {
            FlashHeap h = heap;
            int lineSize = request.lineSize() == 0 ? DEFAULT_LINE_SIZE : request.lineSize();
            byte[] create = h != null ? null : FlashRecord.of(FlashRecord.CREATE).u4(heapsByNumber.size())
                    .utf(request.app()).u4(lineSize).toBytes();
            cleaner.makeRoom(writer.encodedSize(FlashRecord.OPEN_SIZE)
                    + (h == null ? writer.encodedSize(create.length) : 0), 0);
            if (h == null) {
                writer.append(create);
                h = created(request.app(), lineSize);
            }
            FlashCheckpoint base = request.baseCheckpointId() == 0
                    ? (h.checkpoints.isEmpty() ? null : h.checkpoints.lastEntry().getValue())
                    : h.checkpoints.get(request.baseCheckpointId());
            long token = fencingTokens + 1;
            writer.append(FlashRecord.of(FlashRecord.OPEN).u4(h.number).u8(token).u8(base == null ? 0 : base.id())
                    .toBytes());
            sync();   // no token is issued twice, even across a crash
            h.opened(token, base);
            fencingTokens = token;
            boolean created = !h.everOpened;
            h.everOpened = true;
            h.holder = request.device();
            h.expiresAt = now.plus(lease);
            byte[] vmState = base == null ? new byte[0] : vmState(h, base);
            return new Session(h, request.app(), request.device(), token, lease, created,
                    base == null ? 0 : base.id(), vmState);
        });
    }

    /** True: what a commit wrote is on the medium, synced, before the commit returns. */
    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public SystemBlobStore systemBlobs(String app) {
        return systemBlobs;
    }

    /** Syncs the logs and gives the directory back; sessions still open end with it. */
    @Override
    public synchronized void close() {
        try {
            if (failed == null) {
                sync();
            }
        } catch (IOException e) {
            failed = e;
        } finally {
            closeQuietly(blobLog);
            closeQuietly(segments);
            closeQuietly(files);
        }
    }

    // ---- replay: the index again from the log --------------------------------------------------------------------

    /** The heap a CREATE record before {@code start} numbered {@code number}. */
    private FlashHeap heapNumbered(int number, long start) throws IOException {
        if (number < 0 || number >= heapsByNumber.size()) {
            throw new IOException("the flash log's record at " + start + " names app number " + number + ", which no"
                    + " CREATE record before it made (" + heapsByNumber.size() + " apps made)");
        }
        return heapsByNumber.get(number);
    }

    /** The index again from the log's records from {@code start} on (where the log, or a snapshot segment, begins). */
    private void replay(long start) throws IOException {
        FlashLogReader reader = FlashLogReader.from(segments, blockSize, start);
        reader.next();   // the format record
        for (byte[] record = reader.next(); record != null; record = reader.next()) {
            if (!replayed(record, reader.start())) {
                replayFixed(record, reader.start());
            }
        }
        for (FlashHeap h : heapsByNumber) {   // the sessions ended with the process that had the store
            h.holder = null;
            h.epoch.clear();
        }
    }

    /** Replays a record whose fields are varints or a hash (a snapshot's, a blob, a packed patch); false for others. */
    private boolean replayed(byte[] record, long start) throws IOException {
        FlashRecord.Fields f = new FlashRecord.Fields(record, 1);
        switch (record[0]) {
            case FlashRecord.BLOB -> heapLogBlobs.put(FlashBlobLog.hashOf(record), start);
            case FlashRecord.PACKED_PATCH -> {
                FlashLineVersions.Parsed p = FlashLineVersions.parse(record, start);
                heapNumbered(p.app(), start).epoch.put(p.line(), start);
            }
            case FlashRecord.REF -> {
                FlashHeap h = heapNumbered(app(f, start), start);
                long line = 0;
                for (long n = f.varint(); n > 0; n--) {
                    line += f.varint();
                    h.epoch.put(line, f.varint());
                }
            }
            case FlashRecord.COMMIT_REF -> {
                FlashHeap h = heapNumbered(app(f, start), start);
                long id = f.varint();
                commit(h, id, f.varint());
            }
            case FlashRecord.BLOB_REF -> heapLogBlobs.put(FlashBlobLog.hashOf(record),
                    new FlashRecord.Fields(record, FlashRecord.BLOB_DATA).varint());
            case FlashRecord.FORWARD -> {
                for (long n = f.varint(); n > 0; n--) {
                    forwards.put(f.varint(), f.varint());
                }
            }
            case FlashRecord.KEPT -> {
                // a version only patches need: the FORWARD records name it
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** An app's number as a varint field. */
    private static int app(FlashRecord.Fields f, long start) throws IOException {
        long app = f.varint();
        if (app > Integer.MAX_VALUE) {
            throw new IOException("the flash log's record at " + start + " names app number " + app);
        }
        return (int) app;
    }

    /** Replays a record of fixed fields (the kinds of format 1). */
    private void replayFixed(byte[] record, long start) throws IOException {
        DataInputStream in = FlashRecord.in(record);
        byte kind = in.readByte();
        int number = in.readInt();
        if (kind == FlashRecord.CREATE) {
            created(in.readUTF(), in.readInt());
            return;
        }
        FlashHeap h = heapNumbered(number, start);
        switch (kind) {
            case FlashRecord.OPEN -> {
                long token = in.readLong();
                long base = in.readLong();
                fencingTokens = Math.max(fencingTokens, token);
                h.everOpened = true;
                h.opened(token, base == 0 ? null : h.checkpoints.get(base));
            }
            case FlashRecord.LINE, FlashRecord.PATCH -> h.epoch.put(in.readLong(), start);
            case FlashRecord.DELETE -> {
                for (int n = in.readInt(); n > 0; n--) {
                    h.epoch.put(in.readLong(), FlashHeap.DELETED);
                }
            }
            case FlashRecord.COMMIT, FlashRecord.COMMIT_PATCH -> commit(h, in.readLong(), start);
            case FlashRecord.CLOSE -> h.epoch.clear();
            default -> throw new IOException("the flash log holds a record of unknown kind " + kind + " at " + start);
        }
    }

    /** The checkpoint a COMMIT or COMMIT_PATCH record commits (ids only grow, store-wide); -1 for other records. */
    private static long checkpointId(byte[] record) {
        boolean commit = record.length >= FlashRecord.COMMIT_STATE
                && (record[0] == FlashRecord.COMMIT || record[0] == FlashRecord.COMMIT_PATCH);
        return commit ? java.nio.ByteBuffer.wrap(record, 1 + 4, 8).getLong() : -1;
    }

    private FlashHeap created(String app, int lineSize) {
        FlashHeap h = new FlashHeap(heapsByNumber.size(), app, lineSize);
        heapsByNumber.add(h);
        heaps.put(app, h);
        return h;
    }

    // ---- the log under the monitor ----------------------------------------------------------------------------------

    private void usable() {
        if (failed != null) {
            throw new StoreException(StoreException.Reason.INTERNAL, "the flash store's medium failed: "
                    + failed.getMessage() + "; restart the device to go on from its last checkpoint", failed);
        }
    }

    /** Runs a call on the log; a failure of the medium fails it, and every call after it ({@link #usable}). */
    private <T> T io(IoCall<T> call) {
        usable();
        try {
            return call.run();
        } catch (IOException e) {
            failed = e;
            throw new StoreException(StoreException.Reason.INTERNAL, "the flash store's medium failed: "
                    + e.getMessage() + "; restart the device to go on from its last checkpoint", e);
        }
    }

    private interface IoCall<T> {
        T run() throws IOException;
    }

    /** Makes everything appended durable: the blobs first, so what a checkpoint needs is there before it is. */
    private void sync() throws IOException {
        blobLog.sync();
        writer.sync();
    }

    /** What the store wrote since it opened. */
    public synchronized FlashStoreStats stats() {
        return new FlashStoreStats(segments.appended() + cleaner.bytesCleaned() + blobLog.written(),
                cleaner.bytesCleaned(), cleaner.cleanings(),
                linesWhole, linesPatched, linesUnchanged, bytesChanged, wordBytesChanged, vmStateBytes);
    }

    /** Cleans every segment now (a whole compaction: the snapshot segment is the whole log), for tests. */
    synchronized void cleanAll() {
        usable();
        cleaner.cleanAll();
        usable();
    }

    /** The bytes the flash size leaves beside the logs and {@code keep} ({@link Long#MAX_VALUE} when unbounded). */
    private long room(long keep) {
        return cleaner.room(keep);
    }

    /** Publishes the heap's open epoch as checkpoint {@code id} in the index (after its COMMIT record was written). */
    private void commit(FlashHeap h, long id, long commitRecord) {
        h.commit(id, commitRecord, config.retain(), config.keepUnshipped());
        checkpointIds = Math.max(checkpointIds, id);
    }

    /**
     * Appends the lines and deletions to the log and to the open epoch; checked first, as one transaction, and refused
     * unless they fit in the flash size with {@code more} bytes of records after them. A line that had a version is
     * written as the runs that changed ({@link FlashLineVersions}), or not at all when nothing did.
     */
    private void write(FlashHeap heap, List<LineImage> writes, long[] deletes, long more) throws IOException {
        WriteSets.check(heap.lineSize, writes, deletes);
        long cleanedBefore = cleaner.cleanings();
        List<Written> written = versions(heap, writes);
        cleaner.makeRoom(need(written, deletes, more), reserve);
        while (cleaner.cleanings() != cleanedBefore) {   // the versions patched may have moved: patch them there
            cleanedBefore = cleaner.cleanings();
            written = versions(heap, writes);
            cleaner.makeRoom(need(written, deletes, more), reserve);
        }
        for (int i = 0; i < writes.size(); i++) {
            Written w = written.get(i);
            if (w.record() == null) {
                linesUnchanged++;
                continue;
            }
            heap.epoch.put(writes.get(i).lineId(), writer.append(w.record()));
            if (w.record()[0] != FlashRecord.LINE) {
                linesPatched++;
            } else {
                linesWhole++;
            }
            bytesChanged += w.bytes();
            wordBytesChanged += w.wordBytes();
        }
        if (deletes.length > 0) {
            FlashRecord r = FlashRecord.of(FlashRecord.DELETE).u4(heap.number).u4(deletes.length);
            for (long d : deletes) {
                r.u8(d);
            }
            writer.append(r.toBytes());
            for (long d : deletes) {
                heap.epoch.put(d, FlashHeap.DELETED);
            }
        }
        cleaner.changed();
    }

    /** The bytes {@code written}, {@code deletes} and {@code more} bytes of records after them take at most. */
    private long need(List<Written> written, long[] deletes, long more) {
        long need = more;
        for (Written w : written) {
            need += w.record() == null ? 0 : writer.encodedSize(w.record().length);
        }
        if (deletes.length > 0) {
            need += writer.encodedSize(FlashRecord.DELETE_DATA + 8 * deletes.length);
        }
        return need;
    }

    /** A line's record to append ({@code null}: it did not change), and its bytes that changed and the bytes of its 8-byte words that did. */
    private record Written(byte[] record, int bytes, int wordBytes) {
    }

    /** The records of {@code writes}, each against the version the open epoch sees. */
    private List<Written> versions(FlashHeap heap, List<LineImage> writes) throws IOException {
        List<Written> written = new ArrayList<>(writes.size());
        for (LineImage w : writes) {
            long at = heap.visible(w.lineId());
            FlashPatches.Version previous = at == FlashHeap.DELETED ? null : line(heap, w.lineId(), at);
            byte[] before = previous == null ? null : previous.data();
            byte[] record = config.patches() ? FlashLineVersions.record(heap, w.lineId(), w.data(), previous)
                    : FlashLineVersions.whole(heap, w.lineId(), w.data());
            written.add(new Written(record, FlashPatches.changedBytes(before, w.data()),
                    FlashPatches.changedWordBytes(before, w.data())));
        }
        return written;
    }

    /** The bytes of the record at {@code start} from {@code from}, after checking it is the kind the index says. */
    private byte[] read(long start, byte kind, int from) throws IOException {
        byte[] record = log.record(start);
        if (record.length < from || record[0] != kind) {
            throw new IOException("the flash store's index points at a record of kind " + (record.length == 0 ? "none"
                    : record[0]) + " at " + start + ", not of kind " + kind);
        }
        return Arrays.copyOfRange(record, from, record.length);
    }

    /** Whether this store holds any heap. */
    synchronized boolean holdsHeaps() {
        return !heaps.isEmpty();
    }

    /**
     * The lines {@code session} (opened here) sees now, its base checkpoint's and its own flushes', in no order: what a
     * {@link FlashFrontedStore} deletes when its copy of a server's heap is out of date.
     */
    synchronized long[] visibleLines(HeapSession session) {
        FlashHeap heap = ((Session) session).heap;
        heap.requireToken(session.app(), session.fencingToken());
        return heap.view().keySet().stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Lines as checkpoint {@code checkpointId} of {@code session}'s heap (opened here) has them, without the flushes
     * made since (null for a line it lacks): what a {@link FlashFrontedStore} ships to the server for that checkpoint
     * while the device flushes on; null when the heap no longer keeps that checkpoint.
     */
    synchronized byte[][] readCheckpoint(HeapSession session, long checkpointId, long[] lineIds) {
        FlashHeap heap = ((Session) session).heap;
        heap.requireToken(session.app(), session.fencingToken());
        FlashCheckpoint cp = heap.checkpoints.get(checkpointId);
        if (cp == null) {
            return null;
        }
        return io(() -> {
            byte[][] result = new byte[lineIds.length][];
            for (int i = 0; i < lineIds.length; i++) {
                Long at = cp.lines().get(lineIds[i]);
                result[i] = at == null ? null : line(heap, lineIds[i], at).data();
            }
            return result;
        });
    }

    /**
     * Keeps the checkpoints of {@code session}'s heap (opened here) from {@code checkpointId} on beside those it
     * retains, up to {@link FlashStoreConfig#keepUnshipped()} of them, until they are shipped ({@link Long#MAX_VALUE}:
     * none waits); a session the heap fenced meanwhile changes nothing.
     */
    synchronized void keepFrom(HeapSession session, long checkpointId) {
        FlashHeap heap = ((Session) session).heap;
        if (heap.token == session.fencingToken()) {
            heap.keepFrom = checkpointId;
            if (heap.trim(config.retain(), config.keepUnshipped())) {
                cleaner.changed();   // what they kept is dead now: a pass may free it
            }
        }
    }

    /** Line {@code lineId} of heap {@code h}, from its version's record at {@code start} (and the chain below it). */
    private FlashPatches.Version line(FlashHeap h, long lineId, long start) throws IOException {
        return FlashLineVersions.read(log, h, lineId, start);
    }

    /** The VM state of checkpoint {@code cp} of {@code h}. */
    private byte[] vmState(FlashHeap h, FlashCheckpoint cp) throws IOException {
        return FlashStateVersions.read(log, h, cp.commitRecord()).data();
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing: nothing left to do with it
            }
        }
    }

    /** One lease incarnation. Calls take the store's monitor, so a session may be used from any thread. */
    private final class Session extends OpenedSession {
        private final FlashHeap heap;
        private final Duration lease;
        private boolean closed;

        Session(FlashHeap heap, String app, String device, long token, Duration lease, boolean created,
                long baseCheckpointId, byte[] baseVmState) {
            super(app, device, token, heap.lineSize, created, baseCheckpointId, baseVmState);
            this.heap = heap;
            this.lease = lease;
        }

        @Override
        public byte[][] read(long[] lineIds) {
            for (long id : lineIds) {
                WriteSets.checkLineId(id);
            }
            synchronized (FlashHeapStore.this) {
                heap.requireToken(app, token);
                return io(() -> {
                    byte[][] result = new byte[lineIds.length][];
                    for (int i = 0; i < lineIds.length; i++) {
                        long at = heap.visible(lineIds[i]);
                        result[i] = at == FlashHeap.DELETED ? null : line(heap, lineIds[i], at).data();
                    }
                    return result;
                });
            }
        }

        @Override
        public void flush(List<LineImage> writes, long[] deletes) {
            synchronized (FlashHeapStore.this) {
                heap.requireToken(app, token);   // write() checks the lines before it appends any
                io(() -> {
                    write(heap, writes, deletes, 0);
                    return null;
                });
            }
        }

        @Override
        public long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata) {
            if (vmState == null) {
                throw new StoreException(StoreException.Reason.INVALID_ARGUMENT,
                        "a checkpoint needs a VM state (may be empty)");
            }
            synchronized (FlashHeapStore.this) {
                heap.requireToken(app, token);   // write() checks the lines before it appends any
                return io(() -> {
                    write(heap, writes, deletes, writer.encodedSize(FlashRecord.COMMIT_STATE + vmState.length));
                    long id = checkpointIds + 1;
                    FlashCheckpoint previous = heap.epochBase;   // a COMMIT_PATCH is no larger than this COMMIT
                    FlashPatches.Version before = previous == null || previous.commitRecord() < 0 ? null
                            : FlashStateVersions.read(log, heap, previous.commitRecord());
                    long at = writer.append(config.patches() ? FlashStateVersions.record(heap, id, vmState, before)
                            : FlashStateVersions.whole(heap, id, vmState));
                    sync();   // the blobs its classes need first, then the checkpoint
                    vmStateBytes += vmState.length;
                    byte[] beforeState = before == null ? null : before.data();
                    bytesChanged += FlashPatches.changedBytes(beforeState, vmState);
                    wordBytesChanged += FlashPatches.changedWordBytes(beforeState, vmState);
                    FlashHeapStore.this.commit(heap, id, at);
                    cleaner.changed();   // checkpoints beyond retention are dead now
                    cleaner.committed();
                    return id;   // committed, whatever the cleaning did
                });
            }
        }

        @Override
        public void renewLease() {
            synchronized (FlashHeapStore.this) {
                heap.requireToken(app, token);
                heap.expiresAt = clock.instant().plus(lease);
            }
        }

        @Override
        public void close() {
            synchronized (FlashHeapStore.this) {
                if (closed || heap.holder == null || heap.token != token) {
                    closed = true;
                    return;   // already closed, or fenced: the lease is not ours to release
                }
                closed = true;
                cleaner.changed();
                heap.holder = null;
                heap.expiresAt = null;
                heap.epoch.clear();
                byte[] record = FlashRecord.of(FlashRecord.CLOSE).u4(heap.number).toBytes();
                if (failed == null && writer.encodedSize(record.length) <= room(0)) {   // else the next OPEN drops it
                    try {
                        writer.append(record);
                    } catch (IOException e) {
                        failed = e;
                    }
                }
            }
        }
    }

    /** The system blobs: BLOB records in their own log (or, from an older store, in the heap's), found by hash. */
    private final class Blobs implements SystemBlobStore {
        /** Must hold the monitor. */
        private boolean has(BlobHash h) {
            return blobLog.contains(h) || heapLogBlobs.containsKey(h);
        }

        @Override
        public int put(Map<BlobHash, byte[]> toStore) {
            SystemBlobStore.checkNames(toStore);
            synchronized (FlashHeapStore.this) {
                return io(() -> {
                    List<Map.Entry<BlobHash, byte[]>> fresh = toStore.entrySet().stream()
                            .filter(e -> !has(e.getKey())).toList();
                    long need = fresh.isEmpty() ? 0 : blobLog.markSize();   // the MARK of the sync to come
                    for (Map.Entry<BlobHash, byte[]> e : fresh) {
                        need += blobLog.encodedSize(FlashRecord.BLOB_DATA + e.getValue().length);
                    }
                    cleaner.makeRoom(need, reserve);
                    for (Map.Entry<BlobHash, byte[]> e : fresh) {
                        blobLog.append(e.getKey(), FlashBlobLog.record(e.getKey(), e.getValue()));
                    }
                    return fresh.size();
                });
            }
        }

        @Override
        public Map<BlobHash, byte[]> get(Collection<BlobHash> hashes) {
            synchronized (FlashHeapStore.this) {
                return io(() -> {
                    Map<BlobHash, byte[]> found = new LinkedHashMap<>();
                    for (BlobHash h : hashes) {
                        byte[] blob = blobLog.get(h);
                        Long at = heapLogBlobs.get(h);
                        if (blob == null && at != null) {
                            blob = read(at, FlashRecord.BLOB, FlashRecord.BLOB_DATA);
                        }
                        if (blob != null) {
                            found.put(h, blob);
                        }
                    }
                    return found;
                });
            }
        }

        @Override
        public List<BlobHash> missing(Collection<BlobHash> hashes) {
            synchronized (FlashHeapStore.this) {
                List<BlobHash> missing = new ArrayList<>();
                Set<BlobHash> seen = new HashSet<>();
                for (BlobHash h : hashes) {
                    if (seen.add(h) && !has(h)) {
                        missing.add(h);
                    }
                }
                return missing;
            }
        }
    }
}
