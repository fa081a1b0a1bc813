package org.vheap.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vheap.store.StoreException;

/**
 * The store's management SQL, for operators rather than devices: the apps and their records, and deleting
 * an app's heap. Every method runs in the caller's transaction.
 */
final class StoreAdmin {
    private StoreAdmin() {
    }

    /** Every app's name, ascending. */
    static List<String> appNames(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT app_name FROM heap_name ORDER BY app_name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** The app's heap as listed; {@code null} when there is no such app. */
    static AppRecord appRecord(Connection c, HeapIds ids, String app) throws SQLException {
        HeapRow h = HeapRow.find(c, ids, app, false);
        if (h == null) {
            return null;
        }
        HeapLease lease = h.holder() == null ? null : new HeapLease(h.holder(), h.token(), h.expiresAt(),
                Duration.ZERO);
        return new AppRecord(app, h.heapId(), h.lineSize(), h.createdAt(), lease, Checkpoints.find(c, h, 0),
                Checkpoints.count(c, h.heapId()));
    }

    /**
     * Deletes the app's heap row, locked by the caller; its checkpoints, line versions and token go with it
     * ({@code ON DELETE CASCADE}), and its name. CONFLICT while a device holds an unexpired lease, unless {@code force}.
     */
    static void deleteHeap(Connection c, HeapIds ids, String app, HeapRow h, boolean force, Instant now)
            throws SQLException {
        if (!force && h.holder() != null && h.expiresAt().isAfter(now)) {
            throw new StoreException(StoreException.Reason.CONFLICT, "app '" + app + "' is leased to device '"
                    + h.holder() + "' until " + h.expiresAt() + "; stop it first, or delete with force");
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM heap WHERE heap_id = ?")) {
            ps.setLong(1, h.heapId());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM heap_name WHERE app_name = ? AND heap_id = ?")) {
            ps.setString(1, app);
            ps.setLong(2, h.heapId());
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("app '" + app + "' had no name row for heap " + h.heapId());
            }
        }
        ids.forget(app);
    }
}
