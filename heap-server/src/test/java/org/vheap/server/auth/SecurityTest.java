package org.vheap.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.client.HeapImageTransfer;
import org.vheap.proto.v1.AppInfo;
import org.vheap.proto.v1.CloseHeapRequest;
import org.vheap.proto.v1.CommitCheckpointRequest;
import org.vheap.proto.v1.CommitCheckpointResponse;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.DeleteCheckpointRequest;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.FindMissingSystemBlobsRequest;
import org.vheap.proto.v1.GetCheckpointRequest;
import org.vheap.proto.v1.GetHeapSummaryRequest;
import org.vheap.proto.v1.HistogramQuery;
import org.vheap.proto.v1.InspectHeapRequest;
import org.vheap.proto.v1.GetSystemBlobsRequest;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ImportedHeap;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.LineRange;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.ListDevicesRequest;
import org.vheap.proto.v1.ListQuotasRequest;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.OpenHeapResponse;
import org.vheap.proto.v1.PutSystemBlobsRequest;
import org.vheap.proto.v1.ReadLinesRequest;
import org.vheap.proto.v1.RenewLeaseRequest;
import org.vheap.proto.v1.ResetAppTokenRequest;
import org.vheap.proto.v1.SetQuotaRequest;
import org.vheap.proto.v1.SystemBlob;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.security.AccessTokens;
import org.vheap.security.BearerToken;
import org.vheap.security.ClientTls;
import org.vheap.security.SelfSignedTls;
import org.vheap.security.ServerTls;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;

/**
 * A heap server that requires tokens, over TLS with a freshly made self-signed pair, on the shared embedded
 * PostgreSQL: who may call what, how tokens are kept, and what a client on the wrong transport is told.
 */
class SecurityTest {
    private static final int MAX_MESSAGE = 1 << 20;
    private static final Path dir = TestHeaps.tempDir("vheap-security");
    private static final ServerTls tls = SelfSignedTls.ensure(dir.resolve("tls"));
    private static final String admin = AccessTokens.readOrCreate(dir.resolve("admin.token"), "--admin-token-file").token();

    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.onLoopback().tls(tls).maxMessageBytes(MAX_MESSAGE)
            .commandTimeout(Duration.ofSeconds(5)).requireTokens(admin);

    @AfterAll
    static void deleteFiles() {
        TestHeaps.deleteRecursively(dir);
    }

    private static HeapStoreGrpc.HeapStoreBlockingStub stub(String token) {
        Channel ch = BearerToken.attach(SERVER.channel(), token);
        return HeapStoreGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static OpenHeapResponse create(String app, String device) {
        return stub(null).openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice(device).setCreate(true).setLineSize(64).build());
    }

    private static Line line(long id, int value) {
        return Line.newBuilder().setLineId(id).setData(ByteString.copyFrom(TestHeaps.line(64, value))).build();
    }

    private static void assertStatus(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOf(StatusRuntimeException.class).satisfies(e -> {
            Status s = ((StatusRuntimeException) e).getStatus();
            assertThat(s.getCode()).as(s.toString()).isEqualTo(code);
            assertThat(s.getDescription()).contains(message);
        });
    }

    @Test
    void heapToolsNeedTheAdminTokenAndAnImportedAppGetsATokenOfItsOwn() {
        String a = TestHeaps.app("sec-export");
        OpenHeapResponse open = create(a, "dev-a");
        String tokenA = open.getAppToken();
        new org.vheap.client.HeapStoreClient(BearerToken.attach(SERVER.channel(), tokenA), 20_000).commit(CommitHeader
                .newBuilder().setApp(a).setFencingToken(open.getLease().getFencingToken()).setDevice("dev-a").build(),
                java.util.List.of(), java.util.List.of(), 1 << 20);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        Channel mine = BearerToken.attach(SERVER.channel(), tokenA);
        assertStatus(() -> HeapImageTransfer.export(mine, a, 0, file, p -> { }), Status.Code.PERMISSION_DENIED,
                "exporting a heap");
        assertStatus(() -> HeapImageTransfer.export(SERVER.channel(), a, 0, file, p -> { }),
                Status.Code.UNAUTHENTICATED, "exporting a heap");
        Channel admins = BearerToken.attach(SERVER.channel(), admin);
        HeapImageTransfer.export(admins, a, 0, file, p -> { });
        String copy = TestHeaps.app("sec-import");
        assertStatus(() -> HeapImageTransfer.importFile(mine, copy, false,
                new java.io.ByteArrayInputStream(file.toByteArray()), p -> { }), Status.Code.PERMISSION_DENIED,
                "importing a heap");

        ImportedHeap made = HeapImageTransfer.importFile(admins, copy, false,
                new java.io.ByteArrayInputStream(file.toByteArray()), p -> { });
        assertThat(made.getAppToken()).startsWith("vht_").isNotEqualTo(tokenA);
        // the copy is its own app: its token opens it, the original's does not
        OpenHeapRequest openCopy = OpenHeapRequest.newBuilder().setApp(copy).setDevice("dev-b").build();
        assertStatus(() -> stub(tokenA).openHeap(openCopy), Status.Code.PERMISSION_DENIED, "not app");
        assertThat(stub(made.getAppToken()).openHeap(openCopy).getBaseCheckpoint().getCheckpointId())
                .isEqualTo(made.getCheckpoint().getCheckpointId());
        // so does a summary of a heap
        GetHeapSummaryRequest summary = GetHeapSummaryRequest.newBuilder().setApp(a).build();
        assertStatus(() -> stub(tokenA).getHeapSummary(summary), Status.Code.PERMISSION_DENIED, "inspecting a heap");
        assertThat(stub(admin).getHeapSummary(summary).getApp()).isEqualTo(a);
        // and a question about its objects (which the admin gets as far as the store: this app's state is no device's)
        InspectHeapRequest histogram = InspectHeapRequest.newBuilder().setApp(a)
                .setHistogram(HistogramQuery.getDefaultInstance()).build();
        assertStatus(() -> stub(tokenA).inspectHeap(histogram).hasNext(), Status.Code.PERMISSION_DENIED, "inspecting a heap");
        assertStatus(() -> stub(admin).inspectHeap(histogram).hasNext(), Status.Code.INVALID_ARGUMENT,
                "was not written by a device VM");
    }

    @Test
    void anAppsLinesNeedItsOwnTokenOrTheAdmins() {
        String a = TestHeaps.app("sec-a");
        String b = TestHeaps.app("sec-b");
        OpenHeapResponse openA = create(a, "dev-a");
        String tokenA = openA.getAppToken();
        String tokenB = create(b, "dev-b").getAppToken();
        assertThat(tokenA).startsWith("vht_").isNotEqualTo(tokenB);
        long t = openA.getLease().getFencingToken();
        stub(tokenA).transact(TransactRequest.newBuilder().setApp(a).setFencingToken(t).addWrites(line(1, 7)).build());

        TransactRequest read = TransactRequest.newBuilder().setApp(a).setFencingToken(t).addReadLineIds(1).build();
        assertStatus(() -> stub(null).transact(read), Status.Code.UNAUTHENTICATED, "app '" + a + "' needs its access token");
        assertStatus(() -> stub(tokenB).transact(read), Status.Code.PERMISSION_DENIED, "not app '" + a + "''s");
        assertStatus(() -> stub("vht_guessed").transact(read), Status.Code.PERMISSION_DENIED, "not app '" + a + "''s");
        assertStatus(() -> stub(tokenB).transact(TransactRequest.newBuilder().setApp(a).setFencingToken(t)
                .addWrites(line(1, 9)).build()), Status.Code.PERMISSION_DENIED, "not app");
        assertStatus(() -> stub(tokenB).readLines(ReadLinesRequest.newBuilder().setApp(a).setFencingToken(t).build()).next(),
                Status.Code.PERMISSION_DENIED, "not app");
        assertStatus(() -> stub(tokenB).listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(a).build()),
                Status.Code.PERMISSION_DENIED, "not app");
        assertStatus(() -> stub(tokenB).deleteApp(DeleteAppRequest.newBuilder().setApp(a).setForce(true).build()),
                Status.Code.PERMISSION_DENIED, "not app");
        // the line was not overwritten, and its own token reads it
        assertThat(stub(tokenA).transact(read).getLines(0).getData()).isEqualTo(line(1, 7).getData());
        assertThat(stub(admin).transact(read).getLinesCount()).isEqualTo(1);

        // opening an existing heap (taking its lease) needs the token too
        stub(tokenA).closeHeap(CloseHeapRequest.newBuilder().setApp(a).setFencingToken(t).build());
        OpenHeapRequest reopen = OpenHeapRequest.newBuilder().setApp(a).setDevice("dev-c").setCreate(true).build();
        assertStatus(() -> stub(null).openHeap(reopen), Status.Code.UNAUTHENTICATED, "needs its access token");
        assertStatus(() -> stub(tokenB).openHeap(reopen), Status.Code.PERMISSION_DENIED, "not app");
        OpenHeapResponse again = stub(tokenA).openHeap(reopen);
        assertThat(again.getCreated()).isFalse();
        assertThat(again.getAppToken()).as("a token is shown only on creation").isEmpty();
    }

    @Test
    void storeManagementAndDeviceCommandsNeedTheAdminToken() {
        String a = TestHeaps.app("sec-admin");
        String tokenA = create(a, "dev-a").getAppToken();
        assertStatus(() -> stub(null).listApps(ListAppsRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED, "admin token");
        assertStatus(() -> stub(tokenA).listApps(ListAppsRequest.getDefaultInstance()), Status.Code.PERMISSION_DENIED,
                "an app's token is not enough");
        assertStatus(() -> stub(tokenA).resetAppToken(ResetAppTokenRequest.newBuilder().setApp(a).build()),
                Status.Code.PERMISSION_DENIED, "admin token");
        // an app may not raise its own quota, nor read the others'
        assertStatus(() -> stub(tokenA).setQuota(SetQuotaRequest.newBuilder().setApp(a).build()),
                Status.Code.PERMISSION_DENIED, "admin token");
        assertStatus(() -> stub(tokenA).listQuotas(ListQuotasRequest.getDefaultInstance()), Status.Code.PERMISSION_DENIED,
                "admin token");
        assertThat(stub(admin).setQuota(SetQuotaRequest.newBuilder().setApp(a).setClear(true).build())).isNotNull();
        DeviceControlGrpc.DeviceControlBlockingStub control = DeviceControlGrpc.newBlockingStub(BearerToken.attach(SERVER.channel(), tokenA));
        assertStatus(() -> control.listDevices(ListDevicesRequest.getDefaultInstance()), Status.Code.PERMISSION_DENIED, "admin token");
        assertThat(DeviceControlGrpc.newBlockingStub(BearerToken.attach(SERVER.channel(), admin))
                .listDevices(ListDevicesRequest.getDefaultInstance())).isNotNull();

        assertThat(stub(admin).listApps(ListAppsRequest.getDefaultInstance()).getAppsList())
                .anySatisfy(info -> assertThat(info.getApp()).isEqualTo(a));
        stub(admin).deleteApp(DeleteAppRequest.newBuilder().setApp(a).setForce(true).build());
        assertStatus(() -> stub(admin).listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(a).build()),
                Status.Code.NOT_FOUND, "no app named");
    }

    @Test
    void onlyTheTokensHashIsStoredAndAResetReplacesIt() throws Exception {
        String a = TestHeaps.app("sec-hash");
        OpenHeapResponse open = create(a, "dev-a");
        String token = open.getAppToken();
        try (Connection c = SERVER.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT t.token_sha256, t::text FROM app_token t WHERE t.heap_id = ?")) {
            ps.setLong(1, open.getHeapId());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).hasSize(32).isEqualTo(AccessTokens.sha256(token));
                assertThat(rs.getString(2)).doesNotContain(token).doesNotContain(token.substring(4));
            }
        }
        ListCheckpointsRequest list = ListCheckpointsRequest.newBuilder().setApp(a).build();
        String fresh = stub(admin).resetAppToken(ResetAppTokenRequest.newBuilder().setApp(a).build()).getAppToken();
        assertThat(fresh).isNotEqualTo(token);
        assertStatus(() -> stub(token).listCheckpoints(list), Status.Code.PERMISSION_DENIED, "not app");
        assertThat(stub(fresh).listCheckpoints(list).getCheckpointsCount()).isZero();
    }

    @Test
    void anAppFromBeforeTokensIsTheAdminsUntilItGetsOne() throws Exception {
        String a = TestHeaps.app("sec-legacy");
        OpenHeapResponse open = create(a, "dev-a");
        try (Connection c = SERVER.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM app_token WHERE heap_id = ?")) {
            ps.setLong(1, open.getHeapId());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        ListCheckpointsRequest list = ListCheckpointsRequest.newBuilder().setApp(a).build();
        assertStatus(() -> stub(open.getAppToken()).listCheckpoints(list), Status.Code.PERMISSION_DENIED,
                "not app '" + a + "''s (only its own token or the admin token opens it; an app without a token yet"
                        + " gets one with: vheap token --app " + a + " --reset)");
        assertThat(stub(admin).listCheckpoints(list).getCheckpointsCount()).isZero();
        String token = stub(admin).resetAppToken(ResetAppTokenRequest.newBuilder().setApp(a).build()).getAppToken();
        assertThat(stub(token).listCheckpoints(list).getCheckpointsCount()).isZero();
    }

    /** A call's status, with the app's name replaced by X: what the caller learns from it. */
    private static String answer(Runnable call, String app) {
        try {
            call.run();
            return "OK";
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() + ": " + String.valueOf(e.getStatus().getDescription()).replace(app, "X");
        }
    }

    /** Every kind of call naming an app (the system-blob ones too), as a caller with {@code token} makes it. */
    private static Map<String, Runnable> callsOn(String app, String token) {
        byte[] blob = TestHeaps.uniqueBlob(64);
        SystemBlob b = SystemBlob.newBuilder().setSha256(ByteString.copyFrom(TestHeaps.sha256(blob)))
                .setData(ByteString.copyFrom(blob)).build();
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("OpenHeap", () -> stub(token).openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("dev-x").build()));
        calls.put("RenewLease", () -> stub(token).renewLease(RenewLeaseRequest.newBuilder().setApp(app).setFencingToken(1).build()));
        calls.put("CloseHeap", () -> stub(token).closeHeap(CloseHeapRequest.newBuilder().setApp(app).setFencingToken(1).build()));
        calls.put("Transact", () -> stub(token).transact(TransactRequest.newBuilder().setApp(app).addReadLineIds(1).build()));
        calls.put("ReadLines", () -> stub(token).readLines(ReadLinesRequest.newBuilder().setApp(app).build()).hasNext());
        calls.put("CommitCheckpoint", () -> commit(token, app));
        calls.put("ListCheckpoints", () -> stub(token).listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app).build()));
        calls.put("GetCheckpoint", () -> stub(token).getCheckpoint(GetCheckpointRequest.newBuilder().setApp(app).build()));
        calls.put("DeleteCheckpoint", () -> stub(token).deleteCheckpoint(DeleteCheckpointRequest.newBuilder().setApp(app)
                .setCheckpointId(1).build()));
        calls.put("DeleteApp", () -> stub(token).deleteApp(DeleteAppRequest.newBuilder().setApp(app).build()));
        calls.put("PutSystemBlobs", () -> stub(token).putSystemBlobs(PutSystemBlobsRequest.newBuilder().setApp(app).addBlobs(b).build()));
        calls.put("GetSystemBlobs", () -> stub(token).getSystemBlobs(GetSystemBlobsRequest.newBuilder().setApp(app)
                .addSha256(b.getSha256()).build()));
        calls.put("FindMissingSystemBlobs", () -> stub(token).findMissingSystemBlobs(FindMissingSystemBlobsRequest.newBuilder()
                .setApp(app).addSha256(b.getSha256()).build()));
        return calls;
    }

    private static void commit(String token, String app) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<CommitCheckpointRequest> req = HeapStoreGrpc.newStub(BearerToken.attach(SERVER.channel(), token))
                .withDeadlineAfter(20, TimeUnit.SECONDS).commitCheckpoint(new StreamObserver<>() {
                    @Override
                    public void onNext(CommitCheckpointResponse r) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        req.onNext(CommitCheckpointRequest.newBuilder().setHeader(CommitHeader.newBuilder().setApp(app).setFencingToken(1)
                .setDevice("dev-x")).build());
        req.onCompleted();
        try {
            done.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (StatusRuntimeException) e.getCause();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void whetherAnAppExistsIsNotLearntWithoutItsTokenOrTheAdmins() {
        String existing = TestHeaps.app("sec-exists");
        String missing = TestHeaps.app("sec-missing");
        create(existing, "dev-a");
        String other = create(TestHeaps.app("sec-other"), "dev-b").getAppToken();
        for (String token : new String[] {null, other, "vht_guessed"}) {
            Map<String, Runnable> onExisting = callsOn(existing, token);
            Map<String, Runnable> onMissing = callsOn(missing, token);
            for (String call : onExisting.keySet()) {
                String a = answer(onExisting.get(call), existing);
                String m = answer(onMissing.get(call), missing);
                assertThat(m).as(call + " with " + (token == null ? "no token" : "a wrong token")).isEqualTo(a)
                        .startsWith(token == null ? "UNAUTHENTICATED: app 'X' needs its access token"
                                : "PERMISSION_DENIED: the token given is not app 'X''s");
            }
        }
        // only the admin learns NOT_FOUND
        assertThat(answer(callsOn(missing, admin).get("ListCheckpoints"), missing)).startsWith("NOT_FOUND: no app named 'X'");
        assertThat(answer(callsOn(missing, admin).get("OpenHeap"), missing)).startsWith("NOT_FOUND: no app named 'X'");
        assertThat(answer(callsOn(missing, admin).get("GetSystemBlobs"), missing)).isEqualTo("OK");
    }

    @Test
    void systemSegmentCallsNeedTheAppsTokenOrTheAdminsEvenForAnAppThatDoesNotExist() {
        String missing = TestHeaps.app("sec-sys-missing");
        String own = TestHeaps.app("sec-sys");
        OpenHeapResponse open = create(own, "dev-a");
        byte[] data = TestHeaps.uniqueBlob(128);
        ByteString hash = ByteString.copyFrom(TestHeaps.sha256(data));
        PutSystemBlobsRequest.Builder put = PutSystemBlobsRequest.newBuilder()
                .addBlobs(SystemBlob.newBuilder().setSha256(hash).setData(ByteString.copyFrom(data)));
        assertStatus(() -> stub(null).putSystemBlobs(put.setApp(missing).build()), Status.Code.UNAUTHENTICATED,
                "app '" + missing + "' needs its access token");
        assertStatus(() -> stub(open.getAppToken()).putSystemBlobs(put.setApp(missing).build()), Status.Code.PERMISSION_DENIED,
                "the token given is not app '" + missing + "''s");
        assertStatus(() -> stub(open.getAppToken()).getSystemBlobs(GetSystemBlobsRequest.newBuilder().setApp(missing)
                .addSha256(hash).build()), Status.Code.PERMISSION_DENIED, "the token given is not app '" + missing + "''s");
        FindMissingSystemBlobsRequest find = FindMissingSystemBlobsRequest.newBuilder().setApp(missing).addSha256(hash).build();
        assertThat(stub(admin).findMissingSystemBlobs(find).getMissingSha256List()).as("nothing was stored").containsExactly(hash);
        // the app's own token, and the admin's for any name, are served
        assertThat(stub(open.getAppToken()).putSystemBlobs(put.setApp(own).build()).getStored()).isEqualTo(1);
        assertThat(stub(admin).findMissingSystemBlobs(find).getMissingSha256List()).isEmpty();
        assertThat(stub(admin).getSystemBlobs(GetSystemBlobsRequest.newBuilder().setApp(missing).addSha256(hash).build())
                .getBlobsCount()).isEqualTo(1);
    }

    @Test
    void creatingATakenNameWithoutItsTokenChangesAndShowsNothing() throws Exception {
        String a = TestHeaps.app("sec-taken");
        OpenHeapResponse open = create(a, "dev-a");
        String token = open.getAppToken();
        long t = open.getLease().getFencingToken();
        stub(token).transact(TransactRequest.newBuilder().setApp(a).setFencingToken(t).addWrites(line(1, 5)).build());
        String other = create(TestHeaps.app("sec-taker"), "dev-b").getAppToken();

        OpenHeapRequest grab = OpenHeapRequest.newBuilder().setApp(a).setDevice("dev-thief").setCreate(true).setLineSize(64).build();
        assertStatus(() -> stub(null).openHeap(grab), Status.Code.UNAUTHENTICATED, "app '" + a + "' needs its access token");
        assertStatus(() -> stub(other).openHeap(grab), Status.Code.PERMISSION_DENIED, "the token given is not app '" + a + "''s");

        // the token, the lease and the uncommitted line are as they were
        try (Connection c = SERVER.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT token_sha256 FROM app_token WHERE heap_id = ?")) {
            ps.setLong(1, open.getHeapId());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).isEqualTo(AccessTokens.sha256(token));
            }
        }
        AppInfo info = stub(admin).listApps(ListAppsRequest.getDefaultInstance()).getAppsList().stream()
                .filter(i -> i.getApp().equals(a)).findFirst().orElseThrow();
        assertThat(info.getLease().getHolder()).isEqualTo("dev-a");
        assertThat(info.getLease().getFencingToken()).isEqualTo(t);
        assertThat(stub(token).transact(TransactRequest.newBuilder().setApp(a).setFencingToken(t).addReadLineIds(1).build())
                .getLines(0).getData()).isEqualTo(line(1, 5).getData());
    }

    @Test
    void malformedAndOversizedRequestsAreRefusedWithAMessage() {
        String a = TestHeaps.app("sec-limits");
        OpenHeapResponse open = create(a, "dev-a");
        String token = open.getAppToken();
        long t = open.getLease().getFencingToken();
        TransactRequest.Builder many = TransactRequest.newBuilder().setApp(a).setFencingToken(t);
        for (int i = 0; i < 65_537; i++) {
            many.addReadLineIds(i);
        }
        assertStatus(() -> stub(token).transact(many.build()), Status.Code.INVALID_ARGUMENT,
                "one Transact may name at most 65536 line ids (reads plus deletes), got 65537");
        assertStatus(() -> stub(token).transact(TransactRequest.newBuilder().setApp(a).setFencingToken(t).addDeleteLineIds(-1).build()),
                Status.Code.INVALID_ARGUMENT, "bad line id -1");
        assertStatus(() -> stub(token).readLines(ReadLinesRequest.newBuilder().setApp(a).setFencingToken(t)
                .addRanges(LineRange.newBuilder().setFirstLineId(5).setLastLineId(2)).build()).next(),
                Status.Code.INVALID_ARGUMENT, "bad line range 5..2");
        assertStatus(() -> stub(token).openHeap(OpenHeapRequest.newBuilder().setApp(TestHeaps.app("neg")).setDevice("d")
                .setCreate(true).setLineSize(-64).build()), Status.Code.INVALID_ARGUMENT, "line size must be a power of two");
        assertStatus(() -> stub(token).openHeap(OpenHeapRequest.newBuilder().setApp(a).setDevice("dev-a")
                .setLeaseMillis(-5).build()), Status.Code.INVALID_ARGUMENT, "lease length must be positive");
        TransactRequest.Builder big = TransactRequest.newBuilder().setApp(a).setFencingToken(t);
        for (int i = 0; i < MAX_MESSAGE / 64 + 10; i++) {
            big.addWrites(line(i, 3));
        }
        assertStatus(() -> stub(token).transact(big.build()), Status.Code.RESOURCE_EXHAUSTED, String.valueOf(MAX_MESSAGE));
        assertStatus(() -> HeapStoreGrpc.newBlockingStub(SERVER.channel()).withCallCredentials(null)
                .listApps(ListAppsRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED, "admin token");
    }

    @Test
    void aPlaintextClientOfATlsServerIsToldWhy() throws Exception {
        ManagedChannel plain = NettyChannelBuilder.forTarget("127.0.0.1:" + SERVER.port(), ClientTls.plaintext().credentials())
                .intercept(ClientTls.plaintext().mismatchHints()).build();
        try {
            assertThatThrownBy(() -> HeapStoreGrpc.newBlockingStub(plain).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listApps(ListAppsRequest.getDefaultInstance()))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> {
                        Status s = ((StatusRuntimeException) e).getStatus();
                        assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(s.getDescription()).startsWith("TLS mismatch (probably): 127.0.0.1:" + SERVER.port()
                                + " closed the connection at once").contains("give --tls");
                    });
        } finally {
            plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTlsClientOfAPlaintextServerIsToldWhy() throws Exception {
        TestHeapServer plainServer = TestHeapServer.onLoopback().dataSource(SERVER.dataSource()).start();
        ClientTls tls = ClientTls.trusting(dir.resolve("tls").resolve(SelfSignedTls.CERT_FILE));
        ManagedChannel tlsChannel = NettyChannelBuilder.forTarget("localhost:" + plainServer.port(), tls.credentials())
                .intercept(tls.mismatchHints()).build();
        try {
            assertThatThrownBy(() -> HeapStoreGrpc.newBlockingStub(tlsChannel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listApps(ListAppsRequest.getDefaultInstance()))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> {
                        Status s = ((StatusRuntimeException) e).getStatus();
                        assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(s.getDescription()).isEqualTo("TLS mismatch: localhost:" + plainServer.port()
                                + " does not speak TLS (a plaintext server? then drop --tls and --tls-ca)");
                    });
        } finally {
            tlsChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            plainServer.close();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheServersCertificateIsToldWhy() throws Exception {
        ClientTls tls = ClientTls.trusting(SelfSignedTls.ensure(dir.resolve("stranger")).certFile());
        ManagedChannel ch = NettyChannelBuilder.forTarget("localhost:" + SERVER.port(), tls.credentials())
                .intercept(tls.mismatchHints()).build();
        try {
            assertStatus(() -> HeapStoreGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listApps(ListAppsRequest.getDefaultInstance()), Status.Code.UNAVAILABLE,
                    "TLS: the certificate of localhost:" + SERVER.port() + " is not trusted");
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void badTlsFilesFailWithOneLineNamingTheFile() throws Exception {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> ServerTls.load(missing, missing)).hasMessage("--tls-cert " + missing + ": no such file");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "hello", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> ClientTls.trusting(junk)).hasMessageStartingWith("--tls-ca " + junk + ":");
        ServerTls other = SelfSignedTls.ensure(dir.resolve("other"));
        Path cert = dir.resolve("tls").resolve(SelfSignedTls.CERT_FILE);
        assertThatThrownBy(() -> ServerTls.load(cert, other.keyFile()))
                .hasMessageStartingWith("--tls-key " + other.keyFile() + " does not belong to the certificate in --tls-cert " + cert);
        assertThat(Files.getPosixFilePermissions(other.keyFile())).hasSize(2);
        assertThat(Files.getPosixFilePermissions(dir.resolve("admin.token")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
}
