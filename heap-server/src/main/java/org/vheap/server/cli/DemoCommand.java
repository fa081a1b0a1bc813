package org.vheap.server.cli;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.CloseHeapRequest;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.OpenHeapResponse;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.proto.v1.TransactResponse;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The newcomer's first command. For now (until the device VM lands) it shows the store round trip: a
 * server on the embedded database, one device writing and checkpointing a heap, a second device taking it
 * over and reading exactly the checkpoint, and the first device fenced off.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a heap server on the embedded database and walk through a store round trip between two devices.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "vheap-data", paramLabel = "DIR",
            description = "data directory of the embedded database (default: ${DEFAULT-VALUE})")
    Path data;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        String app = "demo-counter";
        step("starting a heap server on the embedded PostgreSQL under " + data.toAbsolutePath());
        try (HeapServerInstance server = HeapServerInstance.start(
                new HeapServerConfig().setHost("127.0.0.1").setPort(0).setDataDir(data), Clock.systemUTC())) {
            out.println("   listening on " + server.address());
            ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                HeapStoreGrpc.newBlockingStub(ch).deleteApp(DeleteAppRequest.newBuilder().setApp(app).setForce(true).build());
                step("removed the '" + app + "' heap left by an earlier demo run");
            } catch (StatusRuntimeException notThere) {
                // a fresh data directory has no demo app: nothing to clean
            }
            try {
                HeapStoreGrpc.HeapStoreBlockingStub stub = HeapStoreGrpc.newBlockingStub(ch);
                step("device-a opens heap '" + app + "' (created, 256-byte lines) and takes its writer lease");
                OpenHeapResponse a = stub.openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("device-a")
                        .setCreate(true).setLineSize(256).build());
                long tokenA = a.getLease().getFencingToken();
                out.println("   heap " + a.getHeapId() + ", fencing token " + tokenA);

                step("device-a writes counter=1 in line 0 and commits checkpoint 1");
                long cp1 = commit(ch, app, tokenA, "device-a", line(0, "counter=1", 256), "pc=10");
                out.println("   checkpoint " + cp1 + " committed");

                step("device-a flushes counter=2 (an evicted dirty line: written, not yet committed)");
                stub.transact(TransactRequest.newBuilder().setApp(app).setFencingToken(tokenA)
                        .addWrites(line(0, "counter=2", 256)).build());
                out.println("   device-a reads its own write: " + text(stub.transact(TransactRequest.newBuilder()
                        .setApp(app).setFencingToken(tokenA).addReadLineIds(0).build())));

                step("device-a goes silent; device-b takes the heap over (lease expired after 1 s)");
                stub.renewLease(org.vheap.proto.v1.RenewLeaseRequest.newBuilder().setApp(app)
                        .setFencingToken(tokenA).setLeaseMillis(1000).build());
                Thread.sleep(1100);
                OpenHeapResponse b = stub.openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("device-b")
                        .setIncludeVmState(true).build());
                long tokenB = b.getLease().getFencingToken();
                out.println("   device-b resumes from checkpoint " + b.getBaseCheckpoint().getCheckpointId()
                        + " with VM state '" + b.getVmState().toStringUtf8() + "', fencing token " + tokenB);
                out.println("   device-b reads line 0: " + text(stub.transact(TransactRequest.newBuilder()
                        .setApp(app).setFencingToken(tokenB).addReadLineIds(0).build()))
                        + "   (device-a's uncommitted flush was discarded)");

                step("device-a comes back and tries to write with its old token");
                try {
                    stub.transact(TransactRequest.newBuilder().setApp(app).setFencingToken(tokenA)
                            .addWrites(line(0, "counter=99", 256)).build());
                    out.println("   !! the zombie's write was accepted");
                    return 1;
                } catch (StatusRuntimeException e) {
                    out.println("   fenced: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
                }

                step("device-b counts on and commits a new checkpoint");
                long cp2 = commit(ch, app, tokenB, "device-b", line(0, "counter=2", 256), "pc=20");
                stub.closeHeap(CloseHeapRequest.newBuilder().setApp(app).setFencingToken(tokenB).build());
                out.println("   checkpoint " + cp2 + " committed; device-b closed the heap");

                step("checkpoints of '" + app + "'");
                VheapCli.commandLine().execute("checkpoints", "--app", app, "--server", "127.0.0.1:" + server.port());
                out.println("   checkpoint " + cp1 + " still reads: " + text(stub.transact(TransactRequest.newBuilder()
                        .setApp(app).setCheckpointId(cp1).addReadLineIds(0).build())));
            } finally {
                StoreTarget.shutdown(ch);
            }
            step("stopping the server");
        }
        out.println("demo finished: the heap lives on in " + data.toAbsolutePath() + " (start it with ./vheap server)");
        return 0;
    }

    private void step(String s) {
        out.println("==> " + s);
    }

    private static long commit(ManagedChannel ch, String app, long token, String device, Line line, String vmState) {
        return new HeapStoreClient(ch, 30_000).commit(CommitHeader.newBuilder().setApp(app).setFencingToken(token)
                        .setDevice(device).setVmState(ByteString.copyFromUtf8(vmState)).build(), List.of(line), List.of(),
                HeapStoreClient.DEFAULT_BATCH_BYTES).getCheckpoint().getCheckpointId();
    }

    private static Line line(long id, String text, int size) {
        byte[] b = Arrays.copyOf(text.getBytes(StandardCharsets.UTF_8), size);
        return Line.newBuilder().setLineId(id).setData(ByteString.copyFrom(b)).build();
    }

    private static String text(TransactResponse r) {
        if (r.getLinesCount() == 0) {
            return "(absent)";
        }
        String s = r.getLines(0).getData().toStringUtf8();
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }
}
