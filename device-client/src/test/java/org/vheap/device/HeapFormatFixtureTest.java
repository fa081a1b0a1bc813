package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.vm.HeapHeader;
import org.vheap.device.vm.VmLauncher;
import org.vheap.format.VmStateImage;

/**
 * Heaps written in an earlier format, as promised in the README: a committed fixture per format (a checkpointed
 * app, {@link HeapFixture}, written by {@link HeapFixtureWriter}) is loaded into a store and resumed by this build.
 * Today's formats are heap header version 2 and VM state format 1; the fixture of those resumes and prints what it
 * printed when it was written. When a format changes, add the new format's fixture and keep the old one's test,
 * changed to what this device does with it: resume it (upgraded when opened), or refuse it with a message naming
 * both versions, changing nothing in the store.
 */
class HeapFormatFixtureTest {
    static final Path DIR = Path.of("src/test/resources/heap-fixtures");
    /** The fixture of heap header version 2, VM state format 1 (written 2026-12-03, before the nursery). */
    static final Path FIXTURE = DIR.resolve("header-2-state-1.vheap.gz");
    static final Path RESUMED_OUTPUT = DIR.resolve("header-2-state-1.resumed.txt");

    @Test
    void todaysFormatsAreTheFixtures() {
        assertThat(HeapHeader.VERSION).as("a new heap header version needs its fixture (HeapFixtureWriter)").isEqualTo(2);
        assertThat(VmStateImage.FORMAT).as("a new VM state format needs its fixture (HeapFixtureWriter)").isEqualTo(1);
    }

    @Test
    void aHeapOfHeaderVersion2AndStateFormat1ResumesAndGoesOnExactly() throws Exception {
        assertThat(resume(FIXTURE)).isEqualTo(Files.readString(RESUMED_OUTPUT, StandardCharsets.UTF_8))
                .startsWith("sum ").contains("identity hash kept true");
    }

    @Test
    void aVmStateOfAnotherFormatIsRefusedNamingBothVersions() {
        byte[] state = new byte[] {0x56, 0x4D, 0x53, 0x54, 0, 0, 0, 9};   // "VMST", format 9
        assertThatThrownBy(() -> VmLauncher.readState(state)).hasMessageContaining("format")
                .hasMessageContaining(Integer.toString(VmStateImage.FORMAT));
    }

    /** The server names a checkpoint's thread and class states by the format's lists: they are this VM's enums. */
    @Test
    void theFormatsNamesOfThreadAndClassStatesAreTheVmsOwnInOrder() {
        assertThat(VmStateImage.THREAD_STATES).containsExactlyElementsOf(java.util.Arrays.stream(
                org.vheap.device.vm.thread.ThreadState.values()).map(Enum::name).toList());
        assertThat(VmStateImage.INIT_STATES).containsExactlyElementsOf(java.util.Arrays.stream(
                org.vheap.device.vm.loader.VmClass.InitState.values()).map(Enum::name).toList());
    }

    /** Loads {@code fixture} into a fresh in-memory store, resumes its app and returns what it printed. */
    static String resume(Path fixture) throws Exception {
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            HeapFixture.importInto(store, "fixture", fixture);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Device device = new Device(new DeviceConfig().app("fixture").deviceName("reader")
                    .checkpointInterval(Duration.ZERO), store, ResumeTest.console(out));
            assertThat(device.resume(0)).isZero();
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
