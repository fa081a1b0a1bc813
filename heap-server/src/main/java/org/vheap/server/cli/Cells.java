package org.vheap.server.cli;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How the store commands print sizes and times in their tables ({@link org.vheap.cli.TextTable}) and lines. */
final class Cells {
    private Cells() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 16.0 MiB}, {@code 1.25 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1 << 20) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        if (n < 1L << 30) {
            return String.format("%.1f MiB", n / 1048576.0);
        }
        return String.format("%.2f GiB", n / 1073741824.0);
    }

    /** The instant in ISO-8601, to the second ({@code 2024-05-01T12:00:00Z}). */
    static String time(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
