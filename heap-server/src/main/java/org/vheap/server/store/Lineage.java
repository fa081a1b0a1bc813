package org.vheap.server.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The set of epochs whose line versions a checkpoint (or the open epoch) can see, as sorted, disjoint,
 * half-open ranges: the Java twin of a PostgreSQL {@code int8multirange}, whose text form
 * ({@code {[1,5),[7,8)}}) is how it travels to and from the database.
 *
 * <p>Epochs grow along every line of descent, so within a lineage the newest version of a line is the one
 * with the highest epoch. A linear history is one range; each resume from an older checkpoint (a fork)
 * adds one.
 */
public final class Lineage {
    private static final Lineage EMPTY = new Lineage(new long[0]);

    /** lo0, hi0, lo1, hi1, ...: ranges [lo, hi), sorted, disjoint and not adjacent. */
    private final long[] bounds;

    private Lineage(long[] bounds) {
        this.bounds = bounds;
    }

    public static Lineage empty() {
        return EMPTY;
    }

    /** Parses PostgreSQL's text form of an int8multirange, e.g. {@code {}} or {@code {[1,5),[7,8)}}. */
    public static Lineage parse(String text) {
        if (text == null || text.equals("{}")) {
            return EMPTY;
        }
        if (!text.startsWith("{") || !text.endsWith("}")) {
            throw new IllegalArgumentException("not a multirange: " + text);
        }
        String body = text.substring(1, text.length() - 1);
        List<Long> values = new ArrayList<>();
        for (String range : body.split("\\),?")) {
            if (range.isEmpty()) {
                continue;
            }
            if (!range.startsWith("[")) {
                throw new IllegalArgumentException("expected a [lo,hi) range in " + text);
            }
            String[] pair = range.substring(1).split(",");
            values.add(Long.parseLong(pair[0].trim()));
            values.add(Long.parseLong(pair[1].trim()));
        }
        long[] b = new long[values.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = values.get(i);
        }
        return new Lineage(b);
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    /** The first epoch after every epoch in this lineage (0 when empty). */
    public long upper() {
        return bounds.length == 0 ? 0 : bounds[bounds.length - 1];
    }

    public boolean contains(long epoch) {
        for (int i = 0; i < bounds.length; i += 2) {
            if (epoch >= bounds[i] && epoch < bounds[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * This lineage plus the epochs {@code [from, epoch]}; {@code from} is {@code epoch} itself unless the
     * caller knows the epochs in between hold no versions, in which case joining them keeps the lineage
     * one range long.
     */
    public Lineage plus(long from, long epoch) {
        if (from > epoch || from < upper()) {
            throw new IllegalArgumentException("epochs must follow the lineage: " + from + ".." + epoch + " after " + this);
        }
        if (bounds.length > 0 && from == upper()) {
            long[] b = bounds.clone();
            b[b.length - 1] = epoch + 1;
            return new Lineage(b);
        }
        long[] b = java.util.Arrays.copyOf(bounds, bounds.length + 2);
        b[b.length - 2] = from;
        b[b.length - 1] = epoch + 1;
        return new Lineage(b);
    }

    /** This lineage without its newest epoch: an open epoch's lineage becomes its base's. */
    public Lineage withoutLast() {
        if (bounds.length == 0) {
            return this;
        }
        long[] b = bounds.clone();
        b[b.length - 1]--;
        if (b[b.length - 1] == b[b.length - 2]) {
            b = java.util.Arrays.copyOf(b, b.length - 2);
        }
        return new Lineage(b);
    }

    /** Epochs in this lineage or in {@code other}. */
    public Lineage union(Lineage other) {
        List<long[]> ranges = new ArrayList<>();
        for (Lineage l : List.of(this, other)) {
            for (int i = 0; i < l.bounds.length; i += 2) {
                ranges.add(new long[] {l.bounds[i], l.bounds[i + 1]});
            }
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Long> out = new ArrayList<>();
        for (long[] r : ranges) {
            int n = out.size();
            if (n > 0 && r[0] <= out.get(n - 1)) {
                out.set(n - 1, Math.max(out.get(n - 1), r[1]));
            } else {
                out.add(r[0]);
                out.add(r[1]);
            }
        }
        return new Lineage(out.stream().mapToLong(Long::longValue).toArray());
    }

    /** Every epoch from 0 to {@link Long#MAX_VALUE} (exclusive) that is not in this lineage. */
    public Lineage complement() {
        List<Long> out = new ArrayList<>();
        long from = 0;
        for (int i = 0; i < bounds.length; i += 2) {
            if (bounds[i] > from) {
                out.add(from);
                out.add(bounds[i]);
            }
            from = bounds[i + 1];
        }
        if (from < Long.MAX_VALUE) {
            out.add(from);
            out.add(Long.MAX_VALUE);
        }
        return new Lineage(out.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * The index of the newest of these epochs that this lineage contains, or -1 when it contains none: which version
     * of a line a view with this lineage sees, given the epochs of the line's versions. A binary search per range,
     * from the newest range down.
     *
     * @param ascending the epochs of one line's versions, ascending
     */
    public int newestWithin(long[] ascending) {
        for (int i = bounds.length - 2; i >= 0; i -= 2) {
            int below = Arrays.binarySearch(ascending, bounds[i + 1]);   // the first epoch at or after hi
            int newest = (below >= 0 ? below : -below - 1) - 1;
            if (newest >= 0 && ascending[newest] >= bounds[i]) {
                return newest;
            }
        }
        return -1;
    }

    /** The lower bounds of the ranges, ascending. */
    long[] lows() {
        long[] lo = new long[bounds.length / 2];
        for (int i = 0; i < lo.length; i++) {
            lo[i] = bounds[2 * i];
        }
        return lo;
    }

    /** The (exclusive) upper bounds of the ranges, ascending. */
    long[] highs() {
        long[] hi = new long[bounds.length / 2];
        for (int i = 0; i < hi.length; i++) {
            hi[i] = bounds[2 * i + 1];
        }
        return hi;
    }

    /** PostgreSQL's text form, to be cast with {@code ?::int8multirange}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < bounds.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('[').append(bounds[i]).append(',').append(bounds[i + 1]).append(')');
        }
        return sb.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lineage l && java.util.Arrays.equals(bounds, l.bounds);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bounds);
    }
}
