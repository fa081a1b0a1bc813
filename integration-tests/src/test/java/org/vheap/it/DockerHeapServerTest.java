package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The heap server deployed in Docker: PostgreSQL from {@code vheap/postgres:15} (deploy/offline-images.sh, a
 * compatible substitute for {@code postgres}) and the server from {@code vheap/heap-server} (deploy/build-images.sh),
 * both with host networking on free loopback ports; devices run as processes through {@code ./vheap}.
 *
 * <p>Without a Docker engine the test is skipped with one line. With an engine but without the images it is skipped
 * too, unless {@code VHEAP_DOCKER_TESTS=required} (CI), where that fails. The pom sets
 * {@code TESTCONTAINERS_RYUK_DISABLED=true} and {@code TESTCONTAINERS_HOST_OVERRIDE=localhost}; every container is
 * stopped in {@link #tearDown}.
 */
class DockerHeapServerTest {
    static final String POSTGRES_IMAGE = System.getProperty("vheap.postgres.image", "vheap/postgres:15");
    static final String SERVER_IMAGE = System.getProperty("vheap.server.image", "vheap/heap-server:latest");

    @TempDir
    Path work;
    private VheapProcesses vheap;
    private HostNetworkPostgres postgres;
    private GenericContainer<?> server;

    /** Why the Docker tests cannot run here (null: they can); worked out once. */
    private static String unavailable;
    private static boolean checked;

    /** Skips (one line, also in the report) or, with {@code VHEAP_DOCKER_TESTS=required}, fails when Docker is missing. */
    @BeforeEach
    void needsDocker() {
        synchronized (DockerHeapServerTest.class) {
            if (!checked) {
                unavailable = whyUnavailable();
                checked = true;
                if (unavailable != null) {
                    System.out.println("DockerHeapServerTest skipped: " + unavailable);
                }
            }
        }
        if (unavailable != null) {
            assertThat("required".equals(System.getenv("VHEAP_DOCKER_TESTS")))
                    .as("VHEAP_DOCKER_TESTS=required, but " + unavailable).isFalse();
            Assumptions.abort(unavailable);
        }
    }

    private static String whyUnavailable() {
        String dockerHost = System.getenv("DOCKER_HOST");
        if ((dockerHost == null || dockerHost.isEmpty()) && !Files.exists(Path.of("/var/run/docker.sock"))) {
            // asked without a socket, Testcontainers logs a page of ERROR lines; one line is enough
            return "no Docker engine (no DOCKER_HOST, no /var/run/docker.sock; as root: deploy/offline-images.sh)";
        }
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return "no Docker engine answers (as root: deploy/offline-images.sh)";
            }
        } catch (RuntimeException e) { // an engine answers, but Testcontainers cannot set itself up with it
            return "Testcontainers cannot use the Docker engine: " + e;
        }
        for (String image : List.of(POSTGRES_IMAGE, SERVER_IMAGE)) {
            if (!imagePresent(image)) {
                return "no image " + image + " (deploy/offline-images.sh, then deploy/build-images.sh --base vheap/jre:17)";
            }
        }
        return null;
    }

    private static boolean imagePresent(String image) {
        try {
            DockerClientFactory.lazyClient().inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        if (vheap != null) {
            vheap.close();
        }
        if (server != null) {
            server.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    /** PostgreSQL with host networking: no mapped ports, so it listens on a free loopback port given by PGPORT. */
    static final class HostNetworkPostgres extends PostgreSQLContainer<HostNetworkPostgres> {
        private final int port;

        HostNetworkPostgres(int port) {
            super(DockerImageName.parse(POSTGRES_IMAGE).asCompatibleSubstituteFor("postgres"));
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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void theHeapServerInDockerOnPostgresInDockerRunsTheCounter() throws Exception {
        vheap = new VheapProcesses(work);
        postgres = new HostNetworkPostgres(freePort()).withDatabaseName("vheap").withUsername("vheap").withPassword("secret");
        postgres.start();
        assertThat(postgres.getJdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");

        int serverPort = freePort();
        server = new GenericContainer<>(DockerImageName.parse(SERVER_IMAGE))
                .withNetworkMode("host")
                .withCommand("--host", "127.0.0.1", "--port", Integer.toString(serverPort), "--db-url", postgres.getJdbcUrl(),
                        "--db-user", postgres.getUsername())
                .withEnv("VHEAP_DB_PASSWORD", postgres.getPassword())
                .waitingFor(Wait.forLogMessage(".*listening on 127\\.0\\.0\\.1:" + serverPort + ".*", 1)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        server.start();
        String address = "127.0.0.1:" + serverPort;

        Path classes = Files.createDirectories(work.resolve("classes"));
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d",
                classes.toString(), VheapProcesses.ROOT.resolve("samples/Counter.java").toString());
        assertThat(rc).isZero();

        VheapProcesses.Result run = vheap.vheap("device", "run", "--app", "counter", "--server", address, "--memory", "256k",
                classes.toString(), "Counter", "5");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("5");

        VheapProcesses.Result apps = vheap.vheap("apps", "--server", address);
        assertThat(apps.exit()).as(apps.output()).isZero();
        assertThat(apps.output()).contains("counter");
    }
}
