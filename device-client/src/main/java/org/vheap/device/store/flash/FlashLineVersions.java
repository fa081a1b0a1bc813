package org.vheap.device.store.flash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.vheap.device.store.flash.FlashPatches.Version;
import org.vheap.store.LinePatches;

/**
 * A line's versions in a flash log: a LINE record holds the whole line; a PATCH record only the runs of bytes that
 * differ from an older version of it, which it names by position ({@link LinePatches}' runs, the seed's flush that
 * writes only what is dirty). A line is read back by reading its chain: the PATCH, the version it patches, and so on
 * down to a LINE, at most {@link FlashPatches#MAX_DEPTH} patches deep.
 *
 * <pre>
 *   PATCH  app u4, line u8, base u8, depth u1, crc u4, runs    base: the position of the version patched (before
 *                                                               this record); depth: the base's plus one; crc: the
 *                                                               CRC-32C of the whole line it makes
 * </pre>
 *
 * <p>{@link #record} chooses: nothing when the line did not change; a PATCH where {@link FlashPatches#choose} finds
 * one (on the version before, or past the deepest chain on the LINE at its bottom; at most half a line); a LINE
 * otherwise. {@link #read} fails fast ({@link IOException}) on a chain that is not one: a base not before its patch,
 * a depth that is not one more than its base's, another line's record, or a line whose CRC is not the one its patch
 * names.
 */
final class FlashLineVersions {
    /** Where a PATCH record's runs start: kind, app, line, base, depth, crc. */
    static final int PATCH_RUNS = 1 + 4 + 8 + 8 + 1 + 4;

    private FlashLineVersions() {
    }

    /**
     * The record that makes {@code data} line {@code lineId}'s next version, after the version {@code previous}
     * that lies at {@code previousAt} ({@code null}: the line has none); {@code null} when it is the same. A PATCH
     * as {@link FlashPatches#choose} chooses it, else a LINE.
     */
    static byte[] record(FlashHeap h, long lineId, byte[] data, long previousAt, Version previous) {
        if (previous != null && Arrays.equals(previous.data(), data)) {
            return null;
        }
        if (previous != null) {
            FlashPatches.Patch patch = FlashPatches.choose(data, previous, previousAt);
            if (patch != null) {
                return patch(h, lineId, patch.base(), patch.depth(), LinePatches.crc32c(data), patch.runs());
            }
        }
        return whole(h, lineId, data);
    }

    /** A LINE record: the whole of line {@code lineId}. */
    static byte[] whole(FlashHeap h, long lineId, byte[] data) {
        return FlashRecord.of(FlashRecord.LINE).u4(h.number).u8(lineId).bytes(data).toBytes();
    }

    /** A PATCH record (see the class's layout). */
    static byte[] patch(FlashHeap h, long lineId, long base, int depth, int crc, byte[] runs) {
        return FlashRecord.of(FlashRecord.PATCH).u4(h.number).u8(lineId).u8(base).u1(depth).u4(crc).bytes(runs)
                .toBytes();
    }

    /** Line {@code lineId} of heap {@code h}, from its version's record at {@code at} and the chain below it. */
    static Version read(FlashMedium medium, int blockSize, FlashHeap h, long lineId, long at) throws IOException {
        byte[] record = FlashLogReader.readAt(medium, blockSize, at);
        FlashPatches.Header header = header(record, h, lineId, at);
        if (record[0] == FlashRecord.LINE) {
            if (record.length != FlashRecord.LINE_DATA + h.lineSize) {
                throw new IOException("the LINE record at " + at + " holds " + (record.length - FlashRecord.LINE_DATA)
                        + " bytes, not a " + h.lineSize + "-byte line of app '" + h.name + "'");
            }
            return Version.whole(Arrays.copyOfRange(record, FlashRecord.LINE_DATA, record.length), at);
        }
        Version base = read(medium, blockSize, h, lineId, header.base());
        return FlashPatches.patched(header, base, h.lineSize, Arrays.copyOfRange(record, PATCH_RUNS, record.length), at,
                "the PATCH record", "line");
    }

    /**
     * The base and depth of the PATCH record {@code record} (the version it patches must be copied before it), or
     * {@code null} for a LINE record.
     */
    static FlashPatches.Header patchOf(byte[] record) {
        if (record.length == 0 || record[0] != FlashRecord.PATCH || record.length < PATCH_RUNS) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(record, 1 + 4 + 8, 8 + 1 + 4);
        return new FlashPatches.Header(b.getLong(), b.get() & 0xFF, b.getInt());
    }

    /** The PATCH record {@code record} with its base at {@code base}, {@code depth} deep (its runs unchanged). */
    static byte[] rebased(byte[] record, long base, int depth) {
        byte[] moved = record.clone();
        ByteBuffer.wrap(moved, 1 + 4 + 8, 8 + 1).putLong(base).put((byte) depth);
        return moved;
    }

    /** Checks that {@code record} is a version of line {@code lineId} of {@code h}; its PATCH fields, if any. */
    private static FlashPatches.Header header(byte[] record, FlashHeap h, long lineId, long at) throws IOException {
        boolean line = record.length >= FlashRecord.LINE_DATA && record[0] == FlashRecord.LINE;
        boolean patch = record.length >= PATCH_RUNS && record[0] == FlashRecord.PATCH;
        if (!line && !patch) {
            throw new IOException("the flash store's index points at a record of kind " + (record.length == 0 ? "none"
                    : record[0]) + " at " + at + ", not a line's version");
        }
        ByteBuffer b = ByteBuffer.wrap(record, 1, 12);
        if (b.getInt() != h.number || b.getLong() != lineId) {
            throw new IOException("the flash store's index points at another line's record at " + at + " for line "
                    + lineId + " of app '" + h.name + "'");
        }
        if (line) {
            return null;
        }
        FlashPatches.Header p = patchOf(record);
        FlashPatches.checkHeader(p, at, "the PATCH record");
        return p;
    }
}
