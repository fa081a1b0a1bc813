package org.vheap.device.store.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.OpenRequest;
import org.vheap.server.testing.MutableClock;
import org.vheap.store.LinePatches;

/** The flash store commits a checkpoint whose VM state changed a little as the bytes that changed (COMMIT_PATCH). */
class FlashStateVersionsTest {
    private static final int BLOCK = 512;
    private static final int STATE = 8192;
    private final MutableClock clock = new MutableClock();
    private final Random random = new Random(23);

    @Test
    void aStateThatChangedALittleTakesItsChangedBytesAndEveryRetainedOneReadsBack() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        List<byte[]> states = states(12);
        List<Long> ids = new ArrayList<>();
        try (HeapSession s = store(new MemoryLogFiles(medium), Long.MAX_VALUE).openHeap(OpenRequest.create("app", "dev", 64))) {
            for (byte[] state : states) {
                long before = medium.size();
                ids.add(s.commit(List.of(), new long[0], state, Map.of()));
                if (ids.size() > 1 && state.length == states.get(ids.size() - 2).length) {
                    assertThat(medium.size() - before).as("checkpoint %d: a few bytes of %d changed", ids.size(), STATE)
                            .isLessThan(STATE / 8);
                }
            }
        }
        FlashHeapStore again = store(new MemoryLogFiles(medium), Long.MAX_VALUE);
        for (int i = states.size() - 3; i < states.size(); i++) {   // the three retained
            assertThat(state(again, ids.get(i))).as("checkpoint %d", i).isEqualTo(states.get(i));
        }
        assertThat(FlashLogRecords.kinds(medium, BLOCK)).contains(FlashRecord.COMMIT_PATCH);
    }

    @Test
    void cleaningMovesStatePatchesAsTheyWereWithTheStatesTheyPatch() throws IOException {
        MemoryLogFiles files = new MemoryLogFiles(new FaultyFlashMedium());
        FlashHeapStore store = store(files, Long.MAX_VALUE);
        List<byte[]> states = states(9);
        List<Long> ids = new ArrayList<>();
        try (HeapSession s = store.openHeap(OpenRequest.create("app", "dev", 64))) {
            for (byte[] state : states) {
                ids.add(s.commit(List.of(), new long[0], state, Map.of()));
            }
        }
        store.cleanAll();
        List<Byte> kinds = files.records(BLOCK).stream().map(r -> r[0]).toList();
        assertThat(kinds.stream().filter(k -> k == FlashRecord.COMMIT || k == FlashRecord.COMMIT_PATCH))
                .as("the three retained checkpoints").containsExactly(FlashRecord.COMMIT_PATCH,
                        FlashRecord.COMMIT_PATCH, FlashRecord.COMMIT_PATCH);
        assertThat(kinds).as("the states they patch, kept").contains(FlashRecord.KEPT);
        FlashHeapStore again = store(files.reopened(), Long.MAX_VALUE);
        for (int i = states.size() - 3; i < states.size(); i++) {
            assertThat(state(again, ids.get(i))).as("checkpoint %d", i).isEqualTo(states.get(i));
        }
    }

    @Test
    void aChainThatIsNotOneIsFoundOut() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        FlashLogWriter writer = new FlashLogWriter(medium, BLOCK);
        writer.append(FlashLogFormat.formatRecord(BLOCK));
        FlashHeap h = new FlashHeap(0, "app", 64);
        byte[] a = bytes(STATE);
        byte[] b = bytes(STATE);
        long atA = writer.append(FlashStateVersions.whole(h, 1, a));
        long atB = writer.append(FlashStateVersions.whole(h, 2, b));
        byte[] next = a.clone();
        next[100] ^= 1;
        long good = writer.append(FlashStateVersions.record(h, 3, next, FlashPatches.Version.whole(a, atA)));
        long wrongBase = writer.append(FlashStateVersions.record(h, 4, next,   // the runs on a, naming b
                FlashPatches.Version.whole(a, atB)));
        long otherApp = writer.append(FlashStateVersions.whole(new FlashHeap(1, "other", 64), 5, a));
        writer.sync();

        assertThat(FlashStateVersions.read(new FlashLog(medium, BLOCK), h, good).data()).isEqualTo(next);
        assertThat(FlashStateVersions.read(new FlashLog(medium, BLOCK), h, good).depth()).isEqualTo(1);
        assertThatThrownBy(() -> FlashStateVersions.read(new FlashLog(medium, BLOCK), h, wrongBase))
                .isInstanceOf(IOException.class).hasMessageContaining("CRC-32C differs");
        assertThatThrownBy(() -> FlashStateVersions.read(new FlashLog(medium, BLOCK), h, otherApp))
                .isInstanceOf(IOException.class).hasMessageContaining("another app's checkpoint");
        assertThat(LinePatches.diff(a, next)).isNotEmpty();
    }

    /**
     * {@code n} VM states: each the one before with a few bytes changed; the fourth grows by 100 bytes and the
     * seventh shrinks by 50 (a state's length changes with the VM's threads and frames).
     */
    private List<byte[]> states(int n) {
        List<byte[]> states = new ArrayList<>();
        byte[] state = bytes(STATE);
        for (int i = 0; i < n; i++) {
            state = java.util.Arrays.copyOf(state, state.length + (i == 3 ? 100 : i == 6 ? -50 : 0));
            for (int k = 0; k < 6; k++) {
                state[random.nextInt(state.length)] ^= (byte) (1 + random.nextInt(255));
            }
            states.add(state.clone());
        }
        return states;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private FlashHeapStore store(MemoryLogFiles files, long compactFloor) throws IOException {
        return new FlashHeapStore(files, new FlashStoreConfig().blockSize(BLOCK).compactFloor(compactFloor), clock);
    }

    /** The VM state of checkpoint {@code checkpoint} of the app, read through a new session. */
    private static byte[] state(FlashHeapStore store, long checkpoint) {
        try (HeapSession s = store.openHeap(new OpenRequest("app", "reader", false, 0, Duration.ZERO, checkpoint))) {
            return s.baseVmState();
        }
    }
}
