package org.vheap.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointBlobsTest {
    private static VmStateImage.ClassImage classImage(int id, String name, byte[] sha256) {
        return new VmStateImage.ClassImage(id, name, sha256, null, true, false, '\0', 0, 0, 0, 0);
    }

    @Test
    void aCheckpointNeedsItsClassFilesAndItsClassPathFilesOrTheirChunks() {
        BlobHash object = BlobHash.digest("java/lang/Object".getBytes());
        BlobHash main = BlobHash.digest("Main".getBytes());
        BlobHash data = BlobHash.digest("data".getBytes());
        BlobHash big = BlobHash.digest("big".getBytes());
        BlobHash part1 = BlobHash.digest("part 1".getBytes());
        BlobHash part2 = BlobHash.digest("part 2".getBytes());
        VmStateImage state = new VmStateImage();
        state.preparer = 77;
        state.classes.add(classImage(1, "java/lang/Object", object.bytes()));
        state.classes.add(classImage(2, "[I", null));
        state.classes.add(classImage(3, "Main", main.bytes()));
        state.attachments.put(ClassPathManifest.ATTACHMENT, new ClassPathManifest(
                Map.of("Main.class", main, "data.txt", data, "big.bin", big),
                List.of(new ClassPathManifest.Directory("classes", List.of("data.txt"))),
                Map.of("big.bin", List.of(part1, part2))).encode());

        assertThat(CheckpointBlobs.of(state.encode())).containsExactlyInAnyOrder(object, main, data, part1, part2);
    }

    @Test
    void aReaderThatRunsNoCodeTakesAnyPreparerAndADeviceOnlyItsOwn() {
        VmStateImage state = new VmStateImage();
        state.preparer = 77;
        byte[] bytes = state.encode();
        assertThat(VmStateImage.decode(bytes, VmStateImage.ANY_PREPARER).preparer).isEqualTo(77);
        assertThat(VmStateImage.decode(bytes, 77).preparer).isEqualTo(77);
        assertThatThrownBy(() -> VmStateImage.decode(bytes, 78))
                .hasMessage("the checkpoint was taken by a device VM with code preparer 77; this device has 78");
        assertThat(CheckpointBlobs.of("not a device's state".getBytes())).as("another client's bytes").isEmpty();
        assertThatThrownBy(() -> CheckpointBlobs.of(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }

    @Test
    void aManifestReadsBackAsItWasWritten() {
        ClassPathManifest m = new ClassPathManifest(Map.of("a/B.class", BlobHash.digest(new byte[] {1})),
                List.of(new ClassPathManifest.Directory("/x", List.of("f"))),
                Map.of("a/B.class", List.of(BlobHash.digest(new byte[] {2}))));
        assertThat(ClassPathManifest.decode(m.encode())).isEqualTo(m);
        assertThatThrownBy(() -> ClassPathManifest.decode(new byte[] {0, 0, 0, 1}))
                .hasMessageContaining("manifest is corrupt");
    }
}
