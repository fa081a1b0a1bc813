package org.vheap.server;

import java.nio.file.Path;
import java.time.Duration;
import org.vheap.cli.CliValues;
import org.vheap.server.store.StoreSettings;

/**
 * How to run a heap server. Setters reject impossible values at once; {@link #validate()} checks the
 * combinations. Without a database URL the server runs an embedded PostgreSQL under {@link #dataDir()}.
 */
public final class HeapServerConfig {
    static final Duration MIN_DB_CHECK_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_DB_CHECK_INTERVAL = Duration.ofMinutes(10);

    private String host = "0.0.0.0";
    private int port = 7700;
    private Path dataDir = Path.of("vheap-data");
    private String dbUrl;
    private String dbUser;
    private String dbPassword = "";
    private boolean citusRouteToWorkers;
    private int retain = 3;
    private java.time.Duration copyPin = StoreSettings.DEFAULT_COPY_PIN;
    private int maxMessageBytes = 16 << 20;
    private int poolSize = 16;
    private Duration commandTimeout = Duration.ofSeconds(30);
    private int metricsPort;
    private int consolePort;
    private long consoleMaxUploadBytes = 4L << 30;
    private Duration dbCheckInterval = Duration.ofSeconds(5);
    private boolean warmUp = true;
    private HeapServerSecurity security = new HeapServerSecurity();

    public HeapServerConfig setHost(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        this.host = host;
        return this;
    }

    public HeapServerConfig setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        this.port = port;
        return this;
    }

    public HeapServerConfig setDataDir(Path dataDir) {
        this.dataDir = dataDir;
        return this;
    }

    public HeapServerConfig setDbUrl(String dbUrl) {
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--db-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB), got " + dbUrl);
        }
        this.dbUrl = dbUrl;
        return this;
    }

    public HeapServerConfig setDbUser(String dbUser) {
        this.dbUser = dbUser;
        return this;
    }

    public HeapServerConfig setDbPassword(String dbPassword) {
        this.dbPassword = dbPassword == null ? "" : dbPassword;
        return this;
    }

    /** On a Citus coordinator: each heap's faults and flushes go to the worker holding its shard. */
    public HeapServerConfig setCitusRouteToWorkers(boolean citusRouteToWorkers) {
        this.citusRouteToWorkers = citusRouteToWorkers;
        return this;
    }

    public HeapServerConfig setRetain(int retain) {
        if (retain < 1) {
            throw new IllegalArgumentException("--retain must be at least 1, got " + retain);
        }
        this.retain = retain;
        return this;
    }

    /** How long a device's checkpoint is kept beyond {@code --retain} for its copies of the lines (0: never). */
    public HeapServerConfig setCopyPin(java.time.Duration copyPin) {
        if (copyPin == null || copyPin.isNegative() || copyPin.compareTo(StoreSettings.MAX_COPY_PIN) > 0) {
            throw new IllegalArgumentException("--copy-pin must be from 0s to " + StoreSettings.MAX_COPY_PIN.toHours()
                    + "h, got " + copyPin);
        }
        this.copyPin = copyPin;
        return this;
    }

    public HeapServerConfig setMaxMessageBytes(int maxMessageBytes) {
        if (maxMessageBytes < 64 << 10) {
            throw new IllegalArgumentException("maximum message size must be at least 64 KiB, got " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
        return this;
    }

    public HeapServerConfig setPoolSize(int poolSize) {
        if (poolSize < 1 || poolSize > 200) {
            throw new IllegalArgumentException("database pool size must be 1..200, got " + poolSize);
        }
        this.poolSize = poolSize;
        return this;
    }

    /** How long a suspend or resume pushed to a device waits for its answer. */
    public HeapServerConfig setCommandTimeout(Duration commandTimeout) {
        if (commandTimeout == null || commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("--command-timeout must be positive, got " + commandTimeout);
        }
        this.commandTimeout = commandTimeout;
        return this;
    }

    /** The port of {@code GET /metrics} (Prometheus text), on the gRPC host; 0 (the default): no endpoint. */
    public HeapServerConfig setMetricsPort(int metricsPort) {
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("--metrics-port must be 0..65535 (0: off), got " + metricsPort);
        }
        this.metricsPort = metricsPort;
        return this;
    }

    /** The port of the web console, on the gRPC host; 0 (the default): no console. */
    public HeapServerConfig setConsolePort(int consolePort) {
        if (consolePort < 0 || consolePort > 65535) {
            throw new IllegalArgumentException("--console-port must be 0..65535 (0: off), got " + consolePort);
        }
        this.consolePort = consolePort;
        return this;
    }

    /** The largest heap image the console takes as an upload (an import). */
    public HeapServerConfig setConsoleMaxUploadBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("--console-max-upload must be positive, got " + bytes);
        }
        this.consoleMaxUploadBytes = bytes;
        return this;
    }

    /**
     * How often the server checks that its database answers (a bounded {@code SELECT 1}); its gRPC health
     * follows: NOT_SERVING while the database does not answer. 100 ms to 10 min.
     */
    public HeapServerConfig setDbCheckInterval(Duration dbCheckInterval) {
        if (dbCheckInterval == null || dbCheckInterval.compareTo(MIN_DB_CHECK_INTERVAL) < 0
                || dbCheckInterval.compareTo(MAX_DB_CHECK_INTERVAL) > 0) {
            throw new IllegalArgumentException("--db-check-interval must be 100 ms to 10 min, got " + describe(dbCheckInterval));
        }
        this.dbCheckInterval = dbCheckInterval;
        return this;
    }

    /**
     * Whether the server warms up once at start, in the background (a {@link org.vheap.server.store.StoreRehearsal},
     * rolled back: nothing is stored): on by default.
     */
    public HeapServerConfig setWarmUp(boolean warmUp) {
        this.warmUp = warmUp;
        return this;
    }

    public boolean warmUp() {
        return warmUp;
    }

    private static String describe(Duration d) {
        return d == null ? "nothing" : CliValues.format(d);
    }

    /** TLS and access tokens (default: plaintext, tokens not required). */
    public HeapServerConfig setSecurity(HeapServerSecurity security) {
        if (security == null) {
            throw new IllegalArgumentException("security is null");
        }
        this.security = security;
        return this;
    }

    /** Checks the combinations; throws IllegalArgumentException naming what to fix. */
    public HeapServerConfig validate() {
        security.validate();
        if (dbUrl == null && (dbUser != null || !dbPassword.isEmpty())) {
            throw new IllegalArgumentException("--db-user and --db-password need --db-url");
        }
        if (dbUrl == null && citusRouteToWorkers) {
            throw new IllegalArgumentException("--citus-route-to-workers needs --db-url (a Citus coordinator)");
        }
        if (dbUrl != null && dbUser == null) {
            throw new IllegalArgumentException("--db-url needs --db-user");
        }
        if (dbUrl == null && dataDir == null) {
            throw new IllegalArgumentException("without --db-url the server needs --data for its embedded database");
        }
        if (metricsPort != 0 && metricsPort == port) {
            throw new IllegalArgumentException("--metrics-port must differ from --port (" + port + ")");
        }
        if (consolePort != 0 && (consolePort == port || consolePort == metricsPort)) {
            throw new IllegalArgumentException("--console-port must differ from --port (" + port + ") and --metrics-port");
        }
        return this;
    }

    public String host() { return host; }
    public int port() { return port; }
    public Path dataDir() { return dataDir; }
    public String dbUrl() { return dbUrl; }
    public String dbUser() { return dbUser; }
    public String dbPassword() { return dbPassword; }
    public boolean citusRouteToWorkers() { return citusRouteToWorkers; }
    public int retain() { return retain; }
    public int maxMessageBytes() { return maxMessageBytes; }
    public int poolSize() { return poolSize; }
    public Duration commandTimeout() { return commandTimeout; }
    public int metricsPort() { return metricsPort; }
    public int consolePort() { return consolePort; }
    public long consoleMaxUploadBytes() { return consoleMaxUploadBytes; }
    public Duration dbCheckInterval() { return dbCheckInterval; }
    public HeapServerSecurity security() { return security; }

    public StoreSettings storeSettings() {
        return StoreSettings.defaults().withRetain(retain).withMaxSystemCallBytes(maxMessageBytes).withCopyPin(copyPin);
    }
}
