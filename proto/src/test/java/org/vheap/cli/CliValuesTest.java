package org.vheap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Option values as every command line reads them; a bad one is one line naming the option and the value. */
class CliValuesTest {

    @Test
    void sizesInEveryWayTheCommandsAcceptThem() {
        assertThat(CliValues.bytes("--x", "65536")).isEqualTo(65536);
        assertThat(CliValues.bytes("--x", "4K")).isEqualTo(4096);
        assertThat(CliValues.bytes("--x", "4kb")).isEqualTo(4096);
        assertThat(CliValues.bytes("--x", "1MiB")).isEqualTo(1 << 20);
        assertThat(CliValues.positiveBytes("--memory", "512k")).isEqualTo(512 << 10);
        assertThatThrownBy(() -> CliValues.positiveBytes("--memory", "0"))
                .hasMessage("--memory must be more than 0 bytes, got '0'");
        assertThatThrownBy(() -> CliValues.positiveBytes("--memory", "lots"))
                .hasMessage("--memory 'lots' is not a size (e.g. 65536, 64k, 256m, 1g)");
        assertThatThrownBy(() -> CliValues.bytes("--memory", "99999999999g")).hasMessage("--memory '99999999999g' is too large");
    }

    @Test
    void rangesAndLineSizes() {
        assertThat(CliValues.range("--runs", 20, 1, 20)).isEqualTo(20);
        assertThatThrownBy(() -> CliValues.range("--runs", 0, 1, 20)).hasMessage("--runs must be 1..20, got 0");
        assertThat(CliValues.powerOfTwo("--line-size", 4096, 64, 1 << 20)).isEqualTo(4096);
        assertThatThrownBy(() -> CliValues.powerOfTwo("--line-size", 4000, 64, 1 << 20))
                .hasMessage("--line-size must be a power of two from 64 to 1048576, got 4000");
        assertThatThrownBy(() -> CliValues.powerOfTwo("--line-size", 32, 64, 1 << 20)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressesAreHostColonPort() {
        assertThat(CliValues.hostPort("--server", "localhost:7700")).isEqualTo("localhost:7700");
        assertThat(CliValues.hostPort("--server", "10.0.0.1:1")).isEqualTo("10.0.0.1:1");
        for (String bad : new String[] {"nonsense", "host:", ":7700", "a b:1", "host:123456"}) {
            assertThatThrownBy(() -> CliValues.hostPort("--server", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--server must be HOST:PORT, got '" + bad + "'");
        }
        assertThatThrownBy(() -> CliValues.hostPort("--gateway", null)).hasMessage("--gateway must be HOST:PORT, got 'null'");
    }

    @Test
    void durationsPrintInWholeSecondsElseMilliseconds() {
        assertThat(CliValues.format(java.time.Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(CliValues.format(java.time.Duration.ofMinutes(3))).isEqualTo("180 s");
        assertThat(CliValues.format(java.time.Duration.ofMillis(250))).isEqualTo("250 ms");
        assertThat(CliValues.format(java.time.Duration.ofMillis(1500))).isEqualTo("1500 ms");
        assertThat(CliValues.format(java.time.Duration.ZERO)).isEqualTo("0 s");
    }
}
