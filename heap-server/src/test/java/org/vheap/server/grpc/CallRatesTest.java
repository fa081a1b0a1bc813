package org.vheap.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.vheap.store.StoreException;

/** The token buckets of the apps' quotas of calls per second, on a clock the test moves. */
class CallRatesTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final CallRates rates = new CallRates(nanos::get);

    private int admitted(String app, int perSecond, int calls) {
        int ok = 0;
        for (int i = 0; i < calls; i++) {
            try {
                rates.admit(app, perSecond);
                ok++;
            } catch (StoreException e) {
                assertThat(e.reason()).isEqualTo(StoreException.Reason.THROTTLED);
            }
        }
        return ok;
    }

    @Test
    void aBurstOfASecondsWorthThenTheRate() {
        assertThat(admitted("a", 10, 25)).as("a full bucket: one second's worth").isEqualTo(10);
        nanos.addAndGet(500_000_000L);
        assertThat(admitted("a", 10, 25)).as("half a second refills half").isEqualTo(5);
        nanos.addAndGet(60_000_000_000L);
        assertThat(admitted("a", 10, 25)).as("a long pause refills no more than a second's worth").isEqualTo(10);
    }

    @Test
    void aThrottledCallNamesTheQuotaAndTheWaitAndEachAppHasItsOwnBucket() {
        admitted("a", 4, 4);
        assertThatThrownBy(() -> rates.admit("a", 4)).isInstanceOf(StoreException.class)
                .hasMessage("app 'a' is over its quota of 4 calls per second; retry in 250 ms");
        nanos.addAndGet(100_000_000L);
        assertThatThrownBy(() -> rates.admit("a", 4)).hasMessageEndingWith("retry in 150 ms");
        assertThat(admitted("b", 4, 4)).isEqualTo(4);
    }
}
