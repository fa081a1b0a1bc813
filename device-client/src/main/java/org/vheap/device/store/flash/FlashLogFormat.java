package org.vheap.device.store.flash;

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
 * A block's last bytes, too few for a header, are zero padding. A fragment whose checksum fails, whose type is
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

    private FlashLogFormat() {
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
