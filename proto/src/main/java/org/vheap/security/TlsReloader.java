package org.vheap.security;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A server's TLS identity that follows its files ({@code --tls-reload DURATION}), so a renewed certificate
 * (an ACME client, a secret rotated by the orchestrator) is served without a restart.
 *
 * <p>Every interval the certificate and key files' modification times and sizes are compared with the last
 * pair loaded; when either changed, the pair is read and checked exactly as at start ({@link ServerTls#load}:
 * PEM, a key that belongs to the certificate). A good pair is served to <em>new</em> connections from then
 * on (connections already open keep the identity they were made with), told to {@code info} in one line;
 * a bad pair (half written, mismatched) is refused, the old identity stays, and {@code warn} hears of it once
 * per change of the files. The checks run on the reloader's own daemon thread
 * ({@code vheap-tls-reload}); {@link #close} stops it.
 *
 * <p>Risk: the key file is read by this process again after start; it must stay readable by the server's
 * user, and a pair replaced file by file is briefly mismatched (refused until both are in place).
 */
public final class TlsReloader implements AutoCloseable {

    private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    private final Path certFile;
    private final Path keyFile;
    private final Consumer<String> info;
    private final Consumer<String> warn;
    private String served;        // the files' stamp of the pair served
    private String refused;       // the stamp last refused (reported once)
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vheap-tls-reload");
        t.setDaemon(true);
        return t;
    });

    private TlsReloader(ServerTls initial, Consumer<String> info, Consumer<String> warn) {
        this.certFile = initial.certFile();
        this.keyFile = initial.keyFile();
        this.info = info;
        this.warn = warn;
        serve(initial);
        this.served = initial.filesStamp();   // files renewed since the pair was read are served at the first look
    }

    static TlsReloader start(ServerTls initial, Duration interval, Consumer<String> info, Consumer<String> warn) {
        if (interval == null || interval.toMillis() < 100) {
            throw new IllegalArgumentException("--tls-reload must be at least 100ms, got " + interval);
        }
        TlsReloader r = new TlsReloader(initial, info, warn);
        r.scheduler.scheduleWithFixedDelay(r::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return r;
    }

    /** The gRPC server credentials, whose identity changes with each reload. */
    public ServerCredentials credentials() {
        return TlsServerCredentials.newBuilder().keyManager(keys).build();
    }

    /** Looks at the files once; reloads them when they changed (also called by the schedule). */
    synchronized void check() {
        String now = stamp();
        if (now.equals(served) || now.equals(refused)) {
            return;
        }
        try {
            ServerTls tls = ServerTls.load(certFile, keyFile);
            serve(tls);
            served = now;
            refused = null;
            X509Certificate c = tls.certificate();
            info.accept("TLS certificate reloaded from " + certFile + ": " + c.getSubjectX500Principal().getName()
                    + ", valid until " + c.getNotAfter().toInstant() + " (new connections get it)");
        } catch (RuntimeException e) {   // IllegalArgumentException for what ServerTls checks; anything else too,
            refused = now;                // or the schedule would end silently
            warn.accept("the TLS files changed but do not make a good pair, the certificate served so far stays: "
                    + (e instanceof IllegalArgumentException ? e.getMessage() : e.toString()));
        }
    }

    private void serve(ServerTls tls) {
        keys.updateIdentityCredentials(tls.chain().toArray(new X509Certificate[0]), tls.privateKey());
    }

    private String stamp() {
        return stamp(certFile, keyFile);
    }

    /** Modification times and sizes of both files; a file that cannot be read stamps as missing. */
    static String stamp(Path certFile, Path keyFile) {
        return stamp(certFile) + "|" + stamp(keyFile);
    }

    private static String stamp(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis() + ":" + Files.size(f);
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
