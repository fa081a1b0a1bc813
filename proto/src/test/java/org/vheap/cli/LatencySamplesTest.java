package org.vheap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Nearest-rank percentiles and the mean of nanosecond samples, and how a latency is printed. */
class LatencySamplesTest {
    @Test
    void nearestRankPercentilesAndMeanGrowingPastTheCapacity() {
        LatencySamples s = new LatencySamples(1);
        for (long v = 100; v >= 1; v--) {
            s.add(v * 1000);
        }
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.percentile(50)).isEqualTo(50_000);
        assertThat(s.percentile(99)).isEqualTo(99_000);
        assertThat(s.percentile(100)).isEqualTo(100_000);
        assertThat(s.percentile(0.1)).isEqualTo(1_000);
        assertThat(s.mean()).isEqualTo(50_500);
    }

    @Test
    void noSamplesGiveZero() {
        LatencySamples s = new LatencySamples();
        assertThat(s.count()).isZero();
        assertThat(s.percentile(50)).isZero();
        assertThat(s.mean()).isZero();
    }

    @Test
    void latenciesInMicrosecondsOrMilliseconds() {
        LatencyFormat utf8 = new LatencyFormat(StandardCharsets.UTF_8);
        assertThat(utf8.micro()).isEqualTo("\u00b5s");
        assertThat(utf8.format(7_340)).isEqualTo(String.format("%.1f \u00b5s", 7.34));
        assertThat(utf8.format(511_600)).isEqualTo("512 \u00b5s");
        assertThat(utf8.format(12_500_000)).isEqualTo(String.format("%.1f ms", 12.5));
        assertThat(new LatencyFormat(StandardCharsets.US_ASCII).format(511_600)).isEqualTo("512 us");
    }
}
