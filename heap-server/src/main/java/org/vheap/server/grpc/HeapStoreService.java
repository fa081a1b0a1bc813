package org.vheap.server.grpc;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.vheap.proto.v1.AppQuotaEntry;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.CloseHeapRequest;
import org.vheap.proto.v1.CloseHeapResponse;
import org.vheap.proto.v1.CommitCheckpointRequest;
import org.vheap.proto.v1.CommitCheckpointResponse;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.DeleteAppResponse;
import org.vheap.proto.v1.DeleteCheckpointRequest;
import org.vheap.proto.v1.DeleteCheckpointResponse;
import org.vheap.proto.v1.ExportHeapRequest;
import org.vheap.proto.v1.ExportHeapResponse;
import org.vheap.proto.v1.FindMissingSystemBlobsRequest;
import org.vheap.proto.v1.FindMissingSystemBlobsResponse;
import org.vheap.proto.v1.GetCheckpointRequest;
import org.vheap.proto.v1.GetCheckpointResponse;
import org.vheap.proto.v1.GetHeapSummaryRequest;
import org.vheap.proto.v1.InspectHeapRequest;
import org.vheap.proto.v1.InspectHeapResponse;
import org.vheap.proto.v1.CollectHeapRequest;
import org.vheap.proto.v1.CollectHeapResponse;
import org.vheap.proto.v1.VerifyHeapRequest;
import org.vheap.proto.v1.VerifyHeapResponse;
import org.vheap.proto.v1.GetSystemBlobsRequest;
import org.vheap.proto.v1.GetSystemBlobsResponse;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.HeapSummary;
import org.vheap.proto.v1.ImportHeapRequest;
import org.vheap.proto.v1.ImportHeapResponse;
import org.vheap.proto.v1.LineBatch;
import org.vheap.proto.v1.LineRange;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ListAppsResponse;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.ListQuotasRequest;
import org.vheap.proto.v1.ListQuotasResponse;
import org.vheap.proto.v1.ListCheckpointsResponse;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.OpenHeapResponse;
import org.vheap.proto.v1.PutSystemBlobsRequest;
import org.vheap.proto.v1.PutSystemBlobsResponse;
import org.vheap.proto.v1.ReadLinesRequest;
import org.vheap.proto.v1.ReadLinesResponse;
import org.vheap.proto.v1.RenewLeaseRequest;
import org.vheap.proto.v1.RenewLeaseResponse;
import org.vheap.proto.v1.ResetAppTokenRequest;
import org.vheap.proto.v1.ResetAppTokenResponse;
import org.vheap.proto.v1.SetQuotaRequest;
import org.vheap.proto.v1.SetQuotaResponse;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.proto.v1.TransactResponse;
import org.vheap.security.AccessTokens;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.inspect.HeapSnapshots;
import org.vheap.server.inspect.OfflineCollections;
import org.vheap.server.store.AppQuota;
import org.vheap.server.store.AppQuotas;
import org.vheap.server.store.AppTokens;
import org.vheap.server.store.CommitResult;
import org.vheap.server.store.OpenResult;
import org.vheap.server.store.PgHeapStore;
import org.vheap.server.store.SystemBlobs;
import org.vheap.store.LineImage;

/**
 * The {@code vheap.v1.HeapStore} service: decodes requests, calls {@link PgHeapStore}, encodes results.
 * Every failure reaches the client as a status with a description (see {@link StoreStatus}).
 *
 * <p>Access: each call is checked by the {@link AccessPolicy} before it touches the store (a commit stream
 * at its header); an OpenHeap that creates a heap answers with the app's new token ({@code app_token}).
 * Limits: a Transact names at most {@link #MAX_IDS_PER_CALL} line ids (reads plus deletes), a ReadLines at
 * most as many ranges; more is INVALID_ARGUMENT.
 */
public final class HeapStoreService extends HeapStoreGrpc.HeapStoreImplBase {
    /** A commit stream writes its lines to the open epoch ahead of the commit once it buffers this much. */
    static final int COMMIT_BUFFER_BYTES = 4 << 20;
    /** Pre-flushes of one commit stream in flight at once (each holds one buffer and one connection). */
    static final int COMMIT_FLUSHES_IN_FLIGHT = 2;
    private static final int DEFAULT_CHUNK_BYTES = 1 << 20;
    /** Line ids (reads plus deletes) one Transact may name, and ranges one ReadLines may: bulk reads stream. */
    static final int MAX_IDS_PER_CALL = 65_536;

    /** Checkpoints kept read for inspection (each costs its heap's size in a deleted spool file). */
    static final int KEPT_SNAPSHOTS = 2;

    private final PgHeapStore store;
    private final Executor flushExecutor;
    private final AccessPolicy access;
    private final AppTokens tokens;
    private final CallRates callRates;
    private final HeapImageCalls images;
    private final HeapInspectionCalls inspections;
    private final HeapCollectionCalls collections;

    /**
     * @param flushExecutor runs a commit stream's pre-flushes, so the stream goes on receiving while
     *                      earlier lines are written
     * @param nanoTime      the monotonic clock the apps' quotas of calls per second are measured on
     */
    public HeapStoreService(PgHeapStore store, Executor flushExecutor, AppTokens tokens, AccessPolicy access,
                            LongSupplier nanoTime) {
        this.store = store;
        this.flushExecutor = flushExecutor;
        this.tokens = tokens;
        this.access = access;
        this.callRates = new CallRates(nanoTime);
        this.images = new HeapImageCalls(store, access, nanoTime);
        HeapSnapshots snapshots = new HeapSnapshots(store, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")),
                KEPT_SNAPSHOTS);
        this.inspections = new HeapInspectionCalls(snapshots, access, nanoTime);
        this.collections = new HeapCollectionCalls(new OfflineCollections(store, snapshots), access, nanoTime);
    }

    @Override
    public void openHeap(OpenHeapRequest r, StreamObserver<OpenHeapResponse> out) {
        // access: the open guard, in the store's transaction; never throttled, as the lease's other calls are not (and a
        // throttle before the guard would let anyone spend an app's calls)
        unary(out, () -> {
            String newToken = AccessTokens.generate();
            OpenResult o = store.open(new PgHeapStore.OpenRequest(r.getApp(), r.getDevice(), r.getCreate(),
                    r.getLineSize(), r.getLeaseMillis(), r.getBaseCheckpointId(), r.getIncludeVmState()),
                    access.openGuard(newToken));
            OpenHeapResponse.Builder b = OpenHeapResponse.newBuilder()
                    .setHeapId(o.heapId())
                    .setLineSize(o.lineSize())
                    .setLease(ProtoMapping.lease(o.lease()))
                    .setCreated(o.created());
            if (o.baseCheckpoint() != null) {
                b.setBaseCheckpoint(ProtoMapping.checkpoint(o.baseCheckpoint()));
            }
            if (o.vmState() != null) {
                b.setVmState(UnsafeByteOperations.unsafeWrap(o.vmState()));
            }
            if (o.created()) {
                b.setAppToken(newToken);
            }
            b.setTokensRequired(access.required());
            return b.build();
        });
    }

    @Override
    public void renewLease(RenewLeaseRequest r, StreamObserver<RenewLeaseResponse> out) {
        // never throttled: a lease lost to its own app's calls would stop the app (nor is its close, which ends it)
        unary(out, () -> access.requireApp(r.getApp()), () -> RenewLeaseResponse.newBuilder()
                .setLease(ProtoMapping.lease(store.renew(r.getApp(), r.getFencingToken(), r.getLeaseMillis())))
                .build());
    }

    @Override
    public void closeHeap(CloseHeapRequest r, StreamObserver<CloseHeapResponse> out) {
        unary(out, () -> access.requireApp(r.getApp()), () -> CloseHeapResponse.newBuilder()   // never throttled either
                .setDiscardedLines(store.close(r.getApp(), r.getFencingToken())).build());
    }

    @Override
    public void transact(TransactRequest r, StreamObserver<TransactResponse> out) {
        unary(out, () -> admit(r.getApp()), () -> {
            // every argument is checked before the store is called: a refused Transact writes nothing
            checkIdCount(r.getReadLineIdsCount() + r.getDeleteLineIdsCount(), "line ids (reads plus deletes)", "Transact");
            checkKnownSha256(r);
            long[] reads = ProtoMapping.ids(r.getReadLineIdsList());
            PgHeapStore.Transacted done = store.transact(r.getApp(), r.getFencingToken(), r.getCheckpointId(), reads,
                    ProtoMapping.lines(r.getWritesList()), ProtoMapping.ids(r.getDeleteLineIdsList()),
                    r.hasFlushesAcknowledged() ? r.getFlushesAcknowledged() : PgHeapStore.FLUSHES_NOT_COUNTED);
            TransactResponse.Builder b = TransactResponse.newBuilder();
            if (done.flushesHeld() >= 0) {
                b.setFlushesHeld(done.flushesHeld());
            }
            TransactReads.answer(r, reads, done.lines(), store, b);
            return b.build();
        });
    }

    @Override
    public void readLines(ReadLinesRequest r, StreamObserver<ReadLinesResponse> out) {
        ServerCallStreamObserver<ReadLinesResponse> call = (ServerCallStreamObserver<ReadLinesResponse>) out;
        FlowGate gate = new FlowGate(call);
        try {
            admit(r.getApp());
            checkIdCount(r.getRangesCount(), "line ranges", "ReadLines");
            List<PgHeapStore.LineRange> ranges = new ArrayList<>();
            for (LineRange lr : r.getRangesList()) {
                ranges.add(new PgHeapStore.LineRange(lr.getFirstLineId(), lr.getLastLineId()));
            }
            int chunk = r.getMaxChunkBytes() <= 0 ? DEFAULT_CHUNK_BYTES : Math.min(r.getMaxChunkBytes(), 8 << 20);
            store.streamLines(r.getApp(), r.getFencingToken(), r.getCheckpointId(), ranges, chunk, lines -> {
                gate.awaitReady();
                ReadLinesResponse.Builder b = ReadLinesResponse.newBuilder();
                for (LineImage l : lines) {
                    b.addLines(ProtoMapping.line(l.lineId(), l.data()));
                }
                call.onNext(b.build());
            });
            call.onCompleted();
        } catch (RuntimeException e) {
            if (!call.isCancelled()) {
                call.onError(StoreStatus.toStatus(e));
            }
        }
    }

    @Override
    public StreamObserver<CommitCheckpointRequest> commitCheckpoint(StreamObserver<CommitCheckpointResponse> out) {
        return new CommitStream(out);
    }

    @Override
    public void listApps(ListAppsRequest r, StreamObserver<ListAppsResponse> out) {
        unary(out, () -> access.requireAdmin("listing every app"), () -> {
            ListAppsResponse.Builder b = ListAppsResponse.newBuilder();
            store.listApps().forEach(a -> b.addApps(ProtoMapping.app(a)));
            return b.build();
        });
    }

    @Override
    public void listCheckpoints(ListCheckpointsRequest r, StreamObserver<ListCheckpointsResponse> out) {
        unary(out, () -> admit(r.getApp()), () -> {
            ListCheckpointsResponse.Builder b = ListCheckpointsResponse.newBuilder();
            store.listCheckpoints(r.getApp()).forEach(c -> b.addCheckpoints(ProtoMapping.checkpoint(c)));
            return b.build();
        });
    }

    @Override
    public void getCheckpoint(GetCheckpointRequest r, StreamObserver<GetCheckpointResponse> out) {
        unary(out, () -> admit(r.getApp()), () -> {
            PgHeapStore.CheckpointState e = store.checkpointState(r.getApp(), r.getCheckpointId());
            return GetCheckpointResponse.newBuilder()
                    .setCheckpoint(ProtoMapping.checkpoint(e.checkpoint()))
                    .setVmState(UnsafeByteOperations.unsafeWrap(e.vmState()))
                    .build();
        });
    }

    @Override
    public void deleteCheckpoint(DeleteCheckpointRequest r, StreamObserver<DeleteCheckpointResponse> out) {
        unary(out, () -> admit(r.getApp()), () -> {
            store.deleteCheckpoint(r.getApp(), r.getCheckpointId());
            return DeleteCheckpointResponse.getDefaultInstance();
        });
    }

    @Override
    public void deleteApp(DeleteAppRequest r, StreamObserver<DeleteAppResponse> out) {
        unary(out, () -> admit(r.getApp()), () -> {
            store.deleteApp(r.getApp(), r.getForce());
            return DeleteAppResponse.getDefaultInstance();
        });
    }

    @Override
    public void resetAppToken(ResetAppTokenRequest r, StreamObserver<ResetAppTokenResponse> out) {
        unary(out, () -> access.requireAdmin("resetting an app's token"), () -> {
            String token = AccessTokens.generate();
            tokens.replace(r.getApp(), AccessTokens.sha256(token));
            return ResetAppTokenResponse.newBuilder().setAppToken(token).build();
        });
    }

    // The system blobs' calls are never throttled: their blobs are shared and content-addressed, an app makes them as
    // it loads classes (at its boot and its checkpoints, bounded by the classes it has), and a device's VM does not
    // retry them; a quota of calls must not stop an app from booting.
    @Override
    public void putSystemBlobs(PutSystemBlobsRequest r, StreamObserver<PutSystemBlobsResponse> out) {
        unary(out, () -> access.requireApp(r.getApp()), () -> PutSystemBlobsResponse.newBuilder()
                .setStored(store.systemBlobs().put(r.getApp(), ProtoMapping.blobs(r.getBlobsList()))).build());
    }

    @Override
    public void getSystemBlobs(GetSystemBlobsRequest r, StreamObserver<GetSystemBlobsResponse> out) {
        unary(out, () -> access.requireApp(r.getApp()), () -> {
            SystemBlobs.Fetched f = store.systemBlobs().get(r.getApp(), ProtoMapping.hashes(r.getSha256List()));
            GetSystemBlobsResponse.Builder b = GetSystemBlobsResponse.newBuilder();
            f.found().forEach(blob -> b.addBlobs(ProtoMapping.blob(blob)));
            f.missing().forEach(h -> b.addMissingSha256(UnsafeByteOperations.unsafeWrap(h)));
            return b.build();
        });
    }

    @Override
    public void findMissingSystemBlobs(FindMissingSystemBlobsRequest r,
                                       StreamObserver<FindMissingSystemBlobsResponse> out) {
        unary(out, () -> access.requireApp(r.getApp()), () -> {
            FindMissingSystemBlobsResponse.Builder b = FindMissingSystemBlobsResponse.newBuilder();
            store.systemBlobs().missing(r.getApp(), ProtoMapping.hashes(r.getSha256List()))
                    .forEach(h -> b.addMissingSha256(UnsafeByteOperations.unsafeWrap(h)));
            return b.build();
        });
    }

    @Override
    public void setQuota(SetQuotaRequest r, StreamObserver<SetQuotaResponse> out) {
        unary(out, () -> access.requireAdmin("setting a quota"), () -> {
            AppQuotas quotas = store.quotas();
            AppQuota now = r.getClear() ? quotas.clear(r.getApp()) : quotas.set(r.getApp(), ProtoMapping.quota(r.getQuota()));
            return SetQuotaResponse.newBuilder().setEffective(ProtoMapping.quota(now)).build();
        });
    }

    @Override
    public void listQuotas(ListQuotasRequest r, StreamObserver<ListQuotasResponse> out) {
        unary(out, () -> access.requireAdmin("listing the quotas"), () -> {
            ListQuotasResponse.Builder b = ListQuotasResponse.newBuilder();
            store.quotas().list().forEach((app, quota) -> {
                if (app.equals(AppQuotas.DEFAULT)) {
                    b.setDefaultQuota(ProtoMapping.quota(quota));
                } else {
                    b.addApps(AppQuotaEntry.newBuilder().setApp(app).setQuota(ProtoMapping.quota(quota)));
                }
            });
            return b.build();
        });
    }

    @Override
    public void exportHeap(ExportHeapRequest r, StreamObserver<ExportHeapResponse> out) {
        images.export(r, out);
    }

    @Override
    public StreamObserver<ImportHeapRequest> importHeap(StreamObserver<ImportHeapResponse> out) {
        return images.importing(out);
    }

    @Override
    public void getHeapSummary(GetHeapSummaryRequest r, StreamObserver<HeapSummary> out) {
        unary(out, () -> access.requireAdmin("inspecting a heap"),
                () -> HeapSummaries.of(r.getApp(), store.checkpointState(r.getApp(), r.getCheckpointId())));
    }

    @Override
    public void inspectHeap(InspectHeapRequest r, StreamObserver<InspectHeapResponse> out) {
        inspections.inspect(r, out);
    }

    @Override
    public void verifyHeap(VerifyHeapRequest r, StreamObserver<VerifyHeapResponse> out) {
        inspections.verify(r, out);
    }

    @Override
    public void collectHeap(CollectHeapRequest r, StreamObserver<CollectHeapResponse> out) {
        collections.collect(r, out);
    }

    /** The call's access (the app's token or the admin's), then the app's quota of calls per second. */
    private void admit(String app) {
        access.requireApp(app);
        throttle(app);
    }

    /** THROTTLED when the app is over its quota of calls per second on this server; the admin's calls are not counted. */
    private void throttle(String app) {
        if (access.isAdmin()) {
            return;
        }
        int perSecond = store.quotas().of(app).maxCallsPerSecond();
        if (perSecond > 0) {
            callRates.admit(app, perSecond);
        }
    }

    /** {@code read_known_sha256}: empty, or one entry per read line, each empty (none known) or a SHA-256. */
    private static void checkKnownSha256(TransactRequest r) {
        int known = r.getReadKnownSha256Count();
        if (known != 0 && known != r.getReadLineIdsCount()) {
            throw Status.INVALID_ARGUMENT.withDescription("read_known_sha256 has " + known + " entries for "
                    + r.getReadLineIdsCount() + " read lines; give one per read line (empty: none)").asRuntimeException();
        }
        for (int i = 0; i < known; i++) {
            int size = r.getReadKnownSha256(i).size();
            if (size != 0 && size != ProtoMapping.SHA256_BYTES) {
                throw Status.INVALID_ARGUMENT.withDescription("read_known_sha256[" + i + "] must be empty (none"
                        + " known) or a " + ProtoMapping.SHA256_BYTES + "-byte SHA-256, got " + size + " bytes")
                        .asRuntimeException();
            }
        }
    }

    private static void checkIdCount(int count, String what, String call) {
        if (count > MAX_IDS_PER_CALL) {
            throw Status.INVALID_ARGUMENT.withDescription("one " + call + " may name at most " + MAX_IDS_PER_CALL + " "
                    + what + ", got " + count + "; split it" + (call.equals("Transact") ? " (or stream with ReadLines)" : ""))
                    .asRuntimeException();
        }
    }

    /** A unary call: {@code check} (access), then {@code call}; a failure of either is the call's status. */
    private static <T> void unary(StreamObserver<T> out, Runnable check, Supplier<T> call) {
        unary(out, () -> {
            check.run();
            return call.get();
        });
    }

    private static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            out.onError(StoreStatus.toStatus(e));
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }

    /**
     * One checkpoint commit. The header is checked first (access, then {@link PgHeapStore#checkCommit}), so
     * a commit refused for its header writes nothing. Lines are buffered (last write of a line wins) and,
     * past {@link #COMMIT_BUFFER_BYTES}, written to the open epoch ahead of time, up to
     * {@link #COMMIT_FLUSHES_IN_FLIGHT} buffers at once while the stream goes on (a buffer with a line that one in
     * flight writes too waits for them all, so the later write lands last); the commit itself, with
     * the rest of the lines and the VM state, is one store transaction run when the client half-closes and
     * every pre-flush has finished. If the stream or a pre-flush fails later, nothing is published: lines
     * written ahead stay uncommitted in the open epoch, seen only by the lease holder, as its own flushes
     * would be (a stream cannot be judged whole before its lines have come).
     */
    /** A pre-flush in flight and the lines it writes or deletes. */
    private record AheadFlush(CompletableFuture<Void> done, Set<Long> lines) {
    }

    private final class CommitStream implements StreamObserver<CommitCheckpointRequest> {
        private final StreamObserver<CommitCheckpointResponse> out;
        private CommitHeader header;
        private final Map<Long, LineImage> writes = new LinkedHashMap<>();
        private final Set<Long> deletes = new LinkedHashSet<>();
        private long bufferedBytes;
        private boolean failed;
        private final ArrayDeque<AheadFlush> flushes = new ArrayDeque<>();

        CommitStream(StreamObserver<CommitCheckpointResponse> out) {
            this.out = out;
        }

        @Override
        public void onNext(CommitCheckpointRequest m) {
            if (failed) {
                return;
            }
            try {
                switch (m.getPartCase()) {
                    case HEADER -> {
                        if (header != null) {
                            throw Status.INVALID_ARGUMENT.withDescription("a commit has exactly one header").asRuntimeException();
                        }
                        admit(m.getHeader().getApp());
                        // before any line is written ahead: a commit refused for its header writes nothing
                        store.checkCommit(m.getHeader().getApp(), m.getHeader().getFencingToken(), m.getHeader().getDevice());
                        header = m.getHeader();
                    }
                    case LINES -> {
                        if (header == null) {
                            throw Status.INVALID_ARGUMENT.withDescription("a commit starts with its header").asRuntimeException();
                        }
                        add(m.getLines());
                    }
                    default -> throw Status.INVALID_ARGUMENT.withDescription("empty commit message").asRuntimeException();
                }
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        private void add(LineBatch batch) {
            List<LineImage> batchWrites = ProtoMapping.lines(batch.getWritesList());
            for (LineImage l : batchWrites) {
                deletes.remove(l.lineId());
                LineImage old = writes.put(l.lineId(), l);
                bufferedBytes += l.data().length - (old == null ? 0 : old.data().length);
            }
            for (long id : batch.getDeleteLineIdsList()) {
                LineImage old = writes.remove(id);
                bufferedBytes -= old == null ? 0 : old.data().length;
                deletes.add(id);
            }
            if (bufferedBytes >= COMMIT_BUFFER_BYTES) {
                while (flushes.size() >= COMMIT_FLUSHES_IN_FLIGHT) {
                    awaitFlush(flushes.poll());
                }
                if (flushes.stream().anyMatch(f -> !Collections.disjoint(f.lines(), writes.keySet())
                        || !Collections.disjoint(f.lines(), deletes))) {
                    // a line written ahead again: the later write must land after the earlier one, not beside it
                    while (!flushes.isEmpty()) {
                        awaitFlush(flushes.poll());
                    }
                }
                Set<Long> ids = new java.util.HashSet<>(writes.keySet());
                ids.addAll(deletes);
                List<LineImage> lines = new ArrayList<>(writes.values());
                long[] gone = ProtoMapping.ids(new ArrayList<>(deletes));
                String app = header.getApp();
                long token = header.getFencingToken();
                long acknowledged = flushesAcknowledged(header);
                flushes.add(new AheadFlush(CompletableFuture.runAsync(() -> store.flushAhead(app, token, lines, gone,
                        acknowledged), flushExecutor), ids));
                writes.clear();
                deletes.clear();
                bufferedBytes = 0;
            }
        }

        private static long flushesAcknowledged(CommitHeader header) {
            return header.hasFlushesAcknowledged() ? header.getFlushesAcknowledged() : PgHeapStore.FLUSHES_NOT_COUNTED;
        }

        /** Waits for one pre-flush; its failure becomes this stream's. */
        private void awaitFlush(AheadFlush flush) {
            try {
                flush.done().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }

        @Override
        public void onError(Throwable t) {
            failed = true;   // the client went away: publish nothing
            writes.clear();
        }

        @Override
        public void onCompleted() {
            if (failed) {
                return;
            }
            if (header == null) {
                fail(Status.INVALID_ARGUMENT.withDescription("a commit needs a header").asRuntimeException());
                return;
            }
            CommitResult r;
            try {
                while (!flushes.isEmpty()) {
                    awaitFlush(flushes.poll());
                }
                r = store.commit(header.getApp(), header.getFencingToken(), header.getDevice(),
                        header.getVmState().toByteArray(), header.getMetadataMap(), new ArrayList<>(writes.values()),
                        ProtoMapping.ids(new ArrayList<>(deletes)), flushesAcknowledged(header), header.getPinForCopies());
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            CheckpointInfo info = ProtoMapping.checkpoint(r.checkpoint());
            out.onNext(CommitCheckpointResponse.newBuilder().setCheckpoint(info)
                    .addAllPrunedCheckpointIds(r.prunedCheckpointIds()).build());
            out.onCompleted();
        }

        private void fail(RuntimeException e) {
            failed = true;
            writes.clear();
            deletes.clear();
            out.onError(StoreStatus.toStatus(e));
        }
    }
}
