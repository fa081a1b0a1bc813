package org.vheap.device.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.vheap.client.HeapStoreClient;
import org.vheap.client.VheapHeaders;
import org.vheap.format.BlobHash;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.CloseHeapRequest;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.FindMissingSystemBlobsRequest;
import org.vheap.proto.v1.GetSystemBlobsRequest;
import org.vheap.proto.v1.GetSystemBlobsResponse;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.LinePatch;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.OpenHeapResponse;
import org.vheap.proto.v1.PutSystemBlobsRequest;
import org.vheap.proto.v1.RenewLeaseRequest;
import org.vheap.proto.v1.SystemBlob;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.proto.v1.TransactResponse;
import org.vheap.security.BearerToken;
import org.vheap.security.ClientTls;
import org.vheap.store.LineImage;
import org.vheap.store.LinePatches;
import org.vheap.store.StoreException;
import org.vheap.store.StoreStatusCodes;

/**
 * A heap store on a heap server ({@code vheap.v1.HeapStore} over gRPC), directly or through a gateway.
 *
 * <p>Every call has the store's deadline. Failures become {@link StoreException}s carrying the server's
 * message and its reason, read back from the {@code vheap-reason} trailer, or from the status code where the
 * status has none (a gateway's, a deadline): see {@link StoreStatusCodes}. {@link StoreException.Reason#retryable()}
 * says what a device may retry ({@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED} and {@code CANCELLED} are
 * {@code UNAVAILABLE}; a lost database race is {@code ABORTED}).
 *
 * <p>Security: the channel is plaintext or TLS ({@link ClientTls}); every call about an app carries that
 * app's token from the {@link AppTokenSource}, and a token the server issues when this store creates an
 * app is handed to it. {@code UNAUTHENTICATED} and {@code PERMISSION_DENIED} are {@code DENIED} (a retry
 * cannot fix them), with the server's message.
 *
 * <p>Risks: one {@link HeapSession#flush} is one {@code Transact} message, so a caller must keep a flush
 * under the server's message limit (16 MiB by default); checkpoints stream in batches and have no such
 * limit. Every call of a session carries the {@code vheap-app} and {@code vheap-device} headers
 * ({@link VheapHeaders}), so a gateway routes an app's calls to one heap server and limits each device.
 * A commit whose answer is lost (deadline) may still have been published: the caller sees
 * {@code UNAVAILABLE} and should list checkpoints before assuming it was not. Thread-safe (gRPC stubs are).
 */
public final class GrpcHeapStore implements HeapStore {
    /** The deadline of every call unless a constructor says otherwise. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
    private static final int MAX_INBOUND_BYTES = 64 << 20;

    private final ManagedChannel ownedChannel;
    private final Channel channel;
    private final long deadlineMillis;
    private final String target;
    private final AppTokenSource tokens;

    /** A store on {@code host:port} (any gRPC target), plaintext, over a channel this store owns and closes. */
    public GrpcHeapStore(String target, Duration deadline) {
        this(target, ClientTls.plaintext(), AppTokenSource.NONE, deadline);
    }

    /**
     * A store on {@code host:port} over TLS or plaintext, sending each app's token from {@code tokens} (and
     * handing it the tokens of apps it creates), over a channel this store owns and closes.
     */
    public GrpcHeapStore(String target, ClientTls tls, AppTokenSource tokens, Duration deadline) {
        this(NettyChannelBuilder.forTarget(target, tls.credentials()).intercept(tls.mismatchHints())
                .maxInboundMessageSize(MAX_INBOUND_BYTES).build(), target, deadline, true, tokens);
    }

    /** A store on the caller's channel (TLS, interceptors, in-process); {@link #close()} leaves it open. */
    public GrpcHeapStore(Channel channel, Duration deadline) {
        this(channel, channel.authority(), deadline, false, AppTokenSource.NONE);
    }

    private GrpcHeapStore(Channel channel, String target, Duration deadline, boolean owned, AppTokenSource tokens) {
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the call deadline must be positive, got " + deadline);
        }
        this.ownedChannel = owned ? (ManagedChannel) channel : null;
        this.channel = channel;
        this.deadlineMillis = deadline.toMillis();
        this.target = target;
        this.tokens = java.util.Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * The app {@link #connect} asks for: a name no app can have (names start with a letter or a digit), which the
     * server refuses before it looks at any heap, so the call changes nothing.
     */
    static final String PROBE_APP = "-connect-probe";

    /**
     * Connects the channel and makes one call that changes nothing: an OpenHeap of an app name that cannot exist,
     * which the server refuses (INVALID_ARGUMENT, or a token refusal first); then builds the contract's message
     * descriptors ({@link #warmMessages}). A device process's first call otherwise pays for loading and compiling the
     * call path (a first open took 174 ms here, 72 ms after the probe), and its first open of a heap that has a
     * checkpoint for the descriptors (75 ms more: 96 ms, 14 ms after both); those calls are often a migration's.
     * Blocks for at most the store's deadline: call it off the device's own path.
     */
    @Override
    public void connect() {
        try {
            clientFor(PROBE_APP, null).blocking().withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                    .openHeap(OpenHeapRequest.newBuilder().setApp(PROBE_APP).setDevice("vheap-probe").setCreate(false)
                            .build());
        } catch (StatusRuntimeException refused) {
            // the answer expected (or the server is not there yet): nothing changed either way
        }
        warmMessages();
    }

    /**
     * Parses an OpenHeap answer with a base checkpoint once: its metadata map makes protobuf build the descriptors of
     * the whole contract file, which is what the first such answer of a process costs.
     */
    static void warmMessages() {
        OpenHeapResponse sample = OpenHeapResponse.newBuilder().setBaseCheckpoint(CheckpointInfo.newBuilder()
                .setCreatedAt(com.google.protobuf.Timestamp.getDefaultInstance()).putMetadata("warm", "up")).build();
        try {
            OpenHeapResponse.parseFrom(sample.toByteString());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("protobuf did not read back its own message", e);
        }
    }

    /**
     * A client whose calls carry {@code vheap-app} and {@code vheap-device} (null: left out) and the app's token
     * as it is at each call (a token the server issues at creation applies from the next call on).
     */
    private HeapStoreClient clientFor(String app, String device) {
        io.grpc.ClientInterceptor bearer = new io.grpc.ClientInterceptor() {
            @Override
            public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(io.grpc.MethodDescriptor<Q, R> method,
                    io.grpc.CallOptions options, Channel next) {
                String token = app == null ? null : tokens.tokenFor(app);
                return BearerToken.attach(next, token).newCall(method, options);
            }
        };
        return new HeapStoreClient(ClientInterceptors.intercept(channel, bearer, VheapHeaders.interceptor(app, device)),
                deadlineMillis);
    }

    @Override
    public HeapSession openHeap(OpenRequest request) {
        OpenHeapResponse r = call("open app '" + request.app() + "'", () -> clientFor(request.app(), request.device()).blocking().openHeap(
                OpenHeapRequest.newBuilder().setApp(request.app()).setDevice(request.device())
                        .setCreate(request.create()).setLineSize(request.lineSize())
                        .setLeaseMillis(request.lease().toMillis()).setBaseCheckpointId(request.baseCheckpointId())
                        .setIncludeVmState(true).build()));
        if (!r.getAppToken().isEmpty()) {
            tokens.issued(request.app(), r.getAppToken(), r.getTokensRequired());
        }
        return new GrpcSession(request.app(), request.device(), r.getLineSize(), r.getCreated(),
                r.hasBaseCheckpoint() ? r.getBaseCheckpoint().getCheckpointId() : 0, r.getVmState().toByteArray(),
                r.getLease().getFencingToken(), request.lease().toMillis(), r.getLease().getLeaseMillis());
    }

    @Override
    public SystemBlobStore systemBlobs(String app) {
        return new GrpcSystemBlobs(java.util.Objects.requireNonNull(app, "app"));
    }

    @Override
    public void close() {
        if (ownedChannel != null) {
            ownedChannel.shutdown();
            try {
                if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
                    ownedChannel.shutdownNow();
                }
            } catch (InterruptedException e) {
                ownedChannel.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "GrpcHeapStore(" + target + ")";
    }

    /** Runs one RPC, turning its failure into a {@link StoreException} that names {@code what}. */
    private <T> T call(String what, Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw StoreStatusCodes.fromStatus(what, e);
        } catch (IllegalStateException e) {
            // HeapStoreClient.commit: no answer within the deadline, or the stream ended without one
            throw new StoreException(StoreException.Reason.UNAVAILABLE, what + " on " + target + ": " + e.getMessage(), e);
        }
    }

    /** One lease incarnation on the server. */
    private final class GrpcSession extends OpenedSession {
        private final HeapStoreClient client;   // this session's calls carry its app and device
        private final long leaseMillis;
        /** The lease's length the server granted at the open or the last renewal (0: it did not say). */
        private volatile long grantedMillis;
        private volatile boolean closed;
        /**
         * This lease's flushes the server said it holds (its last flush answer's count, which includes any flush it
         * applied whose answer was lost), sent with every call: the server commits a flush that gives it without
         * waiting for its disk, and refuses every call with FLUSHES_LOST once its database has lost one of them in a
         * crash (a checkpoint commit makes them durable).
         */
        private final java.util.concurrent.atomic.AtomicLong flushesAcknowledged = new java.util.concurrent.atomic.AtomicLong();
        private volatile boolean pinForCopies;

        GrpcSession(String app, String device, int lineSize, boolean created, long baseCheckpointId,
                    byte[] baseVmState, long token, long leaseMillis, long grantedMillis) {
            super(app, device, token, lineSize, created, baseCheckpointId, baseVmState);
            this.leaseMillis = leaseMillis;
            this.grantedMillis = grantedMillis;
            this.client = clientFor(app, device);
        }

        @Override
        public byte[][] read(long[] lineIds) {
            return read(lineIds, null);
        }

        @Override
        public byte[][] read(long[] lineIds, byte[][] knownSha256) {
            return readAgainst(lineIds, null, knownSha256).lines();
        }

        @Override
        public void pinCheckpointsForCopies() {
            pinForCopies = true;
        }

        /** One Transact; with {@code copies}, changed lines may come as patches against them (applied here). */
        @Override
        public Fetched readAgainst(long[] lineIds, byte[][] copies, byte[][] knownSha256) {
            TransactRequest.Builder b = TransactRequest.newBuilder().setApp(app).setFencingToken(token)
                    .setFlushesAcknowledged(flushesAcknowledged.get()).setAcceptLinePatches(copies != null);
            for (long id : lineIds) {
                b.addReadLineIds(id);
            }
            boolean anyKnown = false;
            if (knownSha256 != null) {
                for (byte[] h : knownSha256) {
                    anyKnown |= h != null;
                }
            }
            if (anyKnown) {
                for (byte[] h : knownSha256) {
                    b.addReadKnownSha256(h == null ? com.google.protobuf.ByteString.EMPTY : com.google.protobuf.ByteString.copyFrom(h));
                }
            }
            TransactResponse r = call("read " + lineIds.length + " lines of app '" + app + "'",
                    () -> client.blocking().transact(b.build()));
            Map<Long, byte[]> found = new HashMap<>(r.getLinesCount() * 2);
            long received = 0;
            for (Line l : r.getLinesList()) {
                if (l.getData().size() != lineSize()) {
                    throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "the server sent line " + l.getLineId()
                            + " of app '" + app + "' with " + l.getData().size() + " bytes, not " + lineSize());
                }
                found.put(l.getLineId(), l.getData().toByteArray());
                received += lineSize();
            }
            for (long id : r.getUnchangedLineIdsList()) {
                found.put(id, UNCHANGED);
            }
            List<Long> unpatched = new ArrayList<>();
            Map<Long, byte[]> copyById = new HashMap<>();
            for (int i = 0; copies != null && r.getLinePatchesCount() > 0 && i < lineIds.length; i++) {
                if (copies[i] != null) {
                    copyById.putIfAbsent(lineIds[i], copies[i]);
                }
            }
            for (LinePatch p : r.getLinePatchesList()) {
                received += p.getRuns().size();
                byte[] line = patched(p, copyById.get(p.getLineId()));
                if (line == null) {
                    unpatched.add(p.getLineId());
                } else {
                    found.put(p.getLineId(), line);
                }
            }
            if (!unpatched.isEmpty()) {   // read whole: the store's bytes, never a doubtful patch
                long[] ids = unpatched.stream().mapToLong(Long::longValue).toArray();
                byte[][] whole = readAgainst(ids, null, null).lines();
                for (int i = 0; i < ids.length; i++) {
                    found.put(ids[i], whole[i]);
                    received += whole[i] == null ? 0 : lineSize();
                }
            }
            byte[][] result = new byte[lineIds.length][];
            for (int i = 0; i < lineIds.length; i++) {
                result[i] = found.get(lineIds[i]);   // missing lines stay null
            }
            return new Fetched(result, received, r.getLinePatchesCount() - unpatched.size());
        }

        /** A patch applied to its copy, or null when there is no copy, the patch is malformed, or its CRC differs. */
        private byte[] patched(LinePatch p, byte[] copy) {
            if (copy == null || copy.length != lineSize()) {
                return null;
            }
            try {
                byte[] line = LinePatches.apply(copy, p.getRuns().toByteArray());
                return LinePatches.crc32c(line) == p.getCrc32C() ? line : null;
            } catch (IllegalArgumentException malformed) {
                return null;
            }
        }

        @Override
        public void flush(List<LineImage> writes, long[] deletes) {
            TransactRequest.Builder b = TransactRequest.newBuilder().setApp(app).setFencingToken(token)
                    .setFlushesAcknowledged(flushesAcknowledged.get());
            for (LineImage w : writes) {
                b.addWrites(line(w));
            }
            for (long d : deletes) {
                b.addDeleteLineIds(d);
            }
            TransactResponse r = call("flush " + writes.size() + " lines of app '" + app + "'",
                    () -> client.blocking().transact(b.build()));
            if (r.hasFlushesHeld()) {   // not for a flush of nothing, nor from a server that does not count
                flushesAcknowledged.accumulateAndGet(r.getFlushesHeld(), Math::max);
            }
        }

        @Override
        public long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata) {
            CommitHeader header = CommitHeader.newBuilder().setApp(app).setFencingToken(token).setDevice(device)
                    .setVmState(ByteString.copyFrom(vmState)).putAllMetadata(metadata)
                    .setFlushesAcknowledged(flushesAcknowledged.get()).setPinForCopies(pinForCopies && vmState.length > 0).build();   // an ended app is not resumed
            List<Line> lines = new ArrayList<>(writes.size());
            for (LineImage w : writes) {
                lines.add(line(w));
            }
            List<Long> gone = new ArrayList<>(deletes.length);
            for (long d : deletes) {
                gone.add(d);
            }
            return call("commit a checkpoint of app '" + app + "'",
                    () -> client.commit(header, lines, gone, HeapStoreClient.DEFAULT_BATCH_BYTES))
                    .getCheckpoint().getCheckpointId();
        }

        @Override
        public void renewLease() {
            grantedMillis = call("renew the lease on app '" + app + "'", () -> client.blocking().renewLease(
                    RenewLeaseRequest.newBuilder().setApp(app).setFencingToken(token).setLeaseMillis(leaseMillis).build()))
                    .getLease().getLeaseMillis();
        }

        @Override
        public java.time.Duration leaseGranted() {
            return java.time.Duration.ofMillis(grantedMillis);
        }

        /** Releases the lease. A lease already taken over or released counts as closed. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            try {
                call("close app '" + app + "'", () -> client.blocking().closeHeap(
                        CloseHeapRequest.newBuilder().setApp(app).setFencingToken(token).build()));
            } catch (StoreException e) {
                if (e.reason() != StoreException.Reason.FENCED) {
                    throw e;
                }
            }
            closed = true;
        }
    }

    /** LineImage data is owned by the image (see its contract), so it is wrapped, not copied. */
    private static Line line(LineImage w) {
        return Line.newBuilder().setLineId(w.lineId()).setData(UnsafeByteOperations.unsafeWrap(w.data())).build();
    }

    /** The store-wide system blobs, called on behalf of one app (routing and access control). */
    private final class GrpcSystemBlobs implements SystemBlobStore {
        private final String app;
        private final HeapStoreClient client;   // its calls carry the app

        GrpcSystemBlobs(String app) {
            this.app = app;
            this.client = clientFor(app, null);
        }

        @Override
        public int put(Map<BlobHash, byte[]> blobs) {
            PutSystemBlobsRequest.Builder b = PutSystemBlobsRequest.newBuilder().setApp(app);
            blobs.forEach((h, data) -> b.addBlobs(SystemBlob.newBuilder().setSha256(ByteString.copyFrom(h.bytes()))
                    .setData(ByteString.copyFrom(data))));
            return call("store " + blobs.size() + " system blobs", () -> client.blocking().putSystemBlobs(b.build()))
                    .getStored();
        }

        @Override
        public Map<BlobHash, byte[]> get(Collection<BlobHash> hashes) {
            GetSystemBlobsRequest.Builder b = GetSystemBlobsRequest.newBuilder().setApp(app);
            hashes.forEach(h -> b.addSha256(ByteString.copyFrom(h.bytes())));
            GetSystemBlobsResponse r = call("fetch " + hashes.size() + " system blobs",
                    () -> client.blocking().getSystemBlobs(b.build()));
            Map<BlobHash, byte[]> found = new LinkedHashMap<>();
            for (SystemBlob blob : r.getBlobsList()) {
                found.put(BlobHash.of(blob.getSha256().toByteArray()), blob.getData().toByteArray());
            }
            return found;
        }

        @Override
        public List<BlobHash> missing(Collection<BlobHash> hashes) {
            FindMissingSystemBlobsRequest.Builder b = FindMissingSystemBlobsRequest.newBuilder().setApp(app);
            hashes.forEach(h -> b.addSha256(ByteString.copyFrom(h.bytes())));
            List<BlobHash> missing = new ArrayList<>();
            for (ByteString h : call("look for " + hashes.size() + " system blobs",
                    () -> client.blocking().findMissingSystemBlobs(b.build())).getMissingSha256List()) {
                missing.add(BlobHash.of(h.toByteArray()));
            }
            return missing;
        }
    }
}
