package org.vheap.cli;

import java.nio.charset.Charset;

/**
 * How the benches print a latency given in nanoseconds: below 10 µs with one decimal ({@code 7.3 µs}),
 * below 10 ms in whole microseconds ({@code 512 µs}), else in milliseconds with one decimal
 * ({@code 12.5 ms}). The microsecond unit is {@code µs} where the default charset can encode {@code µ},
 * else {@code us}: {@link #micro()}, for the benches' other lines.
 */
public final class LatencyFormat {
    private final String micro;

    /** The unit chosen by the default charset. */
    public LatencyFormat() {
        this(Charset.defaultCharset());
    }

    /** The unit chosen by {@code charset}: {@code µs} if it can encode {@code µ}, else {@code us}. */
    public LatencyFormat(Charset charset) {
        micro = charset.newEncoder().canEncode('\u00b5') ? "\u00b5s" : "us";
    }

    /** The microsecond unit: {@code µs} or {@code us}. */
    public String micro() {
        return micro;
    }

    /** The latency with its unit, as above. */
    public String format(long nanos) {
        if (nanos < 10_000) {
            return String.format("%.1f %s", nanos / 1000.0, micro);
        }
        if (nanos < 10_000_000) {
            return (nanos + 500) / 1000 + " " + micro;
        }
        return String.format("%.1f ms", nanos / 1e6);
    }
}
