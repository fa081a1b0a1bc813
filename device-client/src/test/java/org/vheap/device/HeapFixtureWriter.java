package org.vheap.device;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.vheap.device.store.MemoryHeapStore;

/**
 * Developer tool (not a test): writes the heap-format fixture of this build, {@link HeapFormatFixtureTest#FIXTURE}
 * and the output a resume of it prints. Run it when a heap or VM-state format changes, to add the new format's
 * fixture beside the old ones (and say in the test what a device does with the old ones), from the module's
 * directory: {@code cd device-client && ../mvnw -q test-compile org.codehaus.mojo:exec-maven-plugin:3.6.4:java
 * -Dexec.classpathScope=test -Dexec.mainClass=org.vheap.device.HeapFixtureWriter}. The committed fixture was written
 * this way by the build before the nursery (df59a5d).
 */
public final class HeapFixtureWriter {
    private HeapFixtureWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = HeapFormatFixtureTest.DIR;
        Path classes = Files.createTempDirectory("vheap-fixture-classes");
        if (ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", classes.toString(),
                dir.resolve("FixtureApp.java").toString()) != 0) {
            throw new IllegalStateException("FixtureApp did not compile");
        }
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            Device device = new Device(new DeviceConfig().app("fixture").deviceName("writer")
                    .checkpointInterval(Duration.ZERO), store, ResumeTest.console(first));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> device.run(List.of(classes), "FixtureApp", List.of()));
            ResumeTest.awaitOutput(first, "built ");
            device.suspend(Duration.ofSeconds(30));
            if (run.get(1, TimeUnit.MINUTES) != Device.SUSPENDED) {
                throw new IllegalStateException("the app ended before it was suspended");
            }
            HeapFixture.export(store, "fixture", HeapFormatFixtureTest.FIXTURE);
        }
        String resumed = HeapFormatFixtureTest.resume(HeapFormatFixtureTest.FIXTURE);
        Files.writeString(HeapFormatFixtureTest.RESUMED_OUTPUT, resumed, StandardCharsets.UTF_8);
        System.out.println("wrote " + HeapFormatFixtureTest.FIXTURE + " (" + Files.size(HeapFormatFixtureTest.FIXTURE)
                + " bytes); a resume prints: " + resumed);
    }
}
