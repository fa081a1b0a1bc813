package org.vheap.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.vheap.store.StoreException;

/**
 * The hashes of the apps' access tokens (table {@code app_token}, one row per heap, deleted with it). The
 * store never sees a token, only its SHA-256; comparing is the caller's (in constant time).
 */
public final class AppTokens {
    private final DataSource dataSource;

    public AppTokens(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What the store knows of an app's token. */
    public record Lookup(boolean appExists, byte[] tokenSha256) {
        static final Lookup NO_APP = new Lookup(false, null);
    }

    /** Whether the app exists and the hash of its token ({@code null}: it has none). */
    public Lookup lookup(String app) {
        HeapNames.checkApp(app);
        // the name's id, then the token by it: on Citus the second statement goes to the heap's shard alone
        return SqlTransactions.withConnection(dataSource, c -> {
            long heapId = HeapIds.idOf(c, app);
            return heapId == HeapIds.NONE ? Lookup.NO_APP : new Lookup(true, hashOf(c, heapId));
        });
    }

    /** Replaces (or sets) the app's token hash. NOT_FOUND when there is no such app. */
    public void replace(String app, byte[] tokenSha256) {
        HeapNames.checkApp(app);
        SqlTransactions.inTransaction(dataSource, c -> {
            long heapId = HeapIds.idOf(c, app);
            if (heapId == HeapIds.NONE) {
                throw HeapRow.noSuchApp(app);
            }
            // the heap row locked by its id (on Citus the statement goes to the heap's shard)
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM heap WHERE heap_id = ? FOR UPDATE")) {
                ps.setLong(1, heapId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw HeapRow.noSuchApp(app);   // deleted since its name was read
                    }
                }
            }
            upsert(c, heapId, tokenSha256);
            return null;
        });
    }

    /** Stores a heap's token hash in the caller's transaction. */
    static void upsert(Connection c, long heapId, byte[] tokenSha256) throws SQLException {
        // the time in VALUES, not in DO UPDATE: Citus allows only immutable functions there
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_token (heap_id, token_sha256, created_at)"
                + " VALUES (?, ?, now()) ON CONFLICT (heap_id) DO UPDATE SET token_sha256 = EXCLUDED.token_sha256,"
                + " created_at = EXCLUDED.created_at")) {
            ps.setLong(1, heapId);
            ps.setBytes(2, tokenSha256);
            ps.executeUpdate();
        }
    }

    /** The heap's token hash in the caller's transaction; {@code null}: none. */
    static byte[] hashOf(Connection c, long heapId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT token_sha256 FROM app_token WHERE heap_id = ?")) {
            ps.setLong(1, heapId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }
}
