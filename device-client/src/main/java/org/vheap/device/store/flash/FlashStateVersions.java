package org.vheap.device.store.flash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.vheap.device.store.flash.FlashPatches.Version;
import org.vheap.store.LinePatches;

/**
 * A checkpoint's VM state in a flash log: a COMMIT record holds it whole; a COMMIT_PATCH record only the runs that
 * differ from the VM state of an older checkpoint of the app, which it names by the position of its record (between
 * two checkpoints of a running app, a few dozen bytes of a VM state of tens of KiB change). Either record commits
 * the checkpoint. A state is read back by reading its chain, as {@link FlashPatches} bounds it.
 *
 * <pre>
 *   COMMIT_PATCH  app u4, checkpoint u8, base u8, depth u1, length u4, crc u4, runs
 *                 base: the position of the COMMIT or COMMIT_PATCH whose state it patches (before this record),
 *                 cut or zero-extended to length first; depth: the base's plus one; crc: CRC-32C of the state it makes
 * </pre>
 *
 * {@link #read} fails fast ({@link IOException}) on a chain that is not one: a base not before its patch, a depth
 * that is not one more than its base's, another app's record, or a state whose CRC is not the one its patch names.
 */
final class FlashStateVersions {
    /** Where a COMMIT_PATCH record's base starts: kind, app, checkpoint. */
    private static final int PATCH_BASE = 1 + 4 + 8;
    /** Where a COMMIT_PATCH record's runs start: its base, depth, length and crc after the checkpoint. */
    static final int PATCH_RUNS = PATCH_BASE + 8 + 1 + 4 + 4;

    private FlashStateVersions() {
    }

    /**
     * The record that commits checkpoint {@code id} of {@code h} with VM state {@code state}, after the checkpoint
     * whose state is {@code previous} ({@code null}: none): a COMMIT_PATCH where
     * {@link FlashPatches#choose} finds one smaller than the state, else a COMMIT.
     */
    static byte[] record(FlashHeap h, long id, byte[] state, Version previous) {
        FlashPatches.Patch patch = previous == null ? null : FlashPatches.choose(state, previous);
        if (patch == null || PATCH_RUNS + patch.runs().length >= FlashRecord.COMMIT_STATE + state.length) {
            return whole(h, id, state);
        }
        return FlashRecord.of(FlashRecord.COMMIT_PATCH).u4(h.number).u8(id).u8(patch.base()).u1(patch.depth())
                .u4(state.length).u4(LinePatches.crc32c(state)).bytes(patch.runs()).toBytes();
    }

    /** A COMMIT record: checkpoint {@code id} with its whole VM state. */
    static byte[] whole(FlashHeap h, long id, byte[] state) {
        return FlashRecord.of(FlashRecord.COMMIT).u4(h.number).u8(id).bytes(state).toBytes();
    }

    /** The VM state of the checkpoint of {@code h} whose record is named at {@code at}, and the chain below it. */
    static Version read(FlashLog log, FlashHeap h, long named) throws IOException {
        long at = log.resolve(named);
        byte[] record = log.record(at);
        boolean whole = record.length >= FlashRecord.COMMIT_STATE && record[0] == FlashRecord.COMMIT;
        if (!whole && (record.length < PATCH_RUNS || record[0] != FlashRecord.COMMIT_PATCH)) {
            throw new IOException("the flash store's index points at a record of kind " + (record.length == 0 ? "none"
                    : record[0]) + " at " + at + ", not a checkpoint's");
        }
        if (ByteBuffer.wrap(record, 1, 4).getInt() != h.number) {
            throw new IOException("the flash store's index points at another app's checkpoint at " + at + " for app '"
                    + h.name + "'");
        }
        if (whole) {
            return Version.whole(Arrays.copyOfRange(record, FlashRecord.COMMIT_STATE, record.length), at);
        }
        FlashPatches.Header p = patchOf(record);
        int length = ByteBuffer.wrap(record, PATCH_BASE + 9, 4).getInt();
        FlashPatches.checkHeader(p, at, "the COMMIT_PATCH record");
        if (length < 0) {
            throw new IOException("the COMMIT_PATCH record at " + at + " names a state of " + length + " bytes");
        }
        Version base = read(log, h, p.base());
        return FlashPatches.patched(p, base, length, Arrays.copyOfRange(record, PATCH_RUNS, record.length), at,
                "the COMMIT_PATCH record", "state");
    }

    /** The base, depth and crc of the COMMIT_PATCH record {@code record}, or {@code null} for a COMMIT. */
    static FlashPatches.Header patchOf(byte[] record) {
        if (record.length < PATCH_RUNS || record[0] != FlashRecord.COMMIT_PATCH) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(record, PATCH_BASE, PATCH_RUNS - PATCH_BASE);
        long base = b.getLong();
        int depth = b.get() & 0xFF;
        b.getInt();   // the length
        return new FlashPatches.Header(base, depth, depth, b.getInt());
    }
}
