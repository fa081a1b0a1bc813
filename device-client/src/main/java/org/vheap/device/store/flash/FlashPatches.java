package org.vheap.device.store.flash;

import java.util.Arrays;
import org.vheap.store.LinePatches;

/**
 * How a flash store writes a new version of some bytes (a line, a checkpoint's VM state) after an older one: as the
 * runs that differ ({@link LinePatches}) on a named base, shared by {@link FlashLineVersions} and
 * {@link FlashStateVersions}. A patch goes on the version before while the chain below it is less than
 * {@link #MAX_DEPTH} deep, else on the whole version at the chain's bottom (the changes since that one), so a read
 * reads at most {@code MAX_DEPTH + 1} records; the bytes are written whole when the runs would take more than half of
 * them.
 */
final class FlashPatches {
    /** Patches on patches before the next goes on the chain's bottom: a read reads at most this many records more. */
    static final int MAX_DEPTH = 4;

    private FlashPatches() {
    }

    /** A version read back: its bytes, its depth (0: whole), and the whole version at its chain's bottom. */
    record Version(byte[] data, int depth, long rootAt, byte[] root) {
        /** A whole version, the bottom of its own chain. */
        static Version whole(byte[] data, long at) {
            return new Version(data, 0, at, data);
        }

        /** A version patched on {@code base}, {@code depth} deep: its chain's bottom is the base's. */
        static Version patched(byte[] data, int depth, Version base) {
            return new Version(data, depth, base.rootAt(), base.root());
        }
    }

    /** A patch record's base (the position of the version it patches), depth, and the CRC-32C of what it makes. */
    record Header(long base, int depth, int crc) {
    }

    /** A patch to write: the base's position, its depth, and the runs (the bytes they make are the new version). */
    record Patch(long base, int depth, byte[] runs) {
    }

    /**
     * The patch that makes {@code data} from {@code previous}, which lies at {@code previousAt}; {@code null} when
     * it is better written whole (the runs would take more than half of it). A base of another length is cut or
     * zero-extended to {@code data}'s first. Empty runs: the bytes did not change (when of one length).
     */
    static Patch choose(byte[] data, Version previous, long previousAt) {
        long base = previousAt;
        int depth = previous.depth() + 1;
        byte[] from = previous.data();
        if (depth > MAX_DEPTH) {   // on the chain's bottom instead: one record deep again
            base = previous.rootAt();
            depth = 1;
            from = previous.root();
        }
        byte[] runs = LinePatches.diff(from.length == data.length ? from : Arrays.copyOf(from, data.length), data);
        return runs.length <= data.length / 2 ? new Patch(base, depth, runs) : null;
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
        byte[] data = apply(base.data(), length, runs, what + " at " + at);
        if (LinePatches.crc32c(data) != p.crc()) {
            throw new java.io.IOException(what + " at " + at + " does not make the " + makes + " it names (CRC-32C"
                    + " differs)");
        }
        return Version.patched(data, p.depth(), base);
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
