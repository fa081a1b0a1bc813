package org.vheap.device.store.flash;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * A {@link FlashMedium} in memory that crashes on demand, as flash does under a power loss: what was synced stays,
 * of what was not only a prefix does (cut at any byte, inside a record or at its boundary), and the cut may leave
 * bytes that were never written (a torn write).
 */
final class FaultyFlashMedium implements FlashMedium {
    private byte[] bytes = new byte[0];
    private int size;
    private int synced;
    private boolean syncFails;

    @Override
    public long size() {
        return size;
    }

    @Override
    public void append(ByteBuffer in) {
        int n = in.remaining();
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
        }
        in.get(bytes, size, n);
        size += n;
    }

    @Override
    public int read(long position, ByteBuffer into) {
        int n = (int) Math.max(0, Math.min(into.remaining(), size - position));
        into.put(bytes, (int) position, n);
        return n;
    }

    @Override
    public void sync() throws java.io.IOException {
        if (syncFails) {
            throw new java.io.IOException("the medium refused to sync (a test's fault)");
        }
        synced = size;
    }

    /** From now on every {@link #sync} fails, as a medium that wore out or was pulled does. */
    void failSyncs() {
        syncFails = true;
    }

    @Override
    public void truncate(long newSize) {
        size = (int) Math.min(size, newSize);
        synced = Math.min(synced, size);
    }

    @Override
    public void close() {
    }

    int synced() {
        return synced;
    }

    /** The medium after a crash that kept its first {@code keep} bytes (at least what was synced), then {@code torn}. */
    FaultyFlashMedium crash(int keep, byte[] torn) {
        if (keep < synced || keep > size) {
            throw new IllegalArgumentException("keep " + keep + " of " + size + " bytes, " + synced + " synced");
        }
        FaultyFlashMedium after = new FaultyFlashMedium();
        after.append(ByteBuffer.wrap(bytes, 0, keep));
        after.append(ByteBuffer.wrap(torn));
        after.synced = after.size;
        return after;
    }

    /** A crash at a random byte after the synced ones, leaving up to 40 random bytes behind it. */
    FaultyFlashMedium crash(Random random) {
        int keep = synced + random.nextInt(size - synced + 1);
        byte[] torn = new byte[random.nextInt(41)];
        random.nextBytes(torn);
        return crash(keep, torn);
    }

    /** Flips one bit of the byte at {@code position}: a medium that went bad there. */
    void flip(int position, int bit) {
        bytes[position] ^= (byte) (1 << bit);
    }
}
