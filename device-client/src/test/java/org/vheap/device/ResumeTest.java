package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.MemoryHeapStore;

/** Suspend at a safepoint, resume on another device (another VM over the same store): the output goes on exactly. */
class ResumeTest {
    private static final String TICKER = """
            import java.util.*;
            public class Ticker {
                public static void main(String[] a) throws Exception {
                    int n = Integer.parseInt(a[0]);
                    Map<Integer, String> m = new HashMap<>();
                    StringBuilder sb = new StringBuilder();
                    Runnable r = () -> sb.append('x');
                    for (int i = 0; i < n; i++) {
                        m.put(i, "v" + i);
                        r.run();
                        long h = 0;
                        for (int k = 0; k < 20000; k++) h = h * 31 + (k ^ i);
                        System.out.println("tick " + i + " " + m.size() + " " + sb.length() + " " + h + " " + System.identityHashCode(m));
                    }
                    System.out.println("done " + m.get(n - 1));
                }
            }
            """;

    static Path compile(String name, String source) throws Exception {
        Path dir = Files.createTempDirectory("vheap-resume-test");
        Path src = dir.resolve(name + ".java");
        Files.writeString(src, source);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", dir.toString(), src.toString())).isZero();
        return dir;
    }

    static DeviceConsole console(ByteArrayOutputStream out) {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new DeviceConsole(new ByteArrayInputStream(new byte[0]), ps, ps);
    }

    static void awaitOutput(ByteArrayOutputStream out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in: " + out.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(2);
        }
    }

    @Test
    void suspendedAppResumesOnAnotherDeviceAndPrintsWhatAnUninterruptedRunPrints() throws Exception {
        Path classes = compile("Ticker", TICKER);
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            new Device(new DeviceConfig().app(TestStores.app("ticker-whole")), store, console(whole))
                    .run(List.of(classes), "Ticker", List.of("40"));

            String app = TestStores.app("ticker");
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            Device a = new Device(new DeviceConfig().app(app).deviceName("a"), store, console(first));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Ticker", List.of("40")));
            awaitOutput(first, "tick 10 ");
            long checkpoint = a.suspend(Duration.ofSeconds(30));
            assertThat(run.get()).isEqualTo(Device.SUSPENDED);
            assertThat(checkpoint).isPositive();

            ByteArrayOutputStream second = new ByteArrayOutputStream();
            Device b = new Device(new DeviceConfig().app(app).deviceName("b").memoryBytes(256 << 10), store, console(second));
            assertThat(b.resume(0)).isZero();
            String joined = first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8);
            assertThat(joined).isEqualTo(whole.toString(StandardCharsets.UTF_8));
            assertThat(second.toString(StandardCharsets.UTF_8)).startsWith("tick ").contains("done v39");
        }
    }
}
