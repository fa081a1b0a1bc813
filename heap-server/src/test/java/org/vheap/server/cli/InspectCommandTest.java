package org.vheap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.client.HeapStoreClient;
import org.vheap.format.BlobHash;
import org.vheap.format.ClassPathManifest;
import org.vheap.format.VmStateImage;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;
import org.vheap.server.testing.CliRun;

/** {@code ./vheap inspect ... summary} against a real server: a device's VM state, another client's, and mistakes. */
class InspectCommandTest {
    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.onLoopback();

    /** An app committed with {@code vmState}: its checkpoint id. */
    private static long anApp(String app, byte[] vmState) {
        HeapStoreClient client = new HeapStoreClient(SERVER.channel(), 30_000);
        long t = client.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("dev-cli")
                .setCreate(true).setLineSize(256).build()).getLease().getFencingToken();
        return client.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t).setDevice("dev-cli")
                .setVmState(ByteString.copyFrom(vmState)).build(), List.of(), List.of(), 1 << 20).getCheckpoint()
                .getCheckpointId();
    }

    @Test
    void aDevicesCheckpointIsSummarizedWithItsThreadsAndTheOptionsGoEitherSide() {
        VmStateImage s = new VmStateImage();
        s.preparer = 1;
        s.bytecodes = 4_321;
        s.classes.add(new VmStateImage.ClassImage(1, "Main", BlobHash.digest("Main".getBytes()).bytes(), null, false,
                false, '\0', 8, 24, 2, 0));
        s.threads.add(new VmStateImage.ThreadImage(1, "main", 16, 0, 0, 0, 0, 0, false, 0, 0, false, false, false, -1,
                new long[0], List.of(new VmStateImage.ActivationImage("org/example/Main", "main",
                        "([Ljava/lang/String;)V", 3, 0, 0, 0, 0, false, null))));
        s.attachments.put(ClassPathManifest.ATTACHMENT, new ClassPathManifest(java.util.Map.of("Main.class",
                BlobHash.digest("Main".getBytes())), List.of(), java.util.Map.of()).encode());
        String app = TestHeaps.app("inspect");
        long cp = anApp(app, s.encode());

        CliRun before = CliRun.of("inspect", "--app", app, "summary", "--server", SERVER.target());
        assertThat(before.exit()).as(before.err()).isZero();
        assertThat(before.out()).startsWith("app '" + app + "', checkpoint " + cp + ", committed ")
                .contains("by dev-cli").contains("heap: 0 lines of 256 bytes").contains("VM: 4,321 bytecodes run, 0 collections")
                .contains("classes: 1 (1 from the app's class path, 0 hidden), 1 initialized; system blobs needed: 1")
                .contains("thread 1 'main' RUNNABLE\n    at org.example.Main.main([Ljava/lang/String;)V");
        CliRun after = CliRun.of("inspect", "summary", "--app", app, "--checkpoint", String.valueOf(cp), "--server",
                SERVER.target());
        assertThat(after.out()).as(after.err()).isEqualTo(before.out());

        CliRun json = CliRun.of("inspect", "--app", app, "summary", "--json", "--server", SERVER.target());
        assertThat(json.exit()).isZero();
        assertThat(json.out()).contains("\"deviceState\": true").contains("\"appClasses\": 1")
                .contains("\"methodDescriptor\": \"([Ljava/lang/String;)V\"");
    }

    @Test
    void anotherClientsStateSaysSoAndMistakesAreOneLine() {
        String app = TestHeaps.app("inspect-opaque");
        anApp(app, new byte[] {1, 2, 3});
        CliRun opaque = CliRun.of("inspect", "--app", app, "summary", "--server", SERVER.target());
        assertThat(opaque.exit()).isZero();
        assertThat(opaque.out()).contains("its VM state is not a device VM's").doesNotContain("thread");

        CliRun ghost = CliRun.of("inspect", "--app", "ghost-app", "summary", "--server", SERVER.target());
        assertThat(ghost.exit()).isEqualTo(1);
        assertThat(ghost.err().strip()).isEqualTo("vheap inspect summary: NOT_FOUND: no app named 'ghost-app'");
        CliRun nothing = CliRun.of("inspect", "--app", app);
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err()).contains("say what to inspect: summary");
        CliRun noApp = CliRun.of("inspect", "summary", "--server", SERVER.target());
        assertThat(noApp.exit()).isEqualTo(2);
        assertThat(noApp.err()).contains("--app");
    }
}
