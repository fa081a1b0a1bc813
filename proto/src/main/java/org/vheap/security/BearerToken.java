package org.vheap.security;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * The {@code authorization: Bearer <token>} header a client sends with every call, as a client
 * interceptor. {@link #toString()} hides the token.
 */
public final class BearerToken implements ClientInterceptor {
    /** The header, as the server reads it. */
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** The scheme prefix of the header's value. */
    public static final String SCHEME = "Bearer ";

    private final String token;

    public BearerToken(String token) {
        this.token = AccessTokens.check(token, "access token");
    }

    /** {@code channel} with this token on every call; {@code token} null: the channel as is. */
    public static Channel attach(Channel channel, String token) {
        return token == null ? channel : ClientInterceptors.intercept(channel, new BearerToken(token));
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                headers.discardAll(AUTHORIZATION);
                headers.put(AUTHORIZATION, SCHEME + token);
                super.start(listener, headers);
            }
        };
    }

    @Override
    public String toString() {
        return "BearerToken(hidden)";
    }
}
