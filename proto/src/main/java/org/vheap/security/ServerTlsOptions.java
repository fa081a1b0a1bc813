package org.vheap.security;

import java.nio.file.Path;
import org.vheap.cli.CliValues;
import picocli.CommandLine.Option;

/**
 * A server command's TLS options, a picocli mixin: {@code --tls-cert FILE}, {@code --tls-key FILE} and
 * {@code --tls-self-signed DIR}, read into a {@link ServerTlsSource} by {@link #source()} (not yet
 * validated: the command's whole security configuration validates it). The descriptions are the heap
 * server's; a command may word one differently in its resource bundle under the option's description key
 * ({@value #CERT_KEY}, {@value #KEY_KEY}, {@value #SELF_SIGNED_KEY}).
 */
public final class ServerTlsOptions {
    public static final String CERT_KEY = "vheap.tls-cert";
    public static final String KEY_KEY = "vheap.tls-key";
    public static final String SELF_SIGNED_KEY = "vheap.tls-self-signed";

    @Option(names = "--tls-cert", paramLabel = "FILE", descriptionKey = CERT_KEY,
            description = "serve TLS with this PEM certificate chain (needs --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", descriptionKey = KEY_KEY,
            description = "the PEM private key of --tls-cert (unencrypted)")
    Path tlsKey;

    @Option(names = "--tls-self-signed", paramLabel = "DIR", descriptionKey = SELF_SIGNED_KEY,
            description = "serve TLS with a self-signed pair for localhost/127.0.0.1 in DIR (cert.pem, key.pem; made if absent); for tests and demos")
    Path tlsSelfSigned;

    @Option(names = "--tls-reload", paramLabel = "DURATION",
            description = "look at the TLS files this often and serve a renewed pair to new connections without a restart"
                    + " (e.g. 1h, 5m; default: read once at start)")
    String tlsReload;

    /** What the options name; {@link ServerTlsSource#setSelfSignedDir} rejects a file given as the directory. */
    public ServerTlsSource source() {
        return new ServerTlsSource().setCert(tlsCert).setKey(tlsKey).setSelfSignedDir(tlsSelfSigned)
                .setReload(tlsReload == null ? null : CliValues.duration("--tls-reload", tlsReload));
    }
}
