package org.vheap.device.store;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.TestStores;
import org.vheap.device.store.flash.FlashFrontedStore;
import org.vheap.device.store.flash.FlashStoreConfig;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestHeaps;

/**
 * The store contract on the flash store in front of a real heap server ({@code --store flash:DIR --server HOST:PORT}):
 * every device of a test shares one directory, so each opening decides whether the flash copy another left is current.
 */
class FlashFrontedStoreContractTest extends HeapStoreContractTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();
    private static final Path DIR = TestHeaps.tempDir("vheap-fronted-contract");
    private static FlashFrontedStore store;

    @AfterAll
    static void closeStore() {
        if (store != null) {
            store.close();   // and the server's store: a client of its own
        }
        TestHeaps.deleteRecursively(DIR);
    }

    @Override
    HeapStore store() {
        synchronized (FlashFrontedStoreContractTest.class) {
            if (store == null) {
                store = FlashFrontedStore.open(DIR, new FlashStoreConfig().blockSize(4096), new MutableClock(),
                        new GrpcHeapStore(SERVER.target(), Duration.ofSeconds(20)), SERVER.target());
            }
            return store;
        }
    }

    @Override
    void advance(Duration d) {
        SERVER.clock().advance(d);
    }

    @Override
    int retained() {
        return 3;   // the server's (HeapServerConfig's default)
    }
}
