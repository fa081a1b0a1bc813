package org.vheap.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeapImageFileTest {
    private static final int LINE = 256;

    /** What a reader took from a file. */
    private static final class Taken implements HeapImageReader.Sink {
        final Map<BlobHash, byte[]> blobs = new LinkedHashMap<>();
        final Map<Long, byte[]> lines = new LinkedHashMap<>();

        @Override
        public void blobs(Map<BlobHash, byte[]> found) {
            blobs.putAll(found);
        }

        @Override
        public void lines(List<HeapImageReader.Line> found) {
            found.forEach(l -> lines.put(l.id(), l.data()));
        }
    }

    private static byte[] image(Map<Long, byte[]> lines, List<byte[]> blobs, byte[] vmState) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (HeapImageWriter w = new HeapImageWriter(file, new HeapImageHeader("ledger", LINE, 42, 1_700_000_000_000L,
                "device-a", lines.size(), blobs.size(), Map.of("k", "v")))) {
            w.vmState(vmState);
            blobs.forEach(b -> w.blob(BlobHash.digest(b), b));
            lines.forEach(w::line);
            w.finish();
            assertThat(w.bytesWritten()).isEqualTo(file.size());
        }
        return file.toByteArray();
    }

    private static Map<Long, byte[]> lines(int count, long seed) {
        Random r = new Random(seed);
        Map<Long, byte[]> lines = new LinkedHashMap<>();
        long id = 0;
        for (int i = 0; i < count; i++) {
            id += 1 + r.nextInt(5);
            byte[] data = new byte[LINE];
            for (int b = 0; b < 24; b++) {   // mostly zeros, as heap lines are, so the sections compress
                data[r.nextInt(LINE)] = (byte) r.nextInt();
            }
            lines.put(id, data);
        }
        return lines;
    }

    @Test
    void whatIsWrittenIsReadBackWhole() {
        Map<Long, byte[]> lines = lines(9000, 1);   // 2.3 MB of lines: several LINES sections
        List<byte[]> blobs = List.of("class A".getBytes(), new byte[300_000], "class B".getBytes());
        byte[] vmState = "a VM state".getBytes();
        byte[] file = image(lines, blobs, vmState);

        HeapImageReader reader = new HeapImageReader(new ByteArrayInputStream(file));   // closed by GC: a test
        assertThat(reader.header()).isEqualTo(new HeapImageHeader("ledger", LINE, 42, 1_700_000_000_000L, "device-a",
                9000, 3, Map.of("k", "v")));
        assertThat(reader.vmState()).isEqualTo(vmState);
        Taken taken = new Taken();
        reader.read(taken);
        assertThat(taken.lines.keySet()).containsExactlyElementsOf(lines.keySet());
        lines.forEach((id, data) -> assertThat(taken.lines.get(id)).as("line %d", id).isEqualTo(data));
        assertThat(taken.blobs).hasSize(3);
        blobs.forEach(b -> assertThat(taken.blobs.get(BlobHash.digest(b))).isEqualTo(b));
        assertThat(reader.bytesRead()).isEqualTo(file.length);
        assertThat(file.length).as("compressed").isLessThan(9000 * LINE / 2);
    }

    @Test
    void anEmptyHeapIsAnImageToo() {
        byte[] file = image(Map.of(), List.of(), new byte[0]);
        HeapImageReader reader = new HeapImageReader(new ByteArrayInputStream(file));
        assertThat(reader.vmState()).isEmpty();
        Taken taken = new Taken();
        reader.read(taken);
        assertThat(taken.lines).isEmpty();
    }

    /** Reads the whole file, as an import does. */
    private static void readAll(byte[] file) {
        try (HeapImageReader reader = new HeapImageReader(new ByteArrayInputStream(file))) {
            reader.vmState();
            reader.read(new Taken());
        }
    }

    @Test
    void everyTruncationIsRefusedAsOne() {
        byte[] file = image(lines(40, 2), List.of("blob".getBytes()), "state".getBytes());
        for (int cut = 0; cut < file.length; cut++) {
            byte[] shorter = Arrays.copyOf(file, cut);
            assertThatThrownBy(() -> readAll(shorter)).as("cut at %d of %d", cut, file.length)
                    .isInstanceOf(HeapImageException.class)
                    .satisfiesAnyOf(e -> assertThat(e).hasMessageContaining("truncated"),
                            e -> assertThat(e).hasMessageContaining("not a vheap heap image"));
        }
    }

    @Test
    void aFlipOfAnyBitAnywhereIsRefused() {
        byte[] file = image(lines(40, 3), List.of("blob".getBytes()), "state".getBytes());
        for (int at = 0; at < file.length; at++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] altered = file.clone();
                altered[at] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> readAll(altered)).as("bit %d flipped in byte %d of %d", bit, at, file.length)
                        .isInstanceOf(HeapImageException.class);
            }
        }
    }

    @Test
    void anotherFormatIsRefusedNamingBoth() {
        byte[] file = image(Map.of(), List.of(), new byte[0]);
        file[11] = 9;   // the format's low byte
        assertThatThrownBy(() -> readAll(file)).hasMessage("a heap image of format 9; this version reads format 1");
        byte[] notOne = "PK\u0003\u0004 a zip file".getBytes();
        assertThatThrownBy(() -> readAll(notOne)).hasMessageContaining("not a vheap heap image");
    }

    @Test
    void bytesAfterTheEndAreRefused() {
        byte[] file = image(lines(3, 5), List.of(), new byte[0]);
        byte[] longer = Arrays.copyOf(file, file.length + 1);
        assertThatThrownBy(() -> readAll(longer)).hasMessageContaining("bytes follow its END section");
    }

    @Test
    void aWriterRefusesWhatWouldMakeABadFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeapImageWriter w = new HeapImageWriter(out, new HeapImageHeader("a", LINE, 1, 0, "d", 2, 0, Map.of()));
        assertThatThrownBy(() -> new HeapImageHeader("a", 1 << 21, 1, 0, "d", 0, 0, Map.of()))
                .hasMessageContaining("a line size is a power of two up to 1048576");
        assertThatThrownBy(() -> w.line(0, new byte[LINE])).hasMessageContaining("after the VM state");
        w.vmState(new byte[0]);
        w.line(5, new byte[LINE]);
        assertThatThrownBy(() -> w.line(5, new byte[LINE])).hasMessageContaining("ascending");
        assertThatThrownBy(() -> w.line(6, new byte[LINE - 1])).hasMessageContaining("not " + LINE);
        assertThatThrownBy(() -> w.blob(BlobHash.digest(new byte[1]), new byte[1])).hasMessageContaining("before the lines");
        assertThatThrownBy(w::finish).hasMessageContaining("has 1 lines and 0 blobs; its header says 2 and 0");
    }
}
