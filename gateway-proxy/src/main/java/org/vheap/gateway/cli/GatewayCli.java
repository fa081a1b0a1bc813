package org.vheap.gateway.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.gateway.GatewayConfig;
import org.vheap.gateway.GatewayServer;
import org.vheap.security.InsecureExposure;
import org.vheap.cli.CliValues;
import org.vheap.cli.OneLineErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vheap gateway}: runs a gateway proxy in front of heap servers; the {@code ./vheap} launcher sends
 * {@code gateway} here. Bad usage prints one line saying what to fix and exits with 2; a gateway that
 * cannot start exits with 1. Stops in order on SIGTERM or Ctrl-C.
 */
@Command(name = "vheap gateway", mixinStandardHelpOptions = true, version = "vheap 0.1.0", subcommands = GatewayHealthCommand.class,
        resourceBundle = "org.vheap.gateway.cli.GatewayCli",
        description = {"Run a gateway: a gRPC proxy that devices and the vheap tools use like a heap server; "
                + "it forwards every call, undecoded, to a heap server given with --backend.",
                "Calls of one app (header vheap-app) go to one backend, chosen by rendezvous hashing among the backends that are up;"
                + " all control-plane calls go to one backend; backends are health-checked.",
                "Stops gracefully on SIGTERM or Ctrl-C: stops taking calls, drains them, closes the backend connections."})
public final class GatewayCli implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(GatewayCli.class);

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "7800", description = "gRPC port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    // required, but checked in call(): a picocli-required option would also be demanded by the health subcommand
    @Option(names = "--backend", paramLabel = "HOST:PORT",
            description = "a heap server to forward to (required); repeat for several")
    List<String> backends = new java.util.ArrayList<>();

    @Option(names = "--max-message", defaultValue = "16777216", paramLabel = "BYTES",
            description = "largest gRPC message forwarded (default: ${DEFAULT-VALUE}, as the heap server's)")
    int maxMessage;

    @Option(names = "--drain", defaultValue = "10", paramLabel = "SECONDS",
            description = "how long a stopping gateway lets calls finish (default: ${DEFAULT-VALUE})")
    int drainSeconds;

    @Option(names = "--health-interval", defaultValue = "5s", paramLabel = "DURATION",
            description = "how often each backend's gRPC health is checked (default: ${DEFAULT-VALUE})")
    String healthInterval;

    @Option(names = "--system-cache", defaultValue = "256m", paramLabel = "SIZE",
            description = "bytes of system blobs (class files) cached at the gateway, LRU; 0 turns it off (default: ${DEFAULT-VALUE})")
    String systemCache;

    @Option(names = "--device-rate", defaultValue = "0", paramLabel = "N",
            description = "calls per second one device may start (header vheap-device, else its IP); 0: no limit (default: ${DEFAULT-VALUE})")
    double deviceRate;

    @Option(names = "--max-inflight", defaultValue = "64m", paramLabel = "SIZE",
            description = "bytes received from one client connection and not yet taken by a backend (default: ${DEFAULT-VALUE})")
    String maxInflight;

    @Option(names = "--backend-timeout", defaultValue = "60s", paramLabel = "DURATION",
            description = "deadline of unary and client-streaming calls that come without one (default: ${DEFAULT-VALUE})")
    String backendTimeout;

    @Option(names = "--metrics-port", defaultValue = "0", paramLabel = "PORT",
            description = "serve GET /metrics (Prometheus text) on this port of --host (default: 0, off)")
    int metricsPort;

    @Option(names = "--event-loops", paramLabel = "N",
            description = "event loops (threads) forwarding calls, shared by device connections and backend channels"
                    + " (default: one per processor)")
    Integer eventLoops;

    @Mixin
    GatewaySecurityOptions security = new GatewaySecurityOptions();

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** This command line, failures reported as {@link OneLineErrors} says. */
    static CommandLine commandLine() {
        return OneLineErrors.install(new CommandLine(new GatewayCli()));
    }

    @Override
    public Integer call() throws Exception {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("give at least one --backend HOST:PORT (a heap server to forward to)");
        }
        if (drainSeconds < 0) {
            throw new IllegalArgumentException("--drain must be 0 or more seconds, got " + drainSeconds);
        }
        GatewayConfig config = new GatewayConfig().setHost(host).setPort(port).setBackends(backends)
                .setMaxMessageBytes(maxMessage).setDrain(Duration.ofSeconds(drainSeconds))
                .setHealthInterval(CliValues.duration("--health-interval", healthInterval))
                .setSystemCacheBytes(CliValues.bytes("--system-cache", systemCache))
                .setDeviceRate(deviceRate)
                .setMaxInflightBytes(CliValues.bytes("--max-inflight", maxInflight))
                .setBackendTimeout(CliValues.duration("--backend-timeout", backendTimeout))
                .setMetricsPort(metricsPort)
                .setSecurity(security.security());
        if (eventLoops != null) {
            config.setEventLoops(eventLoops);
        }
        config.validate();
        GatewayServer gateway;
        try {
            gateway = GatewayServer.netty(config).start();
        } catch (IOException e) {
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        String address = host + ":" + gateway.port();
        String targets = config.backends().stream().map(Object::toString).collect(Collectors.joining(", "));
        log.info("vheap gateway listening on {}, backends {}{}", address, targets,
                gateway.metricsPort() == 0 ? "" : "; metrics on http://" + host + ":" + gateway.metricsPort() + "/metrics");
        var tls = config.security().serverTls();
        log.info("security: {} towards devices; {} towards backends", tls == null ? "plaintext" : "TLS with certificate "
                + tls.certFile().toAbsolutePath(), config.security().backendTls());
        InsecureExposure.warning("gateway", host, tls != null, null).ifPresent(log::warn);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                log.info("vheap gateway on {} stopped", address);
                stopped.countDown();
            }
        }, "vheap-gateway-shutdown"));
        gateway.blockUntilShutdown();
        stopped.await();
        return 0;
    }
}
