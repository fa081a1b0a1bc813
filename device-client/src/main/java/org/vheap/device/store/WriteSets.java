package org.vheap.device.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The checks every store on the device makes of a flush's or a commit's lines before it changes anything, with the
 * heap server's words: each written line exactly the heap's line size, no line written twice or written and
 * deleted in one call, line ids not negative.
 */
public final class WriteSets {
    private WriteSets() {
    }

    /** Throws {@code INVALID_ARGUMENT} naming the first line that breaks a rule; returns when all is well. */
    public static void check(int lineSize, List<LineImage> writes, long[] deletes) {
        Set<Long> written = new HashSet<>();
        for (LineImage w : writes) {
            if (w.data().length != lineSize) {
                throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "line " + w.lineId() + " has "
                        + w.data().length + " bytes; this heap's lines have " + lineSize);
            }
            if (!written.add(w.lineId())) {
                throw new StoreException(StoreException.Reason.INVALID_ARGUMENT,
                        "line " + w.lineId() + " is written twice in one transaction");
            }
        }
        Set<Long> deleted = new HashSet<>();
        for (long d : deletes) {
            checkLineId(d);
            if (written.contains(d) || !deleted.add(d)) {
                throw new StoreException(StoreException.Reason.INVALID_ARGUMENT,
                        "line " + d + " is deleted twice, or written and deleted, in one transaction");
            }
        }
    }

    /** Throws {@code INVALID_ARGUMENT} for a negative line id. */
    public static void checkLineId(long id) {
        if (id < 0) {
            throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "bad line id " + id + ": line ids are >= 0");
        }
    }
}
