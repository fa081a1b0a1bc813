package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.store.SystemBlobStore;

class DeviceTest {
    private static final String WALKER = """
            public class Walker {
                public static void main(String[] args) {
                    long[][] data = new long[512][];
                    for (int i = 0; i < data.length; i++) { data[i] = new long[1000]; data[i][7] = i; }
                    long sum = 0;
                    for (int round = 0; round < Integer.parseInt(args[0]); round++) {
                        for (long[] d : data) { sum += d[7]; d[999] = round; }
                    }
                    System.out.println(sum);
                }
            }
            """;

    private static Path compileWalker() throws Exception {
        Path dir = Files.createTempDirectory("vheap-device-test");
        Path src = dir.resolve("Walker.java");
        Files.writeString(src, WALKER);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", dir.toString(), src.toString())).isZero();
        return dir;
    }

    private static DeviceConsole console(ByteArrayOutputStream out) {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new DeviceConsole(new ByteArrayInputStream(new byte[0]), ps, ps);
    }

    @Test
    void liveDataFourTimesTheMemoryPagesThroughTheStoreAndPrintsTheSame() throws Exception {
        Path classes = compileWalker();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            Device device = new Device(new DeviceConfig().app(TestStores.app("walker")).memoryBytes(1L << 20), store, console(out));
            assertThat(device.run(List.of(classes), "Walker", List.of("3"))).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo((511L * 512 / 2 * 3) + "\n");
            assertThat(device.stats().peakHeapBytes()).isGreaterThan(4L << 20);
            assertThat(device.stats().misses()).isPositive();
            assertThat(device.stats().linesFlushed()).isPositive();
        }
    }

    @Test
    void aStoreThatGoesAwayEndsTheRunWithAClearDeviceErrorAfterRetries() throws Exception {
        Path classes = compileWalker();
        AtomicReference<TestStores.FlakySession> session = new AtomicReference<>();
        try (MemoryHeapStore real = new MemoryHeapStore()) {
            HeapStore flaky = new HeapStore() {
                @Override
                public HeapSession openHeap(OpenRequest request) {
                    TestStores.FlakySession s = new TestStores.FlakySession(real.openHeap(request));
                    session.set(s);
                    return s;
                }

                @Override
                public SystemBlobStore systemBlobs(String app) {
                    return real.systemBlobs(app);
                }

                @Override
                public void close() {
                }
            };
            String app = TestStores.app("unreachable");
            Device device = new Device(new DeviceConfig().app(app).memoryBytes(256L << 10), flaky, console(new ByteArrayOutputStream()));
            Thread cut = new Thread(() -> {
                while (session.get() == null || session.get().writes.get() < 20) {
                    Thread.onSpinWait();
                }
                session.get().down(true);
            });
            cut.setDaemon(true);
            cut.start();
            assertThatThrownBy(() -> device.run(List.of(classes), "Walker", List.of("1000000")))
                    .isInstanceOf(DeviceException.class)
                    .hasMessageContaining(app)
                    .hasMessageContaining("attempt");
            assertThat(session.get().refused.get()).isGreaterThanOrEqualTo(4);
        }
    }
}
