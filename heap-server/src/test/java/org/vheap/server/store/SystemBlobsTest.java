package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestDatabase;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.StoreException;

/** The store's system blobs, on a real PostgreSQL: what the gRPC tests cannot reach. */
class SystemBlobsTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private final MutableClock clock = new MutableClock();

    private SystemBlobs segment(int maxCallBytes) {
        return new SystemBlobs(DB.dataSource(), clock, maxCallBytes);
    }

    private static SystemBlobs.Blob blob(int size) {
        byte[] data = TestHeaps.uniqueBlob(size);
        return new SystemBlobs.Blob(TestHeaps.sha256(data), data);
    }

    private static List<byte[]> hashes(List<SystemBlobs.Blob> blobs) {
        return blobs.stream().map(SystemBlobs.Blob::sha256).toList();
    }

    @Test
    void aPutOfMoreThanOneStatementsWorthIsStoredWholeWithItsSizeAndTime() throws SQLException {
        SystemBlobs s = segment(32 << 20);
        List<SystemBlobs.Blob> blobs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            blobs.add(blob(3 << 20));   // 21 MiB: three INSERT statements of at most 8 MiB
        }
        assertThat(s.put("app", blobs)).isEqualTo(7);
        SystemBlobs.Fetched f = s.get("app", hashes(blobs));
        assertThat(f.missing()).isEmpty();
        assertThat(f.found()).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(f.found().get(i).sha256()).isEqualTo(blobs.get(i).sha256());
            assertThat(f.found().get(i).data()).isEqualTo(blobs.get(i).data());
        }
        try (Connection c = DB.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT size, created_at FROM system_blob WHERE sha256 = ?")) {
            ps.setBytes(1, blobs.get(0).sha256());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(3 << 20);
                assertThat(rs.getTimestamp(2).toInstant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
            }
        }
    }

    @Test
    void aPutOverTheByteLimitIsRefusedWholeNamingTheLimit() {
        SystemBlobs s = segment(1000);
        List<SystemBlobs.Blob> blobs = List.of(blob(600), blob(300), blob(200));
        assertThatThrownBy(() -> s.put("app", blobs)).isInstanceOf(StoreException.class)
                .hasMessageContaining("at most 1000 bytes")
                .extracting(e -> ((StoreException) e).reason()).isEqualTo(StoreException.Reason.LIMIT_EXCEEDED);
        assertThat(s.missing("app", hashes(blobs))).hasSize(3);
        assertThat(s.put("app", blobs.subList(0, 2))).isEqualTo(2);
        assertThat(s.missing("app", hashes(blobs))).hasSize(1);
    }

    @Test
    void theDatabaseRefusesAHashThatIsNot32Bytes() {
        // the store checks first; the table's CHECK is the last line of defence
        assertThatThrownBy(() -> {
            try (Connection c = DB.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO system_blob (sha256, data, size, created_at)"
                         + " VALUES (?, ?, 1, now())")) {
                ps.setBytes(1, new byte[31]);
                ps.setBytes(2, new byte[1]);
                ps.executeUpdate();
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining("check");
    }

    @Test
    void theServersMessageSizeBecomesTheSegmentsLimit() {
        StoreSettings settings = new HeapServerConfig().setMaxMessageBytes(100 << 10).storeSettings();
        assertThat(settings.maxSystemCallBytes()).isEqualTo(100 << 10);
        PgHeapStore store = DB.store(Clock.systemUTC(), settings.withMaxSystemCallBytes(100));
        assertThatThrownBy(() -> store.systemBlobs().put("app", List.of(blob(101))))
                .hasMessageContaining("at most 100 bytes");
    }
}
