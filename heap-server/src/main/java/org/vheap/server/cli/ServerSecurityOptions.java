package org.vheap.server.cli;

import java.nio.file.Path;
import org.vheap.server.HeapServerSecurity;
import picocli.CommandLine.Option;

/** The heap server's TLS and token options (a picocli mixin of {@code vheap server}). */
final class ServerSecurityOptions {
    @Option(names = "--tls-cert", paramLabel = "FILE", description = "serve TLS with this PEM certificate chain (needs --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "the PEM private key of --tls-cert (unencrypted)")
    Path tlsKey;

    @Option(names = "--tls-self-signed", paramLabel = "DIR",
            description = "serve TLS with a self-signed pair for localhost/127.0.0.1 in DIR (cert.pem, key.pem; made if absent); for tests and demos")
    Path tlsSelfSigned;

    @Option(names = "--require-tokens", description = "every call on an app needs its access token, store management the admin token (default: off)")
    boolean requireTokens;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "the admin token (made with a random one, mode 600, if absent); needed by --require-tokens")
    Path adminTokenFile;

    HeapServerSecurity security() {
        return new HeapServerSecurity().setTlsCert(tlsCert).setTlsKey(tlsKey).setTlsSelfSignedDir(tlsSelfSigned)
                .setRequireTokens(requireTokens).setAdminTokenFile(adminTokenFile).validate();
    }
}
