package org.vheap.it;

import com.github.dockerjava.api.DockerClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The heap server deployed in Docker: PostgreSQL from {@link DockerSupport#POSTGRES_IMAGE} through Testcontainers,
 * and the heap server from {@link DockerSupport#SERVER_IMAGE} pointed at it with {@code --db-url}; both with host
 * networking on free loopback ports. Restarts stop and start the same container (its data stays), as
 * {@code docker restart} does.
 */
final class DockerDeployment implements HeapDeployment {
    private final HostNetworkPostgres postgres;
    private final GenericContainer<?> server;
    private final String address;
    private final DockerClient docker = DockerClientFactory.lazyClient();

    private DockerDeployment(HostNetworkPostgres postgres, GenericContainer<?> server, String address) {
        this.postgres = postgres;
        this.server = server;
        this.address = address;
    }

    static DockerDeployment start() throws Exception {
        HostNetworkPostgres postgres = new HostNetworkPostgres(DockerSupport.POSTGRES_IMAGE, VheapProcesses.freePort())
                .withDatabaseName("vheap").withUsername("vheap").withPassword("secret");
        GenericContainer<?> server = null;
        try {
            postgres.start();
            int port = VheapProcesses.freePort();
            server = new GenericContainer<>(DockerImageName.parse(DockerSupport.SERVER_IMAGE))
                    .withNetworkMode("host")
                    .withCommand("--host", "127.0.0.1", "--port", Integer.toString(port), "--db-url", postgres.getJdbcUrl(),
                            "--db-user", postgres.getUsername())
                    .withEnv("VHEAP_DB_PASSWORD", postgres.getPassword())
                    .waitingFor(Wait.forLogMessage(".*listening on 127\\.0\\.0\\.1:" + port + ".*", 1)
                            .withStartupTimeout(Duration.ofMinutes(2)));
            server.start();
            return new DockerDeployment(postgres, server, "127.0.0.1:" + port);
        } catch (Exception | Error e) {
            if (server != null) {
                server.stop();
            }
            postgres.stop();
            throw e;
        }
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void restartServer() throws Exception {
        docker.stopContainerCmd(server.getContainerId()).withTimeout(20).exec();
        docker.startContainerCmd(server.getContainerId()).exec();
        VheapProcesses.awaitServing(address, Duration.ofMinutes(2));
    }

    @Override
    public void stopDatabase() {
        docker.stopContainerCmd(postgres.getContainerId()).withTimeout(20).exec();
    }

    @Override
    public void startDatabase() throws Exception {
        docker.startContainerCmd(postgres.getContainerId()).exec();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword())) {
                if (c.isValid(5)) {
                    return;
                }
            } catch (java.sql.SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("PostgreSQL did not come back: " + e.getMessage(), e);
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            postgres.stop();
        }
    }
}
