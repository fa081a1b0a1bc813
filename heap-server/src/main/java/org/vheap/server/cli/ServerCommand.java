package org.vheap.server.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.vheap.cli.CliValues;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run a heap server. Without --db-url it runs an embedded PostgreSQL whose data lives under --data.",
                "Stops gracefully on SIGTERM or Ctrl-C: stops taking calls, drains them, closes the pool, stops the database."})
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "7700", description = "gRPC port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--data", defaultValue = "vheap-data", paramLabel = "DIR",
            description = "data directory of the embedded database (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--db-url", paramLabel = "URL", description = "use this PostgreSQL (jdbc:postgresql://HOST:PORT/DB) instead of the embedded one")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:VHEAP_DB_PASSWORD}",
            description = "database password (or set VHEAP_DB_PASSWORD)")
    String dbPassword;

    @Option(names = "--citus-route-to-workers",
            description = {"on a Citus coordinator (--db-url): send each app's faults and flushes to the worker that holds its shard",
                    "(one hop and one planning instead of two); the server must reach every worker as pg_dist_node names it, and keeps",
                    "a pool on each (up to (1 + workers) x the pool size connections)"})
    boolean citusRouteToWorkers;

    @Option(names = "--retain", defaultValue = "3", paramLabel = "N", description = "checkpoints kept per app (default: ${DEFAULT-VALUE})")
    int retain;

    @Option(names = "--copy-pin", defaultValue = "24h", paramLabel = "DURATION",
            description = {"how long a checkpoint of a device that keeps copies of an app's lines is kept beyond --retain (its newest",
                    "per device and app), so that when the app returns there, changed lines travel as patches (default: ${DEFAULT-VALUE}; 0s: never)"})
    String copyPin;

    @Option(names = "--max-message", defaultValue = "16777216", paramLabel = "BYTES",
            description = "largest gRPC message accepted (default: ${DEFAULT-VALUE})")
    int maxMessage;

    @Option(names = "--command-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "how long a suspend or resume waits for the device's answer (default: ${DEFAULT-VALUE})")
    int commandTimeoutSeconds;

    @Option(names = "--metrics-port", defaultValue = "0", paramLabel = "PORT",
            description = "serve GET /metrics (Prometheus text) on this port of --host (default: 0, off)")
    int metricsPort;

    @Option(names = "--console-port", defaultValue = "0", paramLabel = "PORT",
            description = {"serve the web console on this port of --host (default: 0, off): apps, checkpoints, devices, migrations",
                    "with progress, a look inside any heap; with --require-tokens it asks for the admin token"})
    int consolePort;

    @Option(names = "--console-max-upload", defaultValue = "4g", paramLabel = "SIZE",
            description = "the largest heap image the console takes to import (default: ${DEFAULT-VALUE})")
    String consoleMaxUpload;

    @Option(names = "--db-check-interval", defaultValue = "5s", paramLabel = "DURATION",
            description = {"how often the database is checked (a bounded SELECT 1); gRPC health is NOT_SERVING while it does not answer",
                    "(default: ${DEFAULT-VALUE}; 100ms to 10m)"})
    String dbCheckInterval;

    @Option(names = "--no-warm-up",
            description = "do not warm up at start (by default the server rehearses, in the background, a device's run and"
                    + " resume in one database transaction it rolls back, so the first real calls find their code compiled)")
    boolean noWarmUp;

    @Mixin
    ServerSecurityOptions security = new ServerSecurityOptions();

    @Override
    public Integer call() throws Exception {
        HeapServerConfig config = new HeapServerConfig()
                .setHost(host).setPort(port).setDataDir(data).setDbUrl(dbUrl).setDbUser(dbUser)
                .setDbPassword(dbPassword).setCitusRouteToWorkers(citusRouteToWorkers).setRetain(retain).setMaxMessageBytes(maxMessage)
                .setCopyPin(CliValues.duration("--copy-pin", copyPin))
                .setCommandTimeout(Duration.ofSeconds(commandTimeoutSeconds)).setMetricsPort(metricsPort)
                .setConsolePort(consolePort).setConsoleMaxUploadBytes(CliValues.positiveBytes("--console-max-upload", consoleMaxUpload))
                .setDbCheckInterval(CliValues.duration("--db-check-interval", dbCheckInterval))
                .setWarmUp(!noWarmUp)
                .setSecurity(security.security())
                .validate();
        HeapServerInstance instance = HeapServerInstance.start(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            instance.close();
            stopped.countDown();
        }, "vheap-shutdown"));
        instance.blockUntilShutdown();
        stopped.await();
        return 0;
    }
}
