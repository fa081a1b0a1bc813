package org.vheap.it;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/**
 * The deployment scenarios with the heap server and PostgreSQL in Docker (Testcontainers, host networking).
 * Skipped with one line where there is no Docker engine or no images; required in CI.
 */
class DockerDeploymentTest extends DeploymentScenarios {
    @BeforeAll
    static void needsDocker() {
        DockerSupport.assumeDocker("DockerDeploymentTest", DockerSupport.POSTGRES_IMAGE, DockerSupport.SERVER_IMAGE);
    }

    @Override
    HeapDeployment deploy(VheapProcesses vheap, Path work) throws Exception {
        return DockerDeployment.start();
    }
}
