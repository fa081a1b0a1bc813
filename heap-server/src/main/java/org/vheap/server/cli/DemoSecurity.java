package org.vheap.server.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vheap.security.AccessTokens;
import org.vheap.security.BearerToken;
import org.vheap.security.ClientTls;
import org.vheap.security.ServerTlsSource;
import org.vheap.server.HeapServerSecurity;

/**
 * What {@code ./vheap demo --secure} adds to the tour: the server serves TLS with a self-signed pair made
 * under {@code DATA/tls} and requires access tokens (admin token in {@code DATA/admin.token}); the demo's
 * own calls trust that certificate and carry the admin token; each device gets a device token of its own
 * ({@code DATA/devices/NAME.token}, issued by the demo with the admin token) to attach with, and the devices
 * keep app tokens in {@code DATA/tokens} (the app's token written there by the device that creates it, read
 * by the device it migrates to). Files are written mode 600. {@link #off()} is the plaintext tour.
 */
record DemoSecurity(boolean on, Path data) {

    static DemoSecurity off() {
        return new DemoSecurity(false, null);
    }

    static DemoSecurity under(Path data) {
        return new DemoSecurity(true, data.toAbsolutePath());
    }

    /** The server side: TLS from {@code DATA/tls}, tokens required, the admin token file. */
    HeapServerSecurity server() {
        return new HeapServerSecurity().setTls(new ServerTlsSource().setSelfSignedDir(data.resolve("tls"))).setRequireTokens(true)
                .setAdminTokenFile(adminTokenFile());
    }

    Path certFile() {
        return data.resolve("tls").resolve("cert.pem");
    }

    Path adminTokenFile() {
        return data.resolve("admin.token");
    }

    Path deviceTokenFile(String device) {
        return data.resolve("devices").resolve(device + ".token");
    }

    Path appTokens() {
        return data.resolve("tokens");
    }

    private ClientTls tls() {
        return on ? ClientTls.trusting(certFile()) : ClientTls.plaintext();
    }

    /** A channel for the demo's own calls: TLS and the admin token when on. */
    ManagedChannel channel(String address) {
        return channel(address, true);
    }

    /** As {@link #channel(String)}, with or without the admin token (to show a refusal). */
    ManagedChannel channel(String address, boolean admin) {
        ClientTls tls = tls();
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(address, tls.credentials()).intercept(tls.mismatchHints());
        if (on && admin) {
            b.intercept(new BearerToken(AccessTokens.read(adminTokenFile(), "--admin-token-file")));
        }
        return b.build();
    }

    /** Writes a device's token where {@link #deviceArgs} points it. */
    void saveDeviceToken(String device, String token) {
        AccessTokens.write(deviceTokenFile(device), token);
    }

    /** What {@code ./vheap device start} needs besides the server and name. */
    List<String> deviceArgs(String device) {
        List<String> args = new ArrayList<>();
        if (on) {
            args.addAll(List.of("--tls-ca", certFile().toString(), "--device-token-file", deviceTokenFile(device).toString(),
                    "--tokens", appTokens().toString()));
        }
        return args;
    }
}
