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

/** The flash store writes a changed line as the bytes that changed (PACKED_PATCH records) and reads it back whole. */
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
    void versionNPatchesVersionNWithItsLowestSetBitClearedAndNoChainIsDeeperThanMaxDepth() throws IOException {
        assertThat(FlashPatches.MAX_DEPTH).isEqualTo(4);
        assertThat(FlashPatches.skipBase(12)).isEqualTo(8);
        assertThat(FlashPatches.skipBase(15)).isEqualTo(14);
        assertThat(FlashPatches.skipBase(16)).isZero();
        assertThat(FlashPatches.skipBase(31)).as("11110 has four bits set: one more cleared").isEqualTo(28);
        FaultyFlashMedium medium = new FaultyFlashMedium();
        byte[][] versions = new byte[40][];
        versions[0] = randomLine();
        for (int v = 1; v < versions.length; v++) {
            versions[v] = changed(versions[v - 1], 5);
        }
        FlashHeapStore store = store(new MemoryLogFiles(medium), Long.MAX_VALUE);
        long[] ids = new long[versions.length];
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            for (int v = 0; v < versions.length; v++) {
                ids[v] = s.commit(List.of(new LineImage(1, versions[v])), new long[0], new byte[0], Map.of());
                assertThat(s.read(new long[] {1})[0]).isEqualTo(versions[v]);
            }
        }
        assertThat(kinds(medium)).containsEntry(Kind.LINE, 1).containsEntry(Kind.PATCH, versions.length - 1);
        List<FlashLogRecords.At> versionsInLog = FlashLogRecords.positioned(medium, BLOCK).stream()
                .filter(r -> r.record()[0] == FlashRecord.LINE || r.record()[0] == FlashRecord.PACKED_PATCH).toList();
        int[] bases = new int[17];
        int[] depths = new int[versionsInLog.size()];
        for (int v = 1; v < versionsInLog.size(); v++) {
            FlashPatches.Header h = FlashLineVersions.parse(versionsInLog.get(v).record(), -1).patch();
            assertThat(h.number()).isEqualTo(v);
            int base = 0;
            while (versionsInLog.get(base).start() != h.base()) {
                base++;
            }
            if (v < bases.length) {
                bases[v] = base;
            }
            depths[v] = h.depth();
            assertThat(h.depth()).as("version %d", v).isEqualTo(depths[base] + 1).isLessThanOrEqualTo(4);
        }
        assertThat(bases).containsExactly(0, 0, 0, 2, 0, 4, 4, 6, 0, 8, 8, 10, 8, 12, 12, 14, 0);
        assertThat(depths[15]).isEqualTo(4);
        assertThat(depths[31]).as("on 28, three deep").isEqualTo(4);
        FlashHeapStore again = store(new MemoryLogFiles(medium), Long.MAX_VALUE);
        for (int v = versions.length - 3; v < versions.length; v++) {   // the retained checkpoints
            assertThat(read(again, ids[v], 1)).as("version %d, replayed", v).isEqualTo(versions[v]);
        }
    }

    @Test
    void aLineThatChangedByMoreThanHalfSinceTheVersionItWouldPatchIsWrittenWhole() throws IOException {
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
        // 1 patches version 0 (an eighth), 2 version 0 (two eighths), 3 version 2 (an eighth); 4 would patch version 0
        // with half the line and more (runs and their lengths): whole; 5 patches it, as the first after a whole line
        assertThat(records(FlashLogRecords.of(medium, BLOCK), 1)).containsExactly(Kind.LINE, Kind.PATCH, Kind.PATCH, Kind.PATCH, Kind.LINE, Kind.PATCH);
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
    void cleaningMovesPatchesAsTheyWereWithTheBasesTheyNeedAndForwardsThem() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = store(files, 0);   // cleans at every commit that triples the log
        byte[][] line1 = new byte[12][];
        line1[0] = randomLine();
        long[] ids = new long[line1.length];
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", LINE))) {
            for (int v = 0; v < line1.length; v++) {
                line1[v] = v == 0 ? line1[0] : changed(line1[v - 1], 2);
                s.flush(List.of(new LineImage(2, randomLine())), new long[0]);   // grows the log: cleanings
                ids[v] = s.commit(List.of(new LineImage(1, line1[v])), new long[0], new byte[0], Map.of());
                assertThat(s.read(new long[] {1})[0]).as("version %d", v).isEqualTo(line1[v]);
            }
        }
        int installs = files.installs();
        assertThat(installs).as("cleanings while it wrote").isPositive();
        store.cleanAll();
        assertThat(files.installs()).isEqualTo(installs + 1);
        FlashHeapStore again = store(files.reopened(), Long.MAX_VALUE);
        for (int v = line1.length - 3; v < line1.length; v++) {   // the three retained checkpoints
            assertThat(read(again, ids[v], 1)).as("version %d", v).isEqualTo(line1[v]);
        }
        // one record per retained version of line 1, each moved as it was: patches (on skip-deltas) of versions that
        // are gone are kept, as KEPT records, and FORWARD records say where the bases named lie now
        List<byte[]> snapshot = files.records(BLOCK);
        assertThat(records(snapshot, 1)).containsExactly(Kind.PATCH, Kind.PATCH, Kind.PATCH);
        assertThat(snapshot.stream().map(r -> r[0])).contains(FlashRecord.KEPT, FlashRecord.FORWARD);
        assertThat(files.segmentMedia()).as("the whole log in the snapshot segment").hasSize(1);
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
        int crc = LinePatches.crc32c(aChanged);
        long good = writer.append(FlashLineVersions.patch(0, 1, new FlashPatches.Header(atA, 1, 1, crc), runs));
        long wrongBase = writer.append(FlashLineVersions.patch(0, 1, new FlashPatches.Header(atB, 1, 1, crc), runs));
        long wrongDepth = writer.append(FlashLineVersions.patch(0, 1, new FlashPatches.Header(atA, 2, 1, crc), runs));
        long wrongNumber = writer.append(FlashLineVersions.patch(0, 1, new FlashPatches.Header(atA, 1, 0, crc), runs));
        long ahead = writer.append(FlashLineVersions.patch(0, 1, new FlashPatches.Header(medium.size() + BLOCK, 1, 1,
                0), runs));
        long otherLine = writer.append(FlashLineVersions.patch(0, 2, new FlashPatches.Header(atA, 1, 1, crc), runs));
        byte[] cut = FlashLineVersions.patch(0, 1, new FlashPatches.Header(atA, 1, 1, crc), new byte[0]);
        long cutShort = writer.append(java.util.Arrays.copyOf(cut, cut.length - 2));   // inside its CRC
        long formatTwo = writer.append(FlashRecord.of(FlashRecord.PATCH).u4(0).u8(1).u8(atA).u1(1).u4(crc).bytes(runs)
                .toBytes());   // what a store of format 2 wrote
        writer.sync();

        assertThat(FlashLineVersions.read(new FlashLog(medium, BLOCK), h, 1, formatTwo).data()).isEqualTo(aChanged);
        assertThat(FlashLineVersions.read(new FlashLog(medium, BLOCK), h, 1, formatTwo).number()).as("its depth").isEqualTo(1);

        assertThat(FlashLineVersions.read(new FlashLog(medium, BLOCK), h, 1, good).data()).isEqualTo(aChanged);
        assertThatThrownBy(() -> FlashLineVersions.read(new FlashLog(medium, BLOCK), h, 1, wrongBase))
                .isInstanceOf(IOException.class).hasMessageContaining("CRC-32C differs");
        assertThatThrownBy(() -> FlashLineVersions.read(new FlashLog(medium, BLOCK), h, 1, wrongDepth))
                .isInstanceOf(IOException.class).hasMessageContaining("2 deep on a version 0 deep");
        assertThatThrownBy(() -> FlashLineVersions.read(new FlashLog(medium, BLOCK), h, 1, wrongNumber))
                .isInstanceOf(IOException.class).hasMessageContaining("numbers grow along a chain");
        assertThatThrownBy(() -> FlashLineVersions.read(new FlashLog(medium, BLOCK), h, 1, cutShort))
                .isInstanceOf(IOException.class).hasMessageContaining("inside its fields");
        assertThatThrownBy(() -> FlashLineVersions.read(new FlashLog(medium, BLOCK), h, 1, ahead))
                .isInstanceOf(IOException.class).hasMessageContaining("must lie before its patch");
        assertThatThrownBy(() -> FlashLineVersions.read(new FlashLog(medium, BLOCK), h, 2, otherLine))
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
        records(FlashLogRecords.of(medium, BLOCK), -1).forEach(k -> counts.merge(k, 1, Integer::sum));
        return counts;
    }

    /** The kinds of the LINE and PATCH records of line {@code lineId} (-1: any) among {@code log}'s, in order. */
    private static List<Kind> records(List<byte[]> log, long lineId) throws IOException {
        List<Kind> kinds = new java.util.ArrayList<>();
        for (byte[] r : log) {
            Kind kind = r[0] == FlashRecord.LINE ? Kind.LINE
                    : r[0] == FlashRecord.PATCH || r[0] == FlashRecord.PACKED_PATCH ? Kind.PATCH : null;
            if (kind != null && (lineId < 0 || FlashLineVersions.parse(r, -1).line() == lineId)) {
                kinds.add(kind);
            }
        }
        return kinds;
    }
}
