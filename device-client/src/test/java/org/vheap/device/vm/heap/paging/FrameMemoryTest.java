package org.vheap.device.vm.heap.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.ManualClock;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.format.ObjectLayout;
import org.vheap.server.testing.TestHeaps;

/** {@link FrameMemory}: device memory kept between apps, and {@link PagedHeap}s taking and giving it back. */
class FrameMemoryTest {
    private static final int LINE = PagedHeapTest.LINE;

    private final MemoryHeapStore store = new MemoryHeapStore();

    @Test
    void anArrayGivenBackIsTheNextTakeOfItsSizeZeroed() {
        FrameMemory memory = new FrameMemory();
        byte[] first = memory.take(1024);
        assertThat(first).hasSize(1024).containsOnly(0);
        first[0] = 1;
        first[1023] = 2;
        memory.give(first);
        assertThat(memory.idleArrays()).isEqualTo(1);
        assertThat(memory.take(512)).as("another size: a new array").isNotSameAs(first).hasSize(512);
        byte[] again = memory.take(1024);
        assertThat(again).isSameAs(first).containsOnly(0);
        assertThat(memory.taken()).isEqualTo(3);
        assertThat(memory.reused()).isEqualTo(1);
        assertThat(memory.idleArrays()).isZero();
    }

    @Test
    void keepsAtMostItsIdleArraysTheNewestFirst() {
        FrameMemory memory = new FrameMemory(2);
        byte[] a = new byte[16], b = new byte[16], c = new byte[16];
        memory.give(a);
        memory.give(b);
        memory.give(c);
        assertThat(memory.idleArrays()).isEqualTo(2);
        assertThat(memory.take(16)).isSameAs(c);
        assertThat(memory.take(16)).isSameAs(b);
        assertThat(memory.take(16)).as("a was let go").isNotSameAs(a);

        FrameMemory none = new FrameMemory(0);
        none.give(a);
        none.reserve(16);
        assertThat(none.idleArrays()).isZero();
        assertThatThrownBy(() -> new FrameMemory(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxIdle");
    }

    @Test
    void anArrayGivenBackTwiceIsHeldOnceSoTwoHeapsNeverShareIt() {
        FrameMemory memory = new FrameMemory();
        byte[] a = memory.take(64);
        memory.give(a);
        memory.give(a);
        assertThat(memory.idleArrays()).isEqualTo(1);
        assertThat(memory.take(64)).isSameAs(a);
        assertThat(memory.take(64)).isNotSameAs(a);
    }

    @Test
    void reserveTakesTheMemoryOnceAheadOfTheFirstTake() {
        FrameMemory memory = new FrameMemory();
        memory.reserve(4096);
        memory.reserve(4096);
        assertThat(memory.idleArrays()).as("a second reserve of a size held takes nothing").isEqualTo(1);
        memory.take(4096);
        assertThat(memory.reused()).isEqualTo(1);
        assertThatThrownBy(() -> memory.reserve(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytes");
    }

    /**
     * An app's heap writes its frames and nursery, and closes; the next app's heap gets the same memory, reads zeros
     * wherever it wrote nothing (lines the store lacks, its nursery), and the closed heap can reach none of it.
     */
    @Test
    void theNextAppsHeapGetsTheMemoryZeroedAndTheClosedHeapNoLonger() {
        FrameMemory memory = new FrameMemory();
        PagingConfig config = PagedHeapTest.config(10, 2).setNurseryBytes(2 * LINE);
        long young = ObjectLayout.NURSERY_BASE;
        try (HeapSession s = PagedHeapTest.open(store, TestHeaps.app("first"))) {
            PagedHeap first = new PagedHeap(s, config, new ManualClock(), StoreWaits.none(), memory);
            for (int line = 0; line < 8; line++) {
                first.putLong((long) line * LINE, -1L);
            }
            first.putLong(young, -1L);
            first.putLong(young + LINE + 8, -1L);
            first.flushAll();
            first.close();
            first.close();   // idempotent: given back once
            assertThat(memory.idleArrays()).isEqualTo(1);
            // nor does translated code, which holds the bytes given back: its caches are empty, the barrier refuses
            assertThatThrownBy(() -> first.getLong(7L * LINE)).as("a closed heap reaches no frame")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> first.putLong(young, 1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> first.readIndex(young)).isInstanceOf(IllegalStateException.class);
            long[] caches = first.translationCaches();
            assertThat(new long[] {caches[PagedHeap.READ_CACHE], caches[PagedHeap.READ_CACHE + 2],
                    caches[PagedHeap.WRITE_CACHE], caches[PagedHeap.WRITE_CACHE + 2]}).containsOnly(-1L);
        }

        try (HeapSession s = PagedHeapTest.open(store, TestHeaps.app("second"))) {
            PagedHeap second = new PagedHeap(s, config, new ManualClock(), StoreWaits.none(), memory);
            assertThat(memory.reused()).as("the first heap's memory").isEqualTo(1);
            // its nursery lines are device memory the first heap wrote (frames are filled when a line comes in)
            assertThat(second.getLong(young)).isZero();
            assertThat(second.getLong(young + LINE + 8)).isZero();
            second.putLong(young, 5);
            assertThat(second.getLong(young)).isEqualTo(5);
            second.close();
        }
    }
}
