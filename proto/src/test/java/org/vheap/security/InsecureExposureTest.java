package org.vheap.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which listeners are warned about, and what the warning tells the operator to do. */
class InsecureExposureTest {

    @Test
    void loopbackListenersAreNotWarnedAbout() {
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
            assertThat(InsecureExposure.warning("heap server", host, false, false)).as(host).isEmpty();
        }
    }

    @Test
    void everyInterfaceWithoutTlsOrTokensNamesBothOptions() {
        assertThat(InsecureExposure.warning("heap server", "0.0.0.0", false, false)).hasValueSatisfying(w -> assertThat(w)
                .contains("listens on 0.0.0.0 without TLS and without access tokens")
                .contains("read, change and delete every app's heap")
                .contains("--tls-self-signed DIR").contains("--require-tokens"));
        assertThat(InsecureExposure.warning("heap server", "::", false, false)).isPresent();
        assertThat(InsecureExposure.warning("heap server", "heap-1.example", false, false)).isPresent();
    }

    @Test
    void onlyWhatIsMissingIsNamed() {
        assertThat(InsecureExposure.warning("heap server", "0.0.0.0", true, false)).hasValueSatisfying(w -> assertThat(w)
                .contains("without access tokens").doesNotContain("without TLS").contains("start it with --require-tokens"));
        assertThat(InsecureExposure.warning("heap server", "0.0.0.0", false, true)).hasValueSatisfying(w -> assertThat(w)
                .contains("without TLS").contains("clear text").doesNotContain("--require-tokens"));
        assertThat(InsecureExposure.warning("heap server", "0.0.0.0", true, true)).isEmpty();
    }

    @Test
    void aGatewayIsWarnedOnlyAboutTls() {
        assertThat(InsecureExposure.warning("gateway", "0.0.0.0", true, null)).isEmpty();
        assertThat(InsecureExposure.warning("gateway", "10.1.2.3", false, null)).hasValueSatisfying(w -> assertThat(w)
                .startsWith("the gateway listens on 10.1.2.3 without TLS").doesNotContain("--require-tokens"));
    }
}
