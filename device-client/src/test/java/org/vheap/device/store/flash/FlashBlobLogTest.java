package org.vheap.device.store.flash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.OpenRequest;
import org.vheap.format.BlobHash;
import org.vheap.server.testing.MutableClock;
import org.vheap.store.LineImage;

/** The system blobs in their own log: synced before a checkpoint, never copied by a cleaning. */
class FlashBlobLogTest {
    private static final int BLOCK = 512;
    private final MutableClock clock = new MutableClock();
    private final Random random = new Random(29);

    @Test
    void aBlobIsDurableOnceACheckpointAfterItIsAndATornBlobLogIsCut() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = store(files);
        byte[] needed = bytes(3000);
        byte[] later = bytes(3000);
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", 64))) {
            store.systemBlobs("app").put(Map.of(BlobHash.digest(needed), needed));
            assertThat((long) files.blobs().synced()).as("a blob alone is not synced").isLessThan(files.blobs().size());
            s.commit(List.of(), new long[0], new byte[] {1}, Map.of());
            assertThat((long) files.blobs().synced()).as("the checkpoint synced the blobs first").isEqualTo(files.blobs().size());
            store.systemBlobs("app").put(Map.of(BlobHash.digest(later), later));   // never synced
        }
        for (int crash = 0; crash < 20; crash++) {
            MemoryLogFiles after = files.withBlobs(files.blobs().crash(random));
            FlashHeapStore again = store(after);
            assertThat(again.systemBlobs("app").get(List.of(BlobHash.digest(needed))).values()).singleElement()
                    .isEqualTo(needed);
            Map<BlobHash, byte[]> maybe = again.systemBlobs("app").get(List.of(BlobHash.digest(later)));
            assertThat(maybe.values()).as("the unsynced blob, whole or not at all").allMatch(b -> java.util.Arrays.equals(b, later));
            again.close();
        }
    }

    @Test
    void aBlobLogMadeBeforeAnyHeapWasOpenedSurvivesACrash() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = store(files);
        byte[] classFile = bytes(2000);
        store.systemBlobs("app").put(Map.of(BlobHash.digest(classFile), classFile));   // never synced
        int synced = files.blobs().synced();
        for (int keep = synced; keep < synced + 60; keep++) {   // a crash at each of the first bytes after the synced
            byte[] torn = bytes(10);
            FlashHeapStore again = store(files.withBlobs(files.blobs().crash(keep, torn)));
            assertThat(again.systemBlobs("app").missing(List.of(BlobHash.digest(classFile)))).hasSizeLessThanOrEqualTo(1);
            again.close();
        }
    }

    @Test
    void damageInBlobsALaterSyncCoveredIsRefusedNotCutOff() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = store(files);
        byte[] first = bytes(3000);
        byte[] second = bytes(3000);
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", 64))) {
            store.systemBlobs("app").put(Map.of(BlobHash.digest(first), first));
            s.commit(List.of(), new long[0], new byte[] {1}, Map.of());
            store.systemBlobs("app").put(Map.of(BlobHash.digest(second), second));
            s.commit(List.of(), new long[0], new byte[] {2}, Map.of());
        }
        int bad = 100;   // inside the first blob, synced (and marked) before the second was appended
        files.blobs().flip(bad, 5);
        long size = files.blobs().size();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store(files.reopened()))
                .isInstanceOf(IOException.class).hasMessageContaining("damaged at byte");
        assertThat(files.blobs().size()).as("nothing cut").isEqualTo(size);
        files.blobs().flip(bad, 5);
        FlashHeapStore again = store(files.reopened());
        assertThat(again.systemBlobs("app").missing(List.of(BlobHash.digest(first), BlobHash.digest(second)))).isEmpty();
    }

    @Test
    void aCleaningNeverCopiesTheBlobs() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = store(files);
        byte[] classFile = bytes(64 << 10);
        store.systemBlobs("app").put(Map.of(BlobHash.digest(classFile), classFile));
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", 64))) {
            for (int round = 0; round < 20; round++) {
                s.commit(List.of(new LineImage(round % 4, bytes(64))), new long[0], new byte[0], Map.of());
            }
        }
        store.cleanAll();
        store.cleanAll();
        assertThat(store.stats().bytesCopied()).as("two cleanings of a heap log of a few lines").isLessThan(8 << 10);
        assertThat(files.taken()).isLessThan(8 << 10);
        FlashHeapStore again = store(files.reopened());
        assertThat(again.systemBlobs("app").get(List.of(BlobHash.digest(classFile))).values()).singleElement()
                .isEqualTo(classFile);
    }

    @Test
    void blobsAnOlderStoreKeptInTheHeapsLogMoveToTheirOwnAtTheNextCleaning() throws IOException {
        byte[] classFile = bytes(5000);
        MemoryLogFiles files = olderStoreHolding(classFile);
        FlashHeapStore store = store(files);
        assertThat(store.systemBlobs("app").get(List.of(BlobHash.digest(classFile))).values()).singleElement()
                .isEqualTo(classFile);
        assertThat(store.systemBlobs("app").missing(List.of(BlobHash.digest(classFile)))).isEmpty();
        store.cleanAll();
        assertThat(files.records(BLOCK).stream().map(r -> r[0])).doesNotContain(FlashRecord.BLOB, FlashRecord.BLOB_REF);
        assertThat(FlashLogRecords.kinds(files.blobs(), BLOCK)).contains(FlashRecord.BLOB);
        FlashHeapStore again = store(files.reopened());
        assertThat(again.systemBlobs("app").get(List.of(BlobHash.digest(classFile))).values()).singleElement()
                .isEqualTo(classFile);
    }

    @Test
    void blobsAnOlderStoreKeptInTheHeapsLogThatDoNotFitInTheirOwnAreNamedWhereTheyLieByAPassThatLeavesThem()
            throws IOException {
        byte[] classFile = bytes(14_000);
        MemoryLogFiles files = olderStoreHolding(classFile);
        FlashStoreConfig config = new FlashStoreConfig().blockSize(BLOCK).flashSize(64L * BLOCK)
                .segmentSize(4L * BLOCK);
        FlashHeapStore store = new FlashHeapStore(files, config, clock);
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", 64))) {
            for (int round = 0; store.stats().cleanings() < 3; round++) {   // the blob never fits beside the logs
                assertThat(round).as("rounds before three passes").isLessThan(2_000);
                s.commit(List.of(new LineImage(round % 8, bytes(64))), new long[0], new byte[0], Map.of());
            }
        }
        assertThat(files.records(BLOCK).stream().map(r -> r[0])).as("named where it lies, in the first segment")
                .contains(FlashRecord.BLOB_REF);
        assertThat(FlashLogRecords.kinds(files.blobs(), BLOCK)).doesNotContain(FlashRecord.BLOB);
        FlashHeapStore again = new FlashHeapStore(files.reopened(), config, clock);
        assertThat(again.systemBlobs("app").get(List.of(BlobHash.digest(classFile))).values()).singleElement()
                .isEqualTo(classFile);
    }

    /** The logs of a store made before the blobs' log: {@code classFile} in its heap log. */
    private static MemoryLogFiles olderStoreHolding(byte[] classFile) throws IOException {
        FaultyFlashMedium heapLog = new FaultyFlashMedium();
        FlashLogWriter writer = new FlashLogWriter(heapLog, BLOCK);
        writer.append(FlashLogFormat.formatRecord(BLOCK));
        writer.append(FlashBlobLog.record(BlobHash.digest(classFile), classFile));
        writer.sync();
        return new MemoryLogFiles(heapLog);
    }

    private FlashHeapStore store(MemoryLogFiles files) throws IOException {
        return new FlashHeapStore(files, new FlashStoreConfig().blockSize(BLOCK).compactFloor(Long.MAX_VALUE), clock);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
