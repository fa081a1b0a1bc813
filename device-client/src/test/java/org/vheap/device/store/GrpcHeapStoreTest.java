package org.vheap.device.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.TestStores;

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
            assertFails(() -> nowhere.openHeap(open(TestStores.app("nowhere"), "dev")),
                    StoreException.Reason.UNAVAILABLE, "open app");
        }
    }

    @Test
    void statusCodesMapToReasonsKeepingTheServersMessage() {
        assertThat(reason(Status.DEADLINE_EXCEEDED, null)).isEqualTo(StoreException.Reason.UNAVAILABLE);
        assertThat(reason(Status.UNAVAILABLE, null)).isEqualTo(StoreException.Reason.UNAVAILABLE);
        assertThat(reason(Status.FAILED_PRECONDITION, "STALE_TOKEN")).isEqualTo(StoreException.Reason.FENCED);
        assertThat(reason(Status.FAILED_PRECONDITION, "CONFLICT")).isEqualTo(StoreException.Reason.INVALID);
        assertThat(reason(Status.ABORTED, "LEASE_HELD")).isEqualTo(StoreException.Reason.LEASE_HELD);
        assertThat(reason(Status.ABORTED, "ABORTED")).isEqualTo(StoreException.Reason.UNAVAILABLE);
        assertThat(reason(Status.NOT_FOUND, null)).isEqualTo(StoreException.Reason.NOT_FOUND);
        assertThat(reason(Status.RESOURCE_EXHAUSTED, null)).isEqualTo(StoreException.Reason.INVALID);
        assertThat(reason(Status.OUT_OF_RANGE, null)).isEqualTo(StoreException.Reason.INVALID);
        assertThat(reason(Status.UNIMPLEMENTED, null)).isEqualTo(StoreException.Reason.INVALID);
        StoreException e = GrpcHeapStore.toStoreException("read lines",
                Status.ABORTED.withDescription("app 'x' is leased to device 'd'").asRuntimeException());
        assertThat(e).hasMessage("read lines failed: ABORTED: app 'x' is leased to device 'd'");
    }

    private static StoreException.Reason reason(Status status, String serverReason) {
        Metadata trailers = new Metadata();
        if (serverReason != null) {
            trailers.put(Metadata.Key.of("vheap-reason", Metadata.ASCII_STRING_MARSHALLER), serverReason);
        }
        return GrpcHeapStore.toStoreException("call", status.withDescription("m").asRuntimeException(trailers)).reason();
    }

    @Test
    void aCheckpointOfThousandsOfLinesAndItsVmStateRoundTrip() {
        String app = TestStores.app("big");
        List<LineImage> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            lines.add(img(i, i));
        }
        try (HeapSession s = store().openHeap(open(app, "dev"))) {
            s.commit(lines, new long[0], new byte[1 << 16], java.util.Map.of());
        }
        try (HeapSession s = store().openHeap(open(app, "dev"))) {
            byte[][] r = s.read(new long[] {0, 2500, 4999});
            assertThat(r[1]).isEqualTo(TestStores.line(LINE, 2500));
            assertThat(r[2]).isEqualTo(TestStores.line(LINE, 4999));
            assertThat(s.baseVmState()).hasSize(1 << 16);
        }
    }
}
