package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration refuses impossible values with a message naming what to fix. */
class GatewayConfigTest {

    @Test
    void defaultsAndAValidConfiguration() {
        GatewayConfig c = new GatewayConfig().setBackends(List.of("127.0.0.1:7700", "heap-2:7701", "[::1]:7702"))
                .validate();
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(7800);
        assertThat(c.backends()).containsExactly(new BackendAddress("127.0.0.1", 7700),
                new BackendAddress("heap-2", 7701), new BackendAddress("::1", 7702));
        assertThat(c.backends().get(2)).hasToString("[::1]:7702");
        assertThat(c.maxMessageBytes()).isEqualTo(16 << 20);
    }

    @Test
    void portsOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> new GatewayConfig().setPort(-1)).hasMessageContaining("--port must be 0..65535");
        assertThatThrownBy(() -> new GatewayConfig().setPort(65536)).hasMessageContaining("--port must be 0..65535");
        assertThat(new GatewayConfig().setPort(0).port()).isZero();
    }

    @Test
    void aConfigurationWithoutBackendsIsRefused() {
        assertThatThrownBy(() -> new GatewayConfig().validate()).hasMessageContaining("at least one --backend HOST:PORT");
        assertThatThrownBy(() -> new GatewayConfig().setBackends(List.of())).hasMessageContaining("at least one --backend");
    }

    @Test
    void badBackendsAreRefusedNamingTheValue() {
        for (String bad : List.of("foo", "foo:", ":7700", "foo:bar", "1.2.3.4:70000", "1.2.3.4:0", "::1:7700",
                "a b:7700", "")) {
            assertThatThrownBy(() -> new GatewayConfig().setBackends(List.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--backend");
        }
        assertThatThrownBy(() -> BackendAddress.parse("foo")).hasMessage("--backend 'foo' is not HOST:PORT");
        assertThatThrownBy(() -> new GatewayConfig().setBackends(List.of("h:1", "h:1"))).hasMessageContaining("given twice");
    }

    @Test
    void otherImpossibleValuesAreRefused() {
        assertThatThrownBy(() -> new GatewayConfig().setHost(" ")).hasMessageContaining("--host");
        assertThatThrownBy(() -> new GatewayConfig().setMaxMessageBytes(1000)).hasMessageContaining("--max-message");
        assertThatThrownBy(() -> new GatewayConfig().setDrain(Duration.ofSeconds(-1))).hasMessageContaining("drain");
    }
}
