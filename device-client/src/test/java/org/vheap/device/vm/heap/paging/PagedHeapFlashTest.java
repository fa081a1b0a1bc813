package org.vheap.device.vm.heap.paging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.flash.FlashHeapStore;
import org.vheap.device.store.flash.FlashStoreConfig;
import org.vheap.server.testing.TestHeaps;

/**
 * Paging over the device's flash store ({@code --store flash:DIR}) on real files: the model check, with the store
 * closed and opened again from its directory between the check's sessions, in a flash size small enough that the log
 * is compacted again and again while lines are evicted, faulted and committed.
 */
class PagedHeapFlashTest {
    /**
     * 128 blocks of 4 KiB: the model's 20 KiB span, written many times over, fits only by compaction (with up to four
     * views of it live: three retained checkpoints and a session's open epoch).
     */
    private static FlashStoreConfig config() {
        return new FlashStoreConfig().blockSize(4096).flashSize(128L * 4096);
    }

    @Test
    void randomAccessesMatchAPlainByteArrayOnTheFlashStoreOpenedAgainBetweenSessions(@TempDir Path dirs) throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            Path dir = dirs.resolve("seed-" + seed);
            HeapStore[] open = {FlashHeapStore.open(dir, config(), Clock.systemUTC())};
            long written;
            try {
                written = PagedHeapTest.ModelCheck.run(open[0], store -> {
                    store.close();
                    open[0] = FlashHeapStore.open(dir, config(), Clock.systemUTC());
                    return open[0];
                }, TestHeaps.app("flash-model"), PagedHeapTest.config(32, 4), seed, 40_000, seed == 3);
            } finally {
                open[0].close();
            }
            long segments;
            try (Stream<Path> files = Files.list(dir)) {
                segments = files.filter(p -> p.getFileName().toString().startsWith("heap-"))
                        .mapToLong(p -> p.toFile().length()).sum();
            }
            assertThat(segments).as("seed %d: the log's segments within its flash size", seed)
                    .isLessThanOrEqualTo(config().flashSize());
            assertThat(written * (PagedHeapTest.LINE + 13)).as("seed %d: the log was cleaned many times over", seed)
                    .isGreaterThan(3 * config().flashSize());
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("no torn tail cut off: each store was closed").noneMatch(name -> name.contains("cut"));
            }
        }
    }
}
