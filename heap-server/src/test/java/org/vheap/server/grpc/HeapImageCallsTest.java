package org.vheap.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.client.HeapImageTransfer;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.GetCheckpointRequest;
import org.vheap.proto.v1.HeapToolProgress;
import org.vheap.proto.v1.ImportedHeap;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;

/** ExportHeap and ImportHeap over a real transport, with a client of gRPC's default limits. */
class HeapImageCallsTest {
    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.onLoopback();

    @Test
    void aSectionLargerThanAClientTakesInOneMessageGoesInPiecesAndTheCopyIsWhole() throws Exception {
        String app = TestHeaps.app("big-state");
        byte[] state = new byte[6 << 20];   // incompressible: its section stays 6 MiB, over a client's default 4 MiB
        new Random(5).nextBytes(state);
        HeapStoreClient client = new HeapStoreClient(SERVER.channel(), 60_000);
        long t = client.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("dev-a").setCreate(true)
                .setLineSize(4096).build()).getLease().getFencingToken();
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < 600; i++) {   // 2.4 MB of lines: progress on the way
            lines.add(Line.newBuilder().setLineId(i).setData(ByteString.copyFrom(TestHeaps.line(4096, i))).build());
        }
        client.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t).setDevice("dev-a")
                .setVmState(ByteString.copyFrom(state)).build(), lines, List.of(), 1 << 20);

        ManagedChannel plain = ManagedChannelBuilder.forTarget(SERVER.target()).usePlaintext().build();
        try {
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            List<HeapToolProgress> exported = new ArrayList<>();
            long bytes = HeapImageTransfer.export(plain, app, 0, file, exported::add);
            assertThat(bytes).isEqualTo(file.size()).isGreaterThan(6 << 20);
            assertThat(exported).isNotEmpty().last().satisfies(p -> assertThat(p.getLinesDone()).isEqualTo(600));

            List<HeapToolProgress> imported = new ArrayList<>();
            String copy = TestHeaps.app("big-state-copy");
            ImportedHeap made = HeapImageTransfer.importFile(plain, copy, false,
                    new ByteArrayInputStream(file.toByteArray()), imported::add);
            assertThat(made.getCheckpoint().getLineCount()).isEqualTo(600);
            assertThat(imported).extracting(HeapToolProgress::getPhase).contains("lines", "committing");
            assertThat(client.blocking().getCheckpoint(GetCheckpointRequest.newBuilder().setApp(copy).build())
                    .getVmState().toByteArray()).isEqualTo(state);
        } finally {
            plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
