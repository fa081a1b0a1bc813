package org.vheap.server.store;

import java.util.Arrays;
import java.util.List;

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

    long[] lineIds() {
        return Arrays.copyOf(lineIds, size);
    }

    long[] epochs() {
        return Arrays.copyOf(epochs, size);
    }

    /**
     * Adds to {@code unneeded} those of these versions, all of one line in ascending epochs, that none of
     * {@code views} needs: a view needs the newest version of the line within its lineage. Views × ranges ×
     * log(versions) steps, where a join of every view with every version would take views × versions.
     */
    void unneededBy(List<Lineage> views, VersionKeys unneeded) {
        long[] ascending = epochs();
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
