package org.vheap.server.store;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The argument checks of {@link PgHeapStore}'s calls, in one place. Each public call of the store runs its
 * check first, before any SQL, so a refused call touches nothing: INVALID_ARGUMENT naming what to fix, or
 * FENCED for a change asked without the heap lease. The one check that needs the heap row, a line's length
 * against the heap's line size ({@link #checkLineLengths}), runs after the row is read and before any write.
 */
final class StoreArguments {
    private StoreArguments() {
    }

    /** An app's name, by the rules of {@link HeapNames}. */
    static void checkApp(String app) {
        HeapNames.checkApp(app);
    }

    static void checkOpen(PgHeapStore.OpenRequest req) {
        HeapNames.checkApp(req.app());
        HeapNames.checkDevice(req.device());
        if (req.lineSize() != 0) {
            checkLineSize(req.lineSize());
        }
        checkCheckpointId(req.baseCheckpointId());
    }

    /**
     * A Transact's arguments: names, line ids, the write set (each line once, none both written and
     * deleted), and the heap lease for writes and deletions.
     */
    static void checkTransact(String app, long token, long checkpointId, long[] reads, List<LineImage> writes,
                              long[] deletes) {
        HeapNames.checkApp(app);
        checkCheckpointId(checkpointId);
        checkLineIds("read", reads);
        checkWriteSet(writes, deletes);
        if (token == 0 && (!writes.isEmpty() || deletes.length != 0)) {
            throw new StoreException(StoreException.Reason.FENCED,
                    "writes and deletes need the heap lease: open app '" + app + "' and pass its fencing token");
        }
    }

    /**
     * The flushes acknowledged to a caller that counts them ({@code PgHeapStore#transact}): 0 or more, and only with a
     * fencing token; {@link PgHeapStore#FLUSHES_NOT_COUNTED} passes.
     */
    static void checkAcknowledged(long token, long acknowledged) {
        if (acknowledged != PgHeapStore.FLUSHES_NOT_COUNTED && (token == 0 || acknowledged < 0)) {
            throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "flushes acknowledged must be 0 or"
                    + " more and given only with a fencing token, got " + acknowledged + " with token " + token);
        }
    }

    /** The arguments of a commit known before its lines (a commit stream's header). */
    static void checkCommit(String app, long token, String device) {
        HeapNames.checkApp(app);
        HeapNames.checkDevice(device);
        if (token == 0) {
            throw new StoreException(StoreException.Reason.FENCED,
                    "a checkpoint needs the heap lease: open app '" + app + "' and pass its fencing token");
        }
    }

    static void checkRanges(String app, long checkpointId, List<PgHeapStore.LineRange> ranges) {
        HeapNames.checkApp(app);
        checkCheckpointId(checkpointId);
        for (PgHeapStore.LineRange r : ranges) {
            if (r.first() < 0 || r.last() < r.first()) {
                throw StoreException.invalid("bad line range " + r.first() + ".." + r.last()
                        + ": need 0 <= first <= last");
            }
        }
    }

    /** A checkpoint named to view or resume from: positive, or 0 for the newest. */
    static void checkCheckpointId(long checkpointId) {
        if (checkpointId < 0) {
            throw StoreException.invalid("checkpoint id must be positive (0: the newest), got " + checkpointId);
        }
    }

    /** A checkpoint named to delete: positive (there is no "newest" to delete by default). */
    static void checkCheckpointToDelete(long checkpointId) {
        if (checkpointId <= 0) {
            throw StoreException.invalid("name the checkpoint to delete by its id (positive), got " + checkpointId
                    + " (list them with: vheap checkpoints --app APP)");
        }
    }

    /** The lease length asked for ({@code 0}: the default) as a duration within the server's maximum. */
    static Duration leaseLength(StoreSettings settings, long leaseMillis) {
        if (leaseMillis < 0) {
            throw StoreException.invalid("lease length must be positive, got " + leaseMillis + " ms");
        }
        if (leaseMillis == 0) {
            return settings.defaultLease();
        }
        Duration d = Duration.ofMillis(leaseMillis);
        if (d.compareTo(settings.maxLease()) > 0) {
            throw StoreException.invalid("lease length " + leaseMillis + " ms is over the server's maximum of "
                    + settings.maxLease().toMillis() + " ms");
        }
        return d;
    }

    /** Every written line has the heap's line size; checked once the heap row is read, before any write. */
    static void checkLineLengths(int lineSize, Collection<LineImage> writes) {
        for (LineImage w : writes) {
            if (w.data().length != lineSize) {
                throw lineLength(w, lineSize);
            }
        }
    }

    static StoreException lineLength(LineImage w, int lineSize) {
        return StoreException.invalid("line " + w.lineId() + " has " + w.data().length + " bytes; this heap's"
                + " lines are " + lineSize + " bytes");
    }

    static void checkLineSize(int lineSize) {
        if (lineSize < PgHeapStore.MIN_LINE_SIZE || lineSize > PgHeapStore.MAX_LINE_SIZE
                || Integer.bitCount(lineSize) != 1) {
            throw StoreException.invalid("line size must be a power of two from " + PgHeapStore.MIN_LINE_SIZE
                    + " to " + PgHeapStore.MAX_LINE_SIZE + " bytes, got " + lineSize);
        }
    }

    private static void checkLineIds(String what, long[] ids) {
        for (long id : ids) {
            if (id < 0) {
                throw StoreException.invalid("bad line id " + id + " to " + what + ": line ids are >= 0");
            }
        }
    }

    /** Each line written or deleted once; ids >= 0. */
    static void checkWriteSet(List<LineImage> writes, long[] deletes) {
        checkLineIds("delete", deletes);
        Set<Long> seen = new HashSet<>();
        for (LineImage w : writes) {
            if (w.lineId() < 0) {
                throw StoreException.invalid("bad line id " + w.lineId() + " to write: line ids are >= 0");
            }
            if (!seen.add(w.lineId())) {
                throw StoreException.invalid("line " + w.lineId() + " is written twice in one transaction");
            }
        }
        Set<Long> deleted = new HashSet<>();
        for (long d : deletes) {
            if (seen.contains(d)) {
                throw StoreException.invalid("line " + d + " is both written and deleted in one transaction");
            }
            if (!deleted.add(d)) {
                throw StoreException.invalid("line " + d + " is deleted twice in one transaction");
            }
        }
    }
}
