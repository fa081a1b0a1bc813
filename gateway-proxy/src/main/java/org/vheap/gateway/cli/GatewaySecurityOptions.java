package org.vheap.gateway.cli;

import java.nio.file.Path;
import org.vheap.gateway.GatewaySecurity;
import picocli.CommandLine.Option;

/** The gateway's TLS options, both hops (a picocli mixin of {@code vheap gateway}). */
final class GatewaySecurityOptions {
    @Option(names = "--tls-cert", paramLabel = "FILE", description = "serve devices TLS with this PEM certificate chain (needs --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "the PEM private key of --tls-cert (unencrypted)")
    Path tlsKey;

    @Option(names = "--tls-self-signed", paramLabel = "DIR",
            description = "serve TLS with a self-signed pair for localhost/127.0.0.1 in DIR (cert.pem, key.pem; made if absent)")
    Path tlsSelfSigned;

    @Option(names = "--backend-tls", description = "connect to the backends with TLS (trusting the system's certificates unless --backend-tls-ca)")
    boolean backendTls;

    @Option(names = "--backend-tls-ca", paramLabel = "FILE", description = "trust the PEM certificates in FILE for the backends (implies --backend-tls)")
    Path backendTlsCa;

    GatewaySecurity security() {
        return new GatewaySecurity().setTlsCert(tlsCert).setTlsKey(tlsKey).setTlsSelfSignedDir(tlsSelfSigned)
                .setBackendTls(backendTls).setBackendTlsCa(backendTlsCa).validate();
    }
}
