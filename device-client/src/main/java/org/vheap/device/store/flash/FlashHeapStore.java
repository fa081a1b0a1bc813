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
import org.vheap.device.store.BlobHash;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.store.OpenedSession;
import org.vheap.device.store.StoreLeases;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.device.store.WriteSets;
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
 * <p><b>Compaction and the flash size.</b> The log only grows by appends; without a flash size, when it reaches
 * {@link #GROWTH} (3) times what was live at the last compaction (and at least {@link FlashStoreConfig#compactFloor}),
 * the commit that took it
 * there copies the live records (retained checkpoints, open epochs; never the blobs, which are in their own log)
 * into a new log that replaces the old one at once
 * ({@link FlashLogFiles}): superseded versions, deleted lines, checkpoints beyond retention and dropped epochs are
 * gone. So the log stays within about three times its live size, and each byte written is copied about half a time
 * more.
 * With a flash size ({@code --flash-size}, {@link FlashStoreConfig#flashSize}) every call first makes sure its records
 * fit (the bytes they take at most, framing and padding included), compacting the log when they do not, as late as
 * the flash size lets it (the fewer copies, the less the flash wears; {@link #cleanAt}); the copy
 * must fit beside the old log, which it replaces only when whole, so a log whose live records take more than about
 * 7/16 of the flash size cannot be compacted ({@link #cleanAt}). Opening a store measures what is live in its log
 * (a copy that keeps nothing), and so does a call each time the log grew by a sixteenth of the flash size, so a
 * device that restarts often, or an app whose heap grows, still compacts in time. Lines, checkpoints and blobs
 * leave {@link #RESERVE} bytes (at most an eighth) for the records that open sessions. A call that does not fit even
 * so is refused, {@code UNAVAILABLE} with a message that says the store is full, having written nothing: the device
 * pauses the app and tries again, as when a server is away.
 *
 * <p><b>Not yet</b> (issue 17). A segment cleaner that works alongside the app rather than within a call, and needs
 * only a segment's room rather than the live size's. In front of a heap server, this store is the
 * {@link FlashFrontedStore}'s copy of the server's heaps.
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
    /**
     * With a flash size, what is live is measured again (a copy that keeps nothing, reading the live records) each
     * time the log grew by the flash size divided by this: when to compact depends on it, and it grows as the app does.
     */
    private static final int LIVE_MEASURED_EVERY = 16;
    /**
     * Without a flash size, the log is compacted when it grew to this many times what is live: each byte written is
     * copied about {@code 1 / (GROWTH - 1)} times more, and the log takes up to this many times the live bytes (3: half
     * the copies twice would make, for half as much room again; RocksDB's universal compaction allows the
     * same 200 % space amplification by default).
     */
    public static final int GROWTH = 3;

    private final FlashLogFiles files;
    private final FlashStoreConfig config;
    /** The most bytes the log may take ({@code --flash-size}), {@link Long#MAX_VALUE} when unbounded. */
    private final long flashSize;
    /** What lines, checkpoints and blobs leave free of it: {@link #RESERVE}, at most {@link #RESERVE_SHARE} of it. */
    private final long reserve;
    private FlashMedium medium;
    private FlashLogWriter writer;
    /** The log's size past which the next commit compacts it ({@link #compactAt()}). */
    private long compactAt;
    /** The log's size when the last compaction ended: until it grows, another one would free nothing. */
    private long compactedSize = -1;
    /** What was live at the last compaction, or measured since (when the store opened, and as the log grows). */
    private long live;
    /** The log's size when {@link #live} was last measured or compacted to. */
    private long liveAt;
    /** The last compaction's copy did not fit beside the log: it may not grow past {@link #cleanAt} until one does. */
    private boolean copyDidNotFit;
    /** Why the last compaction failed, when it did for another reason than room; {@code null} otherwise. */
    private String compactionFailure;
    /** After such a failure, the log's size from which compacting is tried again (before it: only to make room). */
    private long retryCompactionAt;
    private final int blockSize;
    private final Clock clock;
    private final Map<String, FlashHeap> heaps = new HashMap<>();
    private final List<FlashHeap> heapsByNumber = new ArrayList<>();
    /** The system blobs, in their own log. */
    private FlashBlobLog blobLog;
    /**
     * Blobs in the heap's log, where stores made before the blobs had a log of their own put them: moved to
     * {@link #blobLog} at the next compaction.
     */
    private final Map<BlobHash, Long> heapLogBlobs = new HashMap<>();
    private final Blobs systemBlobs = new Blobs();
    private long fencingTokens;
    private long checkpointIds;
    /** Compactions installed: a write whose records name positions builds them again after one. */
    private long compactions;
    /** Bytes appended to logs this store has left (compacted away), their copies included; and of those, copies. */
    private long bytesRetired;
    private long bytesCopied;
    /** Where the current writer started appending: what it appended is its position less this. */
    private long writerStart;
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
        this.medium = files.current();
        try {
            this.blockSize = FlashLogReader.recover(medium, this.config.blockSize(),
                    (from, tail) -> files.keepCut(false, from, tail), FlashHeapStore::checkpointId, "heap.log");
            this.blobLog = FlashBlobLog.open(files, blockSize);
            if (flashSize < (long) FlashStoreConfig.MIN_BLOCKS * blockSize) {
                throw new IllegalArgumentException("the flash size must be at least " + FlashStoreConfig.MIN_BLOCKS
                        + " blocks of this log (" + (long) FlashStoreConfig.MIN_BLOCKS * blockSize + " bytes), got "
                        + flashSize);
            }
            replay();
            this.writer = new FlashLogWriter(medium, this.blockSize);
            this.writerStart = writer.position();
            if (medium.size() == 0) {   // a new log: its format first, durable before any record
                writer.append(FlashLogFormat.formatRecord(this.blockSize));
                writer.sync();
            }
            this.live = flashSize == Long.MAX_VALUE ? medium.size()   // what a compaction would copy now
                    : new FlashCompaction(medium, this.blockSize).measure(heapsByNumber, heapLogBlobs, fencingTokens);
            long taken = medium.size() + blobLog.size();
            if (flashSize != Long.MAX_VALUE && taken + live > flashSize) {
                throw new IllegalArgumentException("the flash store's logs take " + taken + " bytes and a"
                        + " compaction's copy " + live + " more, past a flash size of " + flashSize
                        + ": give --flash-size at least " + (taken + live));
            }
            this.liveAt = writer.position();
        } catch (IOException | RuntimeException e) {
            closeQuietly(blobLog);
            closeQuietly(medium);
            throw e;
        }
        this.compactAt = compactAt();
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
            makeRoom(writer.encodedSize(FlashRecord.OPEN_SIZE) + (h == null ? writer.encodedSize(create.length) : 0), 0);
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
            closeQuietly(medium);
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

    private void replay() throws IOException {
        FlashLogReader reader = new FlashLogReader(medium, blockSize);
        reader.next();   // the format record
        for (byte[] record = reader.next(); record != null; record = reader.next()) {
            long start = reader.start();
            DataInputStream in = FlashRecord.in(record);
            byte kind = in.readByte();
            if (kind == FlashRecord.BLOB) {
                heapLogBlobs.put(FlashBlobLog.hashOf(in), start);
                continue;
            }
            if (kind == FlashRecord.PACKED_PATCH) {   // its fields are varints
                FlashLineVersions.Parsed p = FlashLineVersions.parse(record, start);
                heapNumbered(p.app(), start).epoch.put(p.line(), start);
                continue;
            }
            int number = in.readInt();
            if (kind == FlashRecord.CREATE) {
                created(in.readUTF(), in.readInt());
                continue;
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
        for (FlashHeap h : heapsByNumber) {   // the sessions ended with the process that had the store
            h.holder = null;
            h.epoch.clear();
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

    /**
     * Must hold the monitor: the live records into a new log, which becomes the log ({@link FlashCompaction}); the
     * copy may take what the flash size leaves beside the old log, which stays until the new one replaces it. A
     * compaction that fails, or finds no room, leaves the old log (or, if the new one may have replaced it, fails the
     * store's later calls), never the call that started it.
     */
    private void compact() {
        FlashCompaction compaction = new FlashCompaction(medium, blockSize);
        FlashMedium next = null;
        FlashLogWriter copied;
        try {
            moveHeapLogBlobs();   // the blobs' log goes on being used: its failure is the store's
        } catch (IOException e) {
            failed = e;
            return;
        }
        try {
            next = files.next();
            copied = compaction.copy(next, heapsByNumber, heapLogBlobs, fencingTokens, room(0));
        } catch (IOException | RuntimeException e) {
            closeQuietly(next);   // the old log goes on; a later call tries again
            if (next != null) {
                try {
                    files.dropNext();
                } catch (IOException ignored) {
                    // left for the next compaction or the next start to drop
                }
            }
            compactAt = compactAt > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * compactAt;
            copyDidNotFit = e instanceof FlashLogFullException;
            if (copyDidNotFit) {
                compactedSize = writer.position();   // until the log changes, another copy would not fit either
                compactionFailure = null;
            } else {   // tried again once the log grew by a sixteenth of the flash size, or to make room
                compactionFailure = e.toString();
                retryCompactionAt = writer.position() + Math.max(blockSize, flashSize / 16);
            }
            return;
        }
        try {
            files.install();
        } catch (IOException e) {
            failed = e;   // which log is the log is not known here: replaying it on the next start will tell
            closeQuietly(next);
            return;
        }
        compaction.moveIndex(heapsByNumber, heapLogBlobs);
        compactions++;
        bytesRetired += writer.position() - writerStart + copied.position();
        bytesCopied += copied.position();
        writerStart = copied.position();
        closeQuietly(medium);
        medium = next;
        writer = copied;
        compactedSize = copied.position();
        live = compactedSize;
        liveAt = compactedSize;
        copyDidNotFit = false;
        compactionFailure = null;
        compactAt = compactAt();
    }

    /** What the store wrote since it opened. */
    public synchronized FlashStoreStats stats() {
        return new FlashStoreStats(bytesRetired + writer.position() - writerStart + blobLog.written(), bytesCopied,
                compactions, linesWhole, linesPatched, linesUnchanged, bytesChanged, wordBytesChanged, vmStateBytes);
    }

    /**
     * Must hold the monitor, before a compaction: the blobs a store made before the blobs' log put in the heap's log
     * go to the blobs' log (synced), so the compaction leaves them behind; when they fit beside the logs, else they
     * stay and are copied.
     */
    private void moveHeapLogBlobs() throws IOException {
        if (heapLogBlobs.isEmpty()) {
            return;
        }
        Map<BlobHash, byte[]> records = new LinkedHashMap<>();
        long need = blobLog.markSize();   // the sync's MARK
        for (Map.Entry<BlobHash, Long> e : heapLogBlobs.entrySet()) {
            byte[] record = FlashLogReader.readAt(medium, blockSize, e.getValue());
            records.put(e.getKey(), record);
            need += blobLog.encodedSize(record.length);
        }
        if (need > room(0)) {
            return;
        }
        for (Map.Entry<BlobHash, byte[]> e : records.entrySet()) {
            if (!blobLog.contains(e.getKey())) {
                blobLog.append(e.getKey(), e.getValue());
            }
        }
        blobLog.sync();
        heapLogBlobs.clear();
    }

    /** Compacts the log now (what a commit does when the log grew to {@link #GROWTH} times what is live): for tests that look at a compacted log. */
    synchronized void compactNow() {
        usable();
        compact();
        usable();
    }

    /**
     * The log's size past which a commit compacts it: without a flash size, {@link #GROWTH} times what was live at the
     * last compaction (at least {@link FlashStoreConfig#compactFloor}); with one, never (calls compact it when it
     * reaches {@link #cleanAt}, as late as the flash size lets them: the fewer copies, the less the flash wears).
     */
    private long compactAt() {
        return flashSize != Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(config.compactFloor(), GROWTH * live);
    }

    /** The bytes the flash size leaves beside the log and {@code keep} ({@link Long#MAX_VALUE} when unbounded). */
    private long room(long keep) {
        return flashSize == Long.MAX_VALUE ? Long.MAX_VALUE : flashSize - blobLog.size() - writer.position() - keep;
    }

    /**
     * Must hold the monitor, before a call appends anything: makes sure records of {@code need} bytes (bounded by
     * {@link FlashLogWriter#encodedSize}) fit in the flash size with {@code keep} bytes left, and that the log stays
     * small enough for a compaction's copy to fit beside it, compacting the log when it would not.
     *
     * @throws StoreException {@code UNAVAILABLE} when they do not fit even after a compaction: the store is full,
     *         and nothing was written
     */
    private void makeRoom(long need, long keep) throws IOException {
        if (need == 0 || flashSize == Long.MAX_VALUE) {
            return;
        }
        long end = writer.position();
        long often = Math.max(blockSize, flashSize / LIVE_MEASURED_EVERY);
        // what is live grows with the app; it decides nothing while the log is under half of its share (cleanAt)
        if (end - liveAt >= often && end + need >= (flashSize - blobLog.size()) / 2 - often) {
            live = new FlashCompaction(medium, blockSize).measure(heapsByNumber, heapLogBlobs, fencingTokens);
            liveAt = end;
        }
        boolean pastCleanAt = keep > 0 && end + need > cleanAt();   // sessions open up to the flash size itself
        // unchanged since a compaction whose copy did not fit, another would not fit either; after one that failed
        // otherwise, it is tried again once the log has grown, or to make room
        boolean mayCompact = end != compactedSize && (end >= retryCompactionAt || need > room(keep));
        if (mayCompact && (pastCleanAt || need > room(keep))) {
            compact();
            usable();
            pastCleanAt = keep > 0 && writer.position() + need > cleanAt();
        }
        if (need > room(keep) || (pastCleanAt && copyDidNotFit)) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "the flash store is full: " + need
                    + " more bytes of log do not fit in its " + flashSize + " bytes (--flash-size) with room left to"
                    + " compact it: " + writer.position() + " taken by the log, whose live records "
                    + (compactionFailure == null ? "do not compact into the rest"
                            : "could not be compacted (" + compactionFailure + ")")
                    + "; the app waits for room (resume it with a larger --flash-size)");
        }
    }

    /**
     * With a flash size, the log's size from which a call compacts it first: while a copy of twice what was live at
     * the last compaction (live records may have grown since), and at least a quarter of the flash size, still fits
     * beside it; but not before it is half the flash size, nor before an eighth of it was written since the last
     * compaction (else a log that is mostly live would be copied at every call). A log whose copy did not fit grows
     * no further than this. The flash size here is what the blobs' log leaves of it.
     */
    private long cleanAt() {
        if (flashSize == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long share = flashSize - blobLog.size();   // what the blobs leave of it to the heap's log
        long copy = Math.max(2 * live, share / 4);
        return Math.max(Math.max(share / 2, share - copy), live + share / 8);
    }

    /** Publishes the heap's open epoch as checkpoint {@code id} in the index (after its COMMIT record was written). */
    private void commit(FlashHeap h, long id, long commitRecord) {
        h.commit(id, commitRecord, config.retain());
        checkpointIds = Math.max(checkpointIds, id);
    }

    /**
     * Appends the lines and deletions to the log and to the open epoch; checked first, as one transaction, and refused
     * unless they fit in the flash size with {@code more} bytes of records after them. A line that had a version is
     * written as the runs that changed ({@link FlashLineVersions}), or not at all when nothing did.
     */
    private void write(FlashHeap heap, List<LineImage> writes, long[] deletes, long more) throws IOException {
        WriteSets.check(heap.lineSize, writes, deletes);
        long compactedBefore = compactions;
        List<Written> written = versions(heap, writes);
        makeRoom(need(written, deletes, more), reserve);
        while (compactions != compactedBefore) {   // the versions patched moved: patch the copies, and check again
            compactedBefore = compactions;         // (a base written whole by the copy may make a larger patch)
            written = versions(heap, writes);
            makeRoom(need(written, deletes, more), reserve);
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
        byte[] record = FlashLogReader.readAt(medium, blockSize, start);
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
     * Lines as {@code session}'s (opened here) newest checkpoint has them, without the flushes made since (null for a
     * line it lacks): what a {@link FlashFrontedStore} ships to the server for that checkpoint while the device flushes
     * on; with that checkpoint's id (0: none).
     */
    synchronized Committed readCommitted(HeapSession session, long[] lineIds) {
        FlashHeap heap = ((Session) session).heap;
        heap.requireToken(session.app(), session.fencingToken());
        FlashCheckpoint base = heap.epochBase;
        return io(() -> {
            byte[][] result = new byte[lineIds.length][];
            for (int i = 0; i < lineIds.length; i++) {
                Long at = base == null ? null : base.lines().get(lineIds[i]);
                result[i] = at == null ? null : line(heap, lineIds[i], at).data();
            }
            return new Committed(base == null ? 0 : base.id(), result);
        });
    }

    /** Lines as checkpoint {@code checkpointId} has them ({@link #readCommitted}). */
    record Committed(long checkpointId, byte[][] lines) {
    }

    /** Line {@code lineId} of heap {@code h}, from its version's record at {@code start} (and the chain below it). */
    private FlashPatches.Version line(FlashHeap h, long lineId, long start) throws IOException {
        return FlashLineVersions.read(medium, blockSize, h, lineId, start);
    }

    /** The VM state of checkpoint {@code cp} of {@code h}. */
    private byte[] vmState(FlashHeap h, FlashCheckpoint cp) throws IOException {
        return FlashStateVersions.read(medium, blockSize, h, cp.commitRecord()).data();
    }

    private static void closeQuietly(AutoCloseable c) {
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
                            : FlashStateVersions.read(medium, blockSize, heap, previous.commitRecord());
                    long at = writer.append(config.patches() ? FlashStateVersions.record(heap, id, vmState, before)
                            : FlashStateVersions.whole(heap, id, vmState));
                    sync();   // the blobs its classes need first, then the checkpoint
                    vmStateBytes += vmState.length;
                    byte[] beforeState = before == null ? null : before.data();
                    bytesChanged += FlashPatches.changedBytes(beforeState, vmState);
                    wordBytesChanged += FlashPatches.changedWordBytes(beforeState, vmState);
                    FlashHeapStore.this.commit(heap, id, at);
                    if (writer.position() >= compactAt) {
                        compact();
                    }
                    return id;   // committed, whatever the compaction did
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
            BlobHash.checkNames(toStore);
            synchronized (FlashHeapStore.this) {
                return io(() -> {
                    List<Map.Entry<BlobHash, byte[]>> fresh = toStore.entrySet().stream()
                            .filter(e -> !has(e.getKey())).toList();
                    long need = fresh.isEmpty() ? 0 : blobLog.markSize();   // the MARK of the sync to come
                    for (Map.Entry<BlobHash, byte[]> e : fresh) {
                        need += blobLog.encodedSize(FlashRecord.BLOB_DATA + e.getValue().length);
                    }
                    makeRoom(need, reserve);
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
