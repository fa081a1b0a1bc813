package org.vheap.device.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.TestStores;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/** The versioned delta over the real heap server: a device's copies travel back only where the line changed. */
class CachingSessionTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();
    private static final int LINE = 256;

    private static HeapSession open(String app) {
        return SERVER.store().openHeap(OpenRequest.create(app, "d", LINE));
    }

    @Test
    void onlyLinesChangedElsewhereAreFetchedAgainAndCopiesNeverServeStaleData() {
        String app = TestStores.app("delta");
        LineCache cache = new LineCache(1 << 20);
        long[] all = new long[20];
        List<LineImage> lines = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            all[i] = i + 1;
            lines.add(new LineImage(i + 1, TestStores.line(LINE, i + 1)));
        }
        try (CachingSession here = new CachingSession(open(app), cache)) {
            here.commit(lines, new long[0], new byte[0], Map.of());
        }
        try (HeapSession elsewhere = open(app)) {   // another device, no copies: changes two lines, deletes one
            elsewhere.commit(List.of(new LineImage(3, TestStores.line(LINE, 99)), new LineImage(7, TestStores.line(LINE, 98))),
                    new long[] {11}, new byte[0], Map.of());
        }
        try (CachingSession back = new CachingSession(open(app), cache)) {
            byte[][] read = back.read(all);
            for (int i = 0; i < all.length; i++) {
                long id = all[i];
                byte[] expected = id == 3 ? TestStores.line(LINE, 99) : id == 7 ? TestStores.line(LINE, 98)
                        : id == 11 ? null : TestStores.line(LINE, (int) id);
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
    void aCacheBoundedBelowTheHeapDropsTheOldestCopies() {
        LineCache cache = new LineCache(4L * LINE);
        for (int i = 1; i <= 10; i++) {
            cache.put("a", i, TestStores.line(LINE, i));
        }
        assertThat(cache.bytes()).isEqualTo(4L * LINE);
        assertThat(cache.get("a", 1)).isNull();
        assertThat(cache.get("a", 10).data()).isEqualTo(TestStores.line(LINE, 10));
        cache.forget("a");
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void aKnownHashOfTheWrongLengthIsRefusedClearly() {
        String app = TestStores.app("delta-bad");
        try (HeapSession s = open(app)) {
            s.flush(List.of(new LineImage(1, TestStores.line(LINE, 1))), new long[0]);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.read(new long[] {1}, new byte[][] {new byte[5]}))
                    .isInstanceOf(StoreException.class).hasMessageContaining("32-byte SHA-256");
        }
    }
}
