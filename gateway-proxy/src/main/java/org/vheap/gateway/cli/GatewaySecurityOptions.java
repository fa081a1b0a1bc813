package org.vheap.gateway.cli;

import java.nio.file.Path;
import org.vheap.gateway.GatewaySecurity;
import org.vheap.security.ServerTlsOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The gateway's TLS options, both hops (a picocli mixin of {@code vheap gateway}): towards devices the
 * shared {@link ServerTlsOptions} (worded for the gateway in {@code GatewayCli.properties}), towards the
 * backends {@code --backend-tls} and {@code --backend-tls-ca FILE}.
 */
final class GatewaySecurityOptions {
    @Mixin
    ServerTlsOptions serverTls = new ServerTlsOptions();

    @Option(names = "--backend-tls", description = "connect to the backends with TLS (trusting the system's certificates unless --backend-tls-ca)")
    boolean backendTls;

    @Option(names = "--backend-tls-ca", paramLabel = "FILE", description = "trust the PEM certificates in FILE for the backends (implies --backend-tls)")
    Path backendTlsCa;

    GatewaySecurity security() {
        return new GatewaySecurity().setServerTls(serverTls.source())
                .setBackendTls(backendTls).setBackendTlsCa(backendTlsCa).validate();
    }
}
