package org.vheap.security;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.vheap.client.ServerUnreachable;

/**
 * Turns the transport's cryptic failures into statuses that say what happened, with the same code: nothing
 * answering at the address at all ({@link ServerUnreachable}'s sentence, instead of {@code io exception}), and
 * a TLS/plaintext mismatch: a TLS client whose server answers plaintext ("not an SSL/TLS record"), a TLS client
 * that does not trust the server's certificate, and a plaintext client whose server closes the connection at
 * once (what a TLS server does to plaintext; the one case that is a guess, so the message says "probably").
 */
final class TlsMismatchHints implements ClientInterceptor {
    private final boolean tls;

    TlsMismatchHints(boolean tls) {
        this.tls = tls;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        String authority = next.authority();
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        super.onClose(hint(status, authority), trailers);
                    }
                }, headers);
            }
        };
    }

    Status hint(Status s, String authority) {
        Optional<String> unreachable = ServerUnreachable.explain(s, authority);
        if (unreachable.isPresent()) {
            return s.withDescription(unreachable.get());
        }
        if (s.getCode() != Status.Code.UNAVAILABLE) {
            return s;
        }
        if (tls) {
            for (Throwable t = s.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
                String m = String.valueOf(t.getMessage());
                if (t.getClass().getSimpleName().equals("NotSslRecordException") || m.contains("not an SSL/TLS record")) {
                    return s.withDescription("TLS mismatch: " + authority + " does not speak TLS (a plaintext server? then drop --tls and --tls-ca)");
                }
                if (t instanceof SSLException) {
                    boolean trust = m.contains("PKIX") || m.contains("certificate") || m.contains("No subject alternative");
                    return s.withDescription((trust ? "TLS: the certificate of " + authority + " is not trusted or not for this name"
                            + " (give --tls-ca with its CA's PEM, and connect to a name it carries): "
                            : "TLS handshake with " + authority + " failed: ") + m);
                }
            }
        } else if ("Network closed for unknown reason".equals(s.getDescription())) {
            return s.withDescription("TLS mismatch (probably): " + authority + " closed the connection at once, as a TLS server"
                    + " does to plaintext; if it serves TLS, give --tls (and --tls-ca FILE)");
        }
        return s;
    }
}
