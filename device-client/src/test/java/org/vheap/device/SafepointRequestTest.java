package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.server.testing.TestHeaps;

/**
 * A suspend asked for from outside ends the running quantum at its next backward branch or call, in the interpreter and
 * in translated code: the safepoint does not wait for the quantum's budget, which an app waiting for the store spends
 * slowly (each fault a millisecond or more). Here the quantum is the largest there is and the app spins in a loop
 * without calls: without the request ending it, the quantum would run for minutes (2^31 backward branches) and the
 * suspend would time out.
 */
class SafepointRequestTest {
    /** A loop without calls that never ends; each turn does a long division and a heap read and write. */
    private static final String SPIN = """
            public class Spin {
                public static void main(String[] a) {
                    long[] xs = new long[1 << 14];
                    System.out.println("spinning");
                    for (long i = 1; ; i++) {
                        int k = (int) ((i * 7919) % xs.length);
                        xs[k] = xs[k] * 31 + i / (k + 1);
                    }
                }
            }
            """;

    /** {@code tierThreshold}: -1 the interpreter alone, 0 every method translated at its first call. */
    @ParameterizedTest
    @ValueSource(ints = {-1, 0})
    void aSuspendIsServedAtTheNextBackwardBranchHoweverLongTheQuantum(int tierThreshold) throws Exception {
        Path classes = ResumeTest.compile("Spin", SPIN);
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Device device = new Device(new DeviceConfig().app(TestHeaps.app("spin")).quantum(Integer.MAX_VALUE)
                    .tierThreshold(tierThreshold), store, ResumeTest.console(out));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> device.run(List.of(classes), "Spin", List.of()));
            ResumeTest.awaitOutput(out, "spinning");
            long checkpoint = device.suspend(Duration.ofSeconds(15));
            assertThat(checkpoint).as("the checkpoint the suspend took").isPositive();
            assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);
            if (tierThreshold >= 0) {
                assertThat(device.stats().methodsTranslated()).as("the loop ran translated").isPositive();
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("spinning\n");
        }
    }
}
