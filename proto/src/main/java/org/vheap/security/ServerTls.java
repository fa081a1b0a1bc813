package org.vheap.security;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A server's TLS identity: a PEM certificate chain ({@code --tls-cert}, the server's own certificate first)
 * and its PEM private key ({@code --tls-key}, PKCS#8 or PKCS#1, unencrypted). {@link #load} checks both
 * files now, so a server with a bad pair fails at start with one line naming the file: missing or
 * unreadable, not PEM, or a key that does not belong to the certificate.
 *
 * <p>Use: {@code NettyServerBuilder.forAddress(address, tls.credentials())}. Clients are not asked for
 * certificates (no mutual TLS).
 */
public final class ServerTls {
    private final Path certFile;
    private final Path keyFile;
    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final String filesStamp;

    private ServerTls(Path certFile, Path keyFile, List<X509Certificate> chain, PrivateKey key, String filesStamp) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.chain = List.copyOf(chain);
        this.key = key;
        this.filesStamp = filesStamp;
    }

    /** Reads and checks the pair. */
    public static ServerTls load(Path certFile, Path keyFile) {
        if (certFile == null || keyFile == null) {
            throw new IllegalArgumentException("TLS needs both --tls-cert FILE and --tls-key FILE");
        }
        String stamp = TlsReloader.stamp(certFile, keyFile);   // before reading: a change meanwhile is seen later
        List<X509Certificate> chain = Pem.certificates(certFile, "--tls-cert");
        PrivateKey key = Pem.privateKey(keyFile, "--tls-key");
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException("--tls-key " + keyFile + " does not belong to the certificate in --tls-cert "
                    + certFile + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        return new ServerTls(certFile, keyFile, chain, key, stamp);
    }

    public Path certFile() {
        return certFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    /** The server's own certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The chain, the server's own certificate first. */
    List<X509Certificate> chain() {
        return chain;
    }

    PrivateKey privateKey() {
        return key;
    }

    /** The files' modification times and sizes as they were just before this pair was read. */
    String filesStamp() {
        return filesStamp;
    }

    /**
     * Credentials that follow the files: see {@link TlsReloader}. The caller closes the reloader when the
     * server stops.
     */
    public TlsReloader reloading(Duration interval, Consumer<String> info, Consumer<String> warn) {
        return TlsReloader.start(this, interval, info, warn);
    }

    /**
     * The pair as an in-memory PKCS#12 key store (alias {@code vheap}, the chain with the key), for servers that take
     * one (Jetty's, the web console's).
     */
    public java.security.KeyStore keyStore(char[] password) {
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, password);
            ks.setKeyEntry("vheap", key, password, chain.toArray(new java.security.cert.Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold the TLS key of " + keyFile + " in a key store: " + e, e);
        }
    }

    /** The gRPC server credentials. */
    public ServerCredentials credentials() {
        try {
            return TlsServerCredentials.create(certFile.toFile(), keyFile.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --tls-cert " + certFile + " or --tls-key " + keyFile + ": " + e.getMessage());
        }
    }

    /** Signs random bytes with the private key and verifies them with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, PublicKey pub) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) {
            throw new IllegalArgumentException("--tls-key: unsupported key algorithm " + key.getAlgorithm() + " (use RSA or EC)");
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(challenge);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;   // e.g. an RSA key with an EC certificate
        }
    }

    @Override
    public String toString() {
        return "TLS (certificate " + certFile + ")";
    }
}
