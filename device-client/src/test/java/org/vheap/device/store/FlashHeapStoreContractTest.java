package org.vheap.device.store;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.vheap.device.store.flash.FlashHeapStore;
import org.vheap.device.store.flash.FlashStoreConfig;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestHeaps;

/** The store contract on the flash store ({@code --store flash:DIR}), in a directory of its own. */
class FlashHeapStoreContractTest extends HeapStoreContractTest {
    private static final MutableClock CLOCK = new MutableClock();
    private static final Path DIR = TestHeaps.tempDir("vheap-flash-contract");
    private static final FlashHeapStore STORE = FlashHeapStore.open(DIR,
            new FlashStoreConfig().blockSize(4096), CLOCK);

    @AfterAll
    static void closeStore() {
        STORE.close();
        TestHeaps.deleteRecursively(DIR);
    }

    @Override
    HeapStore store() {
        return STORE;
    }

    @Override
    void advance(Duration d) {
        CLOCK.advance(d);
    }

    @Override
    int retained() {
        return FlashStoreConfig.DEFAULT_RETAIN;
    }
}
