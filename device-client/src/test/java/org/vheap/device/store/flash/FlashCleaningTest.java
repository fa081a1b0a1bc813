package org.vheap.device.store.flash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.OpenRequest;
import org.vheap.server.testing.MutableClock;
import org.vheap.store.LineImage;

/**
 * The segment cleaner ({@link FlashCleaning}): a store whose live records fill two thirds of its flash size goes on (a
 * whole-log compaction stops at 7/16), a pass
 * needing only the room of what it moves; and a crash at any change of which segments there are (one made, a
 * snapshot segment installed, a cleaned one dropped), with the segments' unsynced bytes torn, leaves one committed
 * checkpoint, whole.
 */
class FlashCleaningTest {
    private static final int BLOCK = 512;
    private static final int LINE = 1024;
    private final MutableClock clock = new MutableClock();

    @Test
    void aStoreTwoThirdsLiveGoesOnCleaningASegmentAtATime() throws IOException {
        long flashSize = 256L * BLOCK;
        int lines = (int) (flashSize * 62 / 100 / LINE);   // with the records' framing, 2/3 of the flash size live
        MemoryLogFiles files = new MemoryLogFiles();
        FlashHeapStore store = new FlashHeapStore(files, new FlashStoreConfig().blockSize(BLOCK).flashSize(flashSize),
                clock);
        Random random = new Random(7);
        byte[][] content = new byte[lines][LINE];
        long newest;
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            List<LineImage> all = FlashTestLines.rewritten(random, content);
            newest = s.commit(all, new long[0], new byte[] {0}, Map.of());
            for (int round = 1; round <= 400; round++) {   // about five flash sizes written
                List<LineImage> changed = new ArrayList<>();
                java.util.Set<Integer> seen = new java.util.HashSet<>();
                for (int k = 0; k < 3; k++) {
                    int l = random.nextInt(lines);
                    if (!seen.add(l)) {
                        continue;
                    }
                    if (k == 0) {
                        random.nextBytes(content[l]);   // rewritten whole
                    } else {
                        content[l][random.nextInt(LINE)] ^= 1;   // a field changed: a patch
                    }
                    changed.add(new LineImage(l, content[l].clone()));
                }
                newest = s.commit(changed, new long[0], new byte[] {(byte) round}, Map.of());   // never full
                assertThat(files.taken()).as("round %d", round).isLessThanOrEqualTo(flashSize);
            }
            assertRead(s, content);
        }
        FlashStoreStats stats = store.stats();
        assertThat(stats.cleanings()).as("cleaning passes").isGreaterThan(10);
        assertThat(files.peak()).as("a snapshot segment fits beside the log").isLessThanOrEqualTo(flashSize);
        assertThat(files.taken()).as("the log: two thirds of the flash size and more")
                .isGreaterThan(flashSize * 2 / 3);
        try (HeapSession s = new FlashHeapStore(files.crashed(random), new FlashStoreConfig().blockSize(BLOCK)
                .flashSize(flashSize), clock).openHeap(new OpenRequest("app", "dev", false, 0, Duration.ZERO, 0))) {
            assertThat(s.baseCheckpointId()).isEqualTo(newest);
            assertRead(s, content);
        }
    }

    /**
     * Small lines, so a snapshot segment's names are a large part of what a pass writes, and its first estimates are
     * off: a pass whose snapshot outgrows the room beside the log is dropped and tried again on fewer segments, and
     * the store never says it is full.
     */
    @Test
    void aStoreOfSmallLinesMoreThanHalfLiveGoesOnThoughSnapshotsOutgrowTheirEstimates() throws IOException {
        long flashSize = 2048L * BLOCK;
        int line = 256;
        int lines = (int) (flashSize * 55 / 100 / (line + 40));   // with the records' framing, 55 % of the flash live
        MemoryLogFiles files = new MemoryLogFiles();
        FlashHeapStore store = new FlashHeapStore(files, new FlashStoreConfig().blockSize(BLOCK).flashSize(flashSize),
                clock);
        Random random = new Random(5);
        byte[][] content = new byte[lines][line];
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", line))) {
            List<LineImage> all = FlashTestLines.rewritten(random, content);
            s.commit(all, new long[0], new byte[0], Map.of());
            for (int round = 1; round <= 1500; round++) {
                java.util.Set<Integer> seen = new java.util.HashSet<>();
                List<LineImage> changed = new ArrayList<>();
                for (int k = 0; k < 8; k++) {
                    int l = random.nextInt(lines);
                    if (seen.add(l)) {
                        random.nextBytes(content[l]);
                        changed.add(new LineImage(l, content[l].clone()));
                    }
                }
                s.commit(changed, new long[0], new byte[0], Map.of());   // never full
            }
            assertRead(s, content);
        }
        assertThat(store.stats().cleanings()).as("cleaning passes").isGreaterThan(10);
        assertThat(files.peak()).isLessThanOrEqualTo(flashSize);
    }

    /** With a flash size ({@code bounded}) the cleaner runs to make room; without one, when the log tripled. */
    @ParameterizedTest(name = "flash size: {0}")
    @ValueSource(booleans = {false, true})
    void aCrashAtAnyChangeOfSegmentsLeavesOneCommittedCheckpointWhole(boolean bounded) throws IOException {
        Random random = new Random(11);
        MemoryLogFiles files = new MemoryLogFiles();
        FlashStoreConfig config = bounded ? config().flashSize(128L * BLOCK) : config();
        FlashHeapStore store = new FlashHeapStore(files, config, clock);
        Map<Long, byte[][]> committed = new HashMap<>();   // by checkpoint id: what each holds
        long[] acknowledged = {0};
        byte[][][] inFlight = {null};
        List<Crash> crashes = new ArrayList<>();
        files.onChange(() -> crashes.add(new Crash(files.crashed(random), acknowledged[0], inFlight[0])));
        int lines = 12;
        byte[][] content = new byte[lines][LINE];
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            List<LineImage> all = FlashTestLines.rewritten(random, content);
            inFlight[0] = copy(content);
            acknowledged[0] = s.commit(all, new long[0], new byte[0], Map.of());
            committed.put(acknowledged[0], inFlight[0]);
            inFlight[0] = null;
            for (int round = 1; round <= 300; round++) {
                List<LineImage> changed = new ArrayList<>();
                for (int k = 0, first = -1; k < 2; k++) {
                    int l = random.nextInt(lines);
                    if (l == first) {
                        continue;
                    }
                    first = l;
                    if (random.nextInt(4) == 0) {
                        random.nextBytes(content[l]);
                    } else {
                        content[l][random.nextInt(LINE)] ^= (byte) (1 + random.nextInt(255));
                    }
                    changed.add(new LineImage(l, content[l].clone()));
                }
                if (random.nextBoolean()) {
                    s.flush(changed, new long[0]);   // in the open epoch: no crash keeps it
                    continue;
                }
                inFlight[0] = copy(content);
                long id = s.commit(changed, new long[0], new byte[] {(byte) round}, Map.of());
                committed.put(id, inFlight[0]);
                acknowledged[0] = id;
                inFlight[0] = null;
            }
        }
        assertThat(files.installs()).as("cleaning passes").isGreaterThanOrEqualTo(3);
        assertThat(crashes).as("crash points").hasSizeGreaterThan(20);
        for (int i = 0; i < crashes.size(); i++) {
            Crash c = crashes.get(i);
            FlashHeapStore after = new FlashHeapStore(c.files(), config, clock);
            if (c.acknowledged() == 0) {
                continue;   // nothing committed yet: the app may not be there at all
            }
            try (HeapSession s = after.openHeap(new OpenRequest("app", "dev-2", false, 0, Duration.ZERO, 0))) {
                long id = s.baseCheckpointId();
                assertThat(id).as("crash %d: the last checkpoint acknowledged, or the one in flight", i)
                        .isGreaterThanOrEqualTo(c.acknowledged());
                byte[][] expected = id == c.acknowledged() ? committed.get(id) : c.inFlight();
                assertThat(expected).as("crash %d: checkpoint %d was being committed", i, id).isNotNull();
                assertRead(s, expected);
            }
        }
    }

    @Test
    void checkpointsKeptUntilShippedAreLetGoOfWhenTheFlashIsFullSoTheAppGoesOn() throws IOException {
        long flashSize = 128L * BLOCK;
        int lines = 8;   // 8 KiB live; 8 KiB more kept with each checkpoint
        FlashHeapStore store = new FlashHeapStore(new MemoryLogFiles(), config().flashSize(flashSize).retain(1)
                .keepUnshipped(100), clock);
        Random random = new Random(11);
        byte[][] content = new byte[lines][LINE];
        long[] ids = java.util.stream.LongStream.range(0, lines).toArray();
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            long first = s.commit(FlashTestLines.rewritten(random, content), new long[0], new byte[] {0}, Map.of());
            byte[][] atFirst = copy(content);
            store.keepFrom(s, first);
            for (int round = 1; round <= 3; round++) {
                s.commit(FlashTestLines.rewritten(random, content), new long[0], new byte[] {(byte) round}, Map.of());
            }
            assertThat(store.readCheckpoint(s, first, ids)).as("kept until shipped, beside the one retained")
                    .isDeepEqualTo(atFirst);
            for (int round = 4; round <= 40; round++) {   // five flash sizes of history
                s.commit(FlashTestLines.rewritten(random, content), new long[0], new byte[] {(byte) round}, Map.of());
            }
            assertThat(store.readCheckpoint(s, first, ids)).as("let go of to make room").isNull();
            assertRead(s, content);
        }
    }

    /** A crash: the logs as it leaves them, the newest checkpoint acknowledged before it, what one in flight held. */
    private record Crash(MemoryLogFiles files, long acknowledged, byte[][] inFlight) {
    }

    /** Small segments, cleaned whenever they take three times what is live. */
    private static FlashStoreConfig config() {
        return new FlashStoreConfig().blockSize(BLOCK).segmentSize(4L * BLOCK).compactFloor(0);
    }

    private static void assertRead(HeapSession s, byte[][] content) {
        byte[][] read = s.read(java.util.stream.LongStream.range(0, content.length).toArray());
        for (int i = 0; i < content.length; i++) {
            assertThat(read[i]).as("line %d", i).isEqualTo(content[i]);
        }
    }

    private static byte[][] copy(byte[][] content) {
        byte[][] c = new byte[content.length][];
        for (int i = 0; i < content.length; i++) {
            c[i] = content[i].clone();
        }
        return c;
    }
}
