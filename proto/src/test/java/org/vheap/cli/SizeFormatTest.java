package org.vheap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import org.junit.jupiter.api.Test;

/** Sizes and instants as the tables print them. */
class SizeFormatTest {

    @Test
    void bytesInTheLargestBinaryUnitTheyReach() {
        assertThat(SizeFormat.bytes(0)).isEqualTo("0 B");
        assertThat(SizeFormat.bytes(1023)).isEqualTo("1023 B");
        assertThat(SizeFormat.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(SizeFormat.bytes(16L << 20)).isEqualTo("16.0 MiB");
        assertThat(SizeFormat.bytes((5L << 30) / 4)).isEqualTo("1.25 GiB");
    }

    @Test
    void instantsToTheSecondInUtc() {
        assertThat(TimestampFormat.seconds(Timestamp.newBuilder().setSeconds(1714564800L).setNanos(999_000_000).build()))
                .isEqualTo("2024-05-01T12:00:00Z");
    }
}
