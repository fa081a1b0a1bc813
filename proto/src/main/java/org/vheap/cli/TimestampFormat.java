package org.vheap.cli;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How the command lines print an instant the server sent (a checkpoint's time, a lease's expiry, a device's
 * connection): ISO-8601 in UTC, to the second ({@code 2024-05-01T12:00:00Z}).
 */
public final class TimestampFormat {
    private TimestampFormat() {
    }

    /** {@code t} to the second, as above. */
    public static String seconds(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
