package org.vheap.device.vm.heap.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReadAheadTest {
    @Test
    void aRunDoublesItsWindowUpToTheMost() {
        ReadAhead ra = new ReadAhead(16);
        assertThat(ra.onMiss(100)).as("a first miss reads the line alone").isZero();
        assertThat(ra.onMiss(101)).isEqualTo(2);
        assertThat(ra.onMiss(104)).isEqualTo(4);     // the run covered 101-103
        assertThat(ra.onMiss(109)).isEqualTo(8);
        assertThat(ra.onMiss(118)).isEqualTo(16);
        assertThat(ra.onMiss(135)).isEqualTo(16);
    }

    @Test
    void aMissALittleBehindTheRunContinuesIt() {
        ReadAhead ra = new ReadAhead(8);
        ra.onMiss(40);
        assertThat(ra.onMiss(43)).isEqualTo(2);
        assertThat(ra.onMiss(43 - ReadAhead.NEAR)).as("objects name objects a few lines back").isEqualTo(4);
    }

    @Test
    void aFarMissEndsTheRun() {
        ReadAhead ra = new ReadAhead(8);
        ra.onMiss(10);
        assertThat(ra.onMiss(11)).isEqualTo(2);
        assertThat(ra.onMiss(13 + ReadAhead.NEAR + 1)).isZero();
        assertThat(ra.onMiss(500)).isZero();
        assertThat(ra.onMiss(499)).isEqualTo(2);
    }

    @Test
    void windowZeroNeverReadsAhead() {
        ReadAhead ra = new ReadAhead(0);
        for (long line = 0; line < 20; line++) {
            assertThat(ra.onMiss(line)).isZero();
        }
        assertThatThrownBy(() -> new ReadAhead(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWalkHasPassedTheLinesBelowItsHighestMissAndIsAboutToReachThoseAbove() {
        ReadAhead ra = new ReadAhead(8, 100);
        ra.onMiss(100);
        ra.onMiss(101);
        assertThat(ra.nextPassed()).as("two misses are not yet a walk").isEqualTo(-1);
        assertThat(ra.isAhead(110)).isFalse();
        ra.onMiss(104);
        assertThat(ra.nextPassed()).as("nothing %d lines below the highest miss", ReadAhead.NEAR).isEqualTo(-1);
        ra.onMiss(110);
        ra.onMiss(120);
        for (long line = 100; line < 120 - ReadAhead.NEAR; line++) {
            assertThat(ra.nextPassed()).isEqualTo(line);
        }
        assertThat(ra.nextPassed()).as("each passed line is given once").isEqualTo(-1);
        assertThat(ra.isAhead(99)).isFalse();
        assertThat(ra.isAhead(111)).as("passed").isFalse();
        assertThat(ra.isAhead(112)).as("within NEAR below the highest miss").isTrue();
        assertThat(ra.isAhead(220)).as("a memory's worth above it").isTrue();
        assertThat(ra.isAhead(221)).isFalse();
        ra.onMiss(5000);
        assertThat(ra.nextPassed()).as("a far miss ends the walk").isEqualTo(-1);
        assertThat(ra.isAhead(130)).isFalse();
    }

    @Test
    void aWalkEndsOnceAMemorysWorthWasEvictedSinceItsLastMiss() {
        ReadAhead ra = new ReadAhead(8, 100);
        for (long line : new long[] {100, 101, 104, 110, 120}) {
            ra.onMiss(line);
        }
        ra.evicted(60);
        ra.evicted(40);
        assertThat(ra.isAhead(130)).as("a memory's worth evicted: still the walk").isTrue();
        ra.evicted(1);
        assertThat(ra.isAhead(130)).as("the program left the walk").isFalse();
        assertThat(ra.nextPassed()).isEqualTo(-1);
        ra.onMiss(125);
        assertThat(ra.isAhead(130)).as("a miss that continues it").isTrue();
        assertThat(ra.nextPassed()).isEqualTo(100);
    }
}
