package org.vheap.device.store.flash;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What the flash tests read out of a log: its records in order, or their kinds. */
final class FlashLogRecords {
    private FlashLogRecords() {
    }

    /** Every whole record of the log on {@code medium} ({@code blockSize}-byte blocks), in order, format record first. */
    static List<byte[]> of(FlashMedium medium, int blockSize) throws IOException {
        List<byte[]> records = new ArrayList<>();
        FlashLogReader reader = new FlashLogReader(medium, blockSize);
        for (byte[] r = reader.next(); r != null; r = reader.next()) {
            records.add(r);
        }
        return records;
    }

    /** A record and where it starts. */
    record At(long start, byte[] record) {
    }

    /** Every whole record of the log with where it starts, in order. */
    static List<At> positioned(FlashMedium medium, int blockSize) throws IOException {
        List<At> records = new ArrayList<>();
        FlashLogReader reader = new FlashLogReader(medium, blockSize);
        for (byte[] r = reader.next(); r != null; r = reader.next()) {
            records.add(new At(reader.start(), r));
        }
        return records;
    }

    /** The kinds of those records ({@link FlashRecord}'s), in order. */
    static List<Byte> kinds(FlashMedium medium, int blockSize) throws IOException {
        return of(medium, blockSize).stream().map(r -> r[0]).toList();
    }
}
