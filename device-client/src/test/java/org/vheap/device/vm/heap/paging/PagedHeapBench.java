package org.vheap.device.vm.heap.paging;

import java.time.Duration;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;

/**
 * A quick microbenchmark of the barriers (not a test; run its main with the test class path). Prints ns
 * per access for: getInt on one resident line (the translation cache's first entry), getInt alternating between
 * two lines (its second entry), getInt striding over resident lines (the cache-table lookup), a plain byte[] VarHandle read for reference, putInt on resident lines, and a
 * scan ten times device memory on a MemoryHeapStore (misses, evictions and flushes).
 */
public final class PagedHeapBench {
    private PagedHeapBench() {
    }

    public static void main(String[] args) {
        int lineSize = 4096;
        PagingConfig config = new PagingConfig().setLineSize(lineSize).setMemoryBytes(4L << 20)
                .setFreeFrameThreshold(16).setMaxHeapBytes(1L << 30);
        MemoryHeapStore store = new MemoryHeapStore();
        try (HeapSession s = store.openHeap(new OpenRequest("bench", "dev", true, lineSize, Duration.ZERO, 0))) {
            PagedHeap heap = new PagedHeap(s, config);
            long resident = 2L << 20;   // half of device memory: always resident after the first pass
            for (long a = 0; a < resident; a += 8) {
                heap.putLong(a, a);
            }
            byte[] plain = new byte[(int) resident];
            for (int round = 0; round < 4; round++) {
                report("getInt, same line", 200_000_000, n -> {
                    long sum = 0;
                    for (long i = 0; i < n; i++) {
                        sum += heap.getInt((i & 1023) << 2);
                    }
                    return sum;
                });
                report("getInt, alternating between two lines (two-entry cache)", 200_000_000, n -> {
                    long sum = 0;
                    for (long i = 0; i < n; i++) {
                        sum += heap.getInt(((i & 1) << 12) | ((i >> 1) & 1020));
                    }
                    return sum;
                });
                report("getInt, striding over 512 resident lines", 100_000_000, n -> {
                    long sum = 0;
                    for (long i = 0; i < n; i++) {
                        sum += heap.getInt(((i * 4100) & (resident - 1)) & ~3L);
                    }
                    return sum;
                });
                report("getInt, each access another of 8 resident lines (table path)", 100_000_000, n -> {
                    long sum = 0;
                    for (long i = 0; i < n; i++) {
                        sum += heap.getInt(((i & 7) << 12) | ((i >> 3) & 1020));
                    }
                    return sum;
                });
                report("plain byte[] VarHandle getInt, same pattern, for reference", 100_000_000, n -> {
                    long sum = 0;
                    for (long i = 0; i < n; i++) {
                        sum += (int) PagedHeapBenchSupport.INT.get(plain, (int) (((i & 7) << 12) | ((i >> 3) & 1020)));
                    }
                    return sum;
                });
                report("getInt, 4 accesses per line over 512 lines", 100_000_000, n -> {
                    long sum = 0;
                    for (long i = 0; i < n; i++) {
                        sum += heap.getInt((((i >> 2) * 4100) & (resident - 1) & ~4095L) | ((i & 3) << 2));
                    }
                    return sum;
                });
                report("plain byte[] VarHandle getInt, for reference", 200_000_000, n -> {
                    long sum = 0;
                    for (long i = 0; i < n; i++) {
                        sum += (int) PagedHeapBenchSupport.INT.get(plain, (int) ((i & 1023) << 2));
                    }
                    return sum;
                });
                report("plain byte[] VarHandle getInt, same stride, for reference", 100_000_000, n -> {
                    long sum = 0;
                    for (long i = 0; i < n; i++) {
                        sum += (int) PagedHeapBenchSupport.INT.get(plain, (int) (((i * 4100) & (resident - 1)) & ~3L));
                    }
                    return sum;
                });
                report("putInt, same line", 200_000_000, n -> {
                    for (long i = 0; i < n; i++) {
                        heap.putInt((i & 1023) << 2, (int) i);
                    }
                    return 0;
                });
                report("getLong scan of 40 MiB (10x memory): misses and evictions", 5_242_880, n -> {
                    long sum = 0;
                    for (long i = 0; i < n; i++) {
                        heap.putLong((4L << 20) + i * 8, i);
                    }
                    return sum;
                });
            }
            System.out.println(heap.stats());
        }
    }

    private interface Loop {
        long run(long n);
    }

    private static void report(String what, long n, Loop loop) {
        long t0 = System.nanoTime();
        long sink = loop.run(n);
        long t1 = System.nanoTime();
        System.out.printf("%-60s %7.2f ns/op  (%d)%n", what, (t1 - t0) / (double) n, sink & 1);
    }

    /** The reference VarHandle, as PagedHeap uses it. */
    private static final class PagedHeapBenchSupport {
        static final java.lang.invoke.VarHandle INT = java.lang.invoke.MethodHandles
                .byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    }
}
