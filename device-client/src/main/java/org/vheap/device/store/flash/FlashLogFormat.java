package org.vheap.device.store.flash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The flash log's bytes: a sequence of blocks of a fixed size (the medium's write block, {@code --flash-block}),
 * each holding fragments; a record (a byte string) is one {@link #FULL} fragment, or a {@link #FIRST}, any
 * {@link #MIDDLE}s and a {@link #LAST} in the blocks that follow, so no fragment crosses a block boundary (the
 * layout of LevelDB's log). A fragment is
 * <pre>
 *   crc32c  u4   CRC-32C of the type, the length and the payload
 *   length  u4   the payload's bytes, big-endian
 *   type    u1   FULL, FIRST, MIDDLE or LAST
 *   payload length bytes
 * </pre>
 * A block's last bytes, too few for a header, are zero padding. A log's first record names its format and block
 * size ({@link #formatRecord}), so a log is always read with the blocks it was written in. A fragment whose checksum fails, whose type is
 * unknown, or that breaks the FIRST..LAST order ends the log: what a torn write or a lost unsynced tail leaves.
 */
final class FlashLogFormat {
    static final int HEADER = 9;
    static final byte FULL = 1;
    static final byte FIRST = 2;
    static final byte MIDDLE = 3;
    static final byte LAST = 4;
    /** The smallest block: a header and some payload, so every record advances. */
    static final int MIN_BLOCK = 64;

    /** The first record of every log: this magic, then the format's version and the log's block size (u4 each). */
    static final byte[] MAGIC = {'v', 'h', 'f', 'l', 'a', 's', 'h', 0};
    /**
     * The format this device writes: 4 (the heap's log in segments, which a cleaning's snapshot segments begin with
     * REF, COMMIT_REF, BLOB_REF, KEPT and FORWARD records); 3 patched lines as PACKED_PATCH records, on skip-deltas;
     * 2 had the blobs in a log of their own with MARK records, patches of lines (PATCH) and states. It reads logs of
     * versions 1 to 3 too, and goes on appending version 4 records to them (an older device does not read them back).
     */
    static final int VERSION = 4;
    /** The first record's bytes: it fits the smallest block, so it is read before the block size is known. */
    static final int FORMAT_RECORD = MAGIC.length + 8;

    private FlashLogFormat() {
    }

    /** The first record of a log of {@code blockSize}-byte blocks. */
    static byte[] formatRecord(int blockSize) {
        return ByteBuffer.allocate(FORMAT_RECORD).put(MAGIC).putInt(VERSION).putInt(blockSize).array();
    }

    /**
     * The block size a log's first record names.
     *
     * @throws IOException when the medium holds no such record: not a flash log, or a newer format
     */
    static int blockSizeOf(FlashMedium medium) throws IOException {
        return blockSizeAt(medium, 0);
    }

    /**
     * Whether a log's first record lies at {@code position} of {@code medium} (a block boundary): where a log begins,
     * at 0 or at a cleaning's snapshot segment ({@link FlashSegments}).
     */
    static boolean beginsAt(FlashMedium medium, long position) throws IOException {
        byte[] first = formatRecordAt(medium, position);
        return first != null && java.util.Arrays.equals(first, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * The block size the log's first record at {@code position} names.
     *
     * @throws IOException when no such record lies there: not a flash log, or a newer format
     */
    static int blockSizeAt(FlashMedium medium, long position) throws IOException {
        if (!beginsAt(medium, position)) {
            throw new IOException("it is not a flash store's log (its first record is not the format's)");
        }
        ByteBuffer b = ByteBuffer.wrap(formatRecordAt(medium, position), MAGIC.length, 8);
        int version = b.getInt();
        int blockSize = b.getInt();
        if (version < 1 || version > VERSION) {
            throw new IOException("its log is of format version " + version + "; this device reads versions 1 to "
                    + VERSION);
        }
        checkBlockSize(blockSize);
        return blockSize;
    }

    /**
     * The payload of the FULL fragment of a format record's size at {@code position}, checksum right; else null. A
     * log's first fragment lies at a block boundary, so it is whole there whatever the block size.
     */
    private static byte[] formatRecordAt(FlashMedium medium, long position) throws IOException {
        ByteBuffer fragment = ByteBuffer.allocate(HEADER + FORMAT_RECORD);
        if (medium.read(position, fragment) != fragment.capacity() || fragment.getInt(4) != FORMAT_RECORD
                || fragment.get(8) != FULL) {
            return null;
        }
        byte[] payload = java.util.Arrays.copyOfRange(fragment.array(), HEADER, fragment.capacity());
        return checksum(FULL, payload, 0, payload.length) == fragment.getInt(0) ? payload : null;
    }

    /** The checksum of a fragment: its type, its length and its payload. */
    static int checksum(byte type, byte[] payload, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(type);
        crc.update(ByteBuffer.allocate(4).putInt(0, length));
        crc.update(payload, offset, length);
        return (int) crc.getValue();
    }

    static void checkBlockSize(int blockSize) {
        if (blockSize < MIN_BLOCK) {
            throw new IllegalArgumentException("a flash block must be at least " + MIN_BLOCK + " bytes, got "
                    + blockSize);
        }
    }
}
