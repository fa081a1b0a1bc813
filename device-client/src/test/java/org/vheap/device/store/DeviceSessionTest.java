package org.vheap.device.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.TestStores;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The device's session layer ({@link DeviceSessions#open}, {@link DeviceSession}): the versioned delta over the
 * real heap server — a device's copies travel back only where the line changed —, writes kept in order behind
 * a background flush, and the wait for a held lease on a clock the test moves.
 */
class DeviceSessionTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();
    private static final int LINE = 256;

    private static DeviceSession open(HeapStore store, String app, LineCache copies) throws InterruptedException {
        return open(store, app, "d", copies);
    }

    private static DeviceSession open(HeapStore store, String app, String device, LineCache copies)
            throws InterruptedException {
        return DeviceSessions.open(store, OpenRequest.create(app, device, LINE), Duration.ZERO, copies, DeviceClock.system());
    }

    /**
     * Commits lines 1..count (line i holding value i) from device "d" keeping copies in {@code cache}, with a VM
     * state (a resumable checkpoint, pinned for the copies); returns their ids.
     */
    private static long[] committedHere(String app, LineCache cache, int count) throws InterruptedException {
        long[] all = new long[count];
        List<LineImage> lines = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            all[i] = i + 1;
            lines.add(new LineImage(i + 1, TestHeaps.line(LINE, i + 1)));
        }
        try (DeviceSession here = open(SERVER.store(), app, cache)) {
            here.commit(lines, new long[0], new byte[] {1}, Map.of());
        }
        return all;
    }

    @Test
    void onlyLinesChangedElsewhereAreFetchedAgainAndCopiesNeverServeStaleData() throws Exception {
        String app = TestHeaps.app("delta");
        LineCache cache = new LineCache(1 << 20);
        long[] all = committedHere(app, cache, 20);
        try (HeapSession elsewhere = open(SERVER.store(), app, "e", null)) {   // another device, no copies: changes two lines, deletes one
            elsewhere.commit(List.of(new LineImage(3, TestHeaps.line(LINE, 99)), new LineImage(7, TestHeaps.line(LINE, 98))),
                    new long[] {11}, new byte[0], Map.of());
        }
        try (DeviceSession back = open(SERVER.store(), app, cache)) {
            byte[][] read = back.read(all);
            for (int i = 0; i < all.length; i++) {
                long id = all[i];
                byte[] expected = id == 3 ? TestHeaps.line(LINE, 99) : id == 7 ? TestHeaps.line(LINE, 98)
                        : id == 11 ? null : TestHeaps.line(LINE, (int) id);
                assertThat(read[i]).as("line %d", id).isEqualTo(expected);
            }
            assertThat(back.bytesFetched()).isEqualTo(2L * LINE);
            assertThat(back.linesUnchanged()).isEqualTo(17);
            // a second read is served from the now current copies
            back.read(all);
            assertThat(back.bytesFetched()).isEqualTo(2L * LINE);
        }
    }

    @Test
    void linesChangedByAFewBytesElsewhereComeAsPatchesAgainstTheCopies() throws Exception {
        String app = TestHeaps.app("patched");
        LineCache cache = new LineCache(1 << 20);
        long[] all = committedHere(app, cache, 10);
        byte[] four = TestHeaps.line(LINE, 4);
        four[17] = 1;
        four[200] = 2;
        byte[] five = TestHeaps.line(LINE, 5);
        five[255] = 3;
        try (HeapSession elsewhere = open(SERVER.store(), app, "e", null)) {   // two lines changed a little, one all over
            elsewhere.commit(List.of(new LineImage(4, four), new LineImage(5, five), new LineImage(6, TestHeaps.line(LINE, 66))),
                    new long[0], new byte[0], Map.of());
            // more checkpoints than the store retains: the device's own is kept for its copies (pinned)
            for (int round = 0; round < 4; round++) {
                elsewhere.commit(List.of(), new long[0], new byte[0], Map.of());
            }
        }
        try (DeviceSession back = open(SERVER.store(), app, cache)) {
            byte[][] read = back.read(all);
            assertThat(read[3]).isEqualTo(four);
            assertThat(read[4]).isEqualTo(five);
            assertThat(read[5]).isEqualTo(TestHeaps.line(LINE, 66));
            assertThat(read[0]).isEqualTo(TestHeaps.line(LINE, 1));
            assertThat(back.linesPatched()).isEqualTo(2);
            assertThat(back.linesUnchanged()).isEqualTo(7);
            assertThat(back.bytesChanged()).isEqualTo(3 + LINE - 1);   // line 6 differs in all but its first byte
            // the whole line 6, and a few bytes for each patch: about what changed, not two more lines
            assertThat(back.bytesFetched()).isGreaterThan(LINE + 3).isLessThan(LINE + 20);
            // the patched copies are current now: read again, nothing travels
            back.read(all);
            assertThat(back.linesUnchanged()).isEqualTo(17);
        }
    }

    @Test
    void withoutCopiesEveryLineReadIsFetchedAndCounted() throws Exception {
        String app = TestHeaps.app("no-copies");
        try (DeviceSession s = open(SERVER.store(), app, null)) {
            s.flush(List.of(new LineImage(1, TestHeaps.line(LINE, 1)), new LineImage(2, TestHeaps.line(LINE, 2))), new long[0]);
            byte[][] read = s.read(new long[] {1, 2, 3});
            assertThat(read[0]).isEqualTo(TestHeaps.line(LINE, 1));
            assertThat(read[2]).isNull();
            s.read(new long[] {1});
            assertThat(s.bytesFetched()).isEqualTo(3L * LINE);
            assertThat(s.linesUnchanged()).isZero();
        }
    }

    @Test
    void aCacheBoundedBelowTheHeapDropsTheOldestCopies() {
        LineCache cache = new LineCache(4L * LINE);
        for (int i = 1; i <= 10; i++) {
            cache.put("a", i, TestHeaps.line(LINE, i));
        }
        assertThat(cache.bytes()).isEqualTo(4L * LINE);
        assertThat(cache.get("a", 1)).isNull();
        assertThat(cache.get("a", 10).data()).isEqualTo(TestHeaps.line(LINE, 10));
        cache.forget("a");
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void aKnownHashOfTheWrongLengthIsRefusedClearly() {
        String app = TestHeaps.app("delta-bad");
        try (HeapSession s = SERVER.store().openHeap(OpenRequest.create(app, "d", LINE))) {
            s.flush(List.of(new LineImage(1, TestHeaps.line(LINE, 1))), new long[0]);
            assertThatThrownBy(() -> s.read(new long[] {1}, new byte[][] {new byte[5]}))
                    .isInstanceOf(StoreException.class).hasMessageContaining("32-byte SHA-256");
        }
    }

    /**
     * A background flush held up in the store until the next writer is waiting: the later flush and the commit of
     * the same line go after it, so the store sees the writes in the order they were asked for and the newest
     * bytes win. (Were they not ordered, the later flush would reach the store first and finish.)
     */
    @Test
    void writesAreStoredInTheOrderAskedEvenBehindASlowBackgroundFlush() throws Exception {
        String app = TestHeaps.app("ordered");
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        Thread[] writer = new Thread[1];
        try (MemoryHeapStore memory = new MemoryHeapStore()) {
            HeapStore slow = new HeapStore() {
                @Override
                public HeapSession openHeap(OpenRequest request) {
                    return new Recording(memory.openHeap(request), order, () -> {
                        // hold the first write until the writer thread below waits for its turn (or has finished)
                        while (writer[0] == null || switch (writer[0].getState()) {
                            case WAITING, TIMED_WAITING, TERMINATED -> false;
                            default -> true;
                        }) {
                            Thread.onSpinWait();
                        }
                    });
                }

                @Override
                public SystemBlobStore systemBlobs(String a) {
                    return memory.systemBlobs(a);
                }

                @Override
                public void close() {
                }
            };
            try (DeviceSession s = open(slow, app, null)) {
                Future<Void> background = s.flushInBackground(List.of(new LineImage(1, TestHeaps.line(LINE, 1))));
                CompletableFuture<Long> done = new CompletableFuture<>();
                writer[0] = new Thread(() -> {
                    try {
                        s.flush(List.of(new LineImage(1, TestHeaps.line(LINE, 2))), new long[0]);
                        done.complete(s.commit(List.of(new LineImage(1, TestHeaps.line(LINE, 3))), new long[0], new byte[0], Map.of()));
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                });
                writer[0].start();
                background.get(30, TimeUnit.SECONDS);
                done.get(30, TimeUnit.SECONDS);
                assertThat(order).containsExactly("flush 1", "flush 2", "commit 3");
                assertThat(s.read(new long[] {1})[0]).isEqualTo(TestHeaps.line(LINE, 3));
            }
        }
    }

    @Test
    void aHeldLeaseIsAskedForAgainUntilItIsFreeOnTheDevicesClock() throws Exception {
        String app = TestHeaps.app("held");
        MutableClock storeClock = new MutableClock();
        try (MemoryHeapStore store = new MemoryHeapStore(storeClock)) {
            HeapSession holder = store.openHeap(OpenRequest.create(app, "other", LINE));
            ManualClock clock = new ManualClock();
            clock.onSleep(n -> {
                if (clock.sleeps().size() == 3) {
                    holder.close();   // the other device lets go during the third wait
                }
            });
            try (DeviceSession s = DeviceSessions.open(store, OpenRequest.create(app, "d", LINE), Duration.ofSeconds(1),
                    null, clock)) {
                assertThat(s.app()).isEqualTo(app);
            }
            assertThat(clock.sleeps()).containsExactly(100_000_000L, 100_000_000L, 100_000_000L);
        }
    }

    @Test
    void aLeaseStillHeldWhenTheWaitIsOverIsRefusedAndZeroWaitAsksOnce() {
        String app = TestHeaps.app("still-held");
        try (MemoryHeapStore store = new MemoryHeapStore(new MutableClock())) {
            store.openHeap(OpenRequest.create(app, "other", LINE));
            ManualClock clock = new ManualClock();
            assertThatThrownBy(() -> DeviceSessions.open(store, OpenRequest.create(app, "d", LINE), Duration.ofSeconds(1),
                    null, clock)).isInstanceOfSatisfying(StoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.LEASE_HELD));
            // asked at 0, 0.1, ... 1.0 s: ten waits, and at the deadline it gives up
            assertThat(clock.sleeps()).hasSize(10).allMatch(n -> n == 100_000_000L);

            ManualClock once = new ManualClock();
            assertThatThrownBy(() -> DeviceSessions.open(store, OpenRequest.create(app, "d", LINE), Duration.ZERO, null, once))
                    .isInstanceOf(StoreException.class);
            assertThat(once.sleeps()).isEmpty();
        }
    }

    /**
     * A store that is not there yet (a heap server restarting, a gateway with no backend up) is asked again with
     * backoff for the retry time: the open goes through once it answers; past the retry time, its failure is thrown.
     */
    @Test
    void anUnavailableStoreIsAskedAgainWithBackoffForTheRetryTime() throws Exception {
        String app = TestHeaps.app("unavailable");
        try (MemoryHeapStore memory = new MemoryHeapStore(new MutableClock())) {
            int[] failures = {3};
            HeapStore store = new HeapStore() {
                @Override
                public HeapSession openHeap(OpenRequest request) {
                    if (failures[0]-- > 0) {
                        throw new StoreException(StoreException.Reason.UNAVAILABLE, "no backend is up");
                    }
                    return memory.openHeap(request);
                }

                @Override
                public SystemBlobStore systemBlobs(String a) {
                    return memory.systemBlobs(a);
                }

                @Override
                public void close() {
                }
            };
            ManualClock clock = new ManualClock();
            try (DeviceSession s = DeviceSessions.open(store, OpenRequest.create(app, "d", LINE), Duration.ZERO,
                    Duration.ofSeconds(30), null, clock)) {
                assertThat(s.app()).isEqualTo(app);
            }
            assertThat(clock.sleeps()).containsExactly(100_000_000L, 200_000_000L, 400_000_000L);

            failures[0] = Integer.MAX_VALUE;
            ManualClock giveUp = new ManualClock();
            assertThatThrownBy(() -> DeviceSessions.open(store, OpenRequest.create(app, "d", LINE), Duration.ZERO,
                    Duration.ofSeconds(5), null, giveUp)).isInstanceOfSatisfying(StoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.UNAVAILABLE));
            // 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 2 = 5.1 s: the failure after the sixth pause is past the 5 s
            assertThat(giveUp.sleeps()).containsExactly(100_000_000L, 200_000_000L, 400_000_000L, 800_000_000L,
                    1_600_000_000L, 2_000_000_000L);
        }
    }

    /**
     * The defect: an interrupt during the lease wait came out as a store failure (UNAVAILABLE), which a device
     * reported as "the heap store failed". It is the caller's interrupt: InterruptedException, the flag kept.
     */
    @Test
    void anInterruptWhileWaitingForTheLeaseIsTheCallersNotAStoreFailure() {
        String app = TestHeaps.app("interrupted");
        try (MemoryHeapStore store = new MemoryHeapStore(new MutableClock())) {
            store.openHeap(OpenRequest.create(app, "other", LINE));
            ManualClock clock = new ManualClock();
            clock.onSleep(n -> Thread.currentThread().interrupt());   // interrupted during the first wait
            try {
                assertThatThrownBy(() -> DeviceSessions.open(store, OpenRequest.create(app, "d", LINE), Duration.ofSeconds(1),
                        null, clock)).isInstanceOf(InterruptedException.class);
                assertThat(clock.sleeps()).hasSize(1);
            } finally {
                Thread.interrupted();
            }
        }
    }

    /** A session that records each write's line value, and runs {@code holdFirst} before its first write. */
    private static final class Recording extends ForwardingSession {
        private final List<String> order;
        private Runnable holdFirst;

        Recording(HeapSession real, List<String> order, Runnable holdFirst) {
            super(real);
            this.order = order;
            this.holdFirst = holdFirst;
        }

        @Override
        public void flush(List<LineImage> lines, long[] deletes) {
            Runnable hold = holdFirst;
            holdFirst = () -> { };
            hold.run();
            super.flush(lines, deletes);
            order.add("flush " + lines.get(0).data()[1]);
        }

        @Override
        public long commit(List<LineImage> lines, long[] deletes, byte[] vmState, Map<String, String> metadata) {
            long id = super.commit(lines, deletes, vmState, metadata);
            order.add("commit " + lines.get(0).data()[1]);
            return id;
        }
    }
}
