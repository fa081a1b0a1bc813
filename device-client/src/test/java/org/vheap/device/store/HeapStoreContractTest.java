package org.vheap.device.store;

import org.vheap.format.BlobHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The session semantics every {@link HeapStore} must have, run against each implementation by a subclass:
 * read-your-own-writes, invisibility of flushes before a commit, atomic commits, takeover discarding
 * uncommitted flushes, fencing, held leases, retained checkpoints and the system blobs.
 */
abstract class HeapStoreContractTest {
    static final int LINE = 128;
    static final Duration LEASE = Duration.ofSeconds(10);

    /** The store under test (shared by the class). */
    abstract HeapStore store();

    /** Moves the store's clock forward. */
    abstract void advance(Duration d);

    /** Checkpoints the store keeps per app. */
    abstract int retained();

    static OpenRequest open(String app, String device) {
        return new OpenRequest(app, device, true, LINE, LEASE, 0);
    }

    static OpenRequest openAt(String app, String device, long checkpointId) {
        return new OpenRequest(app, device, false, 0, LEASE, checkpointId);
    }

    static LineImage img(long id, int value) {
        return new LineImage(id, TestHeaps.line(LINE, value));
    }

    static void assertFails(Runnable call, StoreException.Reason reason, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }

    @Test
    void aSessionReadsItsOwnFlushesAndAbsentLinesAreNull() {
        String app = TestHeaps.app("own");
        try (HeapSession s = store().openHeap(open(app, "dev-a"))) {
            assertThat(s.created()).isTrue();
            assertThat(s.lineSize()).isEqualTo(LINE);
            assertThat(s.baseCheckpointId()).isZero();
            assertThat(s.baseVmState()).isEmpty();
            s.flush(List.of(img(1, 1), img(7, 7)), new long[0]);
            byte[][] r = s.read(new long[] {7, 2, 1});
            assertThat(r[0]).isEqualTo(TestHeaps.line(LINE, 7));
            assertThat(r[1]).isNull();
            assertThat(r[2]).isEqualTo(TestHeaps.line(LINE, 1));
            s.flush(List.of(img(1, 11)), new long[] {7});
            r = s.read(new long[] {1, 7});
            assertThat(r[0]).isEqualTo(TestHeaps.line(LINE, 11));
            assertThat(r[1]).isNull();
        }
    }

    @Test
    void flushesAreInvisibleToTheNextHolderUntilACommitPublishesThemAllAtOnce() {
        String app = TestHeaps.app("commit");
        HeapSession a = store().openHeap(open(app, "dev-a"));
        a.flush(List.of(img(1, 1)), new long[0]);
        a.flush(List.of(img(2, 2)), new long[0]);
        a.close();
        try (HeapSession b = store().openHeap(open(app, "dev-b"))) {
            byte[][] none = b.read(new long[] {1, 2});
            assertThat(none[0]).isNull();
            assertThat(none[1]).isNull();
            assertThat(b.created()).isFalse();
            b.flush(List.of(img(1, 1)), new long[0]);
            b.flush(List.of(img(2, 2), img(4, 4)), new long[0]);
            long cp = b.commit(List.of(img(3, 3)), new long[] {4}, new byte[] {9, 8, 7}, Map.of("why", "test"));
            assertThat(cp).isPositive();
            // the session goes on in a new epoch on its own checkpoint
            b.flush(List.of(img(5, 5)), new long[0]);
            assertThat(b.read(new long[] {5})[0]).isEqualTo(TestHeaps.line(LINE, 5));
        }
        try (HeapSession c = store().openHeap(open(app, "dev-c"))) {
            byte[][] r = c.read(new long[] {1, 2, 3, 4, 5});
            assertThat(r[0]).isEqualTo(TestHeaps.line(LINE, 1));
            assertThat(r[1]).isEqualTo(TestHeaps.line(LINE, 2));
            assertThat(r[2]).isEqualTo(TestHeaps.line(LINE, 3));
            assertThat(r[3]).isNull();
            assertThat(r[4]).as("flushed after the commit, then closed").isNull();
            assertThat(c.baseCheckpointId()).isPositive();
            assertThat(c.baseVmState()).containsExactly(9, 8, 7);
        }
    }

    @Test
    void aTakeoverAfterExpiryStartsFromTheCheckpointAndFencesTheOldHolder() {
        String app = TestHeaps.app("takeover");
        HeapSession a = store().openHeap(open(app, "dev-a"));
        long cp = a.commit(List.of(img(1, 1)), new long[0], new byte[] {1}, Map.of());
        a.flush(List.of(img(1, 2), img(2, 2)), new long[0]);
        assertFails(() -> store().openHeap(open(app, "dev-b")), StoreException.Reason.LEASE_HELD, "dev-a");
        advance(LEASE.plusSeconds(1));
        try (HeapSession b = store().openHeap(open(app, "dev-b"))) {
            assertThat(b.fencingToken()).isGreaterThan(a.fencingToken());
            assertThat(b.baseCheckpointId()).isEqualTo(cp);
            assertThat(b.read(new long[] {1, 2})[0]).isEqualTo(TestHeaps.line(LINE, 1));
            assertThat(b.read(new long[] {2})[0]).isNull();
            assertFails(() -> a.read(new long[] {1}), StoreException.Reason.FENCED, "stale");
            assertFails(() -> a.flush(List.of(img(3, 3)), new long[0]), StoreException.Reason.FENCED, "stale");
            assertFails(() -> a.commit(List.of(img(3, 3)), new long[0], new byte[0], Map.of()),
                    StoreException.Reason.FENCED, "stale");
            assertFails(a::renewLease, StoreException.Reason.FENCED, "stale");
            a.close();   // a fenced session's close changes nothing
            assertThat(b.read(new long[] {1, 3})[0]).isEqualTo(TestHeaps.line(LINE, 1));
            assertThat(b.read(new long[] {3})[0]).isNull();
            b.flush(List.of(img(3, 3)), new long[0]);   // b still holds the lease
        }
    }

    @Test
    void aHeldLeaseRefusesOtherDevicesUntilItExpiresAndRenewingExtendsIt() {
        String app = TestHeaps.app("lease");
        HeapSession a = store().openHeap(open(app, "dev-a"));
        advance(Duration.ofSeconds(8));
        a.renewLease();
        advance(Duration.ofSeconds(8));
        assertFails(() -> store().openHeap(open(app, "dev-b")), StoreException.Reason.LEASE_HELD, "dev-a");
        // the same device may open again: a new incarnation that fences the old one
        HeapSession a2 = store().openHeap(open(app, "dev-a"));
        assertThat(a2.fencingToken()).isGreaterThan(a.fencingToken());
        assertFails(() -> a.read(new long[] {0}), StoreException.Reason.FENCED, "stale");
        a2.close();
        a2.close();   // idempotent
        assertFails(() -> a2.read(new long[] {0}), StoreException.Reason.FENCED, "no device holds the lease");
        store().openHeap(open(app, "dev-b")).close();   // closed: no wait for expiry
    }

    @Test
    void fencingTokensGrowAcrossApps() {
        HeapSession x = store().openHeap(open(TestHeaps.app("tok-x"), "dev"));
        HeapSession y = store().openHeap(open(TestHeaps.app("tok-y"), "dev"));
        assertThat(y.fencingToken()).isGreaterThan(x.fencingToken());
        x.close();
        y.close();
    }

    @Test
    void retainedCheckpointsReopenExactlyAndOlderOnesArePruned() {
        String app = TestHeaps.app("retain");
        long[] cps = new long[retained() + 1];
        try (HeapSession s = store().openHeap(open(app, "dev-a"))) {
            for (int i = 0; i < cps.length; i++) {
                cps[i] = s.commit(List.of(img(1, 10 + i), img(2 + i, i)), new long[0], new byte[] {(byte) i}, Map.of());
                assertThat(i == 0 || cps[i] > cps[i - 1]).isTrue();
            }
        }
        assertFails(() -> store().openHeap(openAt(app, "dev-a", cps[0])), StoreException.Reason.NOT_FOUND,
                String.valueOf(cps[0]));
        try (HeapSession old = store().openHeap(openAt(app, "dev-a", cps[1]))) {
            assertThat(old.baseCheckpointId()).isEqualTo(cps[1]);
            assertThat(old.baseVmState()).containsExactly(1);
            byte[][] r = old.read(new long[] {1, 2, 3, 4});
            assertThat(r[0]).isEqualTo(TestHeaps.line(LINE, 11));
            assertThat(r[1]).isEqualTo(TestHeaps.line(LINE, 0));
            assertThat(r[2]).isEqualTo(TestHeaps.line(LINE, 1));
            assertThat(r[3]).as("written by a later checkpoint").isNull();
        }
        try (HeapSession newest = store().openHeap(openAt(app, "dev-a", 0))) {
            assertThat(newest.baseCheckpointId()).isEqualTo(cps[cps.length - 1]);
            assertThat(newest.read(new long[] {1})[0]).isEqualTo(TestHeaps.line(LINE, 10 + cps.length - 1));
        }
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() {
        String app = TestHeaps.app("bad");
        assertFails(() -> store().openHeap(openAt(TestHeaps.app("none"), "dev-a", 0)), StoreException.Reason.NOT_FOUND,
                "no app");
        try (HeapSession s = store().openHeap(open(app, "dev-a"))) {
            assertFails(() -> s.flush(List.of(img(1, 1), new LineImage(2, new byte[LINE - 1])), new long[0]),
                    StoreException.Reason.INVALID_ARGUMENT, "bytes");
            assertThat(s.read(new long[] {1})[0]).isNull();
            assertFails(() -> s.flush(List.of(img(1, 1)), new long[] {1}), StoreException.Reason.INVALID_ARGUMENT, "1");
        }
        assertFails(() -> store().openHeap(new OpenRequest(app, "dev-a", false, LINE * 2, LEASE, 0)),
                StoreException.Reason.CONFLICT, "128-byte lines");
    }

    @Test
    void theSystemSegmentIsContentAddressed() {
        byte[] classA = ("class A " + TestHeaps.app("blob")).getBytes();
        byte[] classB = ("class B " + TestHeaps.app("blob")).getBytes();
        BlobHash a = BlobHash.digest(classA);
        BlobHash b = BlobHash.digest(classB);
        SystemBlobStore seg = store().systemBlobs("seg-app");
        assertThat(seg.missing(List.of(a, b))).containsExactly(a, b);
        assertThat(seg.put(Map.of(a, classA))).isEqualTo(1);
        assertThat(seg.put(Map.of(a, classA, b, classB))).isEqualTo(1);
        assertThat(seg.missing(List.of(a, b))).isEmpty();
        Map<BlobHash, byte[]> got = seg.get(List.of(b, a, BlobHash.digest(new byte[] {1})));
        assertThat(got).containsOnlyKeys(a, b);
        assertThat(got.get(a)).isEqualTo(classA);
        assertThat(got.get(b)).isEqualTo(classB);
        assertFails(() -> seg.put(Map.of(BlobHash.digest(new byte[] {2}), new byte[] {3})),
                StoreException.Reason.INVALID_ARGUMENT, "");
    }
}
