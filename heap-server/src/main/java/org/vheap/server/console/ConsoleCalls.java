package org.vheap.server.console;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.concurrent.TimeUnit;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.security.BearerToken;

/**
 * The heap server's own RPCs as one browser's request makes them: in process, with the session's admin token
 * and the browser's address ({@link VheapHeaders#FORWARDED_FOR}), so the server checks a console action exactly as
 * it checks the same call from the CLI: tokens, protected mode, leases, every refusal and its message.
 */
final class ConsoleCalls {
    /** What a page's question may take; long work (migrations, exports, collections) runs as a {@link ConsoleJob}. */
    static final long DEADLINE_SECONDS = 120;

    private final Channel channel;

    private ConsoleCalls(Channel channel) {
        this.channel = channel;
    }

    /** Calls on {@code serverChannel} as {@code session} (its token, if any) from the browser at {@code browserIp}. */
    static ConsoleCalls as(Channel serverChannel, String adminToken, String browserIp) {
        Channel withToken = BearerToken.attach(serverChannel, adminToken);   // throws for a malformed token
        return new ConsoleCalls(ClientInterceptors.intercept(withToken, new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        if (browserIp != null) {
                            headers.put(VheapHeaders.FORWARDED_FOR, browserIp);
                        }
                        super.start(listener, headers);
                    }
                };
            }
        }));
    }

    /** The channel with this browser's credentials, for calls without a deadline (transfers of whole heaps). */
    Channel channel() {
        return channel;
    }

    HeapStoreGrpc.HeapStoreBlockingStub store() {
        return HeapStoreGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    DeviceControlGrpc.DeviceControlBlockingStub control() {
        return DeviceControlGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    DeviceControlGrpc.DeviceControlFutureStub controlAsync() {
        return DeviceControlGrpc.newFutureStub(channel);
    }
}
