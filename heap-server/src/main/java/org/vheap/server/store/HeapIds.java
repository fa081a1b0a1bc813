package org.vheap.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each app's heap id, as the {@code heap_name} table maps names to ids, remembered by one store. Every statement of a
 * call names its heap by id: on Citus the id is the distribution column of every per-app table, so the statement
 * goes to the one shard that holds the heap ({@code heap_name} is a reference table, on every node). A remembered id
 * saves the look-up's round trip on the paths that are one statement (a fault, a flush).
 *
 * <p><b>Stale ids.</b> A name keeps its id for the life of its heap, but a heap deleted (by any server) and created
 * again under the same name has a new id. Statements match the id and the name together, so a stale id finds no heap
 * row; {@link #withId} then looks the name up again and runs the statement once more before it says there is no app.
 *
 * <p>Thread-safe. It holds at most {@value #MAX} names and forgets them all when full (each is looked up again).
 */
final class HeapIds {
    static final long NONE = -1;
    private static final int MAX = 65_536;

    private final ConcurrentHashMap<String, Long> byName = new ConcurrentHashMap<>();

    /** A statement on one heap, by its id: what it found, {@code null} when it found no heap row. */
    interface ById<T> {
        T run(long heapId) throws SQLException;
    }

    /**
     * Runs {@code statement} on the app's heap: with the remembered id, and if that finds no heap row (or none is
     * remembered), with the id {@code heap_name} gives in the caller's connection. {@code null} when there is no app.
     */
    <T> T withId(Connection c, String app, ById<T> statement) throws SQLException {
        Long remembered = byName.get(app);
        if (remembered != null) {
            T found = statement.run(remembered);
            if (found != null) {
                return found;
            }
            byName.remove(app, remembered);
        }
        long id = lookUp(c, app);
        return id == NONE ? null : statement.run(id);
    }

    /** The app's id in the caller's connection (remembered), {@link #NONE} when there is no such app. */
    long lookUp(Connection c, String app) throws SQLException {
        long id = idOf(c, app);
        if (id != NONE) {
            remember(app, id);
        }
        return id;
    }

    /** The app's id in the caller's connection, {@link #NONE} when there is no such app. */
    static long idOf(Connection c, String app) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT heap_id FROM heap_name WHERE app_name = ?")) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : NONE;
            }
        }
    }

    /** The id remembered for the name, {@link #NONE} when none is. */
    long remembered(String app) {
        Long id = byName.get(app);
        return id == null ? NONE : id;
    }

    /** Remembers a name's id (a heap this store just created, or looked up). */
    void remember(String app, long id) {
        if (byName.size() >= MAX) {
            byName.clear();
        }
        byName.put(app, id);
    }

    /** Forgets a name (its heap was deleted). */
    void forget(String app) {
        byName.remove(app);
    }
}
