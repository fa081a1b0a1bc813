package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bound on uploads kept for warming: a reservation over it is refused and counts nothing. */
class WarmingBudgetTest {

    @Test
    void reservationsStayWithinTheBoundAndReleasesFreeThem() {
        WarmingBudget b = new WarmingBudget(100);
        assertThat(b.reserve(60)).isTrue();
        assertThat(b.reserve(50)).isFalse();
        assertThat(b.held()).isEqualTo(60);
        assertThat(b.reserve(40)).isTrue();
        assertThat(b.reserve(1)).isFalse();
        b.release(60);
        assertThat(b.reserve(50)).isTrue();
        assertThat(b.held()).isEqualTo(90);
        assertThat(b.reserve(101)).isFalse();
    }
}
