package org.vheap.device.store.flash;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * A flash store's heap log as its records are read back by position: the position a record names (a patch's base)
 * followed to where the record lies now when a cleaning moved it ({@link FlashCleaning}'s forwards), and a version
 * kept only as a base ({@link FlashRecord#KEPT}) unwrapped. The forwards are the store's, guarded by its monitor.
 */
final class FlashLog {
    final FlashMedium medium;
    final int blockSize;
    private final Map<Long, Long> forwards;

    /** A log no cleaning moved records of. */
    FlashLog(FlashMedium medium, int blockSize) {
        this(medium, blockSize, Map.of());
    }

    FlashLog(FlashMedium medium, int blockSize, Map<Long, Long> forwards) {
        this.medium = medium;
        this.blockSize = blockSize;
        this.forwards = forwards;
    }

    /** Where the record a record names at {@code at} lies now. */
    long resolve(long at) {
        return forwards.getOrDefault(at, at);
    }

    /**
     * The record named at {@code at}, read where it lies now, unwrapped when kept as a base.
     *
     * @throws IOException when no whole record lies there: the medium went bad
     */
    byte[] record(long at) throws IOException {
        return unwrapped(FlashLogReader.readAt(medium, blockSize, resolve(at)));
    }

    /** {@code record} without its KEPT wrapper, if it has one. */
    static byte[] unwrapped(byte[] record) {
        return record.length > 0 && record[0] == FlashRecord.KEPT ? Arrays.copyOfRange(record, 1, record.length)
                : record;
    }
}
