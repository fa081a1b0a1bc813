package org.vheap.server.store;

import org.vheap.store.StoreException;

/**
 * What one app may keep in the store and how fast it may call; 0 in a field is no limit of that kind. Kept by
 * {@link AppQuotas}; enforced by {@link PgHeapStore} (lines, bytes, checkpoints) and by the gRPC service (calls).
 *
 * @param maxLines          the lines a checkpoint of the app may hold, and the line versions (writes and deletions)
 *                          its open epoch may hold between two checkpoints
 * @param maxBytes          as {@code maxLines}, in bytes: a checkpoint's lines times the line size plus its VM state;
 *                          an open epoch's versions times the line size
 * @param maxCheckpoints    the checkpoints the app keeps: a commit prunes its oldest beyond this, pinned or not
 * @param maxCallsPerSecond the calls per second one heap server takes for the app, in bursts of up to a second's worth
 *                          (not counting those that take, renew or end its lease)
 */
public record AppQuota(long maxLines, long maxBytes, int maxCheckpoints, int maxCallsPerSecond) {
    /** No limits. */
    public static final AppQuota NONE = new AppQuota(0, 0, 0, 0);

    /** INVALID_ARGUMENT for a negative limit. */
    public AppQuota {
        if (maxLines < 0 || maxBytes < 0 || maxCheckpoints < 0 || maxCallsPerSecond < 0) {
            throw StoreException.invalid("a quota's limits are 0 (none) or more, got " + describe(maxLines, maxBytes,
                    maxCheckpoints, maxCallsPerSecond));
        }
    }

    /** Whether it bounds what the app's heap holds (lines or bytes): its flushes then count the open epoch. */
    public boolean boundsLines() {
        return maxLines > 0 || maxBytes > 0;
    }

    /**
     * How many checkpoints a commit keeps whatever their pins: the quota, or all of them ({@link Integer#MAX_VALUE})
     * when it sets none.
     */
    int keepAtMost() {
        return maxCheckpoints == 0 ? Integer.MAX_VALUE : maxCheckpoints;
    }

    /** QUOTA_EXCEEDED when a checkpoint of {@code lines} lines of {@code lineSize} bytes and its VM state is over it. */
    void checkCheckpoint(String app, long lines, int lineSize, long vmStateBytes) {
        if (maxLines > 0 && lines > maxLines) {
            throw exceeded(app, maxLines + " lines", "the checkpoint would hold " + lines, "--lines");
        }
        long bytes = saturatedAdd(saturatedTimes(lines, lineSize), vmStateBytes);
        if (maxBytes > 0 && bytes > maxBytes) {
            throw exceeded(app, maxBytes + " bytes", "the checkpoint would hold " + bytes + " (" + lines + " lines of "
                    + lineSize + " bytes and a " + vmStateBytes + "-byte VM state)", "--bytes");
        }
    }

    /** QUOTA_EXCEEDED when an open epoch holding {@code versions} line versions of {@code lineSize} bytes is over it. */
    void checkOpenEpoch(String app, long versions, int lineSize) {
        if (maxLines > 0 && versions > maxLines) {
            throw exceeded(app, maxLines + " lines", "its open epoch would hold " + versions
                    + " lines written or deleted since its last checkpoint", "--lines");
        }
        long bytes = saturatedTimes(versions, lineSize);
        if (maxBytes > 0 && bytes > maxBytes) {
            throw exceeded(app, maxBytes + " bytes", "its open epoch would hold " + versions + " lines of " + lineSize
                    + " bytes written or deleted since its last checkpoint", "--bytes");
        }
    }

    /** The limits in words, as {@code vheap quota} prints them. */
    public String describe() {
        return describe(maxLines, maxBytes, maxCheckpoints, maxCallsPerSecond);
    }

    private static String describe(long lines, long bytes, int checkpoints, int callsPerSecond) {
        return "lines " + limit(lines) + ", bytes " + limit(bytes) + ", checkpoints " + limit(checkpoints)
                + ", calls per second " + limit(callsPerSecond);
    }

    private static String limit(long n) {
        return n == 0 ? "unlimited" : Long.toString(n);
    }

    private static StoreException exceeded(String app, String quota, String what, String option) {
        return new StoreException(StoreException.Reason.QUOTA_EXCEEDED, "app '" + app + "' is over its quota of " + quota
                + ": " + what + "; the call was rolled back (an operator raises it with: vheap quota --app " + app + " "
                + option + " N)");
    }

    private static long saturatedTimes(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high == 0 && low >= 0 ? low : Long.MAX_VALUE;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
