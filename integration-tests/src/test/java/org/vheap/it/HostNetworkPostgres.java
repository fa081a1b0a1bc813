package org.vheap.it;

import java.util.ArrayList;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL through Testcontainers with host networking: no mapped ports, so it listens on a free loopback port
 * given by {@code PGPORT} (the offline image {@code vheap/postgres:15} and the official {@code postgres} both
 * honour it). The image is declared a compatible substitute for {@code postgres}.
 */
final class HostNetworkPostgres extends PostgreSQLContainer<HostNetworkPostgres> {
    private final int port;

    HostNetworkPostgres(String image, int port) {
        super(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
        this.port = port;
        withNetworkMode("host");
        withEnv("PGPORT", Integer.toString(port));
        withEnv("POSTGRES_LISTEN_ADDRESSES", "127.0.0.1");
    }

    @Override
    protected void configure() {
        super.configure();
        // host networking publishes no port, and Testcontainers waits until every exposed port is mapped
        setExposedPorts(new ArrayList<>());
    }

    @Override
    public String getHost() {
        return "127.0.0.1";
    }

    @Override
    public Integer getMappedPort(int originalPort) {
        return originalPort == POSTGRESQL_PORT ? port : super.getMappedPort(originalPort);
    }
}
