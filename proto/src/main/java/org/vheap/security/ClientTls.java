package org.vheap.security;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How a client (a device, the CLI, the gateway towards its backends) connects: plaintext, or TLS that
 * trusts the certificates of a PEM file ({@code --tls-ca}) or, without one, the JVM's default trust store.
 * The server's name is checked against its certificate (so connect to a name or address the certificate
 * carries, e.g. {@code localhost} or {@code 127.0.0.1} for {@link SelfSignedTls}'s).
 *
 * <p>Use: {@code NettyChannelBuilder.forTarget(target, tls.credentials()).intercept(tls.mismatchHints())}.
 */
public final class ClientTls {
    private static final ClientTls PLAINTEXT = new ClientTls(false, null);

    private final boolean enabled;
    private final Path caFile;

    private ClientTls(boolean enabled, Path caFile) {
        this.enabled = enabled;
        this.caFile = caFile;
    }

    public static ClientTls plaintext() {
        return PLAINTEXT;
    }

    /** TLS trusting the JVM's default trust store. */
    public static ClientTls systemTrust() {
        return new ClientTls(true, null);
    }

    /** TLS trusting the certificates in this PEM file; checked now (readable, at least one certificate). */
    public static ClientTls trusting(Path caFile) {
        Pem.certificates(caFile, "--tls-ca");
        return new ClientTls(true, caFile);
    }

    /**
     * The choice the usual options make: {@code --tls} and {@code --tls-ca FILE} (which implies
     * {@code --tls}); neither: plaintext.
     */
    public static ClientTls fromOptions(boolean tls, Path caFile) {
        if (caFile != null) {
            return trusting(caFile);
        }
        return tls ? systemTrust() : plaintext();
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * An interceptor that rewrites the transport's cryptic failures into statuses that say what happened (add
     * it to every channel made with these credentials): nothing answering at the address
     * ({@link org.vheap.client.ServerUnreachable}), and a TLS/plaintext mismatch.
     */
    public io.grpc.ClientInterceptor mismatchHints() {
        return new TlsMismatchHints(enabled);
    }

    /** The gRPC channel credentials. */
    public ChannelCredentials credentials() {
        if (!enabled) {
            return InsecureChannelCredentials.create();
        }
        if (caFile == null) {
            return TlsChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build();
        } catch (IOException e) {
            throw new IllegalArgumentException("--tls-ca " + caFile + ": cannot read it: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return !enabled ? "plaintext" : caFile == null ? "TLS (system trust store)" : "TLS (trusting " + caFile + ")";
    }
}
