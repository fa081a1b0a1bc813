package org.vheap.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Whether the Docker tests can run here. Without a Docker engine (or without the images, or for the compose test
 * without {@code docker-compose}) they are skipped with one line; with {@code VHEAP_DOCKER_TESTS=required} (CI,
 * which builds the images first) that is a failure instead.
 */
final class DockerSupport {
    static final String POSTGRES_IMAGE = System.getProperty("vheap.postgres.image", "vheap/postgres:15");
    static final String SERVER_IMAGE = System.getProperty("vheap.server.image", "vheap/heap-server:latest");
    static final String GATEWAY_IMAGE = System.getProperty("vheap.gateway.image", "vheap/gateway:latest");
    static final String DEVICE_IMAGE = System.getProperty("vheap.device.image", "vheap/device:latest");
    static final String CITUS_IMAGE = System.getProperty("vheap.citus.image", "vheap/citus:13.2.2");
    static final String HOW = "as root: deploy/offline-images.sh, then deploy/build-images.sh --base vheap/jre:17";

    private DockerSupport() {
    }

    /** Skips the calling test class (or fails it when Docker tests are required) unless Docker and the images are here. */
    static void assumeDocker(String testName, String... images) {
        String why = whyUnavailable(images);
        if (why != null) {
            skip(testName, why);
        }
    }

    /** Also needs the docker-compose command. */
    static void assumeCompose(String testName, String... images) {
        assumeDocker(testName, images);
        if (!onPath("docker-compose")) {
            skip(testName, "no docker-compose on PATH (apt-get install docker-compose)");
        }
    }

    /** One line saying why, then a skip; a failure instead where the Docker tests are required. */
    private static void skip(String testName, String why) {
        System.out.println(testName + " skipped: " + why);
        if ("required".equals(System.getenv("VHEAP_DOCKER_TESTS"))) {
            throw new AssertionError("VHEAP_DOCKER_TESTS=required, but " + why);
        }
        Assumptions.abort(why);
    }

    private static String whyUnavailable(String... images) {
        String dockerHost = System.getenv("DOCKER_HOST");
        if ((dockerHost == null || dockerHost.isEmpty()) && !Files.exists(Path.of("/var/run/docker.sock"))) {
            // asked without a socket, Testcontainers logs a page of ERROR lines; one line is enough
            return "no Docker engine (no DOCKER_HOST, no /var/run/docker.sock; " + HOW + ")";
        }
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return "no Docker engine answers (" + HOW + ")";
            }
        } catch (RuntimeException e) { // an engine answers, but Testcontainers cannot set itself up with it
            return "Testcontainers cannot use the Docker engine: " + e;
        }
        for (String image : images) {
            try {
                DockerClientFactory.lazyClient().inspectImageCmd(image).exec();
            } catch (RuntimeException e) {
                return "no image " + image + " (" + HOW
                        + (image.equals(CITUS_IMAGE) ? "; then deploy/citus-image.sh ../shared/citus" : "") + ")";
            }
        }
        return null;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
