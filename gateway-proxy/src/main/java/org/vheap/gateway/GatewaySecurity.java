package org.vheap.gateway;

import java.nio.file.Path;
import org.vheap.security.ClientTls;
import org.vheap.security.ServerTls;
import org.vheap.security.ServerTlsSource;

/**
 * The gateway's TLS on both hops: towards devices it terminates TLS with a PEM pair ({@code --tls-cert},
 * {@code --tls-key}) or a self-signed pair made in a directory ({@code --tls-self-signed DIR}), a
 * {@link ServerTlsSource}; towards its
 * backends it speaks TLS with {@code --backend-tls} / {@code --backend-tls-ca FILE}. Plaintext on either
 * hop is the default. Access tokens need nothing here: the gateway passes the {@code authorization}
 * header through like any other metadata, and the heap servers check it.
 *
 * <p>Setters reject impossible values; {@link #validate()} checks the combinations; files are read by
 * {@link #serverTls()} and {@link #backendTls()}, which fail with one line naming the file.
 */
public final class GatewaySecurity {
    private ServerTlsSource serverTls = new ServerTlsSource();
    private boolean backendTls;
    private Path backendTlsCa;

    /** Where the pair devices see comes from; plaintext towards devices unless it names one. */
    public GatewaySecurity setServerTls(ServerTlsSource serverTls) {
        this.serverTls = serverTls;
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
        serverTls.validate();
        return this;
    }

    /** How often the TLS files are looked at for a renewed pair; null: read once. */
    public java.time.Duration serverTlsReload() {
        return serverTls.reload();
    }

    /** The pair devices see (loaded, or made for a self-signed directory); {@code null}: plaintext. */
    public ServerTls serverTls() {
        return serverTls.load();
    }

    /** How the gateway connects to its backends. */
    public ClientTls backendTls() {
        return ClientTls.fromOptions(backendTls, backendTlsCa);
    }
}
