package org.vheap.server.auth;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.util.Set;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.security.LoopbackAddresses;

/**
 * The heap server's <em>protected mode</em> (as Redis has one): while access tokens are not required, a
 * heap or control call from another machine is refused, so a server started with the development defaults
 * and reachable on a network does not hand every heap to whoever connects. Calls from this machine (loopback,
 * in process) go through; so do health checks (they carry no heap data), from anywhere.
 *
 * <p>The caller is the connection's peer, or, when the peer is on this machine and the call carries
 * {@link VheapHeaders#FORWARDED_FOR} (a gateway on this machine forwarding it), the client named there: a
 * gateway passes on where its callers are. A peer on another machine is judged by its own address whatever
 * the header says.
 *
 * <p>Off when tokens are required (then the {@link AccessPolicy} decides) or when the operator says the
 * network is trusted ({@code --allow-remote-without-tokens}). A refused call is {@code PERMISSION_DENIED}
 * naming the caller and the two ways out.
 */
public final class RemoteCallGuard implements ServerInterceptor {
    private static final Set<String> GUARDED = Set.of(HeapStoreGrpc.SERVICE_NAME, DeviceControlGrpc.SERVICE_NAME);

    private final boolean active;

    /** @param active whether remote calls are refused */
    public RemoteCallGuard(boolean active) {
        this.active = active;
    }

    public boolean active() {
        return active;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (active && GUARDED.contains(call.getMethodDescriptor().getServiceName())) {
            String remote = remoteCaller(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
                    headers.get(VheapHeaders.FORWARDED_FOR));
            if (remote != null) {
                call.close(Status.PERMISSION_DENIED.withDescription("this heap server takes calls from other machines"
                        + " only with access tokens (this one came from " + remote + "): start it with --require-tokens,"
                        + " or with --allow-remote-without-tokens on a network you trust"), new Metadata());
                return new ServerCall.Listener<>() { };
            }
        }
        return next.startCall(call, headers);
    }

    /** The address of a caller on another machine; null for one on this machine. */
    static String remoteCaller(SocketAddress peer, String forwardedFor) {
        String caller = LoopbackAddresses.caller(peer, forwardedFor);
        if (caller == null || LoopbackAddresses.isLoopback(caller)) {
            return null;
        }
        return caller.length() > 64 ? caller.substring(0, 64) + "..." : caller;
    }
}
