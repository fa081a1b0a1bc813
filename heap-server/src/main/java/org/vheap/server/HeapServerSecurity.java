package org.vheap.server;

import java.nio.file.Path;
import org.vheap.security.AccessTokens;
import org.vheap.security.ServerTls;
import org.vheap.security.ServerTlsSource;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.store.AppTokens;
import org.vheap.server.store.DeviceTokens;

/**
 * A heap server's transport security and access rules: TLS from a PEM pair ({@code --tls-cert},
 * {@code --tls-key}) or a self-signed pair made in a directory ({@code --tls-self-signed DIR}), a
 * {@link ServerTlsSource}, or plaintext (the default, for loopback development); tokens required or not
 * ({@code --require-tokens}), and the admin token's file ({@code --admin-token-file}, made with a random
 * token, owner-only, when absent). Setters
 * reject impossible values; {@link #validate()} checks the combinations. Nothing is read until
 * {@link #tls()} and {@link #policy}, which fail with one line naming the file.
 */
public final class HeapServerSecurity {
    private ServerTlsSource tls = new ServerTlsSource();
    private boolean requireTokens;
    private Path adminTokenFile;
    private boolean allowRemoteWithoutTokens;

    /** Where the server's TLS pair comes from; plaintext unless it names one. */
    public HeapServerSecurity setTls(ServerTlsSource tls) {
        this.tls = tls;
        return this;
    }

    public HeapServerSecurity setRequireTokens(boolean requireTokens) {
        this.requireTokens = requireTokens;
        return this;
    }

    public HeapServerSecurity setAdminTokenFile(Path adminTokenFile) {
        if (adminTokenFile != null && java.nio.file.Files.isDirectory(adminTokenFile)) {
            throw new IllegalArgumentException("--admin-token-file takes a file, got the directory " + adminTokenFile);
        }
        this.adminTokenFile = adminTokenFile;
        return this;
    }

    /**
     * Takes calls from other machines while tokens are not required ({@code --allow-remote-without-tokens});
     * by default they are refused (protected mode, see {@link org.vheap.server.auth.RemoteCallGuard}).
     */
    public HeapServerSecurity setAllowRemoteWithoutTokens(boolean allow) {
        this.allowRemoteWithoutTokens = allow;
        return this;
    }

    public boolean allowRemoteWithoutTokens() {
        return allowRemoteWithoutTokens;
    }

    /** Checks the combinations; throws IllegalArgumentException naming what to fix. */
    public HeapServerSecurity validate() {
        tls.validate();
        if (requireTokens && adminTokenFile == null) {
            throw new IllegalArgumentException("--require-tokens needs --admin-token-file FILE (made with a new token if absent)");
        }
        return this;
    }

    public boolean tlsEnabled() {
        return tls.enabled();
    }

    /** How often the TLS files are looked at for a renewed pair; null: read once. */
    public java.time.Duration tlsReload() {
        return tls.reload();
    }

    /** The server's TLS pair, loaded (or made, for a self-signed directory); {@code null} for plaintext. */
    public ServerTls tls() {
        return tls.load();
    }

    public boolean requireTokens() {
        return requireTokens;
    }

    public Path adminTokenFile() {
        return adminTokenFile;
    }

    /** The access policy, reading (or making) the admin token file. */
    public AccessPolicy policy(AppTokens tokens, DeviceTokens deviceTokens) {
        String admin = adminTokenFile == null ? null : AccessTokens.readOrCreate(adminTokenFile, "--admin-token-file").token();
        AccessPolicy policy = new AccessPolicy(requireTokens, admin, tokens, deviceTokens);
        return allowRemoteWithoutTokens ? policy.allowingRemoteWithoutTokens() : policy;
    }
}
