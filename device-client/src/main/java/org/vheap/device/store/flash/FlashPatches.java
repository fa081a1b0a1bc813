package org.vheap.device.store.flash;

import java.util.Arrays;
import org.vheap.store.LinePatches;

/**
 * How a flash store writes a new version of some bytes (a line, a checkpoint's VM state) after an older one: as the
 * runs that differ ({@link LinePatches}) on a named base, shared by {@link FlashLineVersions} and
 * {@link FlashStateVersions}; a read reads at most {@code MAX_DEPTH + 1} records, and the bytes are written whole when
 * the runs would take more than half of them. Two ways to choose the base:
 * <ul>
 *   <li>{@link #choose} (VM states): the version before while the chain below it is less than {@link #MAX_DEPTH}
 *       deep, else the whole version at the chain's bottom (the changes since that one).</li>
 *   <li>{@link #chooseSkipping} (lines): skip-deltas, as Subversion stores file revisions. The versions since the
 *       whole one are numbered 1, 2, 3, ...; version {@code n} patches version {@link #skipBase}{@code (n)}, {@code n}
 *       with its lowest set bit cleared (and more, while that has {@code MAX_DEPTH} bits or more set). Half the
 *       patches span one version, a quarter two, an eighth four, and so on: a patch of a line whose fields change one
 *       at a time stays small, where going back to the bottom every {@code MAX_DEPTH + 1} versions carries every
 *       change since the whole line each time.</li>
 * </ul>
 */
final class FlashPatches {
    /** Patches on patches before the next goes on the chain's bottom: a read reads at most this many records more. */
    static final int MAX_DEPTH = 4;

    private FlashPatches() {
    }

    /**
     * A version read back: its bytes, its depth (0: whole), its number since the whole version below it (0: whole),
     * where its record lies, and the version it patches ({@code null} when whole), so the chain below it.
     */
    record Version(byte[] data, int depth, long number, long at, Version below) {
        /** A whole version, the bottom of its own chain. */
        static Version whole(byte[] data, long at) {
            return new Version(data, 0, 0, at, null);
        }

        /** The whole version at the bottom of this one's chain. */
        Version root() {
            Version v = this;
            while (v.below != null) {
                v = v.below;
            }
            return v;
        }
    }

    /**
     * A patch record's base (the position of the version it patches), depth, number since the whole version (its
     * depth, in records older than numbers), and the CRC-32C of what it makes.
     */
    record Header(long base, int depth, long number, int crc) {
    }

    /** A patch to write: the base's position, its depth, its number, and the runs (which make the new version). */
    record Patch(long base, int depth, long number, byte[] runs) {
    }

    /**
     * The patch that makes {@code data} from {@code previous} (numbered as deep as it is); {@code null} when
     * it is better written whole (the runs would take more than half of it). A base of another length is cut or
     * zero-extended to {@code data}'s first. Empty runs: the bytes did not change (when of one length).
     */
    static Patch choose(byte[] data, Version previous) {
        Version base = previous.depth() < MAX_DEPTH ? previous : previous.root();   // past it: one record deep again
        return on(base, data, base.depth() + 1);
    }

    /**
     * The patch that makes {@code data} the version after {@code previous}, numbered one more, on the version of
     * {@code previous}'s chain that {@link #skipBase} names (or, in a chain an older store's compaction rebuilt, the highest numbered
     * one below it that is less than {@link #MAX_DEPTH} deep); {@code null} when better written whole.
     */
    static Patch chooseSkipping(byte[] data, Version previous) {
        long number = previous.number() + 1;
        long target = skipBase(number);
        Version base = previous;
        while (base.number() > target || base.depth() >= MAX_DEPTH) {
            base = base.below();   // the whole version at the bottom is numbered 0 and 0 deep: the walk ends there
        }
        return on(base, data, number);
    }

    /**
     * The version {@code n} patches: {@code n} with its lowest set bit cleared, and the next, while more than
     * {@code MAX_DEPTH - 1} bits are set, so every chain is at most {@link #MAX_DEPTH} patches deep.
     */
    static long skipBase(long n) {
        long base = n & (n - 1);
        while (Long.bitCount(base) >= MAX_DEPTH) {
            base &= base - 1;
        }
        return base;
    }

    /** The patch on {@code base} that makes {@code data}, numbered {@code number}; {@code null}: better whole. */
    static Patch on(Version base, byte[] data, long number) {
        byte[] from = base.data();
        byte[] runs = LinePatches.diff(from.length == data.length ? from : Arrays.copyOf(from, data.length), data);
        return runs.length <= data.length / 2 ? new Patch(base.at(), base.depth() + 1, number, runs) : null;
    }

    /**
     * How many bytes of {@code after} differ from {@code before} (all of them when it is {@code null}; a byte past
     * either's end differs).
     */
    static int changedBytes(byte[] before, byte[] after) {
        if (before == null) {
            return after.length;
        }
        int common = Math.min(before.length, after.length);
        int n = Math.abs(after.length - before.length);
        for (int i = 0; i < common; i++) {
            if (before[i] != after[i]) {
                n++;
            }
        }
        return n;
    }

    /**
     * The bytes of the aligned 8-byte words of {@code after} that differ from {@code before}'s (all when it is
     * {@code null}; a word past {@code before}'s end differs): about the bytes of the fields written.
     */
    static int changedWordBytes(byte[] before, byte[] after) {
        int n = 0;
        for (int w = 0; w < after.length; w += 8) {
            int end = Math.min(w + 8, after.length);
            if (before == null || end > before.length || !Arrays.equals(before, w, end, after, w, end)) {
                n += end - w;
            }
        }
        return n;
    }

    /**
     * Checks the header of the patch record at {@code at} ({@code what} it is, for messages): its base lies before it
     * (no chain loops), and it is 1 to {@link #MAX_DEPTH} deep.
     *
     * @throws java.io.IOException when it does not
     */
    static void checkHeader(Header p, long at, String what) throws java.io.IOException {
        if (p.base() < 0 || p.base() >= at || p.depth() < 1 || p.depth() > MAX_DEPTH) {
            throw new java.io.IOException(what + " at " + at + " names base " + p.base() + " at depth " + p.depth()
                    + ": a base must lie before its patch, at most " + MAX_DEPTH + " deep");
        }
    }

    /**
     * The version the patch record at {@code at} makes ({@code what} it is and what it makes, a "line" or a "state",
     * for messages): {@code runs} on {@code base} cut or zero-extended to {@code length}, once checked that the patch
     * is one deeper than its base and that what it makes has the CRC-32C it names.
     *
     * @throws java.io.IOException when it is not, or the runs are malformed
     */
    static Version patched(Header p, Version base, int length, byte[] runs, long at, String what, String makes)
            throws java.io.IOException {
        if (base.depth() != p.depth() - 1) {
            throw new java.io.IOException(what + " at " + at + " is " + p.depth() + " deep on a version " + base.depth()
                    + " deep");
        }
        if (p.number() <= base.number()) {
            throw new java.io.IOException(what + " at " + at + " is numbered " + p.number() + " on a version numbered "
                    + base.number() + ": numbers grow along a chain");
        }
        byte[] data = apply(base.data(), length, runs, what + " at " + at);
        if (LinePatches.crc32c(data) != p.crc()) {
            throw new java.io.IOException(what + " at " + at + " does not make the " + makes + " it names (CRC-32C"
                    + " differs)");
        }
        return new Version(data, p.depth(), p.number(), at, base);
    }

    /**
     * {@code base}'s bytes, cut or zero-extended to {@code length}, with {@code runs} applied.
     *
     * @throws java.io.IOException when the runs are malformed (named by {@code what})
     */
    static byte[] apply(byte[] base, int length, byte[] runs, String what) throws java.io.IOException {
        try {
            return LinePatches.apply(base.length == length ? base : Arrays.copyOf(base, length), runs);
        } catch (IllegalArgumentException e) {
            throw new java.io.IOException(what + " is malformed: " + e.getMessage(), e);
        }
    }
}
