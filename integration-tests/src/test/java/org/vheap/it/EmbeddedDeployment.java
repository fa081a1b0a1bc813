package org.vheap.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The same deployment without Docker: PostgreSQL embedded in the test's JVM (zonky, the heap server's default
 * database) on a free loopback port with its data in a directory, and the heap server as a {@code ./vheap server
 * --db-url} process. Stopping PostgreSQL shuts it down; starting it again reopens the same data directory.
 */
final class EmbeddedDeployment implements HeapDeployment {
    private final VheapProcesses vheap;
    private final Path dir;
    private final int databasePort;
    private final int serverPort;
    private EmbeddedPostgres database;
    private VheapProcesses.Server server;

    EmbeddedDeployment(VheapProcesses vheap, Path dir) throws Exception {
        this.vheap = vheap;
        this.dir = dir;
        this.databasePort = VheapProcesses.freePort();
        this.serverPort = VheapProcesses.freePort();
        startDatabase();
        startServer();
    }

    private void startServer() throws Exception {
        server = vheap.server(serverPort, "--db-url", "jdbc:postgresql://127.0.0.1:" + databasePort + "/postgres",
                "--db-user", "postgres");
    }

    @Override
    public String address() {
        return server.address();
    }

    @Override
    public void restartServer() throws Exception {
        Process p = server.started().process();
        p.destroy();   // SIGTERM: the server's orderly stop
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        startServer();
        VheapProcesses.awaitServing(address(), Duration.ofMinutes(1));
    }

    @Override
    public void stopDatabase() throws Exception {
        database.close();
        database = null;
    }

    @Override
    public void startDatabase() throws Exception {
        database = EmbeddedPostgres.builder()
                .setPort(databasePort)
                .setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(dir.resolve("pg-runtime").toFile())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.started().process().destroy();
            server.started().process().waitFor(30, TimeUnit.SECONDS);
        }
        if (database != null) {
            stopDatabase();
        }
    }
}
