package org.vheap.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.net.ServerSocket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.AppQuotaEntry;
import org.vheap.proto.v1.CommitCheckpointResponse;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.FindMissingSystemBlobsRequest;
import org.vheap.proto.v1.GetCheckpointRequest;
import org.vheap.proto.v1.GetSystemBlobsRequest;
import org.vheap.proto.v1.GetSystemBlobsResponse;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.LinePatch;
import org.vheap.proto.v1.LineRange;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.ListQuotasRequest;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.OpenHeapResponse;
import org.vheap.proto.v1.PutSystemBlobsRequest;
import org.vheap.proto.v1.Quota;
import org.vheap.proto.v1.ReadLinesRequest;
import org.vheap.proto.v1.ReadLinesResponse;
import org.vheap.proto.v1.RenewLeaseRequest;
import org.vheap.proto.v1.SetQuotaRequest;
import org.vheap.proto.v1.SetQuotaResponse;
import org.vheap.proto.v1.SystemBlob;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.proto.v1.TransactResponse;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;
import org.vheap.server.store.SystemBlobs;
import org.vheap.store.LinePatches;
import org.vheap.store.StoreException;
import org.vheap.store.StoreStatusCodes;

/**
 * The gRPC contract, in process, on the shared embedded PostgreSQL; what only a transport enforces (the
 * message size limit) over real loopback TCP (Netty).
 */
class HeapStoreServiceTest {
    private static final int MAX_MESSAGE = 4 << 20;

    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.inProcess().maxMessageBytes(MAX_MESSAGE);
    @RegisterExtension
    static final TestHeapServer NETTY = TestHeapServer.onLoopback().maxMessageBytes(MAX_MESSAGE);

    private static HeapStoreClient client() {
        return SERVER.client();
    }

    private static HeapStoreGrpc.HeapStoreBlockingStub stub() {
        return client().blocking();
    }

    /** A stub over loopback TCP, where gRPC enforces the server's message size limit. */
    private static HeapStoreGrpc.HeapStoreBlockingStub overTcp() {
        return NETTY.client().blocking();
    }

    private static OpenHeapResponse open(String app, String device, int lineSize) {
        return stub().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice(device).setCreate(true)
                .setLineSize(lineSize).build());
    }

    private static Line line(long id, int size, int value) {
        return Line.newBuilder().setLineId(id).setData(ByteString.copyFrom(TestHeaps.line(size, value))).build();
    }

    private static void assertStatus(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> {
                    Status s = ((StatusRuntimeException) e).getStatus();
                    assertThat(s.getCode()).isEqualTo(code);
                    assertThat(s.getDescription()).contains(message);
                });
    }

    @Test
    void overItsQuotaAnAppsCallIsResourceExhaustedNamingItAndTheReasonSaysWhetherToRetry() {
        String app = TestHeaps.app("rpc-quota");
        long t = open(app, "dev-a", 64).getLease().getFencingToken();
        SetQuotaResponse set = stub().setQuota(SetQuotaRequest.newBuilder().setApp(app)
                .setQuota(Quota.newBuilder().setMaxLines(2)).build());
        assertThat(set.getEffective().getMaxLines()).isEqualTo(2);
        assertThat(stub().listQuotas(ListQuotasRequest.getDefaultInstance()).getAppsList())
                .anySatisfy(e -> assertThat(e).isEqualTo(AppQuotaEntry.newBuilder().setApp(app).setQuota(set.getEffective()).build()));

        TransactRequest three = TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                .addWrites(line(1, 64, 1)).addWrites(line(2, 64, 2)).addWrites(line(3, 64, 3)).build();
        assertStatus(() -> stub().transact(three), Status.Code.RESOURCE_EXHAUSTED, "over its quota of 2 lines");
        assertThat(reasonOf(() -> stub().transact(three))).isEqualTo(StoreException.Reason.QUOTA_EXCEEDED);
        assertThat(stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t).addReadLineIds(1).build())
                .getLinesCount()).as("nothing written").isZero();

        // one call a second: the second of two at once waits, and a device retries it
        stub().setQuota(SetQuotaRequest.newBuilder().setApp(app).setQuota(Quota.newBuilder().setMaxCallsPerSecond(1)).build());
        ListCheckpointsRequest list = ListCheckpointsRequest.newBuilder().setApp(app).build();
        stub().listCheckpoints(list);
        assertStatus(() -> stub().listCheckpoints(list), Status.Code.RESOURCE_EXHAUSTED, "over its quota of 1 calls per second");
        assertThat(reasonOf(() -> stub().listCheckpoints(list))).isEqualTo(StoreException.Reason.THROTTLED);
        // the lease's renewal is never throttled, nor are the system blobs' calls (a VM's boot makes them)
        stub().renewLease(RenewLeaseRequest.newBuilder().setApp(app).setFencingToken(t).build());
        for (int i = 0; i < 5; i++) {
            stub().findMissingSystemBlobs(org.vheap.proto.v1.FindMissingSystemBlobsRequest.newBuilder().setApp(app)
                    .addSha256(com.google.protobuf.ByteString.copyFrom(new byte[32])).build());
            stub().getSystemBlobs(org.vheap.proto.v1.GetSystemBlobsRequest.newBuilder().setApp(app)
                    .addSha256(com.google.protobuf.ByteString.copyFrom(new byte[32])).build());
        }
        assertThat(reasonOf(() -> stub().listCheckpoints(list))).as("the others still are").isEqualTo(StoreException.Reason.THROTTLED);

        assertStatus(() -> stub().setQuota(SetQuotaRequest.newBuilder().setApp(app).setQuota(Quota.newBuilder()
                .setMaxCheckpoints(-1)).build()), Status.Code.INVALID_ARGUMENT, "0 (none) or more");
        assertThat(stub().setQuota(SetQuotaRequest.newBuilder().setApp(app).setClear(true).build()).getEffective())
                .isEqualTo(Quota.getDefaultInstance());
        stub().listCheckpoints(list);
    }

    private static StoreException.Reason reasonOf(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return StoreStatusCodes.reasonOf(e.getStatus(), e.getTrailers());
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void transactReadsWritesAndDeletesAtomicallyAndReportsMissingLines() {
        String app = TestHeaps.app("rpc");
        long t = open(app, "dev-a", 128).getLease().getFencingToken();
        stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                .addWrites(line(1, 128, 1)).addWrites(line(2, 128, 2)).build());
        TransactResponse r = stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                .addReadLineIds(2).addReadLineIds(3).addReadLineIds(1)
                .addWrites(line(3, 128, 3)).addDeleteLineIds(1).build());
        // reads see the state before this transaction's writes and deletes
        assertThat(r.getLinesList()).extracting(Line::getLineId).containsExactly(2L, 1L);
        assertThat(r.getMissingLineIdsList()).containsExactly(3L);
        TransactResponse after = stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                .addReadLineIds(1).addReadLineIds(2).addReadLineIds(3).build());
        assertThat(after.getLinesList()).extracting(Line::getLineId).containsExactly(2L, 3L);
        assertThat(after.getLines(1).getData()).isEqualTo(line(3, 128, 3).getData());
    }

    @Test
    void everyBadInputGetsItsStatus() {
        String app = TestHeaps.app("bad");
        OpenHeapResponse a = open(app, "dev-a", 64);
        long t = a.getLease().getFencingToken();
        assertStatus(() -> stub().listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(TestHeaps.app("ghost")).build()),
                Status.Code.NOT_FOUND, "no app named");
        assertStatus(() -> stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                .addReadLineIds(-3).build()), Status.Code.INVALID_ARGUMENT, "bad line id -3");
        assertStatus(() -> stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                .addWrites(line(1, 65, 1)).build()), Status.Code.INVALID_ARGUMENT, "has 65 bytes");
        assertStatus(() -> stub().openHeap(OpenHeapRequest.newBuilder().setApp("").setDevice("d").build()),
                Status.Code.INVALID_ARGUMENT, "app name is empty");
        assertStatus(() -> stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t + 7)
                .addWrites(line(1, 64, 1)).build()), Status.Code.FAILED_PRECONDITION, "stale");
        assertStatus(() -> open(app, "dev-b", 64), Status.Code.ABORTED, "leased to device 'dev-a' until");
        assertStatus(() -> stub().getCheckpoint(GetCheckpointRequest.newBuilder().setApp(app).setCheckpointId(5).build()),
                Status.Code.NOT_FOUND, "no checkpoint 5");
        // over-size message: RESOURCE_EXHAUSTED naming the limit; nothing was written
        TransactRequest.Builder big = TransactRequest.newBuilder().setApp(app).setFencingToken(t);
        for (int i = 0; i < (MAX_MESSAGE / 64) + 100; i++) {
            big.addWrites(line(i, 64, 9));
        }
        assertStatus(() -> overTcp().transact(big.build()), Status.Code.RESOURCE_EXHAUSTED, String.valueOf(MAX_MESSAGE));
        assertThat(stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t).addReadLineIds(0)
                .addReadLineIds(100).build()).getLinesCount()).isZero();
        // a commit stream that is malformed publishes nothing
        assertStatus(() -> client().commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t).setDevice("dev-a").build(),
                        List.of(line(1, 64, 1), line(2, 63, 2)), List.of(), 1 << 20),
                Status.Code.INVALID_ARGUMENT, "has 63 bytes");
        assertThat(stub().listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app).build()).getCheckpointsCount())
                .isZero();
    }

    /** The holder's view of these lines: the ids it finds (its own flushes included). */
    private static List<Long> present(String app, long token, long... ids) {
        TransactRequest.Builder r = TransactRequest.newBuilder().setApp(app).setFencingToken(token);
        for (long id : ids) {
            r.addReadLineIds(id);
        }
        return stub().transact(r.build()).getLinesList().stream().map(Line::getLineId).toList();
    }

    @Test
    void aTransactWhoseKnownHashesDoNotFitItsReadsIsRefusedAndWritesNothing() {
        String app = TestHeaps.app("known");
        long t = open(app, "dev-a", 64).getLease().getFencingToken();
        stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t).addWrites(line(1, 64, 1)).build());
        ByteString sha = ByteString.copyFrom(TestHeaps.sha256(TestHeaps.line(64, 1)));
        // one known hash for two reads
        assertStatus(() -> stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                        .addReadLineIds(1).addReadLineIds(2).addReadKnownSha256(sha)
                        .addWrites(line(7, 64, 7)).build()),
                Status.Code.INVALID_ARGUMENT, "read_known_sha256 has 1 entries for 2 read lines");
        // a known hash that is no SHA-256
        assertStatus(() -> stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                        .addReadLineIds(1).addReadKnownSha256(sha.substring(0, 5))
                        .addWrites(line(8, 64, 8)).addDeleteLineIds(1).build()),
                Status.Code.INVALID_ARGUMENT, "32-byte SHA-256, got 5 bytes");
        // a refused call changed nothing: no line written, none deleted
        assertThat(present(app, t, 1, 7, 8)).containsExactly(1L);
        // well-formed, the same call works: the unchanged line is not sent again
        TransactResponse ok = stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                .addReadLineIds(1).addReadLineIds(2).addReadKnownSha256(sha).addReadKnownSha256(ByteString.EMPTY)
                .addWrites(line(7, 64, 7)).build());
        assertThat(ok.getUnchangedLineIdsList()).containsExactly(1L);
        assertThat(ok.getMissingLineIdsList()).containsExactly(2L);
        assertThat(present(app, t, 1, 7, 8)).containsExactly(1L, 7L);
    }

    @Test
    void aLineThatChangedSinceAKnownCopyComesAsAPatchAgainstItWhenTheCallerAcceptsPatches() {
        String app = TestHeaps.app("patch");
        int size = 4096;
        long t = open(app, "dev-a", size).getLease().getFencingToken();
        byte[] copy = TestHeaps.line(size, 1);
        byte[] rewritten = TestHeaps.line(size, 2);
        // the device's copies (lines 1-4) are checkpointed; then lines 1 and 2 change a little, 3 all over
        client().commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t).setDevice("dev-a").build(),
                List.of(line(1, size, 1), line(2, size, 1), line(3, size, 1), line(4, size, 1)), List.of(), 1 << 20);
        byte[] one = copy.clone();
        one[100] = 9;
        one[108] = 9;
        byte[] two = copy.clone();
        two[4095] = 7;
        stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                .addWrites(Line.newBuilder().setLineId(1).setData(ByteString.copyFrom(one)))
                .addWrites(Line.newBuilder().setLineId(2).setData(ByteString.copyFrom(two)))
                .addWrites(line(3, size, 2)).build());
        ByteString known = ByteString.copyFrom(TestHeaps.sha256(copy));
        ByteString never = ByteString.copyFrom(TestHeaps.sha256(TestHeaps.line(size, 77)));
        TransactRequest.Builder read = TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                .addAllReadLineIds(List.of(1L, 2L, 3L, 4L, 5L))
                .addAllReadKnownSha256(List.of(known, known, known, known, never));
        TransactResponse patched = stub().transact(read.setAcceptLinePatches(true).build());
        assertThat(patched.getUnchangedLineIdsList()).containsExactly(4L);
        assertThat(patched.getMissingLineIdsList()).containsExactly(5L);
        assertThat(patched.getLinesList()).extracting(Line::getLineId).as("changed all over: the whole line")
                .containsExactly(3L);
        assertThat(patched.getLines(0).getData().toByteArray()).isEqualTo(rewritten);
        assertThat(patched.getLinePatchesList()).extracting(LinePatch::getLineId).containsExactly(1L, 2L);
        for (LinePatch p : patched.getLinePatchesList()) {
            byte[] expected = p.getLineId() == 1 ? one : two;
            byte[] applied = LinePatches.apply(copy, p.getRuns().toByteArray());
            assertThat(applied).isEqualTo(expected);
            assertThat(p.getCrc32C()).isEqualTo(LinePatches.crc32c(expected));
            assertThat(p.getRuns().size()).isLessThan(16);
        }
        // the same line read twice, once with the hash of what it holds and once without: unchanged, then whole
        TransactResponse twice = stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                .addReadLineIds(4).addReadLineIds(4).addReadKnownSha256(known).addReadKnownSha256(ByteString.EMPTY)
                .setAcceptLinePatches(true).build());
        assertThat(twice.getUnchangedLineIdsList()).containsExactly(4L);
        assertThat(twice.getLinesList()).extracting(Line::getLineId).containsExactly(4L);
        assertThat(twice.getMissingLineIdsCount()).isZero();
        // without accept_line_patches, whole lines; with a hash the store never held, the whole line
        TransactResponse whole = stub().transact(read.setAcceptLinePatches(false).build());
        assertThat(whole.getLinePatchesCount()).isZero();
        assertThat(whole.getLinesList()).extracting(Line::getLineId).containsExactly(1L, 2L, 3L);
        TransactResponse unknown = stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                .addReadLineIds(1).addReadKnownSha256(never).setAcceptLinePatches(true).build());
        assertThat(unknown.getLinePatchesCount()).isZero();
        assertThat(unknown.getLines(0).getData().toByteArray()).isEqualTo(one);
    }

    @Test
    void aCommitWhoseHeaderIsBadIsRefusedBeforeAnyOfItsLinesIsWrittenAhead() {
        String app = TestHeaps.app("badheader");
        int lineSize = 4096;
        long t = open(app, "dev-a", lineSize).getLease().getFencingToken();
        // more than a commit buffer of lines: a stream this long writes lines ahead of its commit
        int count = HeapStoreService.COMMIT_BUFFER_BYTES / lineSize * 2 + 10;
        List<Line> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writes.add(line(i, lineSize, i));
        }
        assertStatus(() -> client().commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t)
                        .setDevice("no spaces").build(), writes, List.of(), 256 << 10),
                Status.Code.INVALID_ARGUMENT, "device name 'no spaces'");
        assertThat(present(app, t, 0, count / 2, count - 1)).isEmpty();
        assertStatus(() -> client().commit(CommitHeader.newBuilder().setApp(app).setDevice("dev-a").build(),
                writes, List.of(), 256 << 10), Status.Code.FAILED_PRECONDITION, "a checkpoint needs the heap lease");
        assertThat(present(app, t, 0, count / 2, count - 1)).isEmpty();
        assertThat(stub().listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app).build()).getCheckpointsCount())
                .isZero();
    }

    @Test
    void aSixtyFourMebibyteCheckpointCommitsAtomicallyAndStreamsBack() throws Exception {
        String app = TestHeaps.app("big");
        int lineSize = 4096;
        int lines = (64 << 20) / lineSize;
        long t = open(app, "dev-a", lineSize).getLease().getFencingToken();
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        List<Line> writes = new ArrayList<>(lines);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < lines; i++) {
            byte[] data = new byte[lineSize];
            random.nextBytes(data);
            sent.update(data);
            writes.add(Line.newBuilder().setLineId(i).setData(ByteString.copyFrom(data)).build());
        }
        // the first half is pre-flushed (evicted dirty lines), the rest comes with the commit
        for (int from = 0; from < lines / 2; from += 128) {
            stub().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(t)
                    .addAllWrites(writes.subList(from, from + 128)).build());
        }
        CommitCheckpointResponse r = client().commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t)
                        .setDevice("dev-a").setVmState(ByteString.copyFromUtf8("threads")).putMetadata("sample", "big").build(),
                writes.subList(lines / 2, lines), List.of(), 512 << 10);
        assertThat(r.getCheckpoint().getLineCount()).isEqualTo(lines);
        assertThat(r.getCheckpoint().getSizeBytes()).isEqualTo(64L << 20);
        assertThat(r.getCheckpoint().getLinesWritten()).isEqualTo(lines);

        // read it back as another device would: the committed checkpoint, streamed
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long count = 0;
        long expectedId = 0;
        Iterator<ReadLinesResponse> it = stub().readLines(ReadLinesRequest.newBuilder().setApp(app)
                .setCheckpointId(r.getCheckpoint().getCheckpointId()).build());
        while (it.hasNext()) {
            for (Line l : it.next().getLinesList()) {
                assertThat(l.getLineId()).isEqualTo(expectedId++);
                received.update(l.getData().toByteArray());
                count++;
            }
        }
        assertThat(count).isEqualTo(lines);
        assertThat(received.digest()).isEqualTo(sent.digest());
        stub().deleteApp(DeleteAppRequest.newBuilder().setApp(app).setForce(true).build());
    }

    @Test
    void readLinesStreamsRangesOfAView() {
        String app = TestHeaps.app("ranges");
        long t = open(app, "dev-a", 64).getLease().getFencingToken();
        TransactRequest.Builder w = TransactRequest.newBuilder().setApp(app).setFencingToken(t);
        for (int i = 0; i < 50; i++) {
            w.addWrites(line(i * 2, 64, i));
        }
        stub().transact(w.build());
        List<Long> ids = new ArrayList<>();
        stub().readLines(ReadLinesRequest.newBuilder().setApp(app).setFencingToken(t).setMaxChunkBytes(100)
                        .addRanges(LineRange.newBuilder().setFirstLineId(90).setLastLineId(1000))
                        .addRanges(LineRange.newBuilder().setFirstLineId(3).setLastLineId(8)).build())
                .forEachRemaining(r -> r.getLinesList().forEach(l -> ids.add(l.getLineId())));
        assertThat(ids).containsExactly(4L, 6L, 8L, 90L, 92L, 94L, 96L, 98L);
        // without the token: the committed view, which is still empty
        assertThat(stub().readLines(ReadLinesRequest.newBuilder().setApp(app).build()).hasNext()).isFalse();
        assertStatus(() -> stub().readLines(ReadLinesRequest.newBuilder().setApp(app).setFencingToken(t + 1).build())
                .hasNext(), Status.Code.FAILED_PRECONDITION, "stale");
    }

    @Test
    void leasesRenewAndAppsAreListedWithTheirNewestCheckpoint() {
        String app = TestHeaps.app("list");
        OpenHeapResponse a = open(app, "dev-a", 64);
        long t = a.getLease().getFencingToken();
        var renewed = stub().renewLease(RenewLeaseRequest.newBuilder().setApp(app).setFencingToken(t)
                .setLeaseMillis(120_000).build()).getLease();
        assertThat(renewed.getExpiresAt().getSeconds()).isGreaterThan(a.getLease().getExpiresAt().getSeconds());
        CommitCheckpointResponse c = client().commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t)
                .setDevice("dev-a").build(), List.of(line(1, 64, 1)), List.of(), 1 << 20);
        var info = stub().listApps(ListAppsRequest.getDefaultInstance()).getAppsList().stream()
                .filter(x -> x.getApp().equals(app)).findFirst().orElseThrow();
        assertThat(info.getLineSize()).isEqualTo(64);
        assertThat(info.getLease().getHolder()).isEqualTo("dev-a");
        assertThat(info.getNewestCheckpoint().getCheckpointId()).isEqualTo(c.getCheckpoint().getCheckpointId());
        assertThat(info.getCheckpointCount()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------------------
    // System blobs

    private static SystemBlob blob(byte[] data) {
        return SystemBlob.newBuilder().setSha256(ByteString.copyFrom(TestHeaps.sha256(data)))
                .setData(ByteString.copyFrom(data)).build();
    }

    private static int put(String app, List<SystemBlob> blobs) {
        return stub().putSystemBlobs(PutSystemBlobsRequest.newBuilder().setApp(app).addAllBlobs(blobs).build())
                .getStored();
    }

    private static GetSystemBlobsResponse get(String app, List<ByteString> hashes) {
        return stub().getSystemBlobs(GetSystemBlobsRequest.newBuilder().setApp(app).addAllSha256(hashes).build());
    }

    private static List<ByteString> findMissing(String app, List<ByteString> hashes) {
        return stub().findMissingSystemBlobs(FindMissingSystemBlobsRequest.newBuilder().setApp(app)
                .addAllSha256(hashes).build()).getMissingSha256List();
    }

    private static List<ByteString> hashes(List<SystemBlob> blobs) {
        return blobs.stream().map(SystemBlob::getSha256).toList();
    }

    @Test
    void systemBlobsRoundTripInRequestOrderAndRePutsStoreNothing() {
        String app = TestHeaps.app("classes");   // no such heap: the app name only routes
        SystemBlob empty = blob(new byte[0]);
        SystemBlob big = blob(TestHeaps.uniqueBlob(1 << 20));
        List<SystemBlob> blobs = List.of(blob(TestHeaps.uniqueBlob(100)), big, blob(TestHeaps.uniqueBlob(8)),
                empty, blob(TestHeaps.uniqueBlob(5000)));
        int emptyIsNew = findMissing(app, List.of(empty.getSha256())).size();   // another test may have put it
        assertThat(put(app, blobs)).isEqualTo(4 + emptyIsNew);
        assertThat(put(app, blobs)).isZero();
        assertThat(put(TestHeaps.app("other-app"), List.of(big, blobs.get(0)))).isZero();

        List<SystemBlob> reversed = new ArrayList<>(blobs);
        Collections.reverse(reversed);
        GetSystemBlobsResponse r = get(app, hashes(reversed));
        assertThat(r.getBlobsList()).isEqualTo(reversed);
        assertThat(r.getMissingSha256List()).isEmpty();
        assertThat(r.getBlobs(3).getData().size()).isEqualTo(1 << 20);
        assertThat(r.getBlobs(1).getData().isEmpty()).isTrue();
        assertThat(findMissing(app, hashes(blobs))).isEmpty();
    }

    @Test
    void getAndFindMissingListTheBlobsTheStoreLacksInRequestOrder() {
        String app = TestHeaps.app("missing");
        SystemBlob a = blob(TestHeaps.uniqueBlob(64));
        SystemBlob b = blob(TestHeaps.uniqueBlob(64));
        SystemBlob absent1 = blob(TestHeaps.uniqueBlob(64));
        SystemBlob absent2 = blob(TestHeaps.uniqueBlob(64));
        assertThat(put(app, List.of(a, b, a))).isEqualTo(2);   // a blob twice in one put is stored once
        List<ByteString> asked = hashes(List.of(absent2, b, absent1, a, b, absent2));
        GetSystemBlobsResponse r = get(app, asked);
        assertThat(r.getBlobsList()).containsExactly(b, a);
        assertThat(r.getMissingSha256List()).containsExactly(absent2.getSha256(), absent1.getSha256());
        assertThat(findMissing(app, asked)).containsExactly(absent2.getSha256(), absent1.getSha256());
        assertThat(findMissing(app, List.of())).isEmpty();
        assertThat(get(app, List.of()).getBlobsCount()).isZero();
    }

    @Test
    void concurrentPutsOfTheSameBlobsAllSucceedAndStoreEachOnce() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 5; round++) {
                List<SystemBlob> blobs = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    blobs.add(blob(TestHeaps.uniqueBlob(64 + i)));
                }
                // every device puts them all, each in its own order, all at once
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Integer>> puts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    List<SystemBlob> mine = new ArrayList<>(blobs);
                    Collections.shuffle(mine, new Random(t));
                    PutSystemBlobsRequest request = PutSystemBlobsRequest.newBuilder().setApp(TestHeaps.app("racer"))
                            .addAllBlobs(mine).build();
                    puts.add(pool.submit(() -> {
                        start.await();
                        return stub().putSystemBlobs(request).getStored();
                    }));
                }
                int stored = 0;
                for (Future<Integer> f : puts) {
                    stored += f.get(60, TimeUnit.SECONDS);
                }
                assertThat(stored).as("round " + round).isEqualTo(blobs.size());
                assertThat(get(TestHeaps.app("reader"), hashes(blobs)).getBlobsList()).isEqualTo(blobs);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBlobWhoseBytesDoNotMatchItsHashFailsTheWholePut() {
        String app = TestHeaps.app("liar");
        SystemBlob good = blob(TestHeaps.uniqueBlob(64));
        byte[] claimed = TestHeaps.sha256(TestHeaps.uniqueBlob(64));
        SystemBlob bad = SystemBlob.newBuilder().setSha256(ByteString.copyFrom(claimed))
                .setData(ByteString.copyFrom(TestHeaps.uniqueBlob(64))).build();
        SystemBlob after = blob(TestHeaps.uniqueBlob(64));
        assertStatus(() -> put(app, List.of(good, bad, after)), Status.Code.INVALID_ARGUMENT,
                "blob 1 is named " + HexFormat.of().formatHex(claimed));
        assertThat(findMissing(app, hashes(List.of(good, bad, after))))
                .containsExactly(good.getSha256(), bad.getSha256(), after.getSha256());
    }

    @Test
    void badHashesAndAppNamesAreInvalidArguments() {
        String app = TestHeaps.app("badhash");
        byte[] data = TestHeaps.uniqueBlob(64);
        byte[] hash = TestHeaps.sha256(data);
        SystemBlob shortHash = SystemBlob.newBuilder().setSha256(ByteString.copyFrom(hash, 0, 31))
                .setData(ByteString.copyFrom(data)).build();
        assertStatus(() -> put(app, List.of(blob(TestHeaps.uniqueBlob(64)), shortHash)), Status.Code.INVALID_ARGUMENT,
                "blob 1 is named by a 31-byte hash");
        ByteString longHash = ByteString.copyFrom(hash).concat(ByteString.copyFrom(new byte[1]));
        assertStatus(() -> get(app, List.of(longHash)), Status.Code.INVALID_ARGUMENT, "hash 0 is named by a 33-byte hash");
        assertStatus(() -> findMissing(app, List.of(ByteString.copyFrom(hash), ByteString.EMPTY)),
                Status.Code.INVALID_ARGUMENT, "hash 1 is named by a 0-byte hash");
        assertStatus(() -> put("", List.of(blob(data))), Status.Code.INVALID_ARGUMENT, "app name is empty");
        assertStatus(() -> get("no spaces", List.of(ByteString.copyFrom(hash))), Status.Code.INVALID_ARGUMENT,
                "app name 'no spaces'");
        assertThat(findMissing(app, List.of(ByteString.copyFrom(hash)))).hasSize(1);
    }

    @Test
    void systemBlobsOutliveTheAppThatPutThem() {
        String app = TestHeaps.app("mortal");
        long t = open(app, "dev-a", 64).getLease().getFencingToken();
        client().commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t).setDevice("dev-a").build(),
                List.of(line(1, 64, 1)), List.of(), 1 << 20);
        List<SystemBlob> blobs = List.of(blob(TestHeaps.uniqueBlob(300)), blob(TestHeaps.uniqueBlob(70_000)));
        assertThat(put(app, blobs)).isEqualTo(2);
        stub().deleteApp(DeleteAppRequest.newBuilder().setApp(app).setForce(true).build());
        assertStatus(() -> stub().listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app).build()),
                Status.Code.NOT_FOUND, "no app named");
        assertThat(get(TestHeaps.app("survivor"), hashes(blobs)).getBlobsList()).isEqualTo(blobs);
        assertThat(get(app, hashes(blobs)).getBlobsList()).isEqualTo(blobs);
    }

    @Test
    void systemBlobCallsOverTheLimitsAreRefusedNamingTheLimit() {
        String app = TestHeaps.app("limits");
        // more blobs than one call may name: refused before any hash is looked at
        List<ByteString> tooMany = new ArrayList<>();
        PutSystemBlobsRequest.Builder manyPut = PutSystemBlobsRequest.newBuilder().setApp(app);
        for (int i = 0; i <= SystemBlobs.MAX_BLOBS_PER_CALL; i++) {
            SystemBlob b = blob(TestHeaps.uniqueBlob(8));
            manyPut.addBlobs(b);
            tooMany.add(b.getSha256());
        }
        String limit = String.valueOf(SystemBlobs.MAX_BLOBS_PER_CALL);
        assertStatus(() -> stub().putSystemBlobs(manyPut.build()), Status.Code.RESOURCE_EXHAUSTED, limit);
        assertStatus(() -> get(app, tooMany), Status.Code.RESOURCE_EXHAUSTED, limit);
        assertStatus(() -> findMissing(app, tooMany), Status.Code.RESOURCE_EXHAUSTED, limit);
        assertThat(findMissing(app, tooMany.subList(0, SystemBlobs.MAX_BLOBS_PER_CALL))).hasSize(SystemBlobs.MAX_BLOBS_PER_CALL);

        // a put over the message size is refused by gRPC; three puts under it are fine
        int half = MAX_MESSAGE / 2 - 4096;
        List<SystemBlob> big = List.of(blob(TestHeaps.uniqueBlob(half)), blob(TestHeaps.uniqueBlob(half)),
                blob(TestHeaps.uniqueBlob(half)));
        assertStatus(() -> overTcp().putSystemBlobs(PutSystemBlobsRequest.newBuilder().setApp(app).addAllBlobs(big).build()),
                Status.Code.RESOURCE_EXHAUSTED, String.valueOf(MAX_MESSAGE));
        assertThat(findMissing(app, hashes(big))).hasSize(3);
        big.forEach(b -> assertThat(put(app, List.of(b))).isEqualTo(1));
        // an answer over the limit is refused before any blob is read; under it, it is served
        assertStatus(() -> get(app, hashes(big)), Status.Code.RESOURCE_EXHAUSTED, String.valueOf(MAX_MESSAGE));
        assertThat(get(app, hashes(big.subList(0, 1))).getBlobsList()).containsExactly(big.get(0));
    }

    @Test
    void systemBlobCallsOnADatabaseThatIsDownAreUnavailable() throws Exception {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        try (ServerSocket s = new ServerSocket(0)) {
            nowhere.setPortNumbers(new int[] {s.getLocalPort()});   // closed again before it is used
        }
        nowhere.setServerNames(new String[] {"127.0.0.1"});
        nowhere.setConnectTimeout(2);
        try (TestHeapServer down = TestHeapServer.inProcess().dataSource(nowhere).start()) {
            HeapStoreGrpc.HeapStoreBlockingStub s = down.client().blocking();
            SystemBlob b = blob(TestHeaps.uniqueBlob(64));
            String app = TestHeaps.app("down");
            String unavailable = "heap database is unavailable";
            assertStatus(() -> s.putSystemBlobs(PutSystemBlobsRequest.newBuilder().setApp(app).addBlobs(b).build()),
                    Status.Code.UNAVAILABLE, unavailable);
            assertStatus(() -> s.getSystemBlobs(GetSystemBlobsRequest.newBuilder().setApp(app)
                    .addSha256(b.getSha256()).build()), Status.Code.UNAVAILABLE, unavailable);
            assertStatus(() -> s.findMissingSystemBlobs(FindMissingSystemBlobsRequest.newBuilder().setApp(app)
                    .addSha256(b.getSha256()).build()), Status.Code.UNAVAILABLE, unavailable);
        }
    }

    @Test
    void healthAndReflectionAreServed() throws Exception {
        HealthCheckResponse h = HealthGrpc.newBlockingStub(SERVER.channel()).check(HealthCheckRequest.newBuilder()
                .setService(HeapStoreGrpc.SERVICE_NAME).build());
        assertThat(h.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(SERVER.channel()).serverReflectionInfo(
                new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        answer.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        List<String> services = new ArrayList<>();
        answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().forEach(s -> services.add(s.getName()));
        req.onCompleted();
        assertThat(services).contains("vheap.v1.HeapStore", "grpc.health.v1.Health");
    }
}
