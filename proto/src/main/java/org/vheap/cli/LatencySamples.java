package org.vheap.cli;

import java.util.Arrays;

/**
 * Nanosecond samples of one measured operation, as the benches collect them: {@link #add} grows the buffer
 * as needed; {@link #percentile} is the nearest-rank percentile and {@link #mean} the truncated mean, both
 * 0 without samples. Not thread-safe: callers that add from several threads synchronize.
 */
public final class LatencySamples {
    private long[] ns;
    private int n;

    /** Room for 1024 samples before the buffer grows. */
    public LatencySamples() {
        this(1024);
    }

    /** Room for {@code capacity} samples (at least 16) before the buffer grows. */
    public LatencySamples(int capacity) {
        ns = new long[Math.max(16, capacity)];
    }

    public void add(long nanos) {
        if (n == ns.length) {
            ns = Arrays.copyOf(ns, n * 2);
        }
        ns[n++] = nanos;
    }

    public int count() {
        return n;
    }

    /** The samples in the order they were added (a copy). */
    public long[] values() {
        return Arrays.copyOf(ns, n);
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]; 0 without samples. */
    public long percentile(double p) {
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(ns, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }

    /** The mean, rounded down to a whole nanosecond; 0 without samples. */
    public long mean() {
        return n == 0 ? 0 : Arrays.stream(ns, 0, n).sum() / n;
    }
}
