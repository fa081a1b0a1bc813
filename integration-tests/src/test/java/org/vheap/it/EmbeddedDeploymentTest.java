package org.vheap.it;

import java.nio.file.Path;

/** The deployment scenarios on local processes and the embedded PostgreSQL: they run on every machine. */
class EmbeddedDeploymentTest extends DeploymentScenarios {
    @Override
    HeapDeployment deploy(VheapProcesses vheap, Path work) throws Exception {
        return new EmbeddedDeployment(vheap, work.resolve("db"));
    }
}
