package org.vheap.server.store;

import java.util.Arrays;
import java.util.Collection;

/**
 * Keys of line versions ({@code line_id}, {@code epoch}) in a growable pair of arrays, as {@link VersionReclaimer}
 * reads them: one line's versions in ascending epochs, to find which of them a set of views needs, and the versions
 * no view needs, to delete.
 */
final class VersionKeys {
    private long[] lineIds = new long[16];
    private long[] epochs = new long[16];
    private int size;

    void add(long lineId, long epoch) {
        if (size == lineIds.length) {
            lineIds = Arrays.copyOf(lineIds, size * 2);
            epochs = Arrays.copyOf(epochs, size * 2);
        }
        lineIds[size] = lineId;
        epochs[size] = epoch;
        size++;
    }

    int size() {
        return size;
    }

    long lineId(int i) {
        return lineIds[i];
    }

    /** The line ids of keys {@code from} (inclusive) to {@code to} (exclusive). */
    long[] lineIds(int from, int to) {
        return Arrays.copyOfRange(lineIds, from, to);
    }

    /** The epochs of keys {@code from} (inclusive) to {@code to} (exclusive). */
    long[] epochs(int from, int to) {
        return Arrays.copyOfRange(epochs, from, to);
    }

    /**
     * Adds to {@code unneeded} those of these versions, all of one line in ascending epochs, that none of
     * {@code views} needs: a view needs the newest version of the line within its lineage. Views × ranges ×
     * log(versions) steps, where a join of every view with every version would take views × versions.
     */
    void unneededBy(Collection<Lineage> views, VersionKeys unneeded) {
        long[] ascending = epochs(0, size);
        boolean[] needed = new boolean[size];
        for (Lineage view : views) {
            int seen = view.newestWithin(ascending);
            if (seen >= 0) {
                needed[seen] = true;
            }
        }
        for (int i = 0; i < size; i++) {
            if (!needed[i]) {
                unneeded.add(lineIds[i], epochs[i]);
            }
        }
    }
}
