package org.vheap.store;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32C;

/**
 * The patch of a line against an older copy of it ({@code LinePatch.runs} in {@code vheap.v1}): the runs of
 * bytes that differ, each as an unsigned varint of the gap since the end of the previous run (the first from
 * offset 0), an unsigned varint of the run's length (at least 1), then the run's bytes. Two runs closer than
 * {@link #MERGE_GAP} bytes are sent as one, since a run's header costs about that much. The heap server makes
 * patches ({@link #diff}) when a device that returns to an app holds a copy of a line the store still has a
 * version of; the device applies them to its copy ({@link #apply}) and checks the result's CRC32C.
 *
 * <p>{@link #apply} reads untrusted bytes: it fails fast ({@link IllegalArgumentException}) on a truncated
 * varint, an empty run, or a run past the line's end, and never writes outside the line.
 */
public final class LinePatches {
    /** Equal bytes between two differing runs below which they are sent as one run. */
    static final int MERGE_GAP = 4;

    private LinePatches() {
    }

    /** The runs that turn {@code base} into {@code target} (same length); empty when they are equal. */
    public static byte[] diff(byte[] base, byte[] target) {
        if (base.length != target.length) {
            throw new IllegalArgumentException("a patch is between lines of one size: " + base.length + " and "
                    + target.length + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int end = 0;   // the end of the previous run
        int i = 0;
        while (i < target.length) {
            if (base[i] == target[i]) {
                i++;
                continue;
            }
            int start = i;
            int runEnd = i + 1;   // exclusive: the run goes on while the next difference is closer than MERGE_GAP
            for (int k = runEnd; k < target.length && k - runEnd < MERGE_GAP; k++) {
                if (base[k] != target[k]) {
                    runEnd = k + 1;
                }
            }
            writeVarint(out, start - end);
            writeVarint(out, runEnd - start);
            out.write(target, start, runEnd - start);
            end = runEnd;
            i = runEnd;
        }
        return out.toByteArray();
    }

    /**
     * {@code base} with the runs of {@code patch} written over it, as a new array.
     *
     * @throws IllegalArgumentException when the patch is malformed or reaches past the line's end
     */
    public static byte[] apply(byte[] base, byte[] patch) {
        byte[] line = base.clone();
        Runs runs = new Runs(patch, line.length);
        while (runs.next()) {
            System.arraycopy(patch, runs.at, line, runs.start, runs.length);
        }
        return line;
    }

    /** The bytes of {@code patch}'s runs (how many bytes of a {@code lineSize}-byte line it sets). */
    public static long runBytes(byte[] patch, int lineSize) {
        long total = 0;
        Runs runs = new Runs(patch, lineSize);
        while (runs.next()) {
            total += runs.length;
        }
        return total;
    }

    /** CRC32C of a line, as {@code LinePatch.crc32c} carries it. */
    public static int crc32c(byte[] line) {
        CRC32C crc = new CRC32C();
        crc.update(line);
        return (int) crc.getValue();
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    /** Walks a patch's runs, checking each against the line's size and the patch's end. */
    private static final class Runs {
        private final byte[] patch;
        private final int lineSize;
        private int pos;        // the next byte of the patch to read
        private int end;        // the end of the previous run in the line
        int start;              // the current run: where it goes in the line,
        int length;             // how long it is,
        int at;                 // and where its bytes are in the patch

        Runs(byte[] patch, int lineSize) {
            this.patch = patch;
            this.lineSize = lineSize;
        }

        /** Reads the next run; false at the patch's end. */
        boolean next() {
            if (pos >= patch.length) {
                return false;
            }
            long gap = varint();
            long n = varint();
            if (n == 0) {
                throw new IllegalArgumentException("a line patch has an empty run at byte " + (end + gap) + " of the line");
            }
            if (end + gap + n > lineSize || pos + n > patch.length) {
                throw new IllegalArgumentException("a line patch's run of " + n + " bytes at " + (end + gap)
                        + " reaches past the " + lineSize + "-byte line or the patch's end");
            }
            start = (int) (end + gap);
            length = (int) n;
            at = pos;
            pos += length;
            end = start + length;
            return true;
        }

        /** An unsigned varint of at most 5 bytes (below 2^35). */
        private long varint() {
            long value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (pos >= patch.length) {
                    throw new IllegalArgumentException("a line patch ends inside a number at byte " + pos);
                }
                byte b = patch[pos++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("a line patch has a number longer than 5 bytes at byte " + pos);
        }
    }
}
