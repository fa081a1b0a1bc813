package org.vheap.server.cli;

import java.nio.file.Path;
import org.vheap.security.ServerTlsOptions;
import org.vheap.server.HeapServerSecurity;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The heap server's TLS ({@link ServerTlsOptions}) and token options (a picocli mixin of {@code vheap server}). */
final class ServerSecurityOptions {
    @Mixin
    ServerTlsOptions tls = new ServerTlsOptions();

    @Option(names = "--require-tokens", description = "every call on an app needs its access token, store management the admin token (default: off)")
    boolean requireTokens;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "the admin token (made with a random one, mode 600, if absent); needed by --require-tokens")
    Path adminTokenFile;

    @Option(names = "--allow-remote-without-tokens",
            description = "take heap and control calls from other machines although tokens are not required (default: only"
                    + " from this machine until --require-tokens; for a network you trust)")
    boolean allowRemoteWithoutTokens;

    HeapServerSecurity security() {
        return new HeapServerSecurity().setTls(tls.source())
                .setRequireTokens(requireTokens).setAdminTokenFile(adminTokenFile)
                .setAllowRemoteWithoutTokens(allowRemoteWithoutTokens).validate();
    }
}
