package org.vheap.device.store.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import org.vheap.device.TestStores;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.OpenRequest;
import org.vheap.server.HeapServer;
import org.vheap.server.store.PgHeapStore;
import org.vheap.server.store.StoreSettings;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The flash store in front of a real heap server: what goes to the server and what stays in flash, when the flash
 * copy is used and when the server's history wins, and a directory that holds an app of its own.
 */
class FlashFrontedStoreTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();
    private static final int LINE = 256;

    @TempDir
    Path dir;

    /** The fronted store on {@code dir}, its server sessions counted (and failed on demand) in {@code remote}. */
    private FlashFrontedStore fronted(AtomicReference<TestStores.FlakySession> remote) {
        return fronted(remote, new MutableClock());
    }

    private FlashFrontedStore fronted(AtomicReference<TestStores.FlakySession> remote, MutableClock clock) {
        return fronted(remote, clock, new FlashStoreConfig().blockSize(4096));
    }

    private FlashFrontedStore fronted(AtomicReference<TestStores.FlakySession> remote, MutableClock clock,
                                      FlashStoreConfig config) {
        return FlashFrontedStore.open(dir, config, clock, TestStores.flaky(SERVER.store(), remote::set),
                SERVER.target(), false);   // the clock moved by hand
    }

    private static OpenRequest open(String app, String device) {
        return new OpenRequest(app, device, true, LINE, Duration.ofSeconds(30), 0);
    }

    private static byte[] line(int value) {
        return TestHeaps.line(LINE, value);
    }

    private static LineImage img(long id, int value) {
        return new LineImage(id, TestHeaps.line(LINE, value));
    }

    @Test
    void evictionsStayInFlashAndACheckpointShipsEachLineWrittenSinceTheLastOnceToTheServer() {
        String app = TestHeaps.app("front-ship");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        try (FlashFrontedStore store = fronted(remote)) {
            long cp;
            try (HeapSession s = store.openHeap(open(app, "dev-a"))) {
                for (int round = 0; round < 5; round++) {   // the same lines evicted again and again
                    s.flush(List.of(img(1, round), img(2, round), img(3, round)), new long[0]);
                    assertThat(s.read(new long[] {1, 2, 3})[2]).isEqualTo(TestHeaps.line(LINE, round));
                }
                s.flush(List.of(), new long[] {3});
                assertThat(remote.get().writes).as("no eviction went to the server").hasValue(0);
                assertThat(s.read(new long[] {3})[0]).as("deleted, though the server still has nothing to delete")
                        .isNull();
                cp = s.commit(List.of(img(4, 4)), new long[0], new byte[] {7, 7}, Map.of("why", "test"));
                assertThat(((FlashFrontedSession) s).linesShipped()).as("lines 1, 2 and 4, each once").isEqualTo(3);
            }
            try (HeapSession server = SERVER.store().openHeap(open(app, "dev-b"))) {   // the server alone has it all
                assertThat(server.baseCheckpointId()).isEqualTo(cp);
                assertThat(server.baseVmState()).containsExactly(7, 7);
                byte[][] lines = server.read(new long[] {1, 2, 3, 4});
                assertThat(lines[0]).isEqualTo(TestHeaps.line(LINE, 4));
                assertThat(lines[1]).isEqualTo(TestHeaps.line(LINE, 4));
                assertThat(lines[2]).isNull();
                assertThat(lines[3]).isEqualTo(TestHeaps.line(LINE, 4));
            }
        }
    }

    @Test
    void theFlashCopyServesFaultsWhileItIsTheServersNewestCheckpointAndIsDroppedOnceAnotherDeviceWentOn() {
        String app = TestHeaps.app("front-copy");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        try (FlashFrontedStore store = fronted(remote)) {
            try (HeapSession s = store.openHeap(open(app, "dev-a"))) {
                s.commit(List.of(img(1, 1), img(2, 2)), new long[0], new byte[] {1}, Map.of());
            }
            try (HeapSession s = store.openHeap(open(app, "dev-a"))) {   // the device restarted
                assertThat(((FlashFrontedSession) s).copyWasCurrent()).isTrue();
                assertThat(s.read(new long[] {1, 2})[1]).isEqualTo(TestHeaps.line(LINE, 2));
                assertThat(remote.get().reads).as("served from flash").hasValue(0);
            }
            try (HeapSession other = SERVER.store().openHeap(open(app, "dev-b"))) {   // another device went on
                other.commit(List.of(img(1, 11)), new long[] {2}, new byte[] {2}, Map.of());
            }
            try (HeapSession s = store.openHeap(open(app, "dev-a"))) {
                assertThat(((FlashFrontedSession) s).copyWasCurrent()).as("the server's history wins").isFalse();
                assertThat(s.baseVmState()).containsExactly(2);
                byte[][] lines = s.read(new long[] {1, 2});
                assertThat(lines[0]).isEqualTo(TestHeaps.line(LINE, 11));
                assertThat(lines[1]).as("deleted by the other device").isNull();
                assertThat(remote.get().reads).hasValue(1);
                s.read(new long[] {1});
                assertThat(remote.get().reads).as("kept in flash once read").hasValue(1);
            }
        }
    }

    @Test
    void aCheckpointIsCommittedInFlashAndReachesTheServerInTheBackgroundWithoutTheFlushesMadeSince() throws Exception {
        String app = TestHeaps.app("front-ahead");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        try (FlashFrontedStore store = fronted(remote)) {
            long first;
            CompletableFuture<Long> shipped;
            try (HeapSession s = store.openHeap(open(app, "dev-a"))) {
                first = s.commit(List.of(img(1, 1)), new long[0], new byte[] {1}, Map.of());
                remote.get().down(true);
                long flashBefore = store.stats().bytesWritten();
                shipped = s.commitAhead(List.of(img(1, 2), img(2, 2)), new long[0], new byte[] {2}, Map.of());
                assertThat(store.stats().bytesWritten()).as("committed in flash").isGreaterThan(flashBefore);
                awaitRefused(remote.get(), 2);
                assertThat(shipped).as("the server is away").isNotDone();
                assertThat(((FlashFrontedSession) s).checkpointsBehind()).isEqualTo(1);
                assertThat(s.read(new long[] {1, 2})).as("served from flash meanwhile")
                        .isDeepEqualTo(new byte[][] {TestHeaps.line(LINE, 2), TestHeaps.line(LINE, 2)});
                s.flush(List.of(img(1, 9)), new long[0]);   // after the checkpoint: not part of it
                remote.get().down(false);
                assertThat(shipped.get(10, TimeUnit.SECONDS)).isGreaterThan(first);
                assertThat(((FlashFrontedSession) s).checkpointsBehind()).isZero();
            }
            try (HeapSession server = SERVER.store().openHeap(open(app, "dev-b"))) {
                assertThat(server.baseCheckpointId()).isEqualTo(shipped.get());
                assertThat(server.baseVmState()).containsExactly(2);
                assertThat(server.read(new long[] {1, 2})).as("the checkpoint's lines, not the flush made after it")
                        .isDeepEqualTo(new byte[][] {TestHeaps.line(LINE, 2), TestHeaps.line(LINE, 2)});
            }
        }
    }

    @Test
    void checkpointsTakenWhileTheServerIsAwayReachItEachAsACheckpointOfItsOwnInOrderWithTheirDeletions()
            throws Exception {
        String app = TestHeaps.app("front-each");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        try (FlashFrontedStore store = fronted(remote)) {
            List<CompletableFuture<Long>> shipped = new ArrayList<>();
            try (HeapSession s = store.openHeap(open(app, "dev-a"))) {
                s.commit(List.of(img(1, 1), img(2, 1)), new long[0], new byte[] {1}, Map.of());
                remote.get().down(true);
                shipped.add(s.commitAhead(List.of(img(1, 2)), new long[0], new byte[] {2}, Map.of()));
                shipped.add(s.commitAhead(List.of(img(3, 2)), new long[] {2}, new byte[] {3}, Map.of()));
                int reads = remote.get().reads.get();
                assertThat(s.read(new long[] {2})[0]).as("deleted by a checkpoint the server does not have yet")
                        .isNull();
                assertThat(remote.get().reads).as("not read from the server, which still has it").hasValue(reads);
                shipped.add(s.commitAhead(List.of(img(1, 3)), new long[0], new byte[] {4}, Map.of()));
                awaitRefused(remote.get(), 1);
                assertThat(((FlashFrontedSession) s).checkpointsBehind()).isEqualTo(3);
                remote.get().down(false);
                shipped.get(2).get(10, TimeUnit.SECONDS);
                assertThat(shipped.stream().map(CompletableFuture::join).toList()).as("three server checkpoints, in"
                        + " order").isSorted().doesNotHaveDuplicates();
                assertThat(((FlashFrontedSession) s).linesShipped()).as("lines 1 and 2, then 1, 3 and 1")
                        .isEqualTo(5);
            }
            byte[][] expected = {
                    {2}, line(2), line(1), null,
                    {3}, line(2), null, line(2),
                    {4}, line(3), null, line(2)};
            for (int k = 0; k < 3; k++) {
                try (HeapSession server = SERVER.store().openHeap(new OpenRequest(app, "dev-b", false, 0,
                        Duration.ofSeconds(30), shipped.get(k).join()))) {
                    assertThat(server.baseVmState()).as("checkpoint %d", k).isEqualTo(expected[4 * k]);
                    assertThat(server.read(new long[] {1, 2, 3})).as("checkpoint %d", k)
                            .isDeepEqualTo(Arrays.copyOfRange(expected, 4 * k + 1, 4 * k + 4));
                }
            }
        }
    }

    @Test
    void checkpointsTheFlashLetGoOfBeforeTheServerTookThemReachItWithTheNextOne() throws Exception {
        String app = TestHeaps.app("front-merged");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        try (FlashFrontedStore store = fronted(remote, new MutableClock(), new FlashStoreConfig().blockSize(4096)
                .keepUnshipped(1))) {
            List<CompletableFuture<Long>> shipped = new ArrayList<>();
            try (HeapSession s = store.openHeap(open(app, "dev-a"))) {
                s.commit(List.of(img(1, 1), img(2, 1)), new long[0], new byte[] {1}, Map.of());
                remote.get().down(true);
                shipped.add(s.commitAhead(List.of(img(1, 2)), new long[0], new byte[] {2}, Map.of()));
                awaitRefused(remote.get(), 1);
                shipped.add(s.commitAhead(List.of(img(3, 2)), new long[] {2}, new byte[] {3}, Map.of()));
                shipped.add(s.commitAhead(List.of(img(2, 4)), new long[0], new byte[] {4}, Map.of()));
                shipped.add(s.commitAhead(List.of(img(1, 5)), new long[] {3}, new byte[] {5}, Map.of()));
                remote.get().down(false);
                shipped.get(3).get(10, TimeUnit.SECONDS);
                assertThat(shipped.get(0).join()).as("the first two were let go of: they reach the server with the"
                        + " third").isEqualTo(shipped.get(1).join()).isEqualTo(shipped.get(2).join());
                assertThat(shipped.get(3).join()).isGreaterThan(shipped.get(2).join());
                assertThat(((FlashFrontedSession) s).checkpointsMerged()).isEqualTo(2);
            }
            try (HeapSession server = SERVER.store().openHeap(new OpenRequest(app, "dev-b", false, 0,
                    Duration.ofSeconds(30), shipped.get(2).join()))) {
                assertThat(server.baseVmState()).containsExactly(4);
                assertThat(server.read(new long[] {1, 2, 3})).as("the three checkpoints' changes, as the third has"
                        + " them").isDeepEqualTo(new byte[][] {line(2), line(4), line(2)});
            }
            try (HeapSession server = SERVER.store().openHeap(open(app, "dev-b"))) {
                assertThat(server.baseVmState()).containsExactly(5);
                assertThat(server.read(new long[] {1, 2, 3})).isDeepEqualTo(new byte[][] {line(5), line(4), null});
            }
        }
    }

    /**
     * A random history against a model: flushes, deletions and checkpoints while the server goes away and comes back,
     * the flash keeping two checkpoints beside the one it retains until they are shipped. Reads see the session's heap
     * (while the server is away, the lines the heap has: the flash serves them); the futures end in order, a checkpoint
     * merged into the next ending with its id; and each of the server's newest checkpoints is the heap (and the VM
     * state) of the flash checkpoint it was shipped for.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void aRandomHistoryWithOutagesReachesTheServerCheckpointByCheckpoint(long seed) throws Exception {
        String app = TestHeaps.app("front-model-" + seed);
        Random random = new Random(seed);
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        Map<Long, Integer> heap = new HashMap<>();   // the session's view: line -> value
        List<Map<Long, Integer>> committed = new ArrayList<>();
        List<Byte> vmStates = new ArrayList<>();
        List<CompletableFuture<Long>> shipped = new ArrayList<>();
        int value = 0;
        boolean down = false;
        try (FlashFrontedStore store = fronted(remote, new MutableClock(), new FlashStoreConfig().blockSize(4096)
                .keepUnshipped(2))) {
            try (HeapSession s = store.openHeap(open(app, "dev-a"))) {
                for (int step = 0; step < 80; step++) {
                    List<LineImage> writes = new ArrayList<>();
                    List<Long> deletes = new ArrayList<>();
                    for (int k = 1 + random.nextInt(3); k > 0; k--) {
                        long line = random.nextInt(12);
                        if (writes.stream().anyMatch(w -> w.lineId() == line) || deletes.contains(line)) {
                            continue;
                        }
                        if (heap.containsKey(line) && random.nextInt(4) == 0) {
                            deletes.add(line);
                        } else {
                            writes.add(img(line, ++value));
                        }
                    }
                    long[] gone = deletes.stream().mapToLong(Long::longValue).toArray();
                    int op = random.nextInt(10);
                    if (op < 4) {
                        s.flush(writes, gone);
                    } else {
                        try {
                            shipped.add(s.commitAhead(writes, gone, new byte[] {(byte) step}, Map.of()));
                        } catch (StoreException heldBack) {
                            assertThat(heldBack.getMessage()).contains("nothing was committed");
                            continue;
                        }
                    }
                    writes.forEach(w -> heap.put(w.lineId(), valueOf(w.data())));
                    deletes.forEach(heap::remove);
                    if (op >= 4) {
                        committed.add(Map.copyOf(heap));
                        vmStates.add((byte) step);
                    }
                    if (random.nextInt(8) == 0) {
                        down = !down;
                        remote.get().down(down);
                    }
                    long[] asked = down ? heap.keySet().stream().mapToLong(Long::longValue).toArray()
                            : java.util.stream.LongStream.range(0, 12).toArray();   // a line the flash lacks: the server's
                    byte[][] read = s.read(asked);
                    for (int i = 0; i < asked.length; i++) {
                        assertThat(read[i] == null ? null : valueOf(read[i])).as("step %d, line %d", step, asked[i])
                                .isEqualTo(heap.get(asked[i]));
                    }
                }
                remote.get().down(false);
                for (CompletableFuture<Long> f : shipped) {
                    f.get(20, TimeUnit.SECONDS);
                }
                long merged = ((FlashFrontedSession) s).checkpointsMerged();
                List<Long> ids = shipped.stream().map(CompletableFuture::join).toList();
                assertThat(ids).as("in order").isSorted();
                assertThat(ids.stream().distinct().count()).as("one server checkpoint each, but those merged")
                        .isEqualTo(ids.size() - merged);
            }
            List<Long> ids = shipped.stream().map(CompletableFuture::join).toList();
            List<Long> newest = ids.stream().distinct().sorted(java.util.Comparator.reverseOrder()).limit(3).toList();
            for (long id : newest) {
                Map<Long, Integer> expected = committed.get(ids.lastIndexOf(id));
                try (HeapSession server = SERVER.store().openHeap(new OpenRequest(app, "dev-b", false, 0,
                        Duration.ofSeconds(30), id))) {
                    assertThat(server.baseVmState()).as("server checkpoint %d", id)
                            .containsExactly(vmStates.get(ids.lastIndexOf(id)));
                    byte[][] read = server.read(java.util.stream.LongStream.range(0, 12).toArray());
                    for (int line = 0; line < 12; line++) {
                        assertThat(read[line] == null ? null : valueOf(read[line])).as("server checkpoint %d, line %d",
                                id, line).isEqualTo(expected.get((long) line));
                    }
                }
            }
        }
    }

    /** The value {@link #img} wrote into a line (below 65536): {@link TestHeaps#line} keeps its high byte first. */
    private static int valueOf(byte[] line) {
        return (line[0] & 0xff) << 8 | line[1] & 0xff;
    }

    @Test
    void aCheckpointWaitsWhileTooManyWaitForAServerThatTakesCallsSoItIsNeverFarBehind() throws Exception {
        String app = TestHeaps.app("front-behind");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        try (FlashFrontedStore store = fronted(remote);
             HeapSession s = store.openHeap(open(app, "dev-a"))) {
            s.commit(List.of(img(1, 1)), new long[0], new byte[] {1}, Map.of());
            remote.get().slow(100);
            CompletableFuture<Long> last = null;
            for (int i = 0; i < 12; i++) {   // each changes lines the ship under way has read: it chases them
                last = s.commitAhead(List.of(img(1 + i % 3, i + 2)), new long[0], new byte[] {(byte) i}, Map.of());
                assertThat(((FlashFrontedSession) s).checkpointsBehind()).as("after checkpoint %d", i)
                        .isLessThanOrEqualTo(FlashFrontedSession.MAX_BEHIND);
            }
            last.get(10, TimeUnit.SECONDS);
            remote.get().slow(0);
        }
        try (HeapSession server = SERVER.store().openHeap(open(app, "dev-b"))) {
            assertThat(server.baseVmState()).containsExactly(11);
            assertThat(server.read(new long[] {1, 2, 3})).isDeepEqualTo(new byte[][] {TestHeaps.line(LINE, 11),
                    TestHeaps.line(LINE, 12), TestHeaps.line(LINE, 13)});
        }
    }

    @Test
    void aCheckpointAnotherDeviceOvertookFailsAsFencedAndSoDoEveryCheckpointAfterIt() throws Exception {
        String app = TestHeaps.app("front-overtaken");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        try (FlashFrontedStore store = fronted(remote)) {
            try (HeapSession s = store.openHeap(new OpenRequest(app, "dev-a", true, LINE, Duration.ofSeconds(2), 0))) {
                s.commit(List.of(img(1, 1)), new long[0], new byte[] {1}, Map.of());
                remote.get().down(true);
                CompletableFuture<Long> shipped = s.commitAhead(List.of(img(1, 2)), new long[0], new byte[] {2},
                        Map.of());
                SERVER.clock().advance(Duration.ofSeconds(3));   // dev-a's lease ends on the server
                try (HeapSession b = SERVER.store().openHeap(open(app, "dev-b"))) {
                    b.commit(List.of(img(1, 7)), new long[0], new byte[] {7}, Map.of());
                }
                remote.get().down(false);
                assertThatThrownBy(() -> shipped.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class)
                        .cause().satisfies(e -> assertThat(((StoreException) e).reason())
                                .isEqualTo(StoreException.Reason.FENCED));
                assertThatThrownBy(() -> s.commitAhead(List.of(), new long[0], new byte[] {3}, Map.of()))
                        .isInstanceOf(StoreException.class).hasMessageContaining("stale");
            }
            try (HeapSession server = SERVER.store().openHeap(open(app, "dev-c"))) {
                assertThat(server.baseVmState()).as("the server's history wins").containsExactly(7);
                assertThat(server.read(new long[] {1})[0]).isEqualTo(TestHeaps.line(LINE, 7));
            }
        }
    }

    @Test
    void closingASessionWaitsForItsCheckpointsToReachTheServer() throws Exception {
        String app = TestHeaps.app("front-drain");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        try (FlashFrontedStore store = fronted(remote)) {
            CompletableFuture<Long> shipped;
            try (HeapSession s = store.openHeap(open(app, "dev-a"))) {
                remote.get().down(true);
                shipped = s.commitAhead(List.of(img(1, 1)), new long[0], new byte[] {1}, Map.of());
                awaitRefused(remote.get(), 1);
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> remote.get().down(false));
            }
            assertThat(shipped).as("closed after it was shipped").isCompleted();
            try (HeapSession server = SERVER.store().openHeap(open(app, "dev-b"))) {
                assertThat(server.baseCheckpointId()).isEqualTo(shipped.get());
                assertThat(server.read(new long[] {1})[0]).isEqualTo(TestHeaps.line(LINE, 1));
            }
        }
    }

    /**
     * A device that stops with flash checkpoints the server lacks: its session is left open, its flash store closed
     * (as a crash leaves them: the flash's commits are durable), the server's lease on it run out. Returns the app.
     */
    private String stopWithCheckpointsUnshipped(String name) throws Exception {
        String app = TestHeaps.app(name);
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        FlashFrontedStore store = fronted(remote);
        HeapSession s = store.openHeap(open(app, "dev-a"));
        s.commit(List.of(img(1, 1), img(4, 1)), new long[0], new byte[] {1}, Map.of());
        remote.get().down(true);
        s.commitAhead(List.of(img(1, 2), img(2, 2)), new long[0], new byte[] {2}, Map.of());
        s.commitAhead(List.of(img(3, 3)), new long[] {4}, new byte[] {3}, Map.of());
        awaitRefused(remote.get(), 1);
        store.close();   // the shipper finds the flash closed and stops
        SERVER.clock().advance(Duration.ofSeconds(31));
        return app;
    }

    @Test
    void flashCheckpointsADeviceDidNotShipBeforeItStoppedAreShippedWhenItOpensTheAppAgain() throws Exception {
        String app = stopWithCheckpointsUnshipped("front-catch-up");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        try (FlashFrontedStore store = fronted(remote)) {
            try (HeapSession s = store.openHeap(open(app, "dev-a"))) {
                assertThat(s.baseVmState()).as("goes on from the flash's newest checkpoint").containsExactly(3);
                assertThat(((FlashFrontedSession) s).copyWasCurrent()).isTrue();
                assertThat(s.read(new long[] {1, 2, 3})).isDeepEqualTo(new byte[][] {TestHeaps.line(LINE, 2),
                        TestHeaps.line(LINE, 2), TestHeaps.line(LINE, 3)});
                assertThat(remote.get().reads).as("served from flash").hasValue(0);
                assertThat(s.read(new long[] {4})[0]).as("the flash lacks it: the server, which deleted it").isNull();
            }
            try (HeapSession server = SERVER.store().openHeap(open(app, "dev-b"))) {
                assertThat(server.baseVmState()).as("the server has it").containsExactly(3);
                assertThat(server.read(new long[] {1, 2, 3, 4})).isDeepEqualTo(new byte[][] {TestHeaps.line(LINE, 2),
                        TestHeaps.line(LINE, 2), TestHeaps.line(LINE, 3), null});
            }
        }
    }

    @Test
    void flashCheckpointsADeviceDidNotShipAreDroppedWhenAnotherDeviceWentOnMeanwhile() throws Exception {
        String app = stopWithCheckpointsUnshipped("front-catch-up-late");
        try (HeapSession b = SERVER.store().openHeap(open(app, "dev-b"))) {
            b.commit(List.of(img(2, 7)), new long[0], new byte[] {7}, Map.of());
        }
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        try (FlashFrontedStore store = fronted(remote);
             HeapSession s = store.openHeap(open(app, "dev-a"))) {
            assertThat(s.baseVmState()).as("the server's history wins").containsExactly(7);
            assertThat(((FlashFrontedSession) s).copyWasCurrent()).isFalse();
            assertThat(s.read(new long[] {1, 2, 3, 4})).isDeepEqualTo(new byte[][] {TestHeaps.line(LINE, 1),
                    TestHeaps.line(LINE, 7), null, TestHeaps.line(LINE, 1)});
        }
    }

    /** Waits until the server session refused {@code n} calls (the shipper tried and will try again). */
    private static void awaitRefused(TestStores.FlakySession remote, int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (remote.refused.get() < n && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(remote.refused.get()).as("calls the server refused").isGreaterThanOrEqualTo(n);
    }

    @Test
    void aSessionThatDidNotReachTheServerForItsLeaseServesNothingMoreFromFlash() {
        String app = TestHeaps.app("front-lease");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        MutableClock clock = new MutableClock();
        try (FlashFrontedStore store = fronted(remote, clock);
             HeapSession s = store.openHeap(open(app, "dev-a"))) {
            s.commit(List.of(img(1, 1)), new long[0], new byte[] {1}, Map.of());
            clock.advance(Duration.ofSeconds(20));
            s.renewLease();
            clock.advance(Duration.ofSeconds(20));   // 40 s after the commit, 20 s after the renewal
            assertThat(s.read(new long[] {1})[0]).isEqualTo(TestHeaps.line(LINE, 1));
            remote.get().down(true);   // cut off: renewals fail, the flash still serves until the lease may have ended
            s.flush(List.of(img(1, 2)), new long[0]);
            clock.advance(Duration.ofSeconds(11));
            assertThatThrownBy(() -> s.read(new long[] {1})).isInstanceOf(StoreException.class)
                    .hasMessageContaining("another device may hold it by now")
                    .satisfies(e -> assertThat(((StoreException) e).reason()).isEqualTo(StoreException.Reason.FENCED));
            assertThatThrownBy(() -> s.flush(List.of(img(2, 2)), new long[0])).isInstanceOf(StoreException.class)
                    .hasMessageContaining("past the 30 s lease");
            assertThatThrownBy(s::renewLease).isInstanceOf(StoreException.class).hasMessageContaining("lease");
        }
    }

    @Test
    void aSessionRenewsItsLeaseInTheBackgroundSoADeviceThatMakesNoCallForLongerKeepsIt() throws Exception {
        for (boolean renewing : new boolean[] {true, false}) {
            String app = TestHeaps.app("front-renewing");
            try (FlashFrontedStore store = FlashFrontedStore.open(dir.resolve("renewing-" + renewing),
                    new FlashStoreConfig().blockSize(4096), java.time.Clock.systemUTC(),
                    TestStores.flaky(SERVER.store(), opened -> { }), SERVER.target(), renewing);
                 HeapSession s = store.openHeap(new OpenRequest(app, "dev-a", true, LINE, Duration.ofSeconds(1), 0))) {
                s.commit(List.of(img(1, 1)), new long[0], new byte[] {1}, Map.of());
                Thread.sleep(2_500);   // no call for 2.5 leases
                if (renewing) {
                    assertThat(s.read(new long[] {1})[0]).isEqualTo(TestHeaps.line(LINE, 1));
                } else {
                    assertThatThrownBy(() -> s.read(new long[] {1})).isInstanceOf(StoreException.class)
                            .hasMessageContaining("past the 1 s lease");
                }
            }
        }
    }

    @Test
    void aReadOrACommitTheServerAnswersDoesNotExtendTheLeaseOnlyARenewalDoes() {
        String app = TestHeaps.app("front-lease-read");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        MutableClock clock = new MutableClock();
        try (FlashFrontedStore store = fronted(remote, clock)) {
            try (HeapSession writer = store.openHeap(open(app, "dev-a"))) {
                writer.commit(List.of(img(1, 1), img(2, 2)), new long[0], new byte[] {1}, Map.of());
            }
            try (HeapSession heir = SERVER.store().openHeap(open(app, "dev-b"))) {   // the flash copy out of date
                heir.commit(List.of(img(2, 3)), new long[0], new byte[] {2}, Map.of());
            }
            try (HeapSession s = store.openHeap(open(app, "dev-a"))) {
                clock.advance(Duration.ofSeconds(25));
                assertThat(s.read(new long[] {2})[0]).as("from the server").isEqualTo(TestHeaps.line(LINE, 3));
                s.commit(List.of(img(1, 4)), new long[0], new byte[] {3}, Map.of());
                clock.advance(Duration.ofSeconds(6));   // 31 s after the open, 6 s after the server answered
                assertThatThrownBy(() -> s.read(new long[] {1})).isInstanceOf(StoreException.class)
                        .hasMessageContaining("past the 30 s lease");
            }
        }
    }

    @Test
    void aSessionOnTheServersDefaultLeaseStopsServingFromFlashOnceTheLeaseItGrantedEnded() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        StoreSettings defaults = StoreSettings.defaults();
        StoreSettings fiveSeconds = new StoreSettings(defaults.retain(), Duration.ofSeconds(5), defaults.maxLease(),
                defaults.maxSystemCallBytes(), defaults.copyPin());
        HeapServer server = new HeapServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)),
                new PgHeapStore(SERVER.dataSource(), SERVER.clock(), fiveSeconds, Runnable::run)).start();
        String app = TestHeaps.app("front-default-lease");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        MutableClock clock = new MutableClock();
        try (GrpcHeapStore grpc = new GrpcHeapStore("127.0.0.1:" + port, Duration.ofSeconds(20));
             FlashFrontedStore store = FlashFrontedStore.open(dir, new FlashStoreConfig().blockSize(4096), clock,
                     TestStores.flaky(grpc, remote::set), "127.0.0.1:" + port, false);
             HeapSession s = store.openHeap(new OpenRequest(app, "dev-a", true, LINE, Duration.ZERO, 0))) {
            s.commit(List.of(img(1, 1)), new long[0], new byte[] {1}, Map.of());
            remote.get().down(true);   // cut off: the server granted 5 s, not the 30 s a server that says nothing has
            clock.advance(Duration.ofSeconds(4));
            assertThat(s.read(new long[] {1})[0]).isEqualTo(TestHeaps.line(LINE, 1));
            clock.advance(Duration.ofSeconds(2));
            assertThatThrownBy(() -> s.read(new long[] {1})).isInstanceOf(StoreException.class)
                    .hasMessageContaining("past the 5 s lease")
                    .satisfies(e -> assertThat(((StoreException) e).reason()).isEqualTo(StoreException.Reason.FENCED));
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aCheckpointOfBigLinesShipsInStoreWritesUnderTheServersMessageLimit() {
        String app = TestHeaps.app("front-big");
        int size = 1 << 20;
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        try (FlashFrontedStore store = fronted(remote)) {
            try (HeapSession s = store.openHeap(new OpenRequest(app, "dev-a", true, size, Duration.ofSeconds(30), 0))) {
                List<LineImage> lines = new java.util.ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    lines.add(new LineImage(i, TestHeaps.line(size, i)));
                }
                s.flush(lines, new long[0]);   // 20 MiB, over the server's 16 MiB message limit in one write
                s.commit(List.of(), new long[0], new byte[] {1}, Map.of());
                assertThat(remote.get().writes).as("8 MiB per store write").hasValue(3);
            }
            try (HeapSession server = SERVER.store().openHeap(new OpenRequest(app, "dev-b", false, 0,
                    Duration.ofSeconds(30), 0))) {
                assertThat(server.read(new long[] {19})[0]).isEqualTo(TestHeaps.line(size, 19));
            }
        }
    }

    @Test
    void aDirectoryHoldingAppsOfItsOwnIsRefusedAndKeepsThemAndAFrontIsNotOpenedAlone() {
        String app = TestHeaps.app("front-own");
        long[] ids = new long[3];
        try (FlashHeapStore own = FlashHeapStore.open(dir, new FlashStoreConfig().blockSize(4096), new MutableClock());
             HeapSession s = own.openHeap(open(app, "dev-a"))) {
            for (int i = 0; i < 3; i++) {
                ids[i] = s.commit(List.of(img(1, i)), new long[0], new byte[] {(byte) i}, Map.of());
            }
        }
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        assertThatThrownBy(() -> fronted(remote)).isInstanceOf(StoreException.class)
                .hasMessageContaining("holds apps of its own")
                .satisfies(e -> assertThat(((StoreException) e).reason()).isEqualTo(StoreException.Reason.CONFLICT));
        assertThat(remote.get()).as("nothing asked of the server").isNull();
        try (FlashHeapStore own = FlashHeapStore.open(dir, new FlashStoreConfig().blockSize(4096), new MutableClock())) {
            for (int i = 0; i < 3; i++) {   // every retained checkpoint kept
                try (HeapSession s = own.openHeap(new OpenRequest(app, "dev-a", false, 0, Duration.ofSeconds(30),
                        ids[i]))) {
                    assertThat(s.read(new long[] {1})[0]).isEqualTo(TestHeaps.line(LINE, i));
                }
            }
        }

        Path front = dir.resolve("front");
        try (FlashFrontedStore store = FlashFrontedStore.open(front, new FlashStoreConfig().blockSize(4096),
                new MutableClock(), TestStores.flaky(SERVER.store(), remote::set), SERVER.target())) {
            store.openHeap(open(TestHeaps.app("front-marked"), "dev-a")).close();
        }
        assertThatThrownBy(() -> FlashHeapStore.open(front, new FlashStoreConfig(), new MutableClock()))
                .isInstanceOf(StoreException.class).hasMessageContaining("in front of a heap server");
    }
}
