package org.vheap.device.store.flash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.vheap.device.store.flash.FlashPatches.Version;
import org.vheap.store.LinePatches;

/**
 * A line's versions in a flash log: a LINE record holds the whole line; a PACKED_PATCH record (a PATCH in a log
 * of format 2) only the runs of bytes that differ from an older version of it, which it names by position
 * ({@link LinePatches}' runs, the seed's flush that writes only what is dirty). A line is read back by reading its
 * chain: the patch, the version it patches, and so on down to a LINE, at most {@link FlashPatches#MAX_DEPTH} patches
 * deep.
 *
 * <pre>
 *   PACKED_PATCH  app varint, line varint, base varint, depth u1, number varint, crc u4, runs
 *                 base: the position of the version patched (before this record); depth: the base's plus one;
 *                 number: the version's since the line's whole version, more than the base's; crc: the CRC-32C of
 *                 the whole line it makes
 *   PATCH         app u4, line u8, base u8, depth u1, crc u4, runs      format 2, read and never written: its
 *                                                                       number is its depth
 * </pre>
 *
 * <p>{@link #record} chooses: nothing when the line did not change; a PACKED_PATCH where
 * {@link FlashPatches#chooseSkipping} finds one (at most half a line); a LINE otherwise. {@link #read} fails fast
 * ({@link IOException}) on a chain that is not one: a base not before its patch, a depth that is not one more than
 * its base's, a number not above it, another line's record, or a line whose CRC is not the one its patch names.
 */
final class FlashLineVersions {
    /** Where a PATCH record's runs start: kind, app, line, base, depth, crc. */
    private static final int PATCH_RUNS = 1 + 4 + 8 + 8 + 1 + 4;

    private FlashLineVersions() {
    }

    /** A line version's record read: its app and line, its patch's header ({@code null}: a LINE), where its bytes start. */
    record Parsed(int app, long line, FlashPatches.Header patch, int dataAt) {
    }

    /**
     * The record that makes {@code data} line {@code lineId}'s next version, after the version {@code previous}
     * ({@code null}: the line has none); {@code null} when it is the same. A PACKED_PATCH as
     * {@link FlashPatches#chooseSkipping} chooses it, else a LINE.
     */
    static byte[] record(FlashHeap h, long lineId, byte[] data, Version previous) {
        if (previous != null && Arrays.equals(previous.data(), data)) {
            return null;
        }
        if (previous != null) {
            FlashPatches.Patch patch = FlashPatches.chooseSkipping(data, previous);
            if (patch != null) {
                return patch(h.number, lineId, new FlashPatches.Header(patch.base(), patch.depth(), patch.number(),
                        LinePatches.crc32c(data)), patch.runs());
            }
        }
        return whole(h, lineId, data);
    }

    /** A LINE record: the whole of line {@code lineId}. */
    static byte[] whole(FlashHeap h, long lineId, byte[] data) {
        return FlashRecord.of(FlashRecord.LINE).u4(h.number).u8(lineId).bytes(data).toBytes();
    }

    /** A PACKED_PATCH record of line {@code lineId} of app {@code app} (see the class's layout). */
    static byte[] patch(int app, long lineId, FlashPatches.Header p, byte[] runs) {
        return FlashRecord.of(FlashRecord.PACKED_PATCH).varint(app).varint(lineId).varint(p.base()).u1(p.depth())
                .varint(p.number()).u4(p.crc()).bytes(runs).toBytes();
    }

    /**
     * Line {@code lineId} of heap {@code h}, from its version's record named at {@code at} and the chain below it; the
     * versions read carry where they lie now ({@link FlashLog#resolve}), which new patches name.
     */
    static Version read(FlashLog log, FlashHeap h, long lineId, long at) throws IOException {
        long here = log.resolve(at);
        byte[] record = log.record(here);
        Parsed p = parse(record, here);
        if (p.app() != h.number || p.line() != lineId) {
            throw new IOException("the flash store's index points at another line's record at " + here + " for line "
                    + lineId + " of app '" + h.name + "'");
        }
        if (p.patch() == null) {
            if (record.length != p.dataAt() + h.lineSize) {
                throw new IOException("the LINE record at " + here + " holds " + (record.length - p.dataAt())
                        + " bytes, not a " + h.lineSize + "-byte line of app '" + h.name + "'");
            }
            return Version.whole(Arrays.copyOfRange(record, p.dataAt(), record.length), here);
        }
        FlashPatches.checkHeader(p.patch(), here, "the PATCH record");
        Version base = read(log, h, lineId, p.patch().base());
        return FlashPatches.patched(p.patch(), base, h.lineSize, Arrays.copyOfRange(record, p.dataAt(), record.length),
                here, "the PATCH record", "line");
    }

    /**
     * The app, line, patch header and where the bytes start of the line version's record {@code record} (read at
     * {@code at}, for messages).
     *
     * @throws IOException when it is not a LINE, PATCH or PACKED_PATCH record, or ends inside its fields
     */
    static Parsed parse(byte[] record, long at) throws IOException {
        byte kind = record.length == 0 ? 0 : record[0];
        if (kind == FlashRecord.PACKED_PATCH) {
            FlashRecord.Fields f = new FlashRecord.Fields(record, 1);
            long app = f.varint();
            long line = f.varint();
            long base = f.varint();
            int depth = f.u1();
            long number = f.varint();
            FlashPatches.Header header = new FlashPatches.Header(base, depth, number, f.u4());
            if (app > Integer.MAX_VALUE) {
                throw new IOException("the PACKED_PATCH record at " + at + " names app number " + app);
            }
            return new Parsed((int) app, line, header, f.position());
        }
        boolean line = kind == FlashRecord.LINE && record.length >= FlashRecord.LINE_DATA;
        if (!line && !(kind == FlashRecord.PATCH && record.length >= PATCH_RUNS)) {
            throw new IOException("the flash store's index points at a record of kind " + (record.length == 0 ? "none"
                    : kind) + " at " + at + ", not a line's version");
        }
        ByteBuffer b = ByteBuffer.wrap(record, 1, (line ? FlashRecord.LINE_DATA : PATCH_RUNS) - 1);
        int app = b.getInt();
        long lineId = b.getLong();
        if (line) {
            return new Parsed(app, lineId, null, FlashRecord.LINE_DATA);
        }
        long base = b.getLong();
        int depth = b.get() & 0xFF;
        return new Parsed(app, lineId, new FlashPatches.Header(base, depth, depth, b.getInt()), PATCH_RUNS);
    }
}
