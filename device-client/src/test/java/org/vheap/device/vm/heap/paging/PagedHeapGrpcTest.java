package org.vheap.device.vm.heap.paging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.TestStores;
import org.vheap.device.store.HeapSession;
import org.vheap.server.testing.TestHeaps;

/** Paging over the real heap server (embedded PostgreSQL, loopback TCP): the model check, and batching. */
class PagedHeapGrpcTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();


    @Test
    void randomAccessesMatchAPlainByteArrayOverGrpc() {
        PagedHeapTest.ModelCheck.run(SERVER.store(), TestHeaps.app("grpc-model"), PagedHeapTest.config(32, 4), 7, 500);
    }

    @Test
    void evictionFlushesABatchInOneTransactionAndMissesReadItBack() {
        try (HeapSession s = PagedHeapTest.open(SERVER.store(), TestHeaps.app("grpc-batch"))) {
            PagedHeap heap = new PagedHeap(s, PagedHeapTest.config(16, 4).setReadAheadLines(0).setWriteBehind(false));
            for (int line = 0; line < 13; line++) {
                heap.putLong(line * PagedHeapTest.LINE, 5000 + line);
            }
            assertThat(heap.stats().flushTransactions()).isEqualTo(1);
            assertThat(heap.stats().linesFlushed()).isEqualTo(4);
            // 7 free: taking 4 would leave 3, so the 4 oldest dirty lines (4..7) go in one more write
            assertThat(heap.prefetch(0, 4 * PagedHeapTest.LINE)).isEqualTo(4);
            assertThat(heap.stats().fetchTransactions()).isEqualTo(1);
            assertThat(heap.stats().flushTransactions()).isEqualTo(2);
            assertThat(heap.stats().linesFlushed()).isEqualTo(8);
            for (int line = 0; line < 13; line++) {
                assertThat(heap.getLong(line * PagedHeapTest.LINE)).isEqualTo(5000 + line);
            }
            PagingStats st = heap.stats();
            assertThat(st.misses()).isGreaterThanOrEqualTo(13 + 4);   // 4..7, and any evicted meanwhile
            assertThat(st.linesFetched()).as("every later miss reads a flushed line").isEqualTo(4 + st.misses() - 13);
            assertThat(st.fetchTransactions()).isEqualTo(1 + st.misses() - 13);
        }
    }
}
