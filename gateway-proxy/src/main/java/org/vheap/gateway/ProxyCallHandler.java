package org.vheap.gateway;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.SocketAddress;
import org.vheap.client.VheapHeaders;
import org.vheap.security.LoopbackAddresses;
import org.vheap.proto.v1.HeapStoreGrpc;

/**
 * Starts one forwarded call: checks the device's call rate ({@link DeviceRateLimiter}; over it the call
 * ends with RESOURCE_EXHAUSTED), routes it by its {@link RoutingKey} ({@link BackendPool#route}; with no
 * backend up, UNAVAILABLE naming them), gives the backend call the incoming deadline or the gateway's
 * ({@link BackendDeadlines}), and joins the two calls in a {@link ProxiedCall} — or, for
 * {@code GetSystemBlobs} with the cache on, answers through the cache ({@link SystemBlobsCall}); a
 * {@code PutSystemBlobs} the backend accepts also fills the cache ({@link SystemBlobsWarming}).
 * Stateless; one instance serves every method.
 */
final class ProxyCallHandler implements ServerCallHandler<byte[], byte[]> {
    private static final String GET_SYSTEM_BLOBS = HeapStoreGrpc.getGetSystemBlobsMethod().getFullMethodName();
    private static final String PUT_SYSTEM_BLOBS = HeapStoreGrpc.getPutSystemBlobsMethod().getFullMethodName();

    private final Forwarding forwarding;

    ProxyCallHandler(Forwarding forwarding) {
        this.forwarding = forwarding;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> serverCall, Metadata headers) {
        String method = serverCall.getMethodDescriptor().getFullMethodName();
        SocketAddress peer = serverCall.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String device = device(headers, peer);
        if (!forwarding.rate().tryAcquire(device)) {
            forwarding.metrics().rejectedRate();
            serverCall.close(Status.RESOURCE_EXHAUSTED.withDescription("device " + device + " is over its "
                    + forwarding.rate().rate() + " calls/s at the gateway (--device-rate); retry later"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        forwardedFor(headers, peer);
        String key = RoutingKey.of(method, headers);
        // Context.current() is the incoming call's: its deadline bounds the backend call, and its
        // cancellation (the device went away) cancels the backend call too
        Deadline deadline = forwarding.deadlines().of(method, Context.current().getDeadline());
        CallOptions base = deadline == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withDeadline(deadline);
        if (forwarding.cache() != null && method.equals(GET_SYSTEM_BLOBS)) {
            // its answer is hashed: off the event loop
            CallOptions hashed = base.withExecutor(forwarding.blobWork());
            return new SystemBlobsCall(serverCall, headers, forwarding, b -> hashed, key).start();
        }
        Backend backend;
        try {
            backend = forwarding.pool().route(key);
        } catch (StatusRuntimeException e) {
            serverCall.close(e.getStatus(), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        ProxiedCall.BackendAnswer answer = new ProxiedCall.BackendAnswer();
        ClientCall<byte[], byte[]> clientCall = backend.channel().newCall(serverCall.getMethodDescriptor(),
                base.withStreamTracerFactory(answer));
        if (forwarding.cache() != null && method.equals(PUT_SYSTEM_BLOBS)) {
            SystemBlobsWarming warming = new SystemBlobsWarming(forwarding, SystemCacheAccess.credential(headers));
            return warming.watch(new ProxiedCall(backend, warming.watch(serverCall), clientCall, answer, forwarding, peer)
                    .start(headers));
        }
        return new ProxiedCall(backend, serverCall, clientCall, answer, forwarding, peer).start(headers);
    }

    /**
     * Tells the backend where the caller is ({@link VheapHeaders#FORWARDED_FOR}, what the heap server's
     * protected mode judges): the caller's IP address, replacing whatever a caller on another machine sent; a
     * caller on this machine (another gateway in front) keeps what it says.
     */
    static void forwardedFor(Metadata headers, SocketAddress peer) {
        String caller = LoopbackAddresses.caller(peer, headers.get(VheapHeaders.FORWARDED_FOR));
        headers.discardAll(VheapHeaders.FORWARDED_FOR);
        if (caller != null) {
            headers.put(VheapHeaders.FORWARDED_FOR, caller);
        }
    }

    /** The device a call is counted for: its {@code vheap-device} header, else its peer's IP address. */
    static String device(Metadata headers, SocketAddress peer) {
        String device = headers.get(VheapHeaders.DEVICE);
        if (device != null && !device.isEmpty()) {
            return VheapHeaders.decode(device);
        }
        String ip = LoopbackAddresses.ipOf(peer);
        return ip != null ? ip : String.valueOf(peer);
    }
}
