package org.vheap.device.store;

import java.util.List;
import java.util.Map;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * One app's virtual heap, opened by one device under the heap lease, its exclusive writer lease (the seed's
 * open store).
 *
 * <p>Reads see the session's view: the base checkpoint plus this session's own flushes. {@link #flush}
 * stores lines that stay invisible to anyone else until {@link #commit} publishes them,
 * together with everything flushed before, atomically. A line never written reads as absent ({@code null}),
 * which the device treats as zero-filled.
 *
 * <p>Every call carries the lease's fencing token; once another device has taken the lease, calls fail
 * with {@link StoreException.Reason#FENCED} and change nothing. Not thread-safe beyond what the
 * implementations document: a device calls it from its paging and checkpoint code.
 */
public interface HeapSession extends AutoCloseable {

    String app();

    /** Bytes per line; fixed when the heap was created. */
    int lineSize();

    /** Whether this open created the heap (an empty heap: the VM boots a fresh app). */
    boolean created();

    /** The checkpoint this session started from; 0 when the heap has none. */
    long baseCheckpointId();

    /** The VM state saved with the base checkpoint; empty when there is none. */
    byte[] baseVmState();

    /** The heap lease's fencing token. */
    long fencingToken();

    /**
     * Reads lines in one atomic transaction. The result is parallel to {@code lineIds}: each entry is the
     * line's bytes (exactly {@link #lineSize()} long) or {@code null} for a line that does not exist.
     */
    byte[][] read(long[] lineIds);

    /** What {@link #read(long[], byte[][])} returns for a line whose content has the known hash. */
    byte[] UNCHANGED = new byte[0];

    /**
     * Reads lines as {@link #read(long[])} does, given the SHA-256 of a copy the caller holds for some of them
     * ({@code knownSha256[i]} for {@code lineIds[i]}, null where none): a line whose content still has that
     * hash comes back as {@link #UNCHANGED} (the very instance) instead of its bytes, so only changed lines
     * travel. Implementations that move no bytes may ignore the hashes and return every line's bytes.
     */
    default byte[][] read(long[] lineIds, byte[][] knownSha256) {
        return read(lineIds);
    }

    /**
     * What {@link #readAgainst} brought: each line as {@link #read(long[], byte[][])} returns it (a patched line
     * already applied), the bytes of line data that travelled for them (whole lines and patches), and how many
     * lines came as patches.
     */
    record Fetched(byte[][] lines, long bytesReceived, int linesPatched) {
    }

    /**
     * Reads lines as {@link #read(long[], byte[][])} does, given the caller's copies themselves ({@code copies[i]}
     * for {@code lineIds[i]}, null where none, with their SHA-256 in {@code copySha256}): a line that changed
     * since the copy may travel as a patch against it, applied here, so about the bytes that changed travel (the
     * versioned delta). By default only the hashes are used.
     */
    default Fetched readAgainst(long[] lineIds, byte[][] copies, byte[][] copySha256) {
        byte[][] lines = read(lineIds, copySha256);
        long bytes = 0;
        for (byte[] line : lines) {
            if (line != null && line != UNCHANGED) {
                bytes += line.length;
            }
        }
        return new Fetched(lines, bytes, 0);
    }

    /**
     * Asks the store to keep this session's newest checkpoint beyond its retention policy for a while (as long as
     * the store allows), because the caller keeps copies of the heap's lines ({@link LineCache}): when the app
     * returns to it, lines that changed elsewhere travel as patches against those copies, which needs the versions
     * that checkpoint sees. Applies to the commits after it that hold a VM state (an ended app's last checkpoint has
     * none: it is never resumed). Stores that send no patches ignore it.
     */
    default void pinCheckpointsForCopies() {
    }

    /**
     * Flushes: writes and deletes lines in one atomic transaction, uncommitted (seen only by this session) until
     * the next {@link #commit}.
     */
    void flush(List<LineImage> writes, long[] deletes);

    /**
     * Flushes these lines as {@link #flush} does (no deletes), but may return before the store has them: the future
     * ends when it has, or with the store's failure. Every flush and commit asked for later lands after it. By
     * default the write is done at once, on the caller's thread.
     */
    default java.util.concurrent.Future<Void> flushInBackground(List<LineImage> writes) {
        try {
            flush(writes, new long[0]);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Commits a checkpoint: these last writes and deletes, every earlier flush of this session and the VM
     * state, atomically. Returns the new checkpoint's id.
     */
    long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata);

    /**
     * Commits a checkpoint as {@link #commit} does, but may return once it is durable where the session keeps it
     * first (a flash store in front of the heap server, {@code --store flash:DIR --server}), before the store that
     * keeps the app's history has it. The future ends with that store's id for it (a later checkpoint's, when several
     * reached it as one), or with its failure; the futures of earlier checkpoints end first. A checkpoint refused before
     * this returns changes nothing. By default {@link #commit}, at once.
     */
    default java.util.concurrent.CompletableFuture<Long> commitAhead(List<LineImage> writes, long[] deletes,
                                                                     byte[] vmState, Map<String, String> metadata) {
        return java.util.concurrent.CompletableFuture.completedFuture(commit(writes, deletes, vmState, metadata));
    }

    /** Extends the heap lease. */
    void renewLease();

    /**
     * The heap lease's length as the store granted it at the open or the last {@link #renewLease}, or
     * {@link java.time.Duration#ZERO} when the store does not say (a heap server older than the field; the stores in
     * the device's own process, which need no renewal from afar).
     */
    default java.time.Duration leaseGranted() {
        return java.time.Duration.ZERO;
    }

    /** Releases the heap lease; uncommitted flushes are discarded. Idempotent. */
    @Override
    void close();
}
