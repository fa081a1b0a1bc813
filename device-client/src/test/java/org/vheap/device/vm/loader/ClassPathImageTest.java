package org.vheap.device.vm.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.format.BlobHash;
import org.vheap.format.ClassPathManifest;

class ClassPathImageTest {
    @Test
    void theManifestCarriesTheFilesAndTheDirectoriesDataFilesToAnotherDevice(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.write(classes.resolve("Main.class"), new byte[] {(byte) 0xCA, (byte) 0xFE});
        Files.createDirectories(classes.resolve("data"));
        Files.writeString(classes.resolve("data/a.txt"), "alpha");
        Files.writeString(classes.resolve("notes.md"), "notes");
        ClassPathImage captured = ClassPathImage.capture(List.of(classes));
        assertThat(captured.directories()).containsExactly(
                new ClassPathManifest.Directory(classes.toString(), List.of("data/a.txt", "notes.md")));

        Map<BlobHash, byte[]> store = new HashMap<>(captured.localFiles());
        ClassPathImage resumed = ClassPathImage.stored(captured.encodeManifest(), store::get);
        assertThat(resumed.directories()).isEqualTo(captured.directories());
        assertThat(new String(resumed.read("data/a.txt"), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("alpha");
        assertThat(resumed.read("Main.class")).containsExactly(0xCA, 0xFE);
        assertThat(resumed.read("missing.txt")).isNull();
    }

    @Test
    void aFileLargerThanAChunkIsStoredInChunksAndReadWholeAndCheckedOnAnotherDevice(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        byte[] big = new byte[2 * ClassPathImage.CHUNK_BYTES + 5];
        new java.util.Random(7).nextBytes(big);
        Files.write(classes.resolve("big.bin"), big);
        Files.write(classes.resolve("copy.bin"), big);   // the same bytes under another name: the same chunks
        Files.write(classes.resolve("small.txt"), new byte[] {1, 2});
        ClassPathImage captured = ClassPathImage.capture(List.of(classes));

        Map<BlobHash, byte[]> store = new HashMap<>(captured.localFiles());
        assertThat(store).hasSize(4);   // three chunks and the small file
        assertThat(store.values()).allSatisfy(b -> assertThat(b.length).isLessThanOrEqualTo(ClassPathImage.CHUNK_BYTES));
        ClassPathImage resumed = ClassPathImage.stored(captured.encodeManifest(), store::get);
        assertThat(resumed.read("big.bin")).isEqualTo(big);
        assertThat(resumed.read("copy.bin")).isEqualTo(big);
        assertThat(resumed.read("small.txt")).containsExactly(1, 2);

        BlobHash last = store.keySet().stream().filter(h -> store.get(h).length == 5).findFirst().orElseThrow();
        store.put(last, new byte[] {9, 9, 9, 9, 9});   // a chunk with other bytes
        assertThatThrownBy(() -> resumed.read("big.bin")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not match its chunks");
        store.remove(last);
        assertThatThrownBy(() -> resumed.read("big.bin")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing from the store's system blobs");
    }

    @Test
    void aManifestWrittenBeforeDirectoriesReadsWithNone() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(1);
            out.writeUTF("Main.class");
            out.write(BlobHash.digest(new byte[] {1}).bytes());
        }
        ClassPathImage old = ClassPathImage.stored(bytes.toByteArray(), h -> new byte[] {1});
        assertThat(old.size()).isEqualTo(1);
        assertThat(old.directories()).isEmpty();
    }

    @Test
    void aManifestWithAnUnknownSectionIsRefusedAsCorrupt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0);
            out.writeInt(0x12345678);
        }
        assertThatThrownBy(() -> ClassPathImage.stored(bytes.toByteArray(), h -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("manifest is corrupt");
    }
}
