package org.vheap.device.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.TestStores;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/** The store contract on {@link GrpcHeapStore} against a real heap server (embedded PostgreSQL, loopback TCP). */
class GrpcHeapStoreTest extends HeapStoreContractTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();


    @Override
    HeapStore store() {
        return SERVER.store();
    }

    @Override
    void advance(Duration d) {
        SERVER.clock().advance(d);
    }

    @Override
    int retained() {
        return 3;   // HeapServerConfig's default
    }

    @Test
    void anUnreachableServerIsUnavailable() {
        try (GrpcHeapStore nowhere = new GrpcHeapStore("127.0.0.1:1", Duration.ofSeconds(2))) {
            assertFails(() -> nowhere.openHeap(open(TestHeaps.app("nowhere"), "dev")),
                    StoreException.Reason.UNAVAILABLE, "open app");
        }
    }

    @Test
    void aCheckpointOfThousandsOfLinesAndItsVmStateRoundTrip() {
        String app = TestHeaps.app("big");
        List<LineImage> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            lines.add(img(i, i));
        }
        try (HeapSession s = store().openHeap(open(app, "dev"))) {
            s.commit(lines, new long[0], new byte[1 << 16], java.util.Map.of());
        }
        try (HeapSession s = store().openHeap(open(app, "dev"))) {
            byte[][] r = s.read(new long[] {0, 2500, 4999});
            assertThat(r[1]).isEqualTo(TestHeaps.line(LINE, 2500));
            assertThat(r[2]).isEqualTo(TestHeaps.line(LINE, 4999));
            assertThat(s.baseVmState()).hasSize(1 << 16);
        }
    }
}
