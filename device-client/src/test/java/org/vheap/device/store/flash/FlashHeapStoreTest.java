package org.vheap.device.store.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.OpenRequest;
import org.vheap.format.BlobHash;
import org.vheap.server.testing.MutableClock;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * What only the flash store shows: its checkpoints outlive the process, and a crash at any byte of its log leaves
 * each app at exactly a checkpoint it committed (the newest it was told of, or one whose commit record made it),
 * never a mix.
 */
class FlashHeapStoreTest {
    private static final int BLOCK = 512;
    private static final int LINE = 64;
    private final MutableClock clock = new MutableClock();

    @Test
    void checkpointsAndBlobsOutliveTheStoreAndLeasesDoNot() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = store(files, Long.MAX_VALUE);
        byte[] classFile = "class A".getBytes();
        store.systemBlobs("app").put(Map.of(BlobHash.digest(classFile), classFile));
        long first;
        long second;
        long token;
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev-a", LINE))) {
            s.flush(List.of(line(1, 1), line(2, 2)), new long[0]);
            first = s.commit(List.of(line(3, 3)), new long[0], new byte[] {7}, Map.of());
            second = s.commit(List.of(line(1, 11)), new long[] {2}, new byte[] {8, 9}, Map.of());
            s.flush(List.of(line(4, 4)), new long[0]);   // never committed
            token = s.fencingToken();
        }
        FlashHeapStore again = store(files.reopened(), Long.MAX_VALUE);   // the same media: a device that restarted
        try (HeapSession s = again.openHeap(new OpenRequest("app", "dev-b", false, 0, Duration.ZERO, 0))) {
            assertThat(s.created()).isFalse();
            assertThat(s.lineSize()).isEqualTo(LINE);
            assertThat(s.baseCheckpointId()).isEqualTo(second);
            assertThat(s.baseVmState()).containsExactly(8, 9);
            assertThat(s.fencingToken()).as("tokens go on growing").isGreaterThan(token);
            assertThat(values(s, 1, 2, 3, 4)).containsExactly(11, -1, 3, -1);
            assertThat(s.commit(List.of(), new long[0], new byte[0], Map.of())).isGreaterThan(second);
        }
        try (HeapSession s = again.openHeap(new OpenRequest("app", "dev-b", false, 0, Duration.ZERO, first))) {
            assertThat(values(s, 1, 2, 3, 4)).containsExactly(1, 2, 3, -1);
            assertThat(s.baseVmState()).containsExactly(7);
        }
        assertThat(again.systemBlobs("app").get(List.of(BlobHash.digest(classFile))).values())
                .singleElement().isEqualTo(classFile);
    }

    @Test
    void aCrashAtEveryByteOfACommitLeavesOneWholeCheckpoint() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        FlashHeapStore store = store(medium);
        long committed;
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            committed = s.commit(lines(0, 20, 1), new long[0], new byte[] {1}, Map.of());
            s.flush(lines(0, 10, 2), new long[0]);
            medium.failSyncs();   // the next commit reaches the medium but is never synced, nor answered
            assertThatThrownBy(() -> s.commit(lines(10, 20, 2), new long[0], new byte[] {2}, Map.of()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("medium failed")
                    .satisfies(e -> assertThat(((StoreException) e).reason()).as("not retried")
                            .isEqualTo(StoreException.Reason.INTERNAL));
            assertThatThrownBy(() -> s.read(new long[] {0})).as("a failed store stays failed")
                    .isInstanceOf(StoreException.class).hasMessageContaining("restart the device");
        }
        int wholeNewer = 0;
        for (int cut = medium.synced(); cut <= medium.size(); cut++) {
            for (byte[] torn : List.of(new byte[0], new byte[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5})) {
                FlashHeapStore after = store(medium.crash(cut, torn));
                try (HeapSession s = after.openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
                    int[] values = values(s, range(0, 20));
                    int round = values[0];
                    assertThat(values).as("cut at %d: one round's lines", cut).containsOnly(round);
                    if (s.baseCheckpointId() == committed) {
                        assertThat(round).isEqualTo(1);
                        assertThat(s.baseVmState()).containsExactly(1);
                    } else {
                        assertThat(cut).as("the commit record ended before the cut").isEqualTo((int) medium.size());
                        assertThat(round).isEqualTo(2);
                        assertThat(s.baseVmState()).containsExactly(2);
                        wholeNewer++;
                    }
                }
            }
        }
        assertThat(wholeNewer).as("the commit whose record survived whole").isEqualTo(2);
    }

    @Test
    void randomHistoriesSurviveRandomCrashes() throws IOException {
        Random random = new Random(17);
        for (int run = 0; run < 60; run++) {
            FaultyFlashMedium medium = new FaultyFlashMedium();
            FlashHeapStore store = store(medium);
            TreeMap<Long, Map<Long, Integer>> acknowledged = new TreeMap<>();
            Map<Long, Integer> open = new HashMap<>();
            try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
                for (int step = 0; step < 30; step++) {
                    List<LineImage> writes = new ArrayList<>();
                    for (long id = random.nextInt(8), n = random.nextInt(4); n > 0 && id < 8; id += 1 + random.nextInt(3), n--) {
                        int value = random.nextInt(1000);
                        writes.add(line(id, value));
                        open.put(id, value);
                    }
                    long[] deletes = random.nextInt(5) == 0 ? deletable(writes, random) : new long[0];
                    for (long d : deletes) {
                        open.remove(d);
                    }
                    if (random.nextBoolean()) {
                        s.flush(writes, deletes);
                    } else {
                        long id = s.commit(writes, deletes, new byte[] {(byte) step}, Map.of());
                        acknowledged.put(id, new HashMap<>(open));
                    }
                }
            }
            FlashHeapStore after = store(medium.crash(random));
            if (acknowledged.isEmpty()) {
                continue;
            }
            long newest = acknowledged.lastKey();
            try (HeapSession s = after.openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
                assertThat(s.baseCheckpointId()).as("run %d", run).isEqualTo(newest);
            }
            for (long id : acknowledged.descendingKeySet().stream().limit(FlashStoreConfig.DEFAULT_RETAIN).toList()) {
                try (HeapSession s = after.openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, id))) {
                    Map<Long, Integer> expected = acknowledged.get(id);
                    int[] values = values(s, range(0, 8));
                    for (int l = 0; l < 8; l++) {
                        assertThat(values[l]).as("run %d, checkpoint %d, line %d", run, id, l)
                                .isEqualTo(expected.getOrDefault((long) l, -1));
                    }
                }
            }
        }
    }

    /**
     * With {@code patched}, each write changes a few bytes of a line and each checkpoint a few bytes of a 300-byte VM
     * state, so lines and states are written as patches on patches, rebased and made whole by the compactions.
     */
    @ParameterizedTest(name = "patched: {0}")
    @ValueSource(booleans = {false, true})
    void compactionsKeepEveryRetainedCheckpointTheOpenEpochAndTheBlobsAndBoundTheLog(boolean patched) throws IOException {
        Random random = new Random(23);
        byte[] classFile = "class B".getBytes();
        for (int run = 0; run < 20; run++) {
            MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
            FlashHeapStore store = store(files, 2048);
            store.systemBlobs("app").put(Map.of(BlobHash.digest(classFile), classFile));
            TreeMap<Long, Map<Long, Integer>> acknowledged = new TreeMap<>();
            Map<Long, Integer> steps = new HashMap<>();
            Map<Long, Integer> open = new HashMap<>();
            HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE));
            long largest = 0;
            for (int step = 0; step < 200; step++) {
                if (random.nextInt(10) == 0 && !acknowledged.isEmpty()) {   // a fork: on a retained checkpoint
                    List<Long> retained = acknowledged.descendingKeySet().stream()
                            .limit(FlashStoreConfig.DEFAULT_RETAIN).toList();
                    long base = retained.get(random.nextInt(retained.size()));
                    s.close();
                    s = store.openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, base));
                    open = new HashMap<>(acknowledged.get(base));
                }
                List<LineImage> writes = new ArrayList<>();
                for (long id = random.nextInt(8), n = 1 + random.nextInt(3); n > 0 && id < 8; id += 1 + random.nextInt(3), n--) {
                    int value = random.nextInt(1000);
                    writes.add(patched ? smallLine(id, value) : line(id, value));
                    open.put(id, value);
                }
                long[] deletes = random.nextInt(5) == 0 ? deletable(writes, random) : new long[0];
                for (long d : deletes) {
                    open.remove(d);
                }
                if (random.nextBoolean()) {
                    s.flush(writes, deletes);
                } else {
                    long id = s.commit(writes, deletes, state(patched, step), Map.of());
                    acknowledged.put(id, new HashMap<>(open));
                    steps.put(id, step);
                }
                int[] values = values(s, range(0, 8));
                for (int l = 0; l < 8; l++) {
                    assertThat(values[l]).as("run %d, step %d, line %d", run, step, l).isEqualTo(open.getOrDefault((long) l, -1));
                }
                largest = Math.max(largest, files.taken());
            }
            assertThat(files.installs()).as("run %d: cleanings", run).isPositive();
            assertThat(largest).as("run %d: the log stays bounded", run).isLessThan(16 << 10);
            assertThat(store.systemBlobs("app").get(List.of(BlobHash.digest(classFile))).values())
                    .singleElement().isEqualTo(classFile);

            FlashHeapStore after = store(files.crashed(random), Long.MAX_VALUE);
            for (long id : acknowledged.descendingKeySet().stream().limit(FlashStoreConfig.DEFAULT_RETAIN).toList()) {
                try (HeapSession r = after.openHeap(new OpenRequest("app", "dev-2", false, 0, Duration.ZERO, id))) {
                    assertThat(r.baseVmState()).as("run %d, checkpoint %d's state", run, id)
                            .isEqualTo(state(patched, steps.get(id)));
                    int[] values = values(r, range(0, 8));
                    for (int l = 0; l < 8; l++) {
                        assertThat(values[l]).as("run %d, checkpoint %d, line %d", run, id, l)
                                .isEqualTo(acknowledged.get(id).getOrDefault((long) l, -1));
                    }
                }
            }
            assertThat(after.systemBlobs("app").get(List.of(BlobHash.digest(classFile))).values())
                    .singleElement().isEqualTo(classFile);
        }
    }

    @Test
    void aCleanedLogDropsItsSegmentsFilesAndTheStoreOpensOnIt(@TempDir Path dir) throws IOException {
        long last;
        try (FlashHeapStore store = new FlashHeapStore(new DirectoryLogFiles(dir),
                config().compactFloor(8192).segmentSize(2048), clock);
             HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            last = 0;
            for (int round = 1; round <= 300; round++) {
                last = s.commit(lines(0, 10, round), new long[0], new byte[] {(byte) round}, Map.of());
                assertThat(segmentFiles(dir)).as("round %d", round).isLessThan(3 * 8192 + 2048);
            }
            s.flush(lines(0, 5, 1000), new long[0]);
            assertThat(store.stats().cleanings()).as("300 rounds of 10 lines clean the log").isGreaterThan(5);
        }
        assertThat(dir.resolve("heap.next")).doesNotExist();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("heap-")).count())
                    .as("segments dropped").isLessThan(20);
        }
        try (FlashHeapStore again = FlashHeapStore.open(dir, config(), clock);
             HeapSession s = again.openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(s.baseCheckpointId()).isEqualTo(last);
            assertThat(values(s, range(0, 10))).containsOnly(300);
            assertThat(s.baseVmState()).containsExactly((byte) 300);
        }
    }

    /** The bytes of the heap log's segment files in {@code dir}. */
    private static long segmentFiles(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            long total = 0;
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().startsWith("heap-")) {
                    total += java.nio.file.Files.size(p);
                }
            }
            return total;
        }
    }

    @Test
    void anOlderStoresSingleLogBecomesItsFirstSegment(@TempDir Path dir) throws IOException {
        FaultyFlashMedium older = new FaultyFlashMedium();
        try (HeapSession s = store(older).openHeap(OpenRequest.create("app", "dev", LINE))) {
            s.commit(lines(0, 30, 1), new long[0], new byte[] {1}, Map.of());
        }
        byte[] bytes = new byte[(int) older.size()];
        older.read(0, java.nio.ByteBuffer.wrap(bytes));
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve("heap.log"), bytes);
        try (FlashHeapStore store = FlashHeapStore.open(dir, config(), clock);
             HeapSession s = store.openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(values(s, range(0, 30))).containsOnly(1);
        }
        assertThat(dir.resolve("heap.log")).doesNotExist();
        assertThat(java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(dir.resolve("heap-0000000000000000.log")),
                bytes.length)).as("its log, the session's OPEN after it").isEqualTo(bytes);
    }

    @Test
    void aTornTailIsCutOffAndKeptAndALogIsReadWithItsOwnBlockSize() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        try (HeapSession s = store(medium).openHeap(OpenRequest.create("app", "dev", LINE))) {
            s.commit(lines(0, 30, 1), new long[0], new byte[] {1}, Map.of());
        }
        byte[] torn = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
        MemoryLogFiles files = new MemoryLogFiles(medium.crash((int) medium.size(), torn));
        FlashHeapStore other = new FlashHeapStore(files, config().blockSize(4 * BLOCK)
                .compactFloor(Long.MAX_VALUE), clock);   // asked for other blocks: the log's own are used
        assertThat(files.cuts).singleElement().isEqualTo(torn);
        assertThat(files.taken()).isEqualTo(medium.size());
        try (HeapSession s = other.openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(values(s, range(0, 30))).containsOnly(1);
            s.commit(lines(0, 30, 2), new long[0], new byte[] {2}, Map.of());
        }
        try (HeapSession s = store(files.reopened(), Long.MAX_VALUE).openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(values(s, range(0, 30))).containsOnly(2);
        }
        FaultyFlashMedium foreign = new FaultyFlashMedium();
        foreign.append(java.nio.ByteBuffer.wrap(new byte[100]));
        assertThatThrownBy(() -> store(foreign)).isInstanceOf(IOException.class).hasMessageContaining("not a flash store's log");
    }

    @Test
    void aLogWhoseRecordNamesAnAppNoCreateRecordMadeDoesNotOpen() throws IOException {
        for (byte[] record : List.of(
                FlashLineVersions.patch(5, 1, new FlashPatches.Header(0, 1, 1, 0), new byte[0]),
                FlashRecord.of(FlashRecord.CLOSE).u4(5).toBytes())) {
            FaultyFlashMedium medium = new FaultyFlashMedium();
            FlashLogWriter writer = new FlashLogWriter(medium, BLOCK);
            writer.append(FlashLogFormat.formatRecord(BLOCK));
            writer.append(FlashRecord.of(FlashRecord.CREATE).u4(0).utf("app").u4(LINE).toBytes());
            writer.append(record);
            writer.sync();
            assertThatThrownBy(() -> store(medium)).isInstanceOf(IOException.class)
                    .hasMessageContaining("names app number 5, which no CREATE record before it made (1 apps made)");
        }
    }

    @Test
    void aCleaningThatFailsLeavesTheCommitAndTheLog() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = store(files, 2048);
        files.nextFails(true);
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            for (int round = 1; round <= 40; round++) {
                assertThat(s.commit(lines(0, 8, round), new long[0], new byte[0], Map.of())).isPositive();
            }
            assertThat(files.installs()).isZero();
            files.nextFails(false);
            for (int round = 41; round <= 120; round++) {
                s.commit(lines(0, 8, round), new long[0], new byte[0], Map.of());
            }
            assertThat(files.installs()).as("cleaned once it could").isPositive();
            assertThat(values(s, range(0, 8))).containsOnly(120);
        }
    }

    @Test
    void twoAppsATakeoverAndAnAppWithNoCheckpointSurviveCleaningAndRestart() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = store(files, 1024);
        store.openHeap(OpenRequest.create("empty", "dev", LINE)).close();   // opened, never committed
        HeapSession a = store.openHeap(OpenRequest.create("a", "dev-1", LINE));
        a.commit(lines(0, 4, 1), new long[0], new byte[] {1}, Map.of());
        a.flush(lines(4, 6, 1), new long[0]);
        clock.advance(Duration.ofMinutes(1));   // its lease ends: another device takes the app
        HeapSession heir = store.openHeap(new OpenRequest("a", "dev-2", false, 0, Duration.ZERO, 0));
        assertThatThrownBy(() -> a.read(new long[] {0})).isInstanceOf(StoreException.class).hasMessageContaining("stale");
        assertThat(values(heir, range(0, 6))).as("the first device's flush was dropped").containsExactly(1, 1, 1, 1, -1, -1);
        long newestA = 0;
        long lastToken = heir.fencingToken();
        try (HeapSession b = store.openHeap(OpenRequest.create("b", "dev-3", LINE))) {
            for (int round = 2; round <= 60; round++) {
                newestA = heir.commit(lines(0, 4, round), new long[0], new byte[] {(byte) round}, Map.of());
                b.commit(lines(0, 3, 100 + round), new long[0], new byte[0], Map.of());
                assertThat(values(heir, range(0, 4))).containsOnly(round);
            }
            lastToken = Math.max(lastToken, b.fencingToken());
        }
        assertThat(files.installs()).isPositive();
        heir.close();

        FlashHeapStore after = store(files.crashed(new Random(1)), Long.MAX_VALUE);
        try (HeapSession e = after.openHeap(OpenRequest.create("empty", "dev", LINE))) {
            assertThat(e.created()).as("opened before: not created again").isFalse();
            assertThat(e.fencingToken()).as("no token issued twice").isGreaterThan(lastToken);
        }
        try (HeapSession s = after.openHeap(new OpenRequest("a", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(s.baseCheckpointId()).isEqualTo(newestA);
            assertThat(values(s, range(0, 6))).containsExactly(60, 60, 60, 60, -1, -1);
            assertThat(s.commit(List.of(), new long[0], new byte[0], Map.of())).as("ids go on growing").isGreaterThan(newestA);
        }
        try (HeapSession s = after.openHeap(new OpenRequest("b", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(values(s, range(0, 3))).containsOnly(160);
        }
    }

    @Test
    void withAFlashSizeTheLogIsCleanedAsLateAsItFits() throws IOException {
        long flashSize = 64L * BLOCK;
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = new FlashHeapStore(files, config().flashSize(flashSize).compactFloor(0), clock);
        long sizeWhenCompacted = 0;
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            for (int round = 1; files.installs() == 0; round++) {   // one line rewritten: about one line is live
                assertThat(round).as("rounds before the first cleaning").isLessThan(10_000);
                sizeWhenCompacted = files.taken();
                s.commit(lines(0, 1, round), new long[0], new byte[0], Map.of());
            }
        }
        assertThat(sizeWhenCompacted).as("not at twice what is live: as late as the flash size lets it")
                .isGreaterThan(flashSize / 2);
    }

    @Test
    void aHeapThatGrowsAfterTheStoreOpenedIsStillCleanedInTime() throws IOException {
        long flashSize = 128L * BLOCK;
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = new FlashHeapStore(files, config().flashSize(flashSize), clock);   // opened empty
        Random random = new Random(31);
        int line = 1024;   // lines whose patches are small beside them, as a heap's are
        int lines = (int) (flashSize / 4 / line);   // a quarter of the flash size live, written after the store opened
        byte[][] content = new byte[lines][line];
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", line))) {
            List<LineImage> all = FlashTestLines.rewritten(random, content);
            s.commit(all, new long[0], new byte[0], Map.of());
            for (int round = 0; round < 600; round++) {   // several flash sizes written, in patches
                List<LineImage> changed = new ArrayList<>();
                for (int k = 0; k < 16; k++) {
                    int l = (round * 16 + k) % lines;
                    content[l][random.nextInt(line)] ^= 1;
                    changed.add(new LineImage(l, content[l].clone()));
                }
                s.commit(changed, new long[0], new byte[0], Map.of());   // never refused as full
            }
            assertThat(files.installs()).as("cleanings").isGreaterThan(3);
            byte[][] read = s.read(java.util.stream.LongStream.range(0, lines).toArray());
            for (int i = 0; i < lines; i++) {
                assertThat(read[i]).as("line %d", i).isEqualTo(content[i]);
            }
        }
    }

    @Test
    void damageBeforeASyncedCheckpointIsRefusedNotCutOff() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        MemoryLogFiles files = new MemoryLogFiles(medium);
        long firstEnd;
        try (HeapSession s = store(files, Long.MAX_VALUE).openHeap(OpenRequest.create("app", "dev", LINE))) {
            s.commit(lines(0, 20, 1), new long[0], new byte[] {1}, Map.of());
            firstEnd = medium.size();
            s.commit(lines(0, 20, 2), new long[0], new byte[] {2}, Map.of());
            s.commit(lines(0, 20, 3), new long[0], new byte[] {3}, Map.of());
        }
        int bad = (int) firstEnd / 2;   // inside the first checkpoint's lines, synced by its commit
        medium.flip(bad, 3);
        long size = medium.size();
        assertThatThrownBy(() -> store(files.reopened(), Long.MAX_VALUE)).isInstanceOf(IOException.class)
                .hasMessageContaining("the flash store's heap log is damaged at byte").hasMessageContaining("nothing of it was cut off");
        assertThat(medium.size()).as("nothing cut").isEqualTo(size);
        assertThat(files.cuts).isEmpty();
        medium.flip(bad, 3);   // repaired: it opens on every checkpoint
        try (HeapSession s = store(files.reopened(), Long.MAX_VALUE)
                .openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(values(s, range(0, 20))).containsOnly(3);
        }
    }

    /**
     * After a power loss a file system may show a log's tail with blocks an older log left on the disk: their
     * checkpoints are no newer than the log's own, so they are a torn tail, cut off, not damage.
     */
    @Test
    void anOlderLogsBlocksPastTheEndAreATornTailNotDamage() throws IOException {
        FaultyFlashMedium older = new FaultyFlashMedium();
        try (HeapSession s = store(new MemoryLogFiles(older), Long.MAX_VALUE).openHeap(OpenRequest.create("app", "dev", LINE))) {
            for (int round = 1; round <= 3; round++) {
                s.commit(lines(0, 20, round), new long[0], new byte[] {(byte) round}, Map.of());
            }
        }
        FaultyFlashMedium log = new FaultyFlashMedium();
        long newest = 0;
        try (HeapSession s = store(new MemoryLogFiles(log), Long.MAX_VALUE).openHeap(OpenRequest.create("app", "dev", LINE))) {
            for (int round = 1; round <= 5; round++) {
                newest = s.commit(lines(0, 20, 10 + round), new long[0], new byte[] {(byte) round}, Map.of());
            }
        }
        // the log's own bytes, zeros to the next block, then the older log's blocks from its second on
        int pad = (int) (BLOCK - log.size() % BLOCK);
        byte[] stale = new byte[(int) older.size() - BLOCK];
        older.read(BLOCK, java.nio.ByteBuffer.wrap(stale));
        byte[] tail = new byte[pad + stale.length];
        System.arraycopy(stale, 0, tail, pad, stale.length);
        MemoryLogFiles files = new MemoryLogFiles(log.crash((int) log.size(), tail));
        try (HeapSession s = store(files, Long.MAX_VALUE).openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(s.baseCheckpointId()).isEqualTo(newest);
            assertThat(values(s, range(0, 20))).containsOnly(15);
        }
        assertThat(files.cuts).as("the older blocks cut off, a copy kept").hasSize(1);
    }

    @Test
    void aFlashSizeBoundsTheLogAndTheCleanersSnapshotTogether() throws IOException {
        long flashSize = 32L * BLOCK;
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = new FlashHeapStore(files, config().flashSize(flashSize).compactFloor(Long.MAX_VALUE), clock);
        long last = 0;
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            for (int round = 1; round <= 200; round++) {
                s.flush(lines(0, 4, round), new long[0]);
                last = s.commit(lines(4, 8, round), new long[0], new byte[] {(byte) round}, Map.of());
                assertThat(files.taken()).as("round %d", round).isLessThanOrEqualTo(flashSize);
            }
        }
        assertThat(files.installs()).as("only cleanings made room: 200 rounds write ~20x the flash size")
                .isGreaterThan(10);
        assertThat(files.peak()).as("a snapshot segment fits beside the log").isLessThanOrEqualTo(flashSize);
        try (HeapSession s = store(files.reopened(), Long.MAX_VALUE).openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(s.baseCheckpointId()).isEqualTo(last);
            assertThat(values(s, range(0, 8))).containsOnly(200);
            assertThat(s.baseVmState()).containsExactly((byte) 200);
        }
    }

    @Test
    void aFullStoreRefusesWhatDoesNotFitWritingNothingAndTakesItOnceThereIsRoom() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = new FlashHeapStore(files, config().flashSize(16L * BLOCK), clock);
        long committed;
        int flushed = 0;
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            committed = s.commit(lines(0, 4, 1), new long[0], new byte[] {1}, Map.of());
            StoreException full = null;
            while (full == null && flushed < 400) {
                try {
                    s.flush(lines(100 + flushed, 104 + flushed, 2), new long[0]);
                    flushed += 4;
                } catch (StoreException e) {
                    full = e;
                }
            }
            assertThat(full).as("16 blocks hold fewer than 400 lines").isNotNull();
            int fitted = flushed;
            assertThat(values(s, range(100 + fitted, 104 + fitted))).as("a refused flush writes nothing")
                    .containsOnly(-1);
            long before = files.taken();
            assertThatThrownBy(() -> s.flush(lines(100 + fitted, 104 + fitted, 2), new long[0]))
                    .isInstanceOf(StoreException.class);
            assertThat(files.taken()).as("nor does it again").isEqualTo(before);
            assertThat(full.reason()).isEqualTo(StoreException.Reason.UNAVAILABLE);   // the device pauses the app
            assertThat(full).hasMessageContaining("the flash store is full").hasMessageContaining("--flash-size");
            assertThat(flushed).as("lines that fit").isGreaterThanOrEqualTo(40);
            assertThat(files.peak()).as("no snapshot segment went past the flash size").isLessThanOrEqualTo(16L * BLOCK);
            assertThat(values(s, range(100, 100 + flushed))).containsOnly(2);   // what was taken is still there
            assertThatThrownBy(() -> s.commit(List.of(), new long[0], new byte[2 * BLOCK], Map.of()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("the flash store is full");
            try (HeapSession other = store.openHeap(OpenRequest.create("other", "dev", LINE))) {
                assertThat(other.fencingToken()).as("sessions open in the reserve").isPositive();
            }
        }   // the session's uncommitted lines are dead now: a cleaning makes room
        try (HeapSession s = store.openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(s.baseCheckpointId()).isEqualTo(committed);
            s.flush(lines(100, 140, 3), new long[0]);
            committed = s.commit(List.of(), new long[0], new byte[] {3}, Map.of());
        }
        try (HeapSession s = store(files.reopened(), Long.MAX_VALUE).openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(s.baseCheckpointId()).isEqualTo(committed);
            assertThat(values(s, range(0, 4))).containsOnly(1);
            assertThat(values(s, range(100, 140))).containsOnly(3);
        }
    }

    @Test
    void aStoreOpenedAgainAndAgainGoesOnCleaning() throws IOException {
        long flashSize = 32L * BLOCK;
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        long last = 0;
        for (int restart = 1; restart <= 60; restart++) {   // each writes about a tenth of the flash size
            FlashHeapStore store = new FlashHeapStore(files, config().flashSize(flashSize), clock);
            try (HeapSession s = store.openHeap(new OpenRequest("app", "dev", true, LINE, Duration.ZERO, 0))) {
                s.flush(lines(0, 8, restart), new long[0]);
                last = s.commit(lines(8, 16, restart), new long[0], new byte[] {(byte) restart}, Map.of());
            }   // not closed: a device killed after its commit
            assertThat(files.taken()).as("restart %d", restart).isLessThanOrEqualTo(flashSize);
        }
        assertThat(files.installs()).as("cleanings, though no store lived to write twice what it found").isPositive();
        try (HeapSession s = store(files.reopened(), Long.MAX_VALUE).openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(s.baseCheckpointId()).isEqualTo(last);
            assertThat(values(s, range(0, 16))).containsOnly(60);
        }
    }

    @Test
    void whenFullASessionStillOpensInTheReserve() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = new FlashHeapStore(files, config().flashSize(16L * BLOCK), clock);
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            int line = 0;
            try {
                for (; line < 400; line++) {
                    s.flush(lines(line, line + 1, 1), new long[0]);
                }
            } catch (StoreException full) {
                assertThat(full).hasMessageContaining("the flash store is full");
            }
            assertThat(line).as("16 blocks hold fewer than 400 lines").isLessThan(400);
            try (HeapSession other = store.openHeap(OpenRequest.create("other", "dev", LINE))) {
                assertThat(other.fencingToken()).isPositive();
            }
            assertThat(files.taken()).isLessThanOrEqualTo(16L * BLOCK);
        }
    }

    @Test
    void aCleaningThatFailedIsTriedAgainAndNamedWhileItFails() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = new FlashHeapStore(files, config().flashSize(16L * BLOCK), clock);
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            files.nextFails(true);
            StoreException full = null;
            int round = 0;
            while (full == null && round < 100) {
                try {
                    s.commit(lines(0, 4, ++round), new long[0], new byte[0], Map.of());
                } catch (StoreException e) {
                    full = e;
                }
            }
            assertThat(full).as("a log rewritten 100 times over does not fit without cleaning").isNotNull();
            assertThat(full).hasMessageContaining("the cleaner failed")
                    .hasMessageContaining("no room for a snapshot segment");
            files.nextFails(false);
            s.commit(lines(0, 4, 1000), new long[0], new byte[0], Map.of());   // the next try cleans
            assertThat(files.installs()).isPositive();
            assertThat(values(s, range(0, 4))).containsOnly(1000);
        }
    }

    @Test
    void aFlashSizeHoldsEightBlocksOfTheLog(@TempDir Path dir) {
        assertThatThrownBy(() -> config().flashSize(7L * BLOCK).validate())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 8 blocks");
        FlashHeapStore.open(dir, config(), clock).close();
        assertThatThrownBy(() -> FlashHeapStore.open(dir, new FlashStoreConfig().blockSize(BLOCK / 2)
                .flashSize(4L * BLOCK), clock))   // 8 of the blocks asked for, 4 of the log's own
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 blocks of this log");
        FlashHeapStore.open(dir, config(), clock).close();   // the refusal gave the directory back
        try (FlashHeapStore store = FlashHeapStore.open(dir, config(), clock);
             HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            s.commit(lines(0, 200, 1), new long[0], new byte[0], Map.of());   // more than 16 blocks
        }
        assertThatThrownBy(() -> FlashHeapStore.open(dir, config().flashSize(16L * BLOCK), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("give --flash-size at least ");
    }

    @Test
    void oneProcessHasADirectoryAtATime(@TempDir Path dir) {
        FlashHeapStore first = FlashHeapStore.open(dir, config(), clock);
        try {
            assertThatThrownBy(() -> FlashHeapStore.open(dir, config(), clock))
                    .isInstanceOf(StoreException.class).hasMessageContaining("is in use by another device process");
        } finally {
            first.close();
        }
        FlashHeapStore.open(dir, config(), clock).close();   // given back at close
    }

    /** A store on the log in {@code medium} that never cleans it. */
    private FlashHeapStore store(FaultyFlashMedium medium) throws IOException {
        return store(new MemoryLogFiles(medium), Long.MAX_VALUE);
    }

    /** A store on {@code files} that cleans its log when it grew to three times what is live, past {@code compactFloor}, in segments of two blocks unless it never cleans. */
    private FlashHeapStore store(MemoryLogFiles files, long compactFloor) throws IOException {
        FlashStoreConfig config = config().compactFloor(compactFloor);
        return new FlashHeapStore(files, compactFloor == Long.MAX_VALUE ? config : config.segmentSize(2 * BLOCK), clock);
    }

    /** The tests' config: {@link #BLOCK}-byte blocks, the defaults otherwise. */
    private static FlashStoreConfig config() {
        return new FlashStoreConfig().blockSize(BLOCK);
    }

    /**
     * Line {@code id} holding {@code value}: every byte between the value and the id differs between two values (less
     * than 256 apart), so that a new value is written whole, not patched.
     */
    private static LineImage line(long id, int value) {
        byte[] data = new byte[LINE];
        for (int i = 4; i < LINE - 8; i++) {
            data[i] = (byte) (value * 131 + i);
        }
        java.nio.ByteBuffer.wrap(data).putInt(value).putLong(LINE - 8, id);
        return new LineImage(id, data);
    }

    /** Line {@code id} holding {@code value} and zeros: a new value changes a few bytes of it (written as a patch). */
    private static LineImage smallLine(long id, int value) {
        byte[] data = new byte[LINE];
        java.nio.ByteBuffer.wrap(data).putInt(value).putLong(LINE - 8, id);
        return new LineImage(id, data);
    }

    /** A checkpoint's VM state at {@code step}: one byte, or (patched) 300 bytes of which a few change per step. */
    private static byte[] state(boolean patched, int step) {
        if (!patched) {
            return new byte[] {(byte) step};
        }
        byte[] state = new byte[300];
        java.util.Arrays.fill(state, (byte) 7);
        java.nio.ByteBuffer.wrap(state).putInt(100, step).putInt(200 + step % 50, step);
        return state;
    }

    private static List<LineImage> lines(long from, long to, int value) {
        List<LineImage> out = new ArrayList<>();
        for (long id = from; id < to; id++) {
            out.add(line(id, value));
        }
        return out;
    }

    private static long[] range(long from, long to) {
        return java.util.stream.LongStream.range(from, to).toArray();
    }

    /** Each line's value as {@link #line} wrote it, -1 for an absent line. */
    private static int[] values(HeapSession s, long... ids) {
        byte[][] read = s.read(ids);
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = read[i] == null ? -1 : java.nio.ByteBuffer.wrap(read[i]).getInt();
            if (read[i] != null) {
                assertThat(java.nio.ByteBuffer.wrap(read[i]).getLong(LINE - 8)).as("line %d", ids[i]).isEqualTo(ids[i]);
            }
        }
        return out;
    }

    /** One or two lines among 0..7 not in {@code writes}. */
    private static long[] deletable(List<LineImage> writes, Random random) {
        List<Long> free = new ArrayList<>();
        for (long id = 0; id < 8; id++) {
            long candidate = id;
            if (writes.stream().noneMatch(w -> w.lineId() == candidate)) {
                free.add(id);
            }
        }
        java.util.Collections.shuffle(free, random);
        return free.stream().limit(1 + random.nextInt(2)).mapToLong(Long::longValue).toArray();
    }
}
