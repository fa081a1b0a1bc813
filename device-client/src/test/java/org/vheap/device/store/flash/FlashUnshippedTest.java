package org.vheap.device.store.flash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of lines not yet shipped: read back as written, and a file damaged anywhere or cut short not read. */
class FlashUnshippedTest {
    @TempDir
    Path dir;

    @Test
    void linesAreReadBackAsWrittenAndADamagedOrCutFileIsNotRead() throws Exception {
        FlashUnshipped unshipped = new FlashUnshipped(dir);
        assertThat(unshipped.read("app")).isNull();
        unshipped.write("app", new FlashUnshipped.Lines("127.0.0.1:7700", 42, 7, new long[] {900, 3, 1L << 40, 4}));
        FlashUnshipped.Lines read = unshipped.read("app");
        assertThat(read.server()).isEqualTo("127.0.0.1:7700");
        assertThat(read.serverBase()).isEqualTo(42);
        assertThat(read.upTo()).isEqualTo(7);
        assertThat(read.lines()).containsExactly(3, 4, 900, 1L << 40);
        assertThat(unshipped.read("other")).isNull();

        Path file;
        try (var files = Files.list(dir.resolve("shipped"))) {
            file = files.filter(f -> f.toString().endsWith(".unshipped")).findFirst().orElseThrow();
        }
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(file, bad);
            assertThat(unshipped.read("app")).as("byte %d flipped", i).isNull();
        }
        for (int cut = 0; cut < good.length; cut++) {
            Files.write(file, java.util.Arrays.copyOf(good, cut));
            assertThat(unshipped.read("app")).as("cut to %d bytes", cut).isNull();
        }
        unshipped.forget("app");
        assertThat(unshipped.read("app")).isNull();
    }
}
