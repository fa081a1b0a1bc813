package org.vheap.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a server's TLS pair comes from, as {@code --tls-cert FILE --tls-key FILE} or
 * {@code --tls-self-signed DIR} give it (the heap server's and the gateway's, towards their clients): a PEM
 * pair, a self-signed pair made in a directory, or neither (plaintext). {@link #setSelfSignedDir} rejects a
 * file; {@link #validate()} checks the combinations; nothing is read until {@link #load()}, which fails with
 * one line naming the file. Not thread-safe: a configuration is built once, then only read.
 */
public final class ServerTlsSource {
    private Path cert;
    private Path key;
    private Path selfSignedDir;
    private Duration reload;      // null: the pair is read once, at start

    /** The PEM certificate chain ({@code --tls-cert}). */
    public ServerTlsSource setCert(Path cert) {
        this.cert = cert;
        return this;
    }

    /** The PEM private key of the certificate ({@code --tls-key}). */
    public ServerTlsSource setKey(Path key) {
        this.key = key;
        return this;
    }

    /** A directory holding (or to hold) a self-signed pair ({@code --tls-self-signed}); not a file. */
    public ServerTlsSource setSelfSignedDir(Path dir) {
        if (dir != null && Files.isRegularFile(dir)) {
            throw new IllegalArgumentException("--tls-self-signed takes a directory, got the file " + dir);
        }
        this.selfSignedDir = dir;
        return this;
    }

    /**
     * How often the files are looked at for a renewed pair ({@code --tls-reload}; see {@link TlsReloader});
     * null or zero: never.
     */
    public ServerTlsSource setReload(Duration reload) {
        if (reload != null && !reload.isZero() && (reload.isNegative() || reload.toMillis() < 100)) {
            throw new IllegalArgumentException("--tls-reload must be 0 (off) or at least 100ms, got " + reload.toMillis() + "ms");
        }
        this.reload = reload == null || reload.isZero() ? null : reload;
        return this;
    }

    /** The reload interval; null when the pair is read once. */
    public Duration reload() {
        return reload;
    }

    /** Checks the combinations: both files or neither, and not both a pair and a self-signed directory. */
    public ServerTlsSource validate() {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("TLS needs both --tls-cert FILE and --tls-key FILE");
        }
        if (cert != null && selfSignedDir != null) {
            throw new IllegalArgumentException("give either --tls-cert/--tls-key or --tls-self-signed DIR, not both");
        }
        if (reload != null && !enabled()) {
            throw new IllegalArgumentException("--tls-reload needs TLS: --tls-cert/--tls-key or --tls-self-signed DIR");
        }
        return this;
    }

    /** Whether the server speaks TLS. */
    public boolean enabled() {
        return cert != null || selfSignedDir != null;
    }

    /** The pair, loaded (or made, for a self-signed directory); {@code null} for plaintext. */
    public ServerTls load() {
        if (selfSignedDir != null) {
            return SelfSignedTls.ensure(selfSignedDir);
        }
        return cert == null ? null : ServerTls.load(cert, key);
    }
}
