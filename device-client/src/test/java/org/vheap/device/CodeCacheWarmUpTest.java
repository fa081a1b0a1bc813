package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.server.testing.TestHeaps;

/** A device's code cache warmed at its start: a later resume finds its JDK classes parsed, and times its steps. */
class CodeCacheWarmUpTest {
    private static final String COUNTER = """
            import java.util.*;
            public class Counter {
                public static void main(String[] a) throws Exception {
                    List<String> seen = new ArrayList<>();
                    for (int i = 0; i < 400; i++) {
                        seen.add("n" + i);
                        System.out.println("count " + i + " " + seen.size() + " " + String.join("", seen).length());
                        Thread.sleep(2);
                    }
                }
            }
            """;

    /** Records what a resume reported. */
    private static final class Resumes implements DeviceEvents {
        final AtomicReference<ResumeSteps> steps = new AtomicReference<>();

        @Override
        public void checkpointed(long checkpointId, int lines, long nanos, String reason) {
        }

        @Override
        public void checkpointFailed(String why) {
        }

        @Override
        public void resumed(long checkpointId, ResumeSteps s, long linesFetched) {
            steps.set(s);
        }
    }

    @Test
    void theWarmUpBootParsesTheLibrarysClassesAndReadsTheHostsFilesOnce() {
        ParsedClasses parsed = new ParsedClasses();
        int held = CodeCacheWarmUp.warmUp(parsed);
        assertThat(held).isEqualTo(parsed.size()).isGreaterThan(100);
        assertThat(parsed.hostFiles().size()).isGreaterThan(100);
        // a second boot over the same cache parses nothing new: its classes are the first's
        assertThat(CodeCacheWarmUp.warmUp(parsed)).isEqualTo(held);
    }

    @Test
    void aResumeOnAWarmDeviceParsesOnlyWhatTheWarmUpDidNotAndReportsItsSteps() throws Exception {
        Path classes = ResumeTest.compile("Counter", COUNTER);
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            String app = TestHeaps.app("warm");
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            Device a = new Device(new DeviceConfig().app(app).deviceName("a"), store, ResumeTest.console(first));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Counter", List.of()));
            ResumeTest.awaitOutput(first, "count 20 ");
            a.suspend(Duration.ofSeconds(30));
            assertThat(run.get()).isEqualTo(Device.SUSPENDED);

            // the same resume on a device with an empty code cache, then on a warmed one
            int parsedCold = resumeAndSuspend(store, app, "cold", new ParsedClasses(), new Resumes());
            ParsedClasses warm = new ParsedClasses();
            int warmedUp = CodeCacheWarmUp.warmUp(warm);
            Resumes reported = new Resumes();
            int parsedWarm = resumeAndSuspend(store, app, "warm", warm, reported) - warmedUp;
            assertThat(parsedCold).isGreaterThan(100);
            assertThat(parsedWarm).as("classes the resume parsed itself (the app's and the few the boot does not load)")
                    .isLessThan(parsedCold / 5);

            ResumeSteps steps = reported.steps.get();
            assertThat(steps).isNotNull();
            assertThat(steps.nanos()).hasSize(ResumeSteps.NAMES.size());
            assertThat(java.util.Arrays.stream(steps.nanos()).min().orElseThrow()).isNotNegative();
            assertThat(steps.openNanos()).isPositive();
            assertThat(steps.restoreNanos()).isPositive();
            assertThat(java.util.Arrays.stream(steps.nanos()).sum()).isEqualTo(steps.totalNanos());
        }
    }

    /** Resumes the app on a new device sharing {@code parsed}, lets it count on, suspends it; the classes cached then. */
    private static int resumeAndSuspend(MemoryHeapStore store, String app, String device, ParsedClasses parsed,
                                        Resumes events) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Device d = new Device(new DeviceConfig().app(app).deviceName(device), store, ResumeTest.console(out), parsed, events);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> d.resume(0));
        ResumeTest.awaitOutput(out, "count ");
        d.suspend(Duration.ofSeconds(30));
        assertThat(run.get()).isEqualTo(Device.SUSPENDED);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("Exception");
        return parsed.size();
    }
}
