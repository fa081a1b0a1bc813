package org.vheap.gateway;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;

/**
 * Starts one forwarded call: picks the backend ({@link BackendPool#route()}), opens the call on its
 * channel with the incoming call's deadline, and joins the two in a {@link ProxiedCall}. Stateless; one
 * instance serves every method.
 */
final class ProxyCallHandler implements ServerCallHandler<byte[], byte[]> {
    private final BackendPool backends;

    ProxyCallHandler(BackendPool backends) {
        this.backends = backends;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> serverCall, Metadata headers) {
        Backend backend = backends.route();
        ProxiedCall.BackendAnswer answer = new ProxiedCall.BackendAnswer();
        CallOptions options = CallOptions.DEFAULT.withStreamTracerFactory(answer);
        // Context.current() is the incoming call's: its deadline bounds the backend call, and its
        // cancellation (the device went away) cancels the backend call too
        Deadline deadline = Context.current().getDeadline();
        if (deadline != null) {
            options = options.withDeadline(deadline);
        }
        ClientCall<byte[], byte[]> clientCall = backend.channel().newCall(serverCall.getMethodDescriptor(), options);
        return new ProxiedCall(backend, serverCall, clientCall, answer).start(headers);
    }
}
