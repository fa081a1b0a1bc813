package org.vheap.gateway;

import java.nio.file.Path;
import org.vheap.security.ClientTls;
import org.vheap.security.SelfSignedTls;
import org.vheap.security.ServerTls;

/**
 * The gateway's TLS on both hops: towards devices it terminates TLS with a PEM pair ({@code --tls-cert},
 * {@code --tls-key}) or a self-signed pair made in a directory ({@code --tls-self-signed DIR}); towards its
 * backends it speaks TLS with {@code --backend-tls} / {@code --backend-tls-ca FILE}. Plaintext on either
 * hop is the default. Access tokens need nothing here: the gateway passes the {@code authorization}
 * header through like any other metadata, and the heap servers check it.
 *
 * <p>Setters reject impossible values; {@link #validate()} checks the combinations; files are read by
 * {@link #serverTls()} and {@link #backendTls()}, which fail with one line naming the file.
 */
public final class GatewaySecurity {
    private Path tlsCert;
    private Path tlsKey;
    private Path tlsSelfSignedDir;
    private boolean backendTls;
    private Path backendTlsCa;

    public GatewaySecurity setTlsCert(Path tlsCert) {
        this.tlsCert = tlsCert;
        return this;
    }

    public GatewaySecurity setTlsKey(Path tlsKey) {
        this.tlsKey = tlsKey;
        return this;
    }

    public GatewaySecurity setTlsSelfSignedDir(Path dir) {
        if (dir != null && java.nio.file.Files.isRegularFile(dir)) {
            throw new IllegalArgumentException("--tls-self-signed takes a directory, got the file " + dir);
        }
        this.tlsSelfSignedDir = dir;
        return this;
    }

    /** TLS to the backends, trusting the system's certificates unless {@link #setBackendTlsCa}. */
    public GatewaySecurity setBackendTls(boolean backendTls) {
        this.backendTls = backendTls;
        return this;
    }

    /** TLS to the backends trusting the PEM certificates in this file (implies backend TLS). */
    public GatewaySecurity setBackendTlsCa(Path backendTlsCa) {
        this.backendTlsCa = backendTlsCa;
        return this;
    }

    public GatewaySecurity validate() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both --tls-cert FILE and --tls-key FILE");
        }
        if (tlsCert != null && tlsSelfSignedDir != null) {
            throw new IllegalArgumentException("give either --tls-cert/--tls-key or --tls-self-signed DIR, not both");
        }
        return this;
    }

    /** The pair devices see (loaded, or made for a self-signed directory); {@code null}: plaintext. */
    public ServerTls serverTls() {
        if (tlsSelfSignedDir != null) {
            return SelfSignedTls.ensure(tlsSelfSignedDir);
        }
        return tlsCert == null ? null : ServerTls.load(tlsCert, tlsKey);
    }

    /** How the gateway connects to its backends. */
    public ClientTls backendTls() {
        return ClientTls.fromOptions(backendTls, backendTlsCa);
    }
}
