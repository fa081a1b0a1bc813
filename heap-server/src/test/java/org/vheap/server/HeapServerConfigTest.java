package org.vheap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration's own checks (the CLI's are in VheapCliTest). */
class HeapServerConfigTest {

    @Test
    void theDatabaseCheckIntervalIsBounded() {
        assertThat(new HeapServerConfig().dbCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(new HeapServerConfig().setDbCheckInterval(Duration.ofMillis(100)).validate().dbCheckInterval())
                .isEqualTo(Duration.ofMillis(100));
        assertThat(new HeapServerConfig().setDbCheckInterval(Duration.ofMinutes(10)).dbCheckInterval())
                .isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> new HeapServerConfig().setDbCheckInterval(Duration.ofMillis(99)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--db-check-interval must be 100 ms to 10 min, got 99 ms");
        assertThatThrownBy(() -> new HeapServerConfig().setDbCheckInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0 s");
        assertThatThrownBy(() -> new HeapServerConfig().setDbCheckInterval(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--db-check-interval");
        assertThatThrownBy(() -> new HeapServerConfig().setDbCheckInterval(Duration.ofMinutes(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--db-check-interval must be 100 ms to 10 min, got 660 s");
        assertThatThrownBy(() -> new HeapServerConfig().setDbCheckInterval(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got nothing");
    }
}
