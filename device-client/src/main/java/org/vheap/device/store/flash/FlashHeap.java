package org.vheap.device.store.flash;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.vheap.device.store.StoreLeases;

/**
 * One app's heap in a flash store's index: its retained checkpoints, its open epoch (the lines the lease holder
 * flushed since its base checkpoint, as positions in the log) and its lease. Guarded by the store's monitor.
 */
final class FlashHeap {
    /** In an open epoch: the line is deleted; from {@link #visible}: the line has no version. */
    static final long DELETED = -1;

    final int number;
    final String name;
    final int lineSize;
    final TreeMap<Long, FlashCheckpoint> checkpoints = new TreeMap<>();
    /** The open epoch: where each line it wrote lies, {@link #DELETED} for a deletion. */
    final HashMap<Long, Long> epoch = new HashMap<>();
    FlashCheckpoint epochBase;
    /**
     * Checkpoints from this id on are kept beside the retained ones (up to a bound) until a server has them: the oldest
     * a {@link FlashShipper} has not shipped yet; {@link Long#MAX_VALUE} when none waits. Not in the log: a store that
     * opens again retains as many as it is told to.
     */
    long keepFrom = Long.MAX_VALUE;
    boolean everOpened;
    String holder;
    long token;
    Instant expiresAt;

    FlashHeap(int number, String name, int lineSize) {
        this.number = number;
        this.name = name;
        this.lineSize = lineSize;
    }

    /** A new lease under {@code newToken}: a fresh open epoch on {@code base} (null: an empty heap). */
    void opened(long newToken, FlashCheckpoint base) {
        token = newToken;
        keepFrom = Long.MAX_VALUE;
        epoch.clear();
        epochBase = base;
    }

    /** Where the line lies as the open epoch sees it, or {@link #DELETED} when it has none. */
    long visible(long lineId) {
        Long at = epoch.get(lineId);
        if (at == null) {
            Long committed = epochBase == null ? null : epochBase.lines().get(lineId);
            return committed == null ? DELETED : committed;
        }
        return at;
    }

    /**
     * Where each line the open epoch sees lies: its base checkpoint's lines with the epoch's writes over them and its
     * deletions left out (a new map).
     */
    Map<Long, Long> view() {
        Map<Long, Long> lines = epochBase == null ? new HashMap<>() : new HashMap<>(epochBase.lines());
        for (Map.Entry<Long, Long> e : epoch.entrySet()) {
            if (e.getValue() == DELETED) {
                lines.remove(e.getKey());
            } else {
                lines.put(e.getKey(), e.getValue());
            }
        }
        return lines;
    }

    /**
     * Publishes the open epoch as checkpoint {@code id}, whose COMMIT record starts at {@code commitRecord}, keeps
     * checkpoints as {@link #trim} does, and starts the next epoch on it.
     */
    void commit(long id, long commitRecord, int retain, int keepUnshipped) {
        FlashCheckpoint cp = new FlashCheckpoint(id, view(), commitRecord);
        checkpoints.put(id, cp);
        trim(retain, keepUnshipped);
        epoch.clear();
        epochBase = cp;
    }

    /**
     * Keeps the newest {@code retain} checkpoints, and beside them, up to {@code keepUnshipped} more, those from
     * {@link #keepFrom} on. Returns whether it let go of any.
     */
    boolean trim(int retain, int keepUnshipped) {
        int before = checkpoints.size();
        while (checkpoints.size() > retain
                && (checkpoints.firstKey() < keepFrom || checkpoints.size() > retain + keepUnshipped)) {
            checkpoints.pollFirstEntry();
        }
        return checkpoints.size() != before;
    }

    /** Throws FENCED unless {@code t} is the current lease's token. */
    void requireToken(String app, long t) {
        StoreLeases.requireToken(app, holder, token, t);
    }
}
