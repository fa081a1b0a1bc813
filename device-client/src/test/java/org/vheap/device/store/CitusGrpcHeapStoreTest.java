package org.vheap.device.store;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;
import org.vheap.server.testing.CitusCluster;
import org.vheap.server.testing.MutableClock;

/**
 * The store contract on {@link GrpcHeapStore} against a real heap server whose database is a Citus cluster (a
 * coordinator and two workers on loopback): what a device sees is the same as on one PostgreSQL.
 */
class CitusGrpcHeapStoreTest extends HeapStoreContractTest {
    @RegisterExtension
    static final CitusCluster CITUS = new CitusCluster();

    private static final MutableClock CLOCK = new MutableClock();
    private static HeapServerInstance server;
    private static GrpcHeapStore store;

    @BeforeAll
    static void start() throws IOException {
        server = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0)
                .setDbUrl(CITUS.url()).setDbUser(CITUS.user()).setPoolSize(8), CLOCK);
        store = new GrpcHeapStore(server.address(), Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    HeapStore store() {
        return store;
    }

    @Override
    void advance(Duration d) {
        CLOCK.advance(d);
    }

    @Override
    int retained() {
        return 3;   // HeapServerConfig's default
    }
}
