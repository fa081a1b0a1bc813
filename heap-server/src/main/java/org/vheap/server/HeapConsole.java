package org.vheap.server;

import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.vheap.security.ServerTls;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.console.ConsoleServer;
import org.vheap.server.console.ConsoleSettings;
import org.vheap.server.store.HeapDatabase;

/**
 * A heap server's web console as {@link HeapServerInstance} runs it: the {@link ConsoleServer} on
 * {@code --console-port} of {@code --host}, over an in-process channel to the server's own services, with the
 * server's security (tokens, protected mode, TLS: the console is served over TLS with the server's certificate
 * when the server has one). Closed before the server stops.
 */
final class HeapConsole implements AutoCloseable {
    private final ConsoleServer console;
    private final ManagedChannel channel;

    private HeapConsole(ConsoleServer console, ManagedChannel channel) {
        this.console = console;
        this.channel = channel;
    }

    static HeapConsole start(HeapServerConfig config, AccessPolicy access, ServerTls tls, HeapServer server,
                             MeterRegistry registry, HeapDatabase db, Clock clock) {
        ManagedChannel channel = server.inProcessChannel();
        try {
            ConsoleSettings settings = new ConsoleSettings(config.host(), config.consolePort(), access.required(),
                    access.remoteGuard().active(), tls, config.consoleMaxUploadBytes());
            long started = clock.millis();
            ConsoleServer console = ConsoleServer.start(settings, channel, registry, () -> {
                Map<String, String> facts = new LinkedHashMap<>();
                facts.put("Listening on", config.host() + ":" + server.port() + (tls == null ? " (gRPC, plaintext)" : " (gRPC over TLS)"));
                facts.put("Database", db.description());
                facts.put("Pool", db.poolState());
                facts.put("Access tokens", access.required() ? "required" : "not required"
                        + (access.remoteGuard().active() ? " (protected mode: calls from this machine only)" : ""));
                facts.put("Checkpoints kept per app", Integer.toString(config.retain()));
                facts.put("Up for", java.time.Duration.ofMillis(clock.millis() - started).withNanos(0).toString()
                        .substring(2).toLowerCase(java.util.Locale.ROOT));
                return facts;
            }, clock);
            return new HeapConsole(console, channel);
        } catch (RuntimeException e) {
            channel.shutdownNow();
            throw e;
        }
    }

    int port() {
        return console.port();
    }

    @Override
    public void close() {
        console.close();
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.shutdownNow();
        }
    }
}
