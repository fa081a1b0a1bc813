package org.vheap.device.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;

/** The store contract on {@link MemoryHeapStore}, plus what only an in-process store can show. */
class MemoryHeapStoreTest extends HeapStoreContractTest {
    private final MutableClock clock = new MutableClock();
    private final MemoryHeapStore store = new MemoryHeapStore(clock);

    @Override
    HeapStore store() {
        return store;
    }

    @Override
    void advance(Duration d) {
        clock.advance(d);
    }

    @Override
    int retained() {
        return MemoryHeapStore.DEFAULT_RETAIN;
    }

    @Test
    void storedLinesAreCopiesSoCallersCannotChangeThem() {
        try (HeapSession s = store.openHeap(open(TestHeaps.app("copy"), "dev"))) {
            LineImage image = img(1, 1);
            s.flush(List.of(image), new long[0]);
            image.data()[5] = 99;
            byte[] read = s.read(new long[] {1})[0];
            read[6] = 99;
            assertThat(s.read(new long[] {1})[0]).isEqualTo(TestHeaps.line(LINE, 1));
        }
    }

    @Test
    void keepAllRetainsEveryCheckpoint() {
        MemoryHeapStore all = new MemoryHeapStore(clock, Integer.MAX_VALUE, LEASE);
        String app = TestHeaps.app("all");
        List<Long> ids = new ArrayList<>();
        try (HeapSession s = all.openHeap(open(app, "dev"))) {
            for (int i = 0; i < 10; i++) {
                ids.add(s.commit(List.of(img(0, i)), new long[0], new byte[0], Map.of()));
            }
        }
        try (HeapSession first = all.openHeap(openAt(app, "dev", ids.get(0)))) {
            assertThat(first.read(new long[] {0})[0]).isEqualTo(TestHeaps.line(LINE, 0));
        }
    }

    @Test
    void appsInOneStoreProceedInParallel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int value = t;
                results.add(pool.submit(() -> {
                    try (HeapSession s = store.openHeap(open(TestHeaps.app("par"), "dev"))) {
                        for (int i = 0; i < 1000; i++) {
                            s.flush(List.of(img(i % 16, value)), new long[0]);
                        }
                        s.commit(List.of(), new long[0], new byte[0], Map.of());
                        return s.read(new long[] {15})[0];
                    }
                }));
            }
            for (int t = 0; t < 4; t++) {
                assertThat(results.get(t).get(10, TimeUnit.SECONDS)).isEqualTo(TestHeaps.line(LINE, t));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
