package org.vheap.server.store;

import java.time.Clock;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.CitusCluster;

/**
 * {@link PgHeapStoreTest}, every test and its randomized model check, on a Citus cluster with each heap's line calls
 * routed to the worker that holds its shard ({@code --citus-route-to-workers}): the store keeps every promise when
 * its faults, flushes and streamed reads run on the workers and the rest on the coordinator.
 */
class CitusRoutedPgHeapStoreTest extends PgHeapStoreTest {
    @RegisterExtension
    static final CitusCluster CITUS = new CitusCluster();
    private static CitusWorkerRouting workers;

    @BeforeAll
    static void route() {
        workers = HeapDatabase.routeToWorkers(CITUS.dataSource(), CITUS.url(), CITUS.user(), "", 4, Clock.systemUTC());
        workers.connectAll();
    }

    @AfterAll
    static void closeWorkers() {
        workers.close();
    }

    @Override
    DataSource dataSource() {
        return CITUS.dataSource();
    }

    @Override
    HeapRouting routing() {
        return workers;
    }
}
