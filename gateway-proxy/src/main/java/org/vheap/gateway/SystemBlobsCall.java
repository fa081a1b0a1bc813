package org.vheap.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.Map;
import java.util.function.Function;
import org.vheap.proto.v1.GetSystemBlobsRequest;
import org.vheap.proto.v1.GetSystemBlobsResponse;
import org.vheap.proto.v1.SystemBlob;

/**
 * One {@code GetSystemBlobs} call answered through the {@link SystemBlobCache}: the only messages the
 * gateway decodes. The hashes it has are served from the cache; only the missing ones are asked of a
 * backend (routed like any call of the app, with the caller's headers and the call's deadline), and the
 * answer is merged in request order. Each blob that comes back is checked against its hash: a match is
 * cached, a mismatch is never cached and fails the call with DATA_LOSS naming the backend (a device must
 * not run a corrupt class file). When every hash is cached no backend is called, so the call succeeds
 * while all backends are down, for a caller whose access a backend accepted lately ({@link SystemCacheAccess}):
 * any other caller's call goes to a backend (with no hashes when all are cached: the server then only checks
 * the app's token), and the cache answers only once the backend did. The merged answer has no backend
 * headers or trailers.
 */
final class SystemBlobsCall extends ServerCall.Listener<byte[]> {
    private final ServerCall<byte[], byte[]> serverCall;
    private final Metadata headers;
    private final Forwarding forwarding;
    private final Function<Backend, CallOptions> options;
    private final String routingKey;
    /** Hashes one call may ask for (the heap server's own bound on line ids per call). */
    static final int MAX_HASHES = 65_536;

    private volatile byte[] request;                      // the call's one message
    private volatile ClientCall<byte[], byte[]> backendCall;
    private boolean closed;                               // guarded by this

    /**
     * @param options the options of a backend call (deadline, tracer) for the chosen backend
     */
    SystemBlobsCall(ServerCall<byte[], byte[]> serverCall, Metadata headers, Forwarding forwarding,
                    Function<Backend, CallOptions> options, String routingKey) {
        this.serverCall = serverCall;
        this.headers = headers;
        this.forwarding = forwarding;
        this.options = options;
        this.routingKey = routingKey;
    }

    ServerCall.Listener<byte[]> start() {
        serverCall.request(2);   // a second message is a protocol error the server call itself reports
        return this;
    }

    @Override
    public void onMessage(byte[] message) {
        request = message;
    }

    @Override
    public void onHalfClose() {
        if (request == null) {
            close(Status.INTERNAL.withDescription("GetSystemBlobs without a request message"));
            return;
        }
        // parsing, looking up and merging a large request is too long for the event loop this runs on
        try {
            forwarding.blobWork().execute(this::handle);
        } catch (RejectedExecutionException stopping) {
            close(Status.UNAVAILABLE.withDescription("the gateway is stopping"));
        }
    }

    private void handle() {
        GetSystemBlobsRequest req;
        try {
            req = GetSystemBlobsRequest.parseFrom(request);
        } catch (InvalidProtocolBufferException e) {
            close(Status.INVALID_ARGUMENT.withDescription("GetSystemBlobs request does not parse: " + e.getMessage()));
            return;
        }
        if (req.getSha256Count() > MAX_HASHES) {
            close(Status.INVALID_ARGUMENT.withDescription("GetSystemBlobs asks for " + req.getSha256Count()
                    + " blobs; at most " + MAX_HASHES + " per call"));
            return;
        }
        Set<ByteString> wanted = new LinkedHashSet<>(req.getSha256List());   // each hash once, in request order
        SystemBlobCache cache = forwarding.cache();
        Map<ByteString, ByteString> found = new HashMap<>();
        List<ByteString> missing = new ArrayList<>();
        for (ByteString h : wanted) {
            ByteString data = cache.get(h);
            if (data != null) {
                found.put(h, data);
            } else {
                missing.add(h);
            }
        }
        forwarding.metrics().cacheHits(wanted.size() - missing.size());
        if (missing.isEmpty() && !wanted.isEmpty()
                && forwarding.cacheAccess().accepted(req.getApp(), SystemCacheAccess.credential(headers))) {
            answer(wanted, found);
            return;
        }
        forwarding.metrics().cacheMisses(missing.size());
        ask(req, wanted, req.toBuilder().clearSha256().addAllSha256(missing).build(), found);
    }

    /** Asks a backend for the missing hashes, then answers with the merge. */
    private void ask(GetSystemBlobsRequest original, Set<ByteString> wanted, GetSystemBlobsRequest sub,
                     Map<ByteString, ByteString> found) {
        Backend backend;
        try {
            backend = forwarding.pool().route(routingKey);
        } catch (StatusRuntimeException e) {
            close(e.getStatus());
            return;
        }
        CallOptions callOptions = options.apply(backend);
        ProxiedCall.BackendAnswer answer = new ProxiedCall.BackendAnswer();
        ClientCall<byte[], byte[]> call = backend.channel().newCall(serverCall.getMethodDescriptor(),
                callOptions.withStreamTracerFactory(answer));
        backendCall = call;
        byte[] subBytes = sub.toByteArray();
        long start = forwarding.nanoTime().getAsLong();
        call.start(new ClientCall.Listener<>() {
            private byte[] reply;

            @Override
            public void onMessage(byte[] message) {
                reply = message;
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                forwarding.metrics().backendCall(backend, serverCall.getMethodDescriptor().getFullMethodName(),
                        status.getCode(), forwarding.nanoTime().getAsLong() - start,
                        reply == null ? 0 : reply.length, subBytes.length);
                if (!status.isOk()) {
                    close(ProxiedCall.toDevice(backend, status, answer));
                    return;
                }
                try {
                    GetSystemBlobsResponse r = GetSystemBlobsResponse.parseFrom(reply == null ? new byte[0] : reply);
                    for (SystemBlob b : r.getBlobsList()) {
                        if (!sub.getSha256List().contains(b.getSha256())) {
                            continue;   // not asked for: ignored
                        }
                        if (!forwarding.cache().put(b.getSha256(), b.getData())) {
                            forwarding.metrics().cacheCorrupt();
                            close(Status.DATA_LOSS.withDescription("backend " + backend.address()
                                    + " sent system blob " + hex(b.getSha256()) + " whose SHA-256 does not match"));
                            return;
                        }
                        found.put(b.getSha256(), b.getData());
                    }
                    forwarding.cacheAccess().accept(original.getApp(), SystemCacheAccess.credential(headers));
                    answer(wanted, found);
                } catch (InvalidProtocolBufferException e) {
                    close(Status.INTERNAL.withDescription("backend " + backend.address()
                            + " sent a GetSystemBlobs answer that does not parse: " + e.getMessage()));
                }
            }
        }, headers);
        call.request(1);
        call.sendMessage(subBytes);
        call.halfClose();
    }

    /** The answer in request order, each hash once: found (cached or fetched), else missing. */
    private void answer(Set<ByteString> wanted, Map<ByteString, ByteString> found) {
        GetSystemBlobsResponse.Builder r = GetSystemBlobsResponse.newBuilder();
        for (ByteString h : wanted) {
            ByteString data = found.get(h);
            if (data != null) {
                r.addBlobs(SystemBlob.newBuilder().setSha256(h).setData(data));
            } else {
                r.addMissingSha256(h);
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            serverCall.sendHeaders(new Metadata());
            serverCall.sendMessage(r.build().toByteArray());
            serverCall.close(Status.OK, new Metadata());
        }
    }

    private synchronized void close(Status status) {
        if (!closed) {
            closed = true;
            serverCall.close(status, new Metadata());
        }
    }

    @Override
    public void onCancel() {
        ClientCall<byte[], byte[]> call = backendCall;
        if (call != null) {
            call.cancel("the device cancelled the call", null);
        }
    }

    private static String hex(ByteString b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b.toByteArray()) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }
}
