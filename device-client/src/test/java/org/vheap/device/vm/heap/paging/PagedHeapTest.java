package org.vheap.device.vm.heap.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vheap.device.TestStores;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.ManualClock;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;

/** {@link PagedHeap} on a {@link MemoryHeapStore}: the model check, eviction, flushing, failures. */
class PagedHeapTest {
    static final int LINE = 64;

    private final MutableClock clock = new MutableClock();
    private final MemoryHeapStore store = new MemoryHeapStore(clock);
    /** The device's clock for the store retry: its pauses return at once and are recorded. */
    private final ManualClock deviceClock = new ManualClock();

    static PagingConfig config(int frames, int threshold) {
        return new PagingConfig().setLineSize(LINE).setMemoryBytes((long) frames * LINE).setFreeFrameThreshold(threshold)
                .setMaxHeapBytes(1L << 24).setStoreRetryAttempts(4).setStoreRetryBackoff(Duration.ofMillis(1));
    }

    static HeapSession open(HeapStore store, String app) {
        return store.openHeap(new OpenRequest(app, "dev", true, LINE, Duration.ofSeconds(10), 0));
    }

    private static long addr(long line) {
        return line * LINE;
    }

    /** Writes 1000 + line into each of lines {@code [from, to)} (at offset 8): each becomes dirty. */
    private static void writeLines(PagedHeap heap, int from, int to) {
        for (int line = from; line < to; line++) {
            heap.putLong(addr(line) + 8, 1000 + line);
        }
    }

    /**
     * Fills frames alternately with one dirty line (lines 0 to 3, holding 1000 + line at offset 8) and three clean ones
     * read from line 100 on; answers the next line to read.
     */
    private static long dirtyAmongClean(PagedHeap heap) {
        long line = 100;
        for (int d = 0; d < 4; d++) {
            heap.putInt(addr(d) + 8, 1000 + d);
            for (int c = 0; c < 3; c++) {
                heap.getInt(addr(line++));
            }
        }
        return line;
    }

    /** Every line below {@code to} holds what {@link #writeLines} wrote into it. */
    private static void assertLinesHoldTheirValues(PagedHeap heap, int to) {
        for (int line = 0; line < to; line++) {
            assertThat(heap.getLong(addr(line) + 8)).as("line %d", line).isEqualTo(1000 + line);
        }
    }

    /**
     * Random aligned reads and writes of every width, copies and zeroing over a span ten times device
     * memory, checked against a plain byte array; then the same heap reopened from a checkpoint, on a fresh
     * device, goes on and is checked again (misses now read the store).
     */
    @Test
    void randomAccessesMatchAPlainByteArray() {
        for (long seed = 1; seed <= 3; seed++) {
            ModelCheck.run(store, TestHeaps.app("model"), config(32, 4), seed, 40_000);
        }
    }

    /**
     * The model check on a memory large enough for the two-entry translation caches, half its accesses on a pair of
     * lines that changes now and then (as a loop over two objects on either side of a line boundary): every read and
     * write through a cache's second entry, and every line that leaves the caches while evicted, cleaned or discarded,
     * checked against a plain byte array.
     */
    @Test
    void accessesAlternatingBetweenTwoLinesMatchAPlainByteArray() {
        for (long seed = 1; seed <= 3; seed++) {
            ModelCheck.run(store, TestHeaps.app("model-pairs"), config(PagedHeap.TWO_ENTRY_FRAMES, 8), seed, 40_000, true);
        }
    }

    /**
     * While a collection runs, the lines it may free are not written: evictions take clean lines from the whole
     * table and clean no dirty one; afterwards the sweep cleans and evicts dirty lines as before.
     */
    @Test
    void whileACollectionRunsEvictionTakesCleanLinesAndWritesNoDirtyOne() {
        try (HeapSession s = open(store, TestHeaps.app("hold-back"))) {
            PagedHeap heap = new PagedHeap(s, config(16, 2));
            heap.putInt(addr(0), 100);
            heap.putInt(addr(1), 101);
            heap.collecting(true);
            for (int line = 2; line < 60; line++) {
                assertThat(heap.getInt(addr(line))).isZero();
            }
            assertThat(heap.stats().evictions()).as("evictions").isGreaterThan(40);
            assertThat(heap.stats().linesFlushed()).as("lines written during the collection").isZero();
            assertThat(heap.lineState(0)).isEqualTo(LineState.DIRTY);
            assertThat(heap.lineState(1)).isEqualTo(LineState.DIRTY);
            heap.collecting(false);
            for (int line = 60; line < 100; line++) {
                assertThat(heap.getInt(addr(line))).isZero();
            }
            // line 1 stays in the write cache; line 0, cold, is cleaned (or evicted) as before
            assertThat(heap.stats().linesFlushed()).as("lines written after it").isEqualTo(1);
            assertThat(heap.getInt(addr(0))).isEqualTo(100);
            assertThat(heap.getInt(addr(1))).isEqualTo(101);
        }
    }

    /**
     * Nursery lines are device memory after the frames: read and written like any line, never faulted, flushed,
     * evicted or committed, whatever the paging of user lines around them; the frames are what the nursery leaves.
     */
    @Test
    void nurseryLinesLiveInDeviceMemoryAndNeverReachTheStore() {
        try (HeapSession s = open(store, TestHeaps.app("nursery"))) {
            PagingConfig config = config(10, 2).setNurseryBytes(2 * LINE);
            assertThat(config.frames()).isEqualTo(8);
            PagedHeap heap = new PagedHeap(s, config);
            long young = org.vheap.format.ObjectLayout.NURSERY_BASE;
            assertThat(heap.nurseryBytes()).isEqualTo(2 * LINE);
            heap.putLong(young, 7);
            heap.putInt(young + LINE + 4, 9);
            for (int line = 0; line < 30; line++) {
                heap.putInt(addr(line), line);
                assertThat(heap.getLong(young)).isEqualTo(7);
            }
            heap.copy(young, addr(31), 16);
            heap.copy(addr(2), young + 8, 4);
            assertThat(heap.getInt(addr(31))).isEqualTo(7);
            assertThat(heap.getInt(young + 8)).isEqualTo(2);
            heap.discard(young, 2 * LINE);
            assertThat(heap.getInt(young + LINE + 4)).as("a nursery line is not discarded").isEqualTo(9);
            heap.flushAll();
            assertThat(heap.dirtyLineImages()).isEmpty();
            // lines 1..29 and 31 (line 0 stayed all zero, so it needs no write), never a nursery line
            assertThat(heap.stats().linesFlushed()).as("user lines written").isEqualTo(30);
            assertThatThrownBy(() -> heap.getInt(young + 2 * LINE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the virtual heap");
        }
    }

    @Test
    void evictionTakesCleanLinesBeforeDirtyOnesOfTheSameRecencyGivingUsedLinesASecondChance() {
        try (HeapSession s = open(store, TestHeaps.app("clock"))) {
            PagedHeap heap = new PagedHeap(s, config(8, 2).setWriteBehind(false));   // each eviction waits for its flush
            heap.putInt(addr(0), 100);
            heap.putInt(addr(1), 101);
            for (int line = 2; line <= 5; line++) {
                assertThat(heap.getInt(addr(line))).isZero();
            }
            assertThat(heap.stats().evictions()).isZero();
            // 6 of 8 frames used: a batch of 2. The hand's first turn finds every line referenced and clears
            // them; its second turn takes the first two clean lines and passes over the dirty line 0 (line 1
            // is in the write cache).
            heap.getInt(addr(6));
            assertThat(heap.lineState(2)).isEqualTo(LineState.EMPTY);
            assertThat(heap.lineState(3)).isEqualTo(LineState.EMPTY);
            assertThat(heap.lineState(0)).isEqualTo(LineState.DIRTY);
            assertThat(heap.lineState(1)).isEqualTo(LineState.DIRTY);
            assertThat(heap.lineState(4)).isEqualTo(LineState.RESIDENT);
            assertThat(heap.lineState(5)).isEqualTo(LineState.RESIDENT);
            assertThat(heap.stats().evictions()).isEqualTo(2);
            assertThat(heap.stats().flushTransactions()).isZero();

            heap.getInt(addr(5));   // used again since the hand passed: a second chance
            heap.getInt(addr(7));   // 3 free: no eviction
            assertThat(heap.stats().evictions()).isEqualTo(2);
            // the hand passes 4 (cold, clean: taken), 5 (referenced: spared), 0 (cold, dirty: taken and
            // flushed), 1 and 7 (in the translation caches), 6 (referenced: spared)
            heap.getInt(addr(8));
            assertThat(heap.lineState(4)).isEqualTo(LineState.EMPTY);
            assertThat(heap.lineState(0)).isEqualTo(LineState.PERSISTENT);
            assertThat(heap.lineState(5)).isEqualTo(LineState.RESIDENT);
            assertThat(heap.lineState(6)).isEqualTo(LineState.RESIDENT);
            assertThat(heap.lineState(7)).isEqualTo(LineState.RESIDENT);
            assertThat(heap.lineState(1)).isEqualTo(LineState.DIRTY);
            assertThat(heap.stats().linesFlushed()).isEqualTo(1);
            assertThat(heap.stats().flushTransactions()).isEqualTo(1);
            assertThat(heap.getInt(addr(0))).isEqualTo(100);
            assertThat(heap.stats().linesFetched()).isEqualTo(1);
            assertThat(heap.stats().misses()).isEqualTo(10);
        }
    }

    @Test
    void dirtyVictimsOfOneBatchAreFlushedInOneWrite() {
        try (HeapSession real = open(store, TestHeaps.app("batch"))) {
            TestStores.FlakySession s = new TestStores.FlakySession(real);
            PagedHeap heap = new PagedHeap(s, config(16, 4).setWriteBehind(false));
            writeLines(heap, 0, 12);
            assertThat(s.writes.get()).isZero();
            heap.putLong(addr(12) + 8, 1012);   // 4 free: a batch of 4 dirty lines, lines 0..3
            assertThat(s.writes.get()).isEqualTo(1);
            PagingStats st = heap.stats();
            assertThat(st.flushTransactions()).isEqualTo(1);
            assertThat(st.linesFlushed()).isEqualTo(4);
            assertThat(st.evictions()).isEqualTo(4);
            assertThat(st.residentFrames()).isEqualTo(9);
            assertThat(st.dirtyFrames()).isEqualTo(9);
            for (int line = 0; line < 4; line++) {
                assertThat(heap.lineState(line)).isEqualTo(LineState.PERSISTENT);
            }
            assertThat(s.read(new long[] {2})[0]).as("the flush reached the store").isNotNull();
            assertThat(heap.getLong(addr(2) + 8)).isEqualTo(1002);
            assertThat(heap.stats().linesFetched()).isEqualTo(1);
        }
    }

    @Test
    void freeFramesNeverFallBelowTheThresholdAndEvictionsComeInBatches() {
        try (HeapSession s = open(store, TestHeaps.app("threshold"))) {
            PagedHeap heap = new PagedHeap(s, config(64, 8));
            for (int line = 0; line < 1000; line++) {
                heap.getByte(addr(line) + 3);
                PagingStats st = heap.stats();
                assertThat(st.frames() - st.residentFrames()).isGreaterThanOrEqualTo(8);
                assertThat(st.evictions() % 8).isZero();
            }
            PagingStats st = heap.stats();
            assertThat(st.misses()).isEqualTo(1000);
            assertThat(st.fetchTransactions()).as("a heap with no checkpoint needs no store read").isZero();
            assertThat(st.flushTransactions()).as("zero lines the store never had need no flush").isZero();
        }
    }

    @Test
    void aLineNeverStoredThatIsStillZeroIsNotFlushed() {
        try (HeapSession real = open(store, TestHeaps.app("zero"))) {
            TestStores.FlakySession s = new TestStores.FlakySession(real);
            PagedHeap heap = new PagedHeap(s, config(8, 2));
            heap.putInt(addr(0), 0);   // dirty, but still zero
            heap.putInt(addr(1), 5);
            heap.putInt(addr(1), 0);
            assertThat(heap.flushAll()).isZero();
            assertThat(s.writes.get()).isZero();
            assertThat(heap.lineState(0)).isEqualTo(LineState.RESIDENT);
            heap.putInt(addr(2), 7);
            assertThat(heap.flushAll()).isEqualTo(1);
            assertThat(s.writes.get()).isEqualTo(1);
        }
    }

    /**
     * A line a collection freed is garbage: dropped from its frame without a write, never read back from the store
     * (a later allocation in it zero-fills a frame), and deleted from the store with the next flush.
     */
    @Test
    void aDiscardedLineIsNeitherWrittenNorReadAgainAndIsDeletedFromTheStore() {
        try (HeapSession real = open(store, TestHeaps.app("garbage"))) {
            TestStores.FlakySession s = new TestStores.FlakySession(real);
            PagedHeap heap = new PagedHeap(s, config(8, 2));
            for (int line = 1; line <= 4; line++) {
                heap.putLong(addr(line), 100 + line);
            }
            assertThat(heap.flushAll()).isEqualTo(4);   // lines 1..4 in the store
            heap.putLong(addr(3) + 8, 7);   // line 3 dirty again
            heap.putLong(addr(5), 105);     // line 5 dirty, never stored

            // the whole lines 2..5 are free; line 1 only in part (it keeps its bytes)
            heap.discard(addr(1) + 8, addr(6) - addr(1) - 8);
            PagingStats st = heap.stats();
            assertThat(st.linesDiscarded()).isEqualTo(4);
            assertThat(st.dirtyFrames()).as("nothing of them is written").isZero();
            assertThat(st.residentFrames()).as("the discarded lines keep their frames, for reuse").isEqualTo(5);
            assertThat(heap.garbageLines()).as("the lines the store holds").containsExactly(2, 3, 4);
            assertThat(heap.getLong(addr(1))).isEqualTo(101);

            long fetched = heap.stats().linesFetched();
            long misses = heap.stats().misses();
            heap.putInt(addr(4) + 16, 9);   // an allocation in line 4: its zeroed frame, no store read, no miss
            assertThat(heap.getLong(addr(4))).isZero();
            assertThat(heap.getLong(addr(2))).isZero();
            assertThat(heap.getLong(addr(3) + 8)).as("the dirty line's bytes are gone").isZero();
            assertThat(heap.stats().linesFetched()).isEqualTo(fetched);
            assertThat(heap.stats().misses()).isEqualTo(misses);

            heap.putLong(addr(6), 106);
            // lines 4 and 6, with the deletes of 2 and 3 only: line 4 is written again, its write supersedes (the
            // store refuses a line written and deleted in one transaction)
            assertThat(heap.flushAll()).isEqualTo(2);
            assertThat(heap.garbageLines()).isEmpty();
            assertThat(heap.stats().linesDeleted()).isEqualTo(2);
            assertThat(s.read(new long[] {2, 3, 4})).satisfies(lines -> {
                assertThat(lines[0]).as("deleted").isNull();
                assertThat(lines[1]).as("deleted").isNull();
                assertThat(lines[2]).as("written again").isNotNull();
            });
            for (int line = 10; line < 20; line++) {   // more lines than frames: evicts the discarded ones' frames
                heap.putLong(addr(line), line);
            }
            long fetchedBefore = heap.stats().linesFetched();
            assertThat(heap.getLong(addr(2))).isZero();
            assertThat(heap.getLong(addr(3) + 8)).isZero();
            assertThat(heap.stats().linesFetched()).as("evicted garbage comes back as zeros, not from the store")
                    .isEqualTo(fetchedBefore);
        }
    }

    /**
     * A resumed heap reads nothing from the store for lines above its checkpoint's allocation pointer: they read as
     * zeros. If the store holds an old version of one (written before collections deleted garbage lines), zeros
     * the app writes there still replace it, so a later resume never reads the old bytes back.
     */
    @Test
    void linesAboveTheAllocationPointerAreNotReadButZerosWrittenThereReplaceOldVersions() {
        String app = TestHeaps.app("unused");
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(16, 2));
            for (int line = 0; line < 10; line++) {
                heap.putLong(addr(line), 1000 + line);
            }
            heap.flushAll();
            s.commit(List.of(), new long[0], new byte[0], Map.of());
        }
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(16, 2));
            heap.unusedFrom(addr(5) - 8);   // the allocation pointer inside line 4: lines 5 on are unused
            assertThat(heap.getLong(addr(4))).isEqualTo(1004);
            assertThat(heap.stats().linesFetched()).isEqualTo(1);
            assertThat(heap.getLong(addr(6))).as("old bytes above the pointer are not read").isZero();
            heap.prefetch(addr(7), 2 * LINE);
            assertThat(heap.getLong(addr(8))).isZero();
            assertThat(heap.stats().linesFetched()).isEqualTo(1);
            heap.putLong(addr(7), 0);   // made all zero: written over the store's old version
            heap.putLong(addr(9), 9);
            heap.flushAll();
            s.commit(List.of(), new long[0], new byte[0], Map.of());
        }
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(16, 2));
            assertThat(heap.getLong(addr(7))).isZero();
            assertThat(heap.getLong(addr(9))).isEqualTo(9);
            assertThat(heap.getLong(addr(6))).as("untouched: the store's old version, unread above the pointer").isEqualTo(1006);
        }
    }

    @Test
    void prefetchReadsEveryMissingLineInOneTransaction() {
        String app = TestHeaps.app("prefetch");
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(32, 4));
            for (int line = 0; line < 10; line++) {
                heap.putInt(addr(line), line + 1);
            }
            heap.flushAll();
            s.commit(List.of(), new long[0], new byte[0], Map.of());
        }
        try (HeapSession real = open(store, app)) {
            TestStores.FlakySession s = new TestStores.FlakySession(real);
            PagedHeap heap = new PagedHeap(s, config(32, 4));
            heap.getInt(addr(3));
            assertThat(s.reads.get()).isEqualTo(1);
            assertThat(heap.prefetch(addr(0) + 4, addr(12) - 4)).isEqualTo(11);   // lines 0..11 but 3
            assertThat(s.reads.get()).isEqualTo(2);
            for (int line = 0; line < 12; line++) {
                assertThat(heap.getInt(addr(line))).isEqualTo(line < 10 ? line + 1 : 0);
            }
            PagingStats st = heap.stats();
            assertThat(st.misses()).isEqualTo(1);
            assertThat(st.fetchTransactions()).isEqualTo(2);
            assertThat(st.linesFetched()).isEqualTo(10);
            assertThat(heap.prefetch(0, addr(12))).isZero();
            assertThat(s.reads.get()).isEqualTo(2);
            assertThat(heap.prefetch(0, addr(100))).as("at most half the frames per call").isEqualTo(16);
        }
    }

    /** A committed heap of {@code lines} lines, line i holding i + 1 in its first int. */
    private void commitLines(String app, int lines) {
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(64, 4));
            for (int line = 0; line < lines; line++) {
                heap.putInt(addr(line), line + 1);
            }
            heap.flushAll();
            s.commit(List.of(), new long[0], new byte[0], Map.of());
        }
    }

    @Test
    void missesOnAscendingLinesReadAheadInFewerStoreReads() {
        String app = TestHeaps.app("read-ahead");
        commitLines(app, 48);
        for (int window : new int[] {0, 4}) {
            try (HeapSession real = open(store, app)) {
                TestStores.FlakySession s = new TestStores.FlakySession(real);
                PagedHeap heap = new PagedHeap(s, config(32, 4).setReadAheadLines(window));
                for (int line = 0; line < 48; line++) {
                    assertThat(heap.getInt(addr(line))).isEqualTo(line + 1);
                }
                PagingStats st = heap.stats();
                assertThat(st.linesFetched()).as("every line read once, window %d", window).isEqualTo(48);
                assertThat(s.reads.get()).isEqualTo((int) st.fetchTransactions());
                if (window == 0) {
                    assertThat(st.fetchTransactions()).isEqualTo(48);
                    assertThat(st.misses()).isEqualTo(48);
                } else {
                    // windows 2 then 4: lines 0 | 1-3 | 4-8 | 9-13 | ... : 11 reads instead of 48
                    assertThat(st.fetchTransactions()).isEqualTo(11);
                    assertThat(st.misses()).isEqualTo(11);
                }
            }
        }
    }

    /**
     * A loop over more lines than frames (a structure walked again and again, as binary-trees checks a tree larger
     * than memory): CLOCK, like LRU, would evict the least recently used lines, the very ones the walk reaches next,
     * and read all 48 lines on every pass. Evicting the lines the walk has passed first, and the farthest of those ahead
     * of it when none is left, keeps most of what fits resident: a pass reads the 16 lines that do not fit, and some
     * more (33 when written).
     */
    @Test
    void aWalkOverMoreLinesThanFramesKeepsThePartThatFitsResident() {
        String app = TestHeaps.app("walk");
        commitLines(app, 48);
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(32, 4).setReadAheadLines(4));
            long before = 0;
            for (int pass = 0; pass < 4; pass++) {
                for (int line = 0; line < 48; line++) {
                    assertThat(heap.getInt(addr(line))).isEqualTo(line + 1);
                }
                long read = heap.stats().linesFetched() - before;
                before += read;
                if (pass == 0) {
                    assertThat(read).isEqualTo(48);
                } else {
                    // 20 do not fit (4 frames stay free), and the first misses of a pass, before it is a walk, evict
                    // lines ahead of it
                    assertThat(read).as("lines read by pass %d", pass).isLessThanOrEqualTo(36);
                }
            }
        }
    }

    @Test
    void scatteredMissesReadNothingAhead() {
        String app = TestHeaps.app("no-read-ahead");
        commitLines(app, 120);
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(32, 4).setReadAheadLines(4));
            for (int i = 0; i < 12; i++) {
                long line = (i * 37L) % 120;   // strides of 37 (or more): never within ReadAhead.NEAR of the last
                assertThat(heap.getInt(addr(line))).isEqualTo(line + 1);
            }
            assertThat(heap.stats().linesFetched()).isEqualTo(12);
            assertThat(heap.stats().fetchTransactions()).isEqualTo(12);
        }
    }

    @Test
    void readAheadReadsAroundTheMissSkippingLinesResidentOrKnownEmpty() {
        String app = TestHeaps.app("read-ahead-skips");
        commitLines(app, 24);
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(32, 4).setReadAheadLines(4));
            assertThat(heap.getInt(addr(13))).isEqualTo(14);  // a first miss: the line alone
            heap.discard(addr(15), LINE);                       // garbage: known empty, zeros without a read
            assertThat(heap.getInt(addr(11))).isEqualTo(12);  // continues, window 2: lines 7-10 behind, 12-13 ahead
            assertThat(heap.stats().linesFetched()).isEqualTo(7);
            assertThat(heap.getInt(addr(14))).isEqualTo(15);  // window 4: 10-13 resident, 15 known empty: 16-18
            assertThat(heap.stats().linesFetched()).isEqualTo(11);
            assertThat(heap.stats().fetchTransactions()).isEqualTo(3);
            assertThat(heap.getInt(addr(15))).isZero();
            for (int line = 7; line <= 18; line++) {
                if (line != 15) {
                    assertThat(heap.lineState(line)).as("line %d", line).isEqualTo(LineState.RESIDENT);
                    assertThat(heap.getInt(addr(line))).isEqualTo(line + 1);
                }
            }
            assertThat(heap.stats().linesFetched()).isEqualTo(11);
            assertThat(heap.stats().misses()).as("the lines read ahead were not misses").isEqualTo(4);
        }
    }

    @Test
    void anUnavailableStoreIsRetriedWithBackoffUntilItAnswers() {
        String app = TestHeaps.app("retry");
        try (HeapSession real = open(store, app)) {
            TestStores.FlakySession s = new TestStores.FlakySession(real);
            PagedHeap heap = new PagedHeap(s, config(8, 2).setWriteBehind(false), deviceClock);
            for (int line = 0; line < 6; line++) {
                heap.putInt(addr(line), line + 1);
            }
            s.failNext(3);
            heap.putInt(addr(6), 7);   // evicts and flushes two lines: 3 refusals, then through
            assertThat(s.refused.get()).isEqualTo(3);
            assertThat(s.writes.get()).isEqualTo(1);
            assertThat(heap.stats().storeRetries()).isEqualTo(3);
            s.failNext(2);
            assertThat(heap.getInt(addr(0))).isEqualTo(1);   // a miss read, retried twice
            assertThat(heap.stats().storeRetries()).isEqualTo(5);
            assertThat(deviceClock.sleeps()).containsExactly(1_000_000L, 2_000_000L, 4_000_000L, 1_000_000L, 2_000_000L);
        }
    }

    @Test
    void aStoreThatStaysDownFailsClearlyAndLosesNoDirtyLine() {
        String app = TestHeaps.app("down");
        try (HeapSession real = open(store, app)) {
            TestStores.FlakySession s = new TestStores.FlakySession(real);
            PagedHeap heap = new PagedHeap(s, config(8, 2).setWriteBehind(false), deviceClock);
            for (int line = 0; line < 6; line++) {
                heap.putInt(addr(line), line + 1);
            }
            s.down(true);
            assertThatThrownBy(() -> heap.putInt(addr(6), 7))
                    .isInstanceOf(HeapStoreUnreachableException.class)
                    .hasMessageContaining(app).hasMessageContaining("flush lines [0, 1]")
                    .hasMessageContaining("after 4 attempts").hasMessageContaining("dirty lines stay in device memory");
            assertThat(s.refused.get()).isEqualTo(4);
            assertThat(deviceClock.sleeps()).hasSize(3);
            assertThat(heap.lineState(0)).isEqualTo(LineState.DIRTY);
            assertThat(heap.lineState(1)).isEqualTo(LineState.DIRTY);
            assertThat(heap.lineState(6)).isEqualTo(LineState.EMPTY);
            assertThat(heap.stats().dirtyFrames()).isEqualTo(6);
            assertThat(heap.getInt(addr(0))).isEqualTo(1);   // resident: no store needed

            s.down(false);
            heap.putInt(addr(6), 7);
            heap.putInt(addr(7), 8);
            for (int line = 8; line < 20; line++) {
                heap.putInt(addr(line), line + 1);
            }
            heap.flushAll();
            s.commit(List.of(), new long[0], new byte[0], Map.of());
        }
        try (HeapSession again = open(store, app)) {
            PagedHeap heap = new PagedHeap(again, config(8, 2));
            for (int line = 0; line < 20; line++) {
                assertThat(heap.getInt(addr(line))).as("line %d", line).isEqualTo(line + 1);
            }
        }
    }

    @Test
    void aRetryTimeOutlastsAStoreThatComesBackAfterTheAttemptsAreUsedUp() {
        String app = TestHeaps.app("restart");
        try (HeapSession s = open(store, app)) {
            s.commit(List.of(new LineImage(5, TestHeaps.line(LINE, 5))), new long[0], new byte[0], Map.of());
        }
        try (HeapSession real = open(store, app)) {
            TestStores.FlakySession s = new TestStores.FlakySession(real);
            long start = deviceClock.nanoTime();
            PagedHeap heap = new PagedHeap(s, config(8, 2).setStoreRetryFor(Duration.ofSeconds(20)), deviceClock);
            s.down(true);
            deviceClock.onSleep(n -> {
                if (deviceClock.nanoTime() - start >= Duration.ofMillis(300).toNanos()) {
                    s.down(false);   // the store is back 0.3 s (device time) on: far past 4 attempts 1 ms apart
                }
            });
            assertThat(heap.getByte(addr(5) + 1)).isEqualTo((byte) 5);
            assertThat(s.refused.get()).isGreaterThan(4);
            assertThat(heap.stats().storeRetries()).isEqualTo(s.refused.get());
            assertThat(deviceClock.sleeps()).hasSize(s.refused.get());
        }
        assertThatThrownBy(() -> new PagingConfig().setStoreRetryFor(Duration.ofHours(2))).hasMessageContaining("retry time");
    }

    @Test
    void aMissOnADownStoreNamesTheLineAndLeaksNoFrame() {
        String app = TestHeaps.app("down-read");
        try (HeapSession s = open(store, app)) {
            s.commit(List.of(new LineImage(5, TestHeaps.line(LINE, 5))), new long[0], new byte[0], Map.of());
        }
        try (HeapSession real = open(store, app)) {
            TestStores.FlakySession s = new TestStores.FlakySession(real);
            PagedHeap heap = new PagedHeap(s, config(8, 2), deviceClock);
            s.down(true);
            assertThatThrownBy(() -> heap.getByte(addr(5)))
                    .isInstanceOf(HeapStoreUnreachableException.class).hasMessageContaining("read lines [5]")
                    .hasMessageContaining("after 4 attempts");
            assertThat(heap.stats().residentFrames()).isZero();
            s.down(false);
            assertThat(heap.getByte(addr(5) + 1)).isEqualTo((byte) 5);
        }
    }

    @Test
    void aFencedSessionFailsAtOnceWithoutRetrying() {
        String app = TestHeaps.app("fenced");
        HeapSession a = open(store, app);
        PagedHeap heap = new PagedHeap(a, config(8, 2).setWriteBehind(false));
        for (int line = 0; line < 6; line++) {
            heap.putInt(addr(line), line + 1);
        }
        clock.advance(Duration.ofSeconds(11));
        try (HeapSession b = store.openHeap(new OpenRequest(app, "other", false, 0, Duration.ZERO, 0))) {
            assertThatThrownBy(() -> heap.putInt(addr(6), 7))
                    .isInstanceOf(HeapFencedException.class).hasMessageContaining(app)
                    .hasMessageContaining("taken over");
            assertThat(heap.stats().storeRetries()).isZero();
            assertThat(heap.lineState(0)).isEqualTo(LineState.DIRTY);
            assertThat(b.read(new long[] {0})[0]).isNull();
        }
    }

    @Test
    void addressesOutsideTheHeapAreRefused() {
        try (HeapSession s = open(store, TestHeaps.app("range"))) {
            PagedHeap heap = new PagedHeap(s, config(8, 2).setMaxHeapBytes(addr(100)));
            assertThatThrownBy(() -> heap.getInt(addr(100))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the virtual heap");
            assertThatThrownBy(() -> heap.putLong(-8, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the virtual heap");
            assertThatThrownBy(() -> heap.copy(0, addr(99), 2 * LINE)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> heap.zero(addr(99), LINE + 1)).isInstanceOf(IllegalArgumentException.class);
            heap.putLong(addr(100) - 8, 42);
            assertThat(heap.getLong(addr(100) - 8)).isEqualTo(42);
        }
    }

    /**
     * A session whose background writes wait until the test lets them through; a synchronous flush or a commit lets
     * the held ones through first, in order, as the device's session does.
     */
    private static final class HeldBackgroundWrites extends org.vheap.device.store.ForwardingSession {
        final List<java.util.concurrent.CompletableFuture<Void>> held = new java.util.ArrayList<>();
        final List<List<LineImage>> images = new java.util.ArrayList<>();
        int synchronousFlushes;

        HeldBackgroundWrites(HeapSession real) {
            super(real);
        }

        @Override
        public java.util.concurrent.Future<Void> flushInBackground(List<LineImage> writes) {
            java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
            held.add(f);
            images.add(writes);
            return f;
        }

        @Override
        public void flush(List<LineImage> writes, long[] deletes) {
            releaseAll();
            synchronousFlushes++;
            real.flush(writes, deletes);
        }

        @Override
        public long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata) {
            releaseAll();
            return real.commit(writes, deletes, vmState, metadata);
        }

        void releaseAll() {
            for (int i = 0; i < held.size(); i++) {
                if (!held.get(i).isDone()) {
                    real.flush(images.get(i), new long[0]);
                    held.get(i).complete(null);
                }
            }
        }
    }

    /**
     * Write-behind: an eviction batch whose victims are dirty does not wait for their write while free frames are left;
     * they are written in the background and stay resident and dirty until it is done, then a later sweep evicts them
     * clean. When no frame is left, the eviction waits for a write of its own. Every value survives.
     */
    @Test
    void dirtyVictimsAreWrittenBehindWhileFramesAreLeft() {
        String app = TestHeaps.app("write-behind");
        try (HeapSession real = open(store, app)) {
            HeldBackgroundWrites s = new HeldBackgroundWrites(real);
            PagedHeap heap = new PagedHeap(s, config(16, 4).setReadAheadLines(0));
            writeLines(heap, 0, 12);
            heap.putLong(addr(12) + 8, 1012);   // 4 free: a batch of 4 dirty victims, lines 0..3, written behind
            assertThat(s.held).as("one background write").hasSize(1);
            assertThat(s.images.get(0).stream().map(LineImage::lineId).toList()).containsExactly(0L, 1L, 2L, 3L);
            assertThat(s.synchronousFlushes).as("the VM waited for no write").isZero();
            assertThat(heap.stats().evictions()).isZero();
            for (int line = 0; line < 4; line++) {
                assertThat(heap.lineState(line)).as("line %d while its write is in flight", line).isEqualTo(LineState.DIRTY);
            }
            writeLines(heap, 13, 16);   // the last free frames: still no wait
            assertThat(s.synchronousFlushes).isZero();
            assertThat(heap.stats().residentFrames()).isEqualTo(16);
            heap.putLong(addr(16) + 8, 1016);   // no frame left: this eviction waits for its own flush
            assertThat(s.synchronousFlushes).isEqualTo(1);
            assertThat(heap.stats().evictions()).isPositive();
            writeLines(heap, 17, 40);
            assertLinesHoldTheirValues(heap, 40);
            heap.flushAll();
        }
    }

    /** A background write that fails is counted; its lines stay dirty, and a later flush writes them. */
    @Test
    void aFailedBackgroundWriteIsCountedAndItsLinesStayDirty() {
        try (HeapSession real = open(store, TestHeaps.app("write-behind-failed"))) {
            HeldBackgroundWrites s = new HeldBackgroundWrites(real);
            PagedHeap heap = new PagedHeap(s, config(16, 4).setReadAheadLines(0));
            writeLines(heap, 0, 13);
            assertThat(s.held).as("lines 0..3 written behind").hasSize(1);
            s.held.get(0).completeExceptionally(new org.vheap.store.StoreException(
                    org.vheap.store.StoreException.Reason.UNAVAILABLE, "test: the store is away"));
            heap.putLong(addr(13) + 8, 1013);   // the next miss finds the write done, and failed
            assertThat(heap.stats().backgroundWritesFailed()).isEqualTo(1);
            for (int line = 0; line < 4; line++) {
                assertThat(heap.lineState(line)).as("line %d after its write failed", line).isEqualTo(LineState.DIRTY);
            }
            writeLines(heap, 14, 40);
            assertLinesHoldTheirValues(heap, 40);
        }
    }

    /**
     * Eviction's cleaning: when a batch's victims are all clean, the cold dirty lines the hand passed are written in
     * the background and stay dirty until the write is done; then those not written since become clean, and one
     * written again after its image was taken stays dirty. Nothing is lost either way.
     */
    @Test
    void coldDirtyLinesAreCleanedInTheBackgroundWhenNoVictimNeedsAWrite() {
        String app = TestHeaps.app("cleaning");
        commitLines(app, 200);
        try (HeapSession real = open(store, app)) {
            HeldBackgroundWrites s = new HeldBackgroundWrites(real);
            PagedHeap heap = new PagedHeap(s, config(16, 2).setReadAheadLines(0));
            long line = dirtyAmongClean(heap);
            while (s.held.isEmpty() && line < 200) {   // a stream of clean misses: the hand comes round to the dirty
                heap.getInt(addr(line++));
            }
            assertThat(s.held).as("a background cleaning write").hasSize(1);
            assertThat(heap.stats().flushTransactions()).as("no write waited for").isZero();
            List<Long> cleaning = s.images.get(0).stream().map(LineImage::lineId).toList();
            assertThat(cleaning).isNotEmpty().allMatch(l -> l < 4);
            for (long l : cleaning) {
                assertThat(heap.lineState(l)).as("line %d while its write is in flight", l).isEqualTo(LineState.DIRTY);
            }
            long rewritten = cleaning.get(0);
            heap.putInt(addr(rewritten) + 8, 2000);     // written again after its image was taken
            s.releaseAll();
            heap.getInt(addr(line++));                  // the next miss sees the write done
            assertThat(heap.stats().flushTransactions()).isEqualTo(1);
            assertThat(heap.lineState(rewritten)).isEqualTo(LineState.DIRTY);
            for (long l : cleaning.subList(1, cleaning.size())) {
                assertThat(heap.lineState(l)).as("line %d", l).isIn(LineState.RESIDENT, LineState.PERSISTENT);
            }
            heap.flushAll();
            for (int d = 0; d < 4; d++) {
                assertThat(heap.getInt(addr(d) + 8)).isEqualTo(d == rewritten ? 2000 : 1000 + d);
            }
        }
    }

    /**
     * A discarded line keeps its frame, and the store that comes next into it (the line last written before the
     * collection: the heap's write cache names it) makes it dirty again: it is written, not dropped as
     * garbage. A review found the cache left pointing at the discarded line, so such a store stayed clean and the
     * objects a promotion put there were lost at the line's eviction.
     */
    @Test
    void aStoreIntoADiscardedLineStillInTheWriteCacheMakesItDirty() {
        try (HeapSession s = open(store, TestHeaps.app("discard-write-cache"))) {
            PagedHeap heap = new PagedHeap(s, config(8, 2));
            heap.putLong(addr(3), 7);                 // line 3 is the write cache's line
            heap.discard(addr(3), LINE);
            assertThat(heap.lineState(3)).isIn(LineState.RESIDENT, LineState.EMPTY);
            heap.putLong(addr(3) + 8, 42);            // a promotion into the freed line
            assertThat(heap.lineState(3)).isEqualTo(LineState.DIRTY);
            writeLines(heap, 10, 20);                 // more lines than frames: line 3 is evicted, so written
            assertThat(heap.getLong(addr(3) + 8)).isEqualTo(42);
        }
    }

    /**
     * The same with two-entry caches: a line in either entry of the write cache, cleaned (a flush) or discarded, is
     * dirtied again by its next store; a line in either entry of the read cache reads what that store wrote.
     */
    @Test
    void linesInEitherEntryOfTheCachesAreDirtiedAgainAfterAFlushOrADiscard() {
        try (HeapSession s = open(store, TestHeaps.app("two-entry-write-cache"))) {
            PagedHeap heap = new PagedHeap(s, config(PagedHeap.TWO_ENTRY_FRAMES, 8));
            heap.putLong(addr(3), 7);                 // line 3: the write cache's second entry
            heap.putLong(addr(4), 8);                 // line 4: its first
            assertThat(heap.getLong(addr(3)) + heap.getLong(addr(4))).isEqualTo(15);   // both in the read cache
            heap.flushAll();
            assertThat(heap.lineState(3)).isNotEqualTo(LineState.DIRTY);
            assertThat(heap.lineState(4)).isNotEqualTo(LineState.DIRTY);
            heap.putLong(addr(3), 70);
            heap.putLong(addr(4), 80);
            assertThat(heap.lineState(3)).isEqualTo(LineState.DIRTY);
            assertThat(heap.lineState(4)).isEqualTo(LineState.DIRTY);
            heap.putLong(addr(3) + 8, 1);             // a hit: both still in the write cache, 4 in the first entry
            heap.discard(addr(4), LINE);
            heap.discard(addr(3), LINE);
            assertThat(heap.getLong(addr(3)) + heap.getLong(addr(4))).as("discarded lines read as zero").isZero();
            heap.putLong(addr(3) + 16, 30);
            heap.putLong(addr(4) + 16, 40);
            assertThat(heap.lineState(3)).isEqualTo(LineState.DIRTY);
            assertThat(heap.lineState(4)).isEqualTo(LineState.DIRTY);
            writeLines(heap, 100, 100 + 4 * PagedHeap.TWO_ENTRY_FRAMES);   // every line evicted, so written
            assertThat(heap.getLong(addr(3) + 16)).isEqualTo(30);
            assertThat(heap.getLong(addr(4) + 16)).isEqualTo(40);
        }
    }

    /**
     * Lines held back (young lines, which a young collection is likely to free): the hand passes them cold again and
     * again while clean lines are there to evict, and neither cleans nor evicts them; nothing is written.
     */
    @Test
    void heldBackDirtyLinesAreNotCleanedWhileCleanLinesCanBeEvicted() {
        String app = TestHeaps.app("held-back");
        commitLines(app, 200);
        try (HeapSession real = open(store, app)) {
            HeldBackgroundWrites s = new HeldBackgroundWrites(real);
            PagedHeap heap = new PagedHeap(s, config(16, 2).setReadAheadLines(0));
            heap.holdBackFlushing(l -> l < 4);
            long line = dirtyAmongClean(heap);
            while (line < 200) {                       // a stream of clean misses, the hand round many times
                heap.getInt(addr(line++));
            }
            assertThat(s.held).as("no background cleaning write").isEmpty();
            assertThat(heap.stats().flushTransactions()).as("no write").isZero();
            for (int d = 0; d < 4; d++) {
                assertThat(heap.lineState(d)).as("line %d", d).isEqualTo(LineState.DIRTY);
            }
        }
    }

    /** While a collection runs, an eviction's dirty victims are written at once: the collection may be about to free them. */
    @Test
    void noWriteBehindWhileACollectionRuns() {
        try (HeapSession real = open(store, TestHeaps.app("write-behind-collecting"))) {
            HeldBackgroundWrites s = new HeldBackgroundWrites(real);
            PagedHeap heap = new PagedHeap(s, config(16, 4).setReadAheadLines(0));
            writeLines(heap, 0, 12);
            heap.collecting(true);
            heap.putLong(addr(12) + 8, 1012);   // the batch of dirty victims write-behind takes outside a collection
            heap.collecting(false);
            assertThat(s.held).as("no background write").isEmpty();
            assertThat(s.synchronousFlushes).isEqualTo(1);
            assertThat(heap.stats().evictions()).isEqualTo(4);
        }
    }

    /**
     * A flush whose answer is lost after the store took it (the line stays dirty): an image of the line taken before
     * it, whose write lands first, must not make the line clean when the app sets the line back to that image's bytes,
     * since the store holds the failed flush's newer version.
     */
    @Test
    void aFlushThatReachedTheStoreButFailedKeepsAnOlderImageFromCleaningItsLine() {
        try (HeapSession real = open(store, TestHeaps.app("applied-then-failed"))) {
            boolean[] loseAnswers = {false};
            HeapSession s = new org.vheap.device.store.ForwardingSession(real) {
                @Override
                public void flush(List<LineImage> writes, long[] deletes) {
                    real.flush(writes, deletes);
                    if (loseAnswers[0]) {
                        throw new org.vheap.store.StoreException(org.vheap.store.StoreException.Reason.UNAVAILABLE,
                                "test: the answer was lost");
                    }
                }
            };
            PagedHeap heap = new PagedHeap(s, config(8, 2).setReadAheadLines(0).setWriteBehind(false), deviceClock);
            heap.putInt(addr(0), 1);
            List<LineImage> preflushed = heap.dirtyLineImages();
            long mark = heap.imageMark();
            real.flush(preflushed, new long[0]);   // the pre-flush lands first: the store has 1
            heap.putInt(addr(0), 2);
            for (int line = 1; line < 6; line++) {
                heap.putInt(addr(line), line);
            }
            loseAnswers[0] = true;
            assertThatThrownBy(() -> heap.putInt(addr(6), 6)).as("evicting lines 0 and 1: the store takes 2, the device"
                    + " never hears").isInstanceOf(HeapStoreUnreachableException.class);
            loseAnswers[0] = false;
            heap.putInt(addr(0), 1);                // back to the pre-flush's bytes
            assertThat(heap.markCommitted(preflushed, mark)).as("lines the pre-flush cleaned").isZero();
            assertThat(heap.lineState(0)).isEqualTo(LineState.DIRTY);
            heap.flushAll();
            assertThat(ByteBuffer.wrap(real.read(new long[] {0})[0]).order(ByteOrder.LITTLE_ENDIAN).getInt(0)).isEqualTo(1);
        }
    }

    /**
     * A background pre-flush overtaken by an eviction's flush: the line was written to the store again, evicted,
     * read back and set back to the pre-flush's bytes before the pre-flush's completion was seen. The store holds the
     * later version, so the line must stay dirty, or the app's last write would be lost.
     */
    @Test
    void imagesOvertakenByAnotherFlushOfTheirLineDoNotCleanIt() {
        String app = TestHeaps.app("overtaken");
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(8, 2).setReadAheadLines(0));
            heap.putInt(addr(0), 1);
            List<LineImage> preflushed = heap.dirtyLineImages();
            long mark = heap.imageMark();
            s.flush(preflushed, new long[0]);                   // the pre-flush: the store has 1
            heap.putInt(addr(0), 2);
            for (int line = 1; line < 20; line++) {             // line 0 is flushed (the store has 2) and evicted
                heap.putInt(addr(line), line);
            }
            assertThat(heap.lineState(0)).isEqualTo(LineState.PERSISTENT);
            assertThat(heap.getInt(addr(0))).isEqualTo(2);
            heap.putInt(addr(0), 1);                            // back to the pre-flush's bytes: dirty
            assertThat(heap.markCommitted(preflushed, mark)).isZero();
            assertThat(heap.lineState(0)).isEqualTo(LineState.DIRTY);
            heap.flushAll();
            assertThat(s.read(new long[] {0})[0]).startsWith(1, 0, 0, 0);
        }
    }

    /** Two writes of one line asked for (a pre-flush, then cleaning); the line goes back to the older image's bytes. */
    @Test
    void anOlderImageDoesNotCleanALineANewerWriteCarries() {
        String app = TestHeaps.app("older-image");
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(8, 2).setReadAheadLines(0));
            heap.putInt(addr(0), 1);
            List<LineImage> first = heap.dirtyLineImages();
            long firstMark = heap.imageMark();
            heap.putInt(addr(0), 2);
            List<LineImage> second = heap.dirtyLineImages();
            long secondMark = heap.imageMark();
            s.flush(first, new long[0]);
            s.flush(second, new long[0]);                       // the store has 2
            heap.putInt(addr(0), 1);                            // back to the first image's bytes
            assertThat(heap.markCommitted(first, firstMark)).isZero();
            assertThat(heap.lineState(0)).isEqualTo(LineState.DIRTY);
            assertThat(heap.markCommitted(second, secondMark)).isZero();   // its bytes are not the line's
            heap.flushAll();
            assertThat(s.read(new long[] {0})[0]).startsWith(1, 0, 0, 0);
        }
    }

    @Test
    void aCheckpointCleansTheLinesItCommittedButNotOnesWrittenSince() {
        String app = TestHeaps.app("checkpoint");
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(8, 2));
            heap.putInt(addr(0), 1);
            heap.putInt(addr(3), 3);
            List<LineImage> images = heap.dirtyLineImages();
            long mark = heap.imageMark();
            assertThat(images).extracting(LineImage::lineId).containsExactly(0L, 3L);
            images.get(0).data()[60] = 9;   // copies: the frame is untouched
            assertThat(heap.getByte(addr(0) + 60)).isZero();
            images.get(0).data()[60] = 0;
            heap.putInt(addr(3), 33);   // written again after the images were taken
            s.commit(images, new long[0], new byte[] {1}, Map.of());
            assertThat(heap.markCommitted(images, mark)).isEqualTo(1);
            assertThat(heap.lineState(0)).isEqualTo(LineState.RESIDENT);
            assertThat(heap.lineState(3)).isEqualTo(LineState.DIRTY);
            heap.putInt(addr(0), 2);   // the write barrier marks a committed line dirty again
            assertThat(heap.lineState(0)).isEqualTo(LineState.DIRTY);
            assertThat(heap.flushAll()).isEqualTo(2);
            assertThat(heap.stats().dirtyFrames()).isZero();
            s.commit(List.of(), new long[0], new byte[] {2}, Map.of());
        }
        try (HeapSession s = open(store, app)) {
            PagedHeap heap = new PagedHeap(s, config(8, 2));
            assertThat(heap.getInt(addr(0))).isEqualTo(2);
            assertThat(heap.getInt(addr(3))).isEqualTo(33);
            assertThat(s.baseVmState()).containsExactly(2);
        }
    }

    @Test
    void pinnedSystemLinesAreNeverEvicted() {
        try (HeapSession s = open(store, TestHeaps.app("pin"))) {
            PagedHeap heap = new PagedHeap(s, config(16, 2));
            heap.pinSystem(addr(0), addr(3));
            for (int line = 10; line < 200; line++) {
                heap.putInt(addr(line), line);
            }
            for (int line = 0; line < 3; line++) {
                assertThat(heap.lineState(line)).isEqualTo(LineState.RESIDENT);
            }
            assertThatThrownBy(() -> heap.pinSystem(addr(20), addr(6))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 6");
        }
    }

    /**
     * As many lines pinned as allowed, two lines in each translation cache and every other frame free: a prefetch of
     * half the frames (as many as it takes) still finds its frames, because the caches give up their second entries
     * when the sweep finds too few lines without them (the one-entry caches left enough).
     */
    @Test
    void theCachesSecondEntriesGiveWayWhenPinnedLinesLeaveTooFewFrames() {
        try (HeapSession s = open(store, TestHeaps.app("pin-two-entry"))) {
            int frames = PagedHeap.TWO_ENTRY_FRAMES;
            PagedHeap heap = new PagedHeap(s, config(frames, 2));
            heap.pinSystem(addr(0), addr(frames / 2 - 2));   // the most allowed
            heap.putLong(addr(40), 40);
            heap.putLong(addr(41), 41);
            assertThat(heap.getLong(addr(42)) + heap.getLong(addr(43))).isZero();
            assertThat(heap.prefetch(addr(100), addr(frames / 2))).isEqualTo(frames / 2);
            for (int line = 40; line < 42; line++) {
                assertThat(heap.getLong(addr(line))).as("line %d", line).isEqualTo(line);
            }
        }
    }

    @Test
    void systemLinesAreReadOnlyCleanEvictableAndFaultBackFromTheSystemSegment() {
        long base = org.vheap.format.ObjectLayout.SYSTEM_SEGMENT_BASE;
        byte[] classFile = new byte[3 * LINE + 5];
        for (int i = 0; i < classFile.length; i++) {
            classFile[i] = (byte) (i * 7 + 1);
        }
        List<Long> served = new java.util.ArrayList<>();
        try (HeapSession s = open(store, TestHeaps.app("system"))) {
            PagedHeap heap = new PagedHeap(s, config(8, 2));
            heap.systemLines((lineId, dst, offset) -> {
                served.add(lineId);
                int from = (int) (lineId * LINE - base);
                java.util.Arrays.fill(dst, offset, offset + LINE, (byte) 0);
                System.arraycopy(classFile, from, dst, offset, Math.min(LINE, classFile.length - from));
            });
            heap.installSystem(base, classFile);
            assertThat(heap.stats().systemFrames()).isEqualTo(4);
            assertThat(heap.getByte(base + 2 * LINE + 3)).isEqualTo(classFile[2 * LINE + 3]);
            assertThat(served).isEmpty();   // installed clean, no read

            // a store anywhere in the system segment is a VM bug, not a silent write
            assertThatThrownBy(() -> heap.putInt(base + 8, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("read-only system segment");
            assertThatThrownBy(() -> heap.putByte(base + 5 * LINE, (byte) 1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> heap.zero(base, LINE)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> heap.copy(addr(1), base + LINE, 8)).isInstanceOf(IllegalStateException.class);
            assertThat(heap.getByte(base + 8)).isEqualTo(classFile[8]);

            // user lines push the system lines out like clean lines; nothing of them reaches the session
            for (int line = 0; line < 40; line++) {
                heap.putLong(addr(line), line);
            }
            assertThat(heap.stats().systemEvictions()).isPositive();
            assertThat(heap.lineState(base / LINE + 2)).isEqualTo(LineState.PERSISTENT);   // (the first is the last read)
            assertThat(heap.dirtyLineImages()).allMatch(i -> i.lineId() < base / LINE);
            heap.flushAll();
            for (int i = 0; i < classFile.length; i += 4) {
                assertThat(heap.getByte(base + i)).isEqualTo(classFile[i]);
            }
            assertThat(heap.getByte(base + classFile.length)).isZero();   // the last line is zero-padded
            assertThat(served).contains(base / LINE + 2, base / LINE + 3);
            assertThat(heap.stats().systemMisses()).isEqualTo(served.size());
            // a copy out of the system segment into the user heap is an ordinary read
            heap.copy(base + 16, addr(2), 8);
            assertThat(heap.getByte(addr(2))).isEqualTo(classFile[16]);
        }
    }

    @Test
    void valuesAreLittleEndianAndWidthsOverlapAsInMemory() {
        try (HeapSession s = open(store, TestHeaps.app("endian"))) {
            PagedHeap heap = new PagedHeap(s, config(8, 2));
            heap.putLong(addr(2), 0x0102030405060708L);
            assertThat(heap.getByte(addr(2))).isEqualTo((byte) 0x08);
            assertThat(heap.getShort(addr(2) + 2)).isEqualTo((short) 0x0506);
            assertThat(heap.getChar(addr(2) + 6)).isEqualTo((char) 0x0102);
            assertThat(heap.getInt(addr(2) + 4)).isEqualTo(0x01020304);
            heap.putChar(addr(2), '\uffff');
            assertThat(heap.getLong(addr(2))).isEqualTo(0x010203040506ffffL);
            assertThat(heap.lineSize()).isEqualTo(LINE);
            assertThat(heap.lineOf(addr(2) + 63)).isEqualTo(2);
        }
    }

    @Test
    void theLineSizeMustBeTheHeaps() {
        try (HeapSession s = open(store, TestHeaps.app("size"))) {
            assertThatThrownBy(() -> new PagedHeap(s, config(8, 2).setLineSize(128).setMemoryBytes(1024)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64-byte lines");
        }
    }

    @Test
    void configRejectsImpossibleValuesAndCombinations() {
        assertThatThrownBy(() -> new PagingConfig().setLineSize(100)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new PagingConfig().setMemoryBytes(0)).hasMessageContaining("memory");
        assertThatThrownBy(() -> new PagingConfig().setMemoryBytes(2L << 30)).hasMessageContaining("1 GiB");
        assertThatThrownBy(() -> new PagingConfig().setFreeFrameThreshold(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new PagingConfig().setStoreRetryAttempts(0)).hasMessageContaining("1..100");
        assertThatThrownBy(() -> new PagingConfig().setStoreRetryBackoff(Duration.ofMillis(-1))).hasMessageContaining("backoff");
        assertThatThrownBy(() -> new PagingConfig().setMaxHeapBytes(0)).hasMessageContaining("positive");
        assertThat(new PagingConfig().validate().frames()).isEqualTo(1024);
        assertThatThrownBy(() -> new PagingConfig().setMemoryBytes(5000).validate()).hasMessageContaining("whole number");
        assertThatThrownBy(() -> new PagingConfig().setMaxHeapBytes(1 << 20).setMemoryBytes(2 << 20).validate())
                .hasMessageContaining("smaller than device memory");
        assertThatThrownBy(() -> new PagingConfig().setMemoryBytes(3 * 4096).validate()).hasMessageContaining("at least 4");
        assertThatThrownBy(() -> new PagingConfig().setMemoryBytes(16 * 4096).setFreeFrameThreshold(5).validate())
                .hasMessageContaining("at most 4");
        assertThatThrownBy(() -> new PagingConfig().setLineSize(1 << 20).setMemoryBytes(1L << 30).setMaxHeapBytes(1L << 30)
                .setFreeFrameThreshold(9).validate()).hasMessageContaining("too big for one store write");
        assertThatThrownBy(() -> new PagingConfig().setLineSize(64).setMaxHeapBytes(1L << 40).validate())
                .hasMessageContaining("more than the cache table can name");
    }

    /** The model check, shared with the gRPC paging test. */
    static final class ModelCheck {
        private ModelCheck() {
        }

        static void run(HeapStore store, String app, PagingConfig config, long seed, int ops) {
            run(store, app, config, seed, ops, false);
        }

        /** With {@code pairs}, half the reads and writes go to a pair of lines that changes every 500 operations. */
        static void run(HeapStore store, String app, PagingConfig config, long seed, int ops, boolean pairs) {
            run(store, s -> s, app, config, seed, ops, pairs);
        }

        /**
         * Between its three sessions the store becomes what {@code reopen} makes of it: for a store that persists,
         * the same store closed and opened again (a device that restarted). Returns the lines written to the store.
         */
        static long run(HeapStore first, java.util.function.UnaryOperator<HeapStore> reopen, String app,
                        PagingConfig config, long seed, int ops, boolean pairs) {
            HeapStore store = first;
            long written = 0;
            int span = (int) (config.memoryBytes() * 10);
            byte[] model = new byte[span];
            Random rnd = new Random(seed);
            try (HeapSession s = openLikeADevice(store, app)) {
                PagedHeap heap = new PagedHeap(s, config);
                exercise(heap, model, rnd, ops, seed, pairs);
                compareAll(heap, model, seed);
                heap.flushAll();
                long[] garbage = heap.garbageLines();
                s.commit(List.of(), garbage, new byte[0], Map.of());
                heap.markDeleted(garbage);
                assertThat(heap.stats().evictions()).as("the span must force paging").isPositive();
                assertThat(heap.stats().linesDiscarded()).as("the ops discard lines").isPositive();
                written += heap.stats().linesFlushed();
            }
            store = reopen.apply(store);
            try (HeapSession s = openLikeADevice(store, app)) {
                PagedHeap heap = new PagedHeap(s, config);
                exercise(heap, model, rnd, ops, seed, pairs);
                compareAll(heap, model, seed);
                List<LineImage> images = heap.dirtyLineImages();
                long mark = heap.imageMark();
                long[] garbage = heap.garbageLines();
                s.commit(images, garbage, new byte[0], Map.of());
                heap.markCommitted(images, mark);
                heap.markDeleted(garbage);
                assertThat(heap.stats().linesDeleted()).as("discarded lines the store held are deleted").isPositive();
                assertThat(heap.stats().linesFetched()).as("reopened: misses read the store").isPositive();
                written += heap.stats().linesFlushed() + images.size();
            }
            store = reopen.apply(store);
            try (HeapSession s = openLikeADevice(store, app)) {
                compareAll(new PagedHeap(s, config), model, seed);
            }
            return written;
        }

        /** The session a device pages through: writes in order on a writer thread, so cleaning runs in the background. */
        private static HeapSession openLikeADevice(HeapStore store, String app) {
            try {
                return org.vheap.device.store.DeviceSessions.open(store,
                        new OpenRequest(app, "dev", true, LINE, Duration.ofSeconds(10), 0), Duration.ZERO, null,
                        org.vheap.device.store.DeviceClock.system());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        private static void exercise(PagedHeap heap, byte[] model, Random rnd, int ops, long seed, boolean pairs) {
            int span = model.length;
            int lines = span / LINE;
            int[] pair = {0, 1};
            for (int op = 0; op < ops; op++) {
                if (op % 500 == 0) {
                    pair[0] = rnd.nextInt(lines);
                    pair[1] = rnd.nextBoolean() ? Math.min(lines - 1, pair[0] + 1) : rnd.nextInt(lines);
                }
                int kind = rnd.nextInt(100);
                int width = 1 << rnd.nextInt(4);
                int a = pairs && rnd.nextBoolean()
                        ? pair[rnd.nextInt(2)] * LINE + rnd.nextInt(LINE / width) * width
                        : rnd.nextInt(span / width) * width;
                long v = rnd.nextLong();
                if (kind < 40) {
                    long expected = read(model, a, width);
                    long actual = switch (width) {
                        case 1 -> heap.getByte(a);
                        case 2 -> rnd.nextBoolean() ? heap.getShort(a) : (short) heap.getChar(a);
                        case 4 -> heap.getInt(a);
                        default -> heap.getLong(a);
                    };
                    if (actual != expected) {
                        assertThat(actual).as("seed %d op %d at %d", seed, op, a).isEqualTo(expected);
                    }
                } else if (kind < 85) {
                    switch (width) {
                        case 1 -> heap.putByte(a, (byte) v);
                        case 2 -> {
                            if (rnd.nextBoolean()) {
                                heap.putShort(a, (short) v);
                            } else {
                                heap.putChar(a, (char) v);
                            }
                        }
                        case 4 -> heap.putInt(a, (int) v);
                        default -> heap.putLong(a, v);
                    }
                    write(model, a, width, v);
                } else if (kind < 95) {
                    int len = rnd.nextInt(4 * heap.lineSize());
                    int from = rnd.nextInt(span - len);
                    int to = rnd.nextBoolean() ? rnd.nextInt(span - len)
                            : Math.max(0, Math.min(span - len, from + rnd.nextInt(2 * heap.lineSize()) - heap.lineSize()));
                    heap.copy(from, to, len);
                    System.arraycopy(model, from, model, to, len);
                } else if (kind < 98) {
                    int len = rnd.nextBoolean() ? rnd.nextInt(3 * heap.lineSize()) : heap.lineSize() * (1 + rnd.nextInt(3));
                    int at = rnd.nextBoolean() ? rnd.nextInt(span - len) : rnd.nextInt((span - len) / heap.lineSize()) * heap.lineSize();
                    heap.zero(at, len);
                    java.util.Arrays.fill(model, at, at + len, (byte) 0);
                } else {
                    // a collection's discard: the whole lines inside the range read as zero afterwards
                    int len = rnd.nextInt(6 * heap.lineSize());
                    int at = rnd.nextInt(span - len);
                    heap.discard(at, len);
                    int line = heap.lineSize();
                    int first = (at + line - 1) / line * line;
                    int end = (at + len) / line * line;
                    if (end > first) {
                        java.util.Arrays.fill(model, first, end, (byte) 0);
                    }
                }
            }
        }

        private static void compareAll(PagedHeap heap, byte[] model, long seed) {
            int chunk = heap.lineSize() * 8;
            for (int a = 0; a < model.length; a += 8) {
                if (a % chunk == 0) {
                    heap.prefetch(a, Math.min(chunk, model.length - a));   // one store read per 8 lines
                }
                long actual = heap.getLong(a);
                if (actual != read(model, a, 8)) {
                    assertThat(actual).as("seed %d, bytes at %d", seed, a).isEqualTo(read(model, a, 8));
                }
            }
        }

        private static long read(byte[] m, int a, int width) {
            long v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = (v << 8) | (m[a + i] & 0xff);
            }
            return switch (width) {
                case 1 -> (byte) v;
                case 2 -> (short) v;
                case 4 -> (int) v;
                default -> v;
            };
        }

        private static void write(byte[] m, int a, int width, long v) {
            for (int i = 0; i < width; i++) {
                m[a + i] = (byte) (v >>> (8 * i));
            }
        }
    }
}
