package org.vheap.server.cli;

import io.grpc.Channel;
import java.nio.file.Path;
import org.vheap.security.AccessTokens;
import org.vheap.security.BearerToken;
import org.vheap.security.ClientTls;
import picocli.CommandLine.Option;

/**
 * A client command's TLS and token options (a picocli mixin of {@link StoreTarget}): {@code --tls},
 * {@code --tls-ca FILE}, {@code --token TOKEN} or {@code --token-file FILE} (an app's token or the admin
 * token; also {@code VHEAP_TOKEN}).
 */
final class ClientSecurityOptions {
    @Option(names = "--tls", description = "connect with TLS (trusting the system's certificates unless --tls-ca)")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "trust the PEM certificates in FILE (implies --tls)")
    Path tlsCa;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:VHEAP_TOKEN}",
            description = "access token: the admin token, or an app's (or set VHEAP_TOKEN)")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "read the access token from FILE")
    Path tokenFile;

    ClientTls clientTls() {
        return ClientTls.fromOptions(tls, tlsCa);
    }

    /** The token given, or null. */
    String token() {
        if (token != null && !token.isEmpty() && tokenFile != null) {
            throw new IllegalArgumentException("give --token or --token-file, not both");
        }
        if (tokenFile != null) {
            return AccessTokens.read(tokenFile, "--token-file");
        }
        return token == null || token.isEmpty() ? null : AccessTokens.check(token, "--token");
    }

    Channel withToken(Channel channel) {
        return BearerToken.attach(channel, token());
    }
}
