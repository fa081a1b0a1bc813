package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.format.BlobHash;
import org.vheap.format.ClassPathManifest;
import org.vheap.format.HeapImageHeader;
import org.vheap.format.HeapImageReader;
import org.vheap.format.HeapImageWriter;
import org.vheap.format.VmStateImage;
import org.vheap.server.testing.TestDatabase;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * Export and import between two stores, each on a database of its own: what an image carries, and what a refused
 * import leaves (nothing).
 */
class HeapImagesTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();
    private static final int LINE = 256;
    private static final long[] NONE = new long[0];
    private static HeapDatabase otherDatabase;

    private final PgHeapStore source = DB.store(Clock.systemUTC(), StoreSettings.defaults());

    @BeforeAll
    static void startTheOtherStore() {
        otherDatabase = HeapDatabase.external(DB.createDatabase("vheap_images_"), DB.user(), "", 4);
    }

    @AfterAll
    static void stopTheOtherStore() {
        otherDatabase.close();
    }

    private static PgHeapStore target() {
        return new PgHeapStore(otherDatabase.dataSource(), Clock.systemUTC(), StoreSettings.defaults(), Runnable::run);
    }

    /** A VM state naming a class file and a class path file, as a device's names them. */
    private static byte[] vmState(byte[] classFile, byte[] appFile) {
        VmStateImage s = new VmStateImage();
        s.preparer = 5;
        s.vmMillis = 1234;
        s.classes.add(new VmStateImage.ClassImage(1, "Main", BlobHash.digest(classFile).bytes(), null, false, false,
                '\0', 8, 16, 3, 0));
        s.attachments.put(ClassPathManifest.ATTACHMENT, new ClassPathManifest(Map.of("data.txt",
                BlobHash.digest(appFile)), List.of(), Map.of()).encode());
        return s.encode();
    }

    private record Source(String app, long first, long second, Map<Long, byte[]> firstLines, byte[] firstState,
                          List<byte[]> blobs) {
    }

    /** An app with two checkpoints: 300 lines, then 40 of them changed and 10 deleted. */
    private Source anApp() {
        String app = TestHeaps.app("image");
        byte[] classFile = TestHeaps.uniqueBlob(5000);
        byte[] appFile = TestHeaps.uniqueBlob(70);
        source.systemBlobs().put(app, List.of(new SystemBlobs.Blob(BlobHash.digest(classFile).bytes(), classFile),
                new SystemBlobs.Blob(BlobHash.digest(appFile).bytes(), appFile)));
        long token = source.open(new PgHeapStore.OpenRequest(app, "dev-a", true, LINE, 0, 0, false)).lease().fencingToken();
        Map<Long, byte[]> lines = new LinkedHashMap<>();
        List<LineImage> writes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] data = TestHeaps.line(LINE, i * 7 + 1);
            lines.put((long) i * 3, data);
            writes.add(new LineImage(i * 3L, data));
        }
        byte[] state = vmState(classFile, appFile);
        long first = source.commit(app, token, "dev-a", state, Map.of("k", "v"), writes, NONE).checkpoint().checkpointId();
        List<LineImage> changed = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            changed.add(new LineImage(i * 3L, TestHeaps.line(LINE, 99)));
        }
        long[] deleted = {300, 303, 306, 309, 312, 315, 318, 321, 324, 327};
        long second = source.commit(app, token, "dev-a", new byte[] {1}, Map.of(), changed, deleted).checkpoint()
                .checkpointId();
        source.close(app, token);
        return new Source(app, first, second, lines, state, List.of(classFile, appFile));
    }

    private byte[] export(String app, long checkpoint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<HeapToolProgress> progress = new ArrayList<>();
        source.exportHeap(app, checkpoint, out, progress::add);
        assertThat(progress).last().satisfies(p -> assertThat(p.linesDone()).isEqualTo(p.linesTotal()));
        return out.toByteArray();
    }

    private static PgHeapStore.Imported importInto(PgHeapStore store, String app, boolean replace, byte[] file) {
        try (HeapImageReader reader = new HeapImageReader(new ByteArrayInputStream(file))) {
            return store.importHeap(app, replace, reader, new byte[32], p -> {
            });
        }
    }

    private static Map<Long, byte[]> lines(PgHeapStore store, String app, long checkpoint) {
        Map<Long, byte[]> lines = new LinkedHashMap<>();
        store.streamLines(app, 0, checkpoint, List.of(), 1 << 20, batch -> batch.forEach(l -> lines.put(l.lineId(), l.data())));
        return lines;
    }

    /** Lines by id as the SHA-256 of their bytes: maps that compare by content, and print short. */
    private static Map<Long, String> digests(Map<Long, byte[]> lines) {
        Map<Long, String> d = new LinkedHashMap<>();
        lines.forEach((id, data) -> d.put(id, BlobHash.digest(data).toString()));
        return d;
    }

    @Test
    void anOlderCheckpointGoesToAnotherDatabaseWholeAndOpensThere() {
        Source s = anApp();
        byte[] file = export(s.app(), s.first());
        PgHeapStore target = target();
        String copy = TestHeaps.app("copy");

        PgHeapStore.Imported made = importInto(target, copy, false, file);

        assertThat(made.app()).isEqualTo(copy);
        assertThat(made.blobs()).isEqualTo(2);
        assertThat(made.blobsAdded()).isEqualTo(2);
        assertThat(made.replaced()).isFalse();
        Map<Long, String> imported = digests(lines(target, copy, 0));
        assertThat(imported).isEqualTo(digests(s.firstLines())).isEqualTo(digests(lines(source, s.app(), s.first())));
        CheckpointRecord cp = target.listCheckpoints(copy).get(0);
        assertThat(target.listCheckpoints(copy)).hasSize(1);
        assertThat(cp.lineCount()).isEqualTo(300);
        assertThat(cp.metadata()).containsEntry("k", "v").containsEntry(HeapImages.IMPORTED_FROM, s.app() + "@" + s.first());
        SystemBlobs.Fetched blobs = target.systemBlobs().get(copy, s.blobs().stream().map(TestHeaps::sha256).toList());
        assertThat(blobs.missing()).isEmpty();

        // a device opens it as any other: the lease free, the VM state the exported one, and it commits on top
        OpenResult opened = target.open(new PgHeapStore.OpenRequest(copy, "dev-b", false, 0, 0, 0, true));
        assertThat(opened.vmState()).isEqualTo(s.firstState());
        assertThat(opened.lineSize()).isEqualTo(LINE);
        long token = opened.lease().fencingToken();
        target.flush(copy, token, List.of(new LineImage(1, TestHeaps.line(LINE, 5))), NONE);
        long next = target.commit(copy, token, "dev-b", new byte[] {2}, Map.of(), List.of(), new long[] {0}).checkpoint()
                .checkpointId();
        assertThat(next).isGreaterThan(cp.checkpointId());
        assertThat(lines(target, copy, next)).hasSize(300).containsKey(1L).doesNotContainKey(0L);
        assertThat(lines(target, copy, cp.checkpointId())).hasSize(300).containsKey(0L);   // the import's stays whole
    }

    @Test
    void theNewestIsTheDefaultAndAnImportKeepsTheFilesNameUnlessGivenOne() {
        Source s = anApp();
        byte[] file = export(s.app(), 0);
        PgHeapStore target = target();
        PgHeapStore.Imported made = importInto(target, "", false, file);
        assertThat(made.app()).isEqualTo(s.app());
        assertThat(made.blobs()).as("the newest's VM state is not a device's: it names no blob").isZero();
        Map<Long, String> imported = digests(lines(target, s.app(), 0));
        assertThat(imported).hasSize(290).isEqualTo(digests(lines(source, s.app(), s.second())));
        assertThat(made.checkpoint().metadata()).containsEntry(HeapImages.IMPORTED_FROM, s.app() + "@" + s.second());
    }

    /** The target's rows of every table an import writes, to show a refused one wrote none. */
    private static List<Long> counts() {
        List<Long> counts = new ArrayList<>();
        try (var c = otherDatabase.dataSource().getConnection(); var st = c.createStatement()) {
            for (String table : List.of("heap", "heap_name", "checkpoint", "line_version", "system_blob", "app_token")) {
                try (var rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.add(rs.getLong(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    private static void refused(PgHeapStore target, String app, boolean replace, byte[] file,
                                StoreException.Reason reason, String message) {
        List<Long> before = counts();
        assertThatThrownBy(() -> importInto(target, app, replace, file)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(reason)).hasMessageContaining(message);
        assertThat(counts()).as("rows after a refused import").isEqualTo(before);
    }

    @Test
    void aDamagedFileIsRefusedAfterItsLinesWereWrittenAndLeavesNothing() {
        Source s = anApp();
        byte[] file = export(s.app(), s.first());
        PgHeapStore target = target();
        String app = TestHeaps.app("damaged");
        // damage in the END section: the header, the VM state, the blobs and every line are read (and written) first
        byte[] flipped = file.clone();
        flipped[file.length - 3] ^= 0x10;
        refused(target, app, false, flipped, StoreException.Reason.INVALID_ARGUMENT, "(END) fails its checksum");
        byte[] truncated = Arrays.copyOf(file, file.length - 20);
        refused(target, app, false, truncated, StoreException.Reason.INVALID_ARGUMENT, "truncated");
        assertThatThrownBy(() -> target.app(app)).isInstanceOf(StoreException.class);
    }

    @Test
    void aTakenNameIsRefusedWithoutReplaceAndAHeldOneEvenWithIt() {
        Source s = anApp();
        byte[] file = export(s.app(), s.first());
        PgHeapStore target = target();
        String app = TestHeaps.app("taken");
        importInto(target, app, false, file);
        long held = target.open(new PgHeapStore.OpenRequest(app, "dev-b", false, 0, 0, 0, false)).lease().fencingToken();
        target.flush(app, held, List.of(new LineImage(1, TestHeaps.line(LINE, 5))), NONE);
        long mine = target.commit(app, held, "dev-b", new byte[] {3}, Map.of(), List.of(), NONE).checkpoint().checkpointId();

        refused(target, app, false, file, StoreException.Reason.CONFLICT, "exists; import with replace");
        refused(target, app, true, file, StoreException.Reason.CONFLICT, "is leased to device 'dev-b'");
        assertThatThrownBy(() -> importInto(target, app, true, file)).hasMessageContaining("suspend it");
        assertThat(target.listCheckpoints(app).get(0).checkpointId()).isEqualTo(mine);

        target.close(app, held);
        PgHeapStore.Imported replaced = importInto(target, app, true, file);
        assertThat(replaced.replaced()).isTrue();
        assertThat(replaced.blobsAdded()).isZero();
        assertThat(target.listCheckpoints(app)).extracting(CheckpointRecord::checkpointId)
                .containsExactly(replaced.checkpoint().checkpointId());
        assertThat(lines(target, app, 0)).hasSize(300).doesNotContainKey(1L);
    }

    @Test
    void anImportLackingABlobItsVmStateNamesIsRefusedUnlessTheStoreHasIt() {
        byte[] classFile = TestHeaps.uniqueBlob(300);
        byte[] appFile = TestHeaps.uniqueBlob(40);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (HeapImageWriter w = new HeapImageWriter(file, new HeapImageHeader("lacking", LINE, 9, 0, "dev-a", 1, 1,
                Map.of()))) {
            w.vmState(vmState(classFile, appFile));
            w.blob(BlobHash.digest(appFile), appFile);   // the class file left out
            w.line(4, TestHeaps.line(LINE, 4));
            w.finish();
        }
        PgHeapStore target = target();
        String app = TestHeaps.app("lacking");
        refused(target, app, false, file.toByteArray(), StoreException.Reason.INVALID_ARGUMENT,
                "lacks 1 system blob(s) its VM state names (" + BlobHash.digest(classFile) + ")");
        target.systemBlobs().put(app, List.of(new SystemBlobs.Blob(BlobHash.digest(classFile).bytes(), classFile)));
        PgHeapStore.Imported made = importInto(target, app, false, file.toByteArray());
        assertThat(made.blobs()).isEqualTo(1);
        assertThat(lines(target, app, 0)).containsOnlyKeys(4L);
    }

    @Test
    void aCheckpointWhoseBlobsTheStoreLacksIsNotExported() {
        String app = TestHeaps.app("unblobbed");
        byte[] classFile = TestHeaps.uniqueBlob(100);
        byte[] appFile = TestHeaps.uniqueBlob(100);
        long token = source.open(new PgHeapStore.OpenRequest(app, "dev-a", true, LINE, 0, 0, false)).lease().fencingToken();
        source.commit(app, token, "dev-a", vmState(classFile, appFile), Map.of(), List.of(), NONE);
        // the source lacks them too (a device that never uploaded them): it cannot export what it cannot resume
        assertThatThrownBy(() -> source.exportHeap(app, 0, new ByteArrayOutputStream(), p -> {
        })).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(
                StoreException.Reason.CONFLICT)).hasMessageContaining("which the store lacks");
    }

    @Test
    void anUnknownAppOrCheckpointIsNotFound() {
        Source s = anApp();
        assertThatThrownBy(() -> source.exportHeap(TestHeaps.app("none"), 0, new ByteArrayOutputStream(), p -> {
        })).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND));
        assertThatThrownBy(() -> source.exportHeap(s.app(), s.second() + 1000, new ByteArrayOutputStream(), p -> {
        })).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND));
    }
}
