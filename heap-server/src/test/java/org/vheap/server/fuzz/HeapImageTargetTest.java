package org.vheap.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.format.BlobHash;
import org.vheap.format.ClassPathManifest;
import org.vheap.format.HeapImageException;
import org.vheap.format.HeapImageHeader;
import org.vheap.format.HeapImageReader;
import org.vheap.format.HeapImageWriter;
import org.vheap.format.VmStateImage;
import org.vheap.fuzz.JazzerRun;

/**
 * The {@code heap-image} fuzz target: its seed corpus is small heap images (written by this test), each as a file and
 * as its sections' contents (the target's two modes), and a bounded run
 * under Jazzer (as {@code ./vheap fuzz heap-image --runs N} runs longer) finds no failure and covers the reader.
 *
 * <p>{@code -Dvheap.fuzz.writeSeeds=true} writes the seed corpus anew (after a change of the file's format).
 */
class HeapImageTargetTest {
    static final Path SEEDS = Path.of("src/fuzz/heap-image");
    private static final long RUNS = Long.getLong("vheap.fuzz.runs", 3000);

    private static byte[] image(String app, int lineSize, byte[] vmState, List<byte[]> blobs, int lines) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        HeapImageWriter w = new HeapImageWriter(file, new HeapImageHeader(app, lineSize, 7, 1_765_000_000_000L, "dev-a",
                lines, blobs.size(), Map.of("reason", "suspend")));
        w.vmState(vmState);
        blobs.forEach(b -> w.blob(BlobHash.digest(b), b));
        for (int i = 0; i < lines; i++) {
            byte[] line = new byte[lineSize];
            line[i % lineSize] = (byte) (i + 1);
            line[lineSize - 1] = 7;
            w.line(3L * i, line);
        }
        w.finish();
        return file.toByteArray();
    }

    static Map<String, byte[]> seeds() throws Exception {
        byte[] classFile = "a class file".getBytes();
        byte[] data = "a data file".getBytes();
        VmStateImage state = new VmStateImage();
        state.preparer = 1;
        state.classes.add(new VmStateImage.ClassImage(1, "Main", BlobHash.digest(classFile).bytes(), null, false, false,
                '\0', 8, 16, 3, 0));
        state.attachments.put(ClassPathManifest.ATTACHMENT, new ClassPathManifest(Map.of("data.txt",
                BlobHash.digest(data)), List.of(new ClassPathManifest.Directory("classes", List.of("data.txt"))),
                Map.of()).encode());
        Map<String, byte[]> images = new LinkedHashMap<>();
        images.put("empty", image("empty", 64, new byte[0], List.of(), 0));
        images.put("lines", image("lines", 64, new byte[] {1, 2, 3}, List.of(), 20));
        images.put("device-heap", image("device", 128, state.encode(), List.of(classFile, data), 12));
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        int n = 0;
        for (var e : images.entrySet()) {   // each image as a file (mode 0) and as its sections' contents (mode 1)
            seeds.put(String.format("%02d-%s-file", n++, e.getKey()), withMode(0, e.getValue()));
            seeds.put(String.format("%02d-%s-sections", n++, e.getKey()), sections(e.getValue()));
        }
        return seeds;
    }

    private static byte[] withMode(int mode, byte[] rest) {
        byte[] input = new byte[rest.length + 1];
        input[0] = (byte) mode;
        System.arraycopy(rest, 0, input, 1, rest.length);
        return input;
    }

    /** A file's sections, inflated: an odd-mode input that {@link HeapImageTarget#framed} makes the same file of. */
    private static byte[] sections(byte[] file) throws Exception {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.write(1);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, 12, file.length - 12));
        while (in.available() > 0) {
            int kind = in.readUnsignedByte();
            byte[] raw = new byte[in.readInt()];
            byte[] stored = new byte[in.readInt()];
            in.readInt();
            in.readFully(stored);
            Inflater inflater = new Inflater();
            inflater.setInput(stored);
            assertThat(inflater.inflate(raw)).isEqualTo(raw.length);
            inflater.end();
            assertThat(raw.length).as("a seed's section fits a two-byte length").isLessThan(1 << 16);
            input.write(kind);
            input.write(raw.length >>> 8);
            input.write(raw.length);
            input.write(raw);
        }
        assertThat(HeapImageTarget.framed(input.toByteArray())).isEqualTo(file);
        return input.toByteArray();
    }

    @Test
    void theSeedCorpusIsSmallWholeHeapImages() throws Exception {
        Map<String, byte[]> seeds = seeds();
        if (Boolean.getBoolean("vheap.fuzz.writeSeeds")) {
            Files.createDirectories(SEEDS);
            try (var old = Files.list(SEEDS)) {
                for (Path f : (Iterable<Path>) old::iterator) {
                    Files.delete(f);
                }
            }
            for (var e : seeds.entrySet()) {
                Files.write(SEEDS.resolve(e.getKey()), e.getValue());
            }
        }
        try (var files = Files.list(SEEDS)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrderElementsOf(seeds.keySet());
        }
        for (var e : seeds.entrySet()) {
            assertThat(Files.readAllBytes(SEEDS.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
            HeapImageTarget.fuzzerTestOneInput(e.getValue());
        }
    }

    /** The fuzzer's first find: an UncheckedIOException escaped the reader. */
    @Test
    void aHeaderNameThatIsNotModifiedUtf8IsTheFilesDamage() {
        byte[] header = {0, 1, (byte) 0xFF};   // a name of one byte, which no modified UTF-8 begins with
        byte[] file = HeapImageTarget.framed(new byte[] {1, 1, 0, (byte) header.length, header[0], header[1], header[2]});
        assertThatThrownBy(() -> new HeapImageReader(new ByteArrayInputStream(file))).isInstanceOf(HeapImageException.class)
                .hasMessage("the heap image is damaged: section 1 (HEADER) holds a name that is not modified UTF-8");
    }

    @Test
    void aBoundedRunFindsNothingAndCoversTheReader(@TempDir Path work) throws Exception {
        JazzerRun.Result r = JazzerRun.run(HeapImageTarget.class.getName(), SEEDS, work, RUNS, Duration.ofMinutes(3),
                System.out::println);
        assertThat(r.failure()).as("failure (input: %s)", r.artifact()).isNull();
        assertThat(r.inputs()).isEqualTo(RUNS);
        assertThat(r.coverage()).as("code edges covered").isGreaterThan(150);
    }
}
