package org.vheap.device.store.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.OpenRequest;
import org.vheap.server.testing.MutableClock;
import org.vheap.store.LineImage;
import org.vheap.store.LinePatches;

/** The flash store writes a changed line as the bytes that changed (PATCH records) and reads it back whole. */
class FlashLineVersionsTest {
    private static final int BLOCK = 512;
    private static final int LINE = 1024;
    private final MutableClock clock = new MutableClock();
    private final Random random = new Random(17);

    @Test
    void aChangedLineTakesItsChangedBytesAndIsReadBackWhole() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        byte[] v1 = randomLine();
        byte[] v2 = changed(v1, 3);
        long first;
        long second;
        try (HeapSession s = store(new MemoryLogFiles(medium), Long.MAX_VALUE).openHeap(OpenRequest.create("app", "dev", LINE))) {
            first = s.commit(List.of(new LineImage(1, v1)), new long[0], new byte[0], Map.of());
            long before = medium.size();
            s.flush(List.of(new LineImage(1, v2)), new long[0]);
            assertThat(medium.size() - before).as("a 3-byte change of a %d-byte line", LINE).isLessThan(64);
            assertThat(s.read(new long[] {1})[0]).isEqualTo(v2);
            second = s.commit(List.of(), new long[0], new byte[0], Map.of());
            before = medium.size();
            s.flush(List.of(new LineImage(1, v2.clone())), new long[0]);
            assertThat(medium.size()).as("an unchanged line writes nothing").isEqualTo(before);
        }
        FlashHeapStore again = store(new MemoryLogFiles(medium), Long.MAX_VALUE);   // replayed from the log
        assertThat(read(again, second, 1)).isEqualTo(v2);
        assertThat(read(again, first, 1)).as("the older checkpoint keeps its version").isEqualTo(v1);
        assertThat(kinds(medium)).containsEntry(Kind.LINE, 1).containsEntry(Kind.PATCH, 1);
    }

    @Test
    void pastMaxDepthALineIsPatchedOnItsLineAtTheBottomOfTheChain() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        byte[][] versions = new byte[11][];
        versions[0] = randomLine();
        for (int v = 1; v < versions.length; v++) {
            versions[v] = changed(versions[v - 1], 5);
        }
        FlashHeapStore store = store(new MemoryLogFiles(medium), Long.MAX_VALUE);
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            for (byte[] v : versions) {
                s.commit(List.of(new LineImage(1, v)), new long[0], new byte[0], Map.of());
                assertThat(s.read(new long[] {1})[0]).isEqualTo(v);
            }
        }
        // version 0 whole; 1-4 each on the one before; 5 on version 0 (one deep again), 6-8 on the one before; 9 on
        // version 0, 10 on 9: one LINE, ten patches, none more than MAX_DEPTH deep
        assertThat(FlashPatches.MAX_DEPTH).isEqualTo(4);
        assertThat(kinds(medium)).containsEntry(Kind.LINE, 1).containsEntry(Kind.PATCH, 10);
        List<FlashLogRecords.At> versionsInLog = FlashLogRecords.positioned(medium, BLOCK).stream()
                .filter(r -> r.record()[0] == FlashRecord.LINE || r.record()[0] == FlashRecord.PATCH).toList();
        long line = versionsInLog.get(0).start();
        int[] depths = new int[versionsInLog.size()];
        for (int v = 1; v < versionsInLog.size(); v++) {
            FlashPatches.Header h = FlashLineVersions.patchOf(versionsInLog.get(v).record());
            depths[v] = h.depth();
            long expectedBase = h.depth() == 1 ? line : versionsInLog.get(v - 1).start();
            assertThat(h.base()).as("version %d's base", v).isEqualTo(expectedBase);
        }
        assertThat(depths).containsExactly(0, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2);
        assertThat(read(store(new MemoryLogFiles(medium), Long.MAX_VALUE), 0, 1)).isEqualTo(versions[10]);
    }

    @Test
    void pastMaxDepthALineThatChangedByMoreThanHalfSinceItsLineIsWrittenWhole() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        byte[][] versions = new byte[6][];
        versions[0] = randomLine();
        for (int v = 1; v < versions.length; v++) {   // each changes another eighth of the line
            versions[v] = versions[v - 1].clone();
            for (int i = (v - 1) * LINE / 8; i < v * LINE / 8; i++) {
                versions[v][i] = (byte) ~versions[v][i];
            }
        }
        try (HeapSession s = store(new MemoryLogFiles(medium), Long.MAX_VALUE).openHeap(OpenRequest.create("app", "dev", LINE))) {
            for (byte[] v : versions) {
                s.commit(List.of(new LineImage(1, v)), new long[0], new byte[0], Map.of());
            }
        }
        // versions 1-4 patch an eighth each; version 5 differs from version 0 in five eighths: whole
        assertThat(records(medium, 1)).containsExactly(Kind.LINE, Kind.PATCH, Kind.PATCH, Kind.PATCH, Kind.PATCH, Kind.LINE);
        assertThat(read(store(new MemoryLogFiles(medium), Long.MAX_VALUE), 0, 1)).isEqualTo(versions[5]);
    }

    @Test
    void aLineChangedByMoreThanHalfIsWrittenWhole() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        try (HeapSession s = store(new MemoryLogFiles(medium), Long.MAX_VALUE).openHeap(OpenRequest.create("app", "dev", LINE))) {
            s.commit(List.of(new LineImage(1, randomLine())), new long[0], new byte[0], Map.of());
            s.commit(List.of(new LineImage(1, randomLine())), new long[0], new byte[0], Map.of());
        }
        assertThat(kinds(medium)).containsEntry(Kind.LINE, 2).doesNotContainKey(Kind.PATCH);
    }

    @Test
    void compactionKeepsPatchesOnLiveVersionsAndMakesWholeThoseOnDeadOnes() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = store(files, 0);   // compacts at every commit that doubles the log
        byte[][] line1 = new byte[12][];
        line1[0] = randomLine();
        long[] ids = new long[line1.length];
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            for (int v = 0; v < line1.length; v++) {
                line1[v] = v == 0 ? line1[0] : changed(line1[v - 1], 2);
                s.flush(List.of(new LineImage(2, randomLine())), new long[0]);   // grows the log: compactions
                ids[v] = s.commit(List.of(new LineImage(1, line1[v])), new long[0], new byte[0], Map.of());
                assertThat(s.read(new long[] {1})[0]).as("version %d", v).isEqualTo(line1[v]);
            }
        }
        int installs = files.installs();
        assertThat(installs).as("compactions while it wrote").isPositive();
        store.compactNow();
        assertThat(files.installs()).isEqualTo(installs + 1);
        FlashHeapStore again = store(new MemoryLogFiles(files.current()), Long.MAX_VALUE);
        for (int v = line1.length - 3; v < line1.length; v++) {   // the three retained checkpoints
            assertThat(read(again, ids[v], 1)).as("version %d", v).isEqualTo(line1[v]);
        }
        // one record per retained version of line 1: the oldest whole (the versions below it are gone), patches
        // after it still patches (on the copies), unless the chain was as deep as it goes
        List<Kind> line1Records = records(files.current(), 1);
        assertThat(line1Records).hasSize(3).startsWith(Kind.LINE).contains(Kind.PATCH);
    }

    @Test
    void aChainThatIsNotOneIsFoundOut() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        FlashLogWriter writer = new FlashLogWriter(medium, BLOCK);
        writer.append(FlashLogFormat.formatRecord(BLOCK));
        FlashHeap h = new FlashHeap(0, "app", LINE);
        byte[] a = randomLine();
        byte[] b = randomLine();
        long atA = writer.append(FlashLineVersions.whole(h, 1, a));
        long atB = writer.append(FlashLineVersions.whole(h, 1, b));
        byte[] aChanged = changed(a, 4);
        byte[] runs = LinePatches.diff(a, aChanged);
        long good = writer.append(FlashLineVersions.patch(h, 1, atA, 1, LinePatches.crc32c(aChanged), runs));
        long wrongBase = writer.append(FlashLineVersions.patch(h, 1, atB, 1, LinePatches.crc32c(aChanged), runs));
        long wrongDepth = writer.append(FlashLineVersions.patch(h, 1, atA, 2, LinePatches.crc32c(aChanged), runs));
        long ahead = writer.append(FlashLineVersions.patch(h, 1, medium.size() + BLOCK, 1, 0, runs));
        long otherLine = writer.append(FlashLineVersions.patch(h, 2, atA, 1, LinePatches.crc32c(aChanged), runs));
        writer.sync();

        assertThat(FlashLineVersions.read(medium, BLOCK, h, 1, good).data()).isEqualTo(aChanged);
        assertThatThrownBy(() -> FlashLineVersions.read(medium, BLOCK, h, 1, wrongBase))
                .isInstanceOf(IOException.class).hasMessageContaining("CRC-32C differs");
        assertThatThrownBy(() -> FlashLineVersions.read(medium, BLOCK, h, 1, wrongDepth))
                .isInstanceOf(IOException.class).hasMessageContaining("2 deep on a version 0 deep");
        assertThatThrownBy(() -> FlashLineVersions.read(medium, BLOCK, h, 1, ahead))
                .isInstanceOf(IOException.class).hasMessageContaining("must lie before its patch");
        assertThatThrownBy(() -> FlashLineVersions.read(medium, BLOCK, h, 2, otherLine))
                .isInstanceOf(IOException.class).hasMessageContaining("another line's record");
    }

    private FlashHeapStore store(MemoryLogFiles files, long compactFloor) throws IOException {
        return new FlashHeapStore(files, new FlashStoreConfig().blockSize(BLOCK).compactFloor(compactFloor), clock);
    }

    /** Line {@code id} of checkpoint {@code checkpoint} (0: the newest) of the app, read through a new session. */
    private static byte[] read(FlashHeapStore store, long checkpoint, long id) {
        try (HeapSession s = store.openHeap(new OpenRequest("app", "reader", false, 0, Duration.ZERO, checkpoint))) {
            return s.read(new long[] {id})[0];
        }
    }

    private byte[] randomLine() {
        byte[] line = new byte[LINE];
        random.nextBytes(line);
        return line;
    }

    /** {@code line} with {@code n} bytes changed, far apart. */
    private byte[] changed(byte[] line, int n) {
        byte[] copy = line.clone();
        for (int i = 0; i < n; i++) {
            int at = random.nextInt(LINE / n) + i * (LINE / n);
            copy[at] = (byte) ~copy[at];
        }
        return copy;
    }

    private enum Kind { LINE, PATCH }

    /** How many LINE and PATCH records the log holds. */
    private static Map<Kind, Integer> kinds(FlashMedium medium) throws IOException {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        records(medium, -1).forEach(k -> counts.merge(k, 1, Integer::sum));
        return counts;
    }

    /** The kinds of the LINE and PATCH records of line {@code lineId} (-1: any) in the log, in order. */
    private static List<Kind> records(FlashMedium medium, long lineId) throws IOException {
        List<Kind> kinds = new java.util.ArrayList<>();
        for (byte[] r : FlashLogRecords.of(medium, BLOCK)) {
            Kind kind = r[0] == FlashRecord.LINE ? Kind.LINE : r[0] == FlashRecord.PATCH ? Kind.PATCH : null;
            if (kind != null && (lineId < 0 || java.nio.ByteBuffer.wrap(r, 5, 8).getLong() == lineId)) {
                kinds.add(kind);
            }
        }
        return kinds;
    }
}
