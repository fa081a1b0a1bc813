package org.vheap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.server.store.HeapDatabase;
import org.vheap.server.testing.TestDatabase;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;
import org.vheap.server.testing.CliRun;

/** {@code ./vheap export} from one server and {@code ./vheap import} into another, each on a database of its own. */
class HeapImageCommandsTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();
    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.onLoopback();
    private static HeapDatabase otherDatabase;
    private static TestHeapServer other;

    @BeforeAll
    static void startTheOtherServer() {
        otherDatabase = HeapDatabase.external(DB.createDatabase("vheap_cli_images_"), DB.user(), "", 4);
        other = TestHeapServer.onLoopback().dataSource(otherDatabase.dataSource()).start();
    }

    @AfterAll
    static void stopTheOtherServer() {
        other.close();
        otherDatabase.close();
    }

    /** An app of 50 lines, committed: its checkpoint id. */
    private static long anApp(String app) {
        HeapStoreClient client = new HeapStoreClient(SERVER.channel(), 30_000);
        long t = client.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("dev-cli")
                .setCreate(true).setLineSize(128).build()).getLease().getFencingToken();
        List<Line> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add(Line.newBuilder().setLineId(i).setData(com.google.protobuf.ByteString.copyFrom(
                    TestHeaps.line(128, i))).build());
        }
        return client.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t).setDevice("dev-cli").build(),
                lines, List.of(), 1 << 20).getCheckpoint().getCheckpointId();
    }

    @Test
    void anExportedCheckpointImportsIntoAnotherStoreOnceAndAgainOnlyWithReplace(@TempDir Path dir) throws Exception {
        String app = TestHeaps.app("cli-export");
        long cp = anApp(app);
        Path file = dir.resolve("app.vheap");

        CliRun export = CliRun.of("export", "--app", app, "--checkpoint", String.valueOf(cp), "-o", file.toString(),
                "--server", SERVER.target());
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).startsWith("exported checkpoint " + cp + " of app '" + app + "' to " + file);
        assertThat(export.err()).as("no progress bar off a terminal").isEmpty();
        try (var listed = Files.list(dir)) {
            assertThat(listed.map(p -> p.getFileName().toString())).containsExactly("app.vheap");
        }

        String copy = TestHeaps.app("cli-import");
        CliRun imported = CliRun.of("import", file.toString(), "--app", copy, "--server", other.target());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported app '" + copy + "' from " + file).contains("50 lines")
                .contains("app token (keep it");
        HeapStoreClient there = new HeapStoreClient(other.channel(), 30_000);
        assertThat(there.blocking().listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(copy).build())
                .getCheckpoints(0).getLineCount()).isEqualTo(50);

        CliRun again = CliRun.of("import", file.toString(), "--app", copy, "--server", other.target());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err().strip()).isEqualTo("vheap import: FAILED_PRECONDITION: an app named '" + copy
                + "' exists; import with replace to replace it, or under another name");
        CliRun replaced = CliRun.of("import", file.toString(), "--app", copy, "--replace", "--server", other.target());
        assertThat(replaced.exit()).as(replaced.err()).isZero();
        assertThat(replaced.out()).startsWith("replaced app '" + copy + "'");
    }

    @Test
    void aDamagedFileAMissingOneAndAnUnknownAppAreOneLineAndChangeNothing(@TempDir Path dir) throws Exception {
        String app = TestHeaps.app("cli-damaged");
        anApp(app);
        Path file = dir.resolve("app.vheap");
        assertThat(CliRun.of("export", "--app", app, "-o", file.toString(), "--server", SERVER.target()).exit()).isZero();
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.vheap");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path flipped = dir.resolve("flipped.vheap");
        bytes[bytes.length / 2] ^= 1;
        Files.write(flipped, bytes);

        String copy = TestHeaps.app("cli-never");
        CliRun cut = CliRun.of("import", truncated.toString(), "--app", copy, "--server", other.target());
        assertThat(cut.exit()).isEqualTo(1);
        assertThat(cut.err()).startsWith("vheap import: INVALID_ARGUMENT: the heap image ends early")
                .contains("truncated").contains("nothing was imported").hasLineCount(1);
        CliRun flip = CliRun.of("import", flipped.toString(), "--app", copy, "--server", other.target());
        assertThat(flip.exit()).isEqualTo(1);
        assertThat(flip.err()).startsWith("vheap import: INVALID_ARGUMENT: the heap image is damaged").hasLineCount(1);
        CliRun apps = CliRun.of("apps", "--server", other.target());
        assertThat(apps.out()).doesNotContain(copy);

        CliRun missing = CliRun.of("import", dir.resolve("nope.vheap").toString(), "--server", other.target());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("vheap import: no such file: " + dir.resolve("nope.vheap"));

        Path ghostFile = dir.resolve("ghost.vheap");
        CliRun ghost = CliRun.of("export", "--app", "ghost-app", "-o", ghostFile.toString(), "--server", SERVER.target());
        assertThat(ghost.exit()).isEqualTo(1);
        assertThat(ghost.err().strip()).isEqualTo("vheap export: NOT_FOUND: no app named 'ghost-app'");
        try (var listed = Files.list(dir)) {
            assertThat(listed.map(p -> p.getFileName().toString())).as("no file, no partial one")
                    .containsExactlyInAnyOrder("app.vheap", "truncated.vheap", "flipped.vheap");
        }
        CliRun noDir = CliRun.of("export", "--app", app, "-o", dir.resolve("no/such/dir/x.vheap").toString(),
                "--server", SERVER.target());
        assertThat(noDir.exit()).isEqualTo(2);
        assertThat(noDir.err()).contains("no such directory");
    }
}
