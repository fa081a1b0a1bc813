package org.vheap.server.store;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.CitusCluster;

/**
 * {@link PgHeapStoreTest}, every test and its randomized model check, on a Citus cluster (a coordinator and two
 * workers on loopback): the store's schema distributed by its own migration, the per-app tables by heap id.
 */
class CitusPgHeapStoreTest extends PgHeapStoreTest {
    @RegisterExtension
    static final CitusCluster CITUS = new CitusCluster();

    @Override
    DataSource dataSource() {
        return CITUS.dataSource();
    }
}
