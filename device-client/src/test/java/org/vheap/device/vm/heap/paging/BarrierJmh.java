package org.vheap.device.vm.heap.paging;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;

/**
 * JMH (not a test; docs/benchmarks.md says how to run it): the read barrier of a {@link PagedHeap} alternating between
 * two resident lines (as n-body's loop over bodies on either side of a line boundary), with its two-entry translation
 * cache (64 frames) against one entry (32 frames: the second entries are off below {@link PagedHeap#TWO_ENTRY_FRAMES};
 * the same code, so it stands for the one-entry cache of before only approximately), side by side; and reads on one
 * line for reference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BarrierJmh {
    private static final int LINE = 4096;

    private MemoryHeapStore store;
    private HeapSession twoEntrySession;
    private HeapSession oneEntrySession;
    private PagedHeap twoEntries;
    private PagedHeap oneEntry;
    private long i;

    @Setup(Level.Trial)
    public void open() {
        store = new MemoryHeapStore();
        twoEntrySession = store.openHeap(new OpenRequest("two", "dev", true, LINE, Duration.ZERO, 0));
        oneEntrySession = store.openHeap(new OpenRequest("one", "dev", true, LINE, Duration.ZERO, 0));
        twoEntries = heap(twoEntrySession, PagedHeap.TWO_ENTRY_FRAMES);
        oneEntry = heap(oneEntrySession, PagedHeap.TWO_ENTRY_FRAMES / 2);
    }

    private static PagedHeap heap(HeapSession session, int frames) {
        PagedHeap heap = new PagedHeap(session, new PagingConfig().setLineSize(LINE).setMemoryBytes((long) frames * LINE)
                .setFreeFrameThreshold(2).setMaxHeapBytes(1L << 24));
        for (long a = 0; a < 2 * LINE; a += 4) {
            heap.putInt(a, (int) a);
        }
        return heap;
    }

    @TearDown(Level.Trial)
    public void close() {
        twoEntrySession.close();
        oneEntrySession.close();
        store.close();
    }

    /** The next address: line 0 and line 1 in turn, a different int each time. */
    private long alternating() {
        long n = i++;
        return ((n & 1) * LINE) | ((n >> 1) & (LINE - 4));
    }

    @Benchmark
    public int twoLinesTwoEntries() {
        return twoEntries.getInt(alternating());
    }

    @Benchmark
    public int twoLinesOneEntry() {
        return oneEntry.getInt(alternating());
    }

    @Benchmark
    public int oneLine() {
        return twoEntries.getInt((i++ << 2) & (LINE - 4));
    }
}
