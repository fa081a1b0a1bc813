package org.vheap.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The apps' quotas (table {@code app_quota}, keyed by app name; {@link #DEFAULT}, the empty name, holds the default of
 * every app without a row of its own) and a cache of them for the calls that must not pay a statement each.
 *
 * <p><b>Contract.</b> A commit reads its app's quota in its own transaction ({@link #effective(Connection, String)}),
 * so it is never judged by a stale one. A flush decides whether to count its open epoch, and the gRPC service whether
 * to throttle a call, by {@link #of(String)}: what this server read at most {@link #CACHED_FOR} ago. A quota set
 * through this object applies to them at once; one set through another heap server of the store, within that time.
 *
 * <p><b>Risks.</b> The cache holds an entry per app name asked about, up to {@link #MAX_CACHED} (then it starts
 * over), so a stream of made-up names costs one indexed statement each.
 */
public final class AppQuotas {
    /** The name of the default quota's row. */
    public static final String DEFAULT = "";
    /** How long a cached quota is used before it is read again. */
    public static final Duration CACHED_FOR = Duration.ofSeconds(5);
    static final int MAX_CACHED = 10_000;

    private final DataSource dataSource;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(AppQuota quota, Instant readAt) {
    }

    AppQuotas(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The app's quota (its own, else the default, else {@link AppQuota#NONE}), as read at most {@link #CACHED_FOR} ago. */
    public AppQuota of(String app) {
        checkName(app);
        Instant now = clock.instant();
        Cached cached = cache.get(app);
        if (cached != null && cached.readAt().plus(CACHED_FOR).isAfter(now)) {
            return cached.quota();
        }
        AppQuota quota = SqlTransactions.withConnection(dataSource, c -> effective(c, app));
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(app, new Cached(quota, now));
        return quota;
    }

    /** Gives the app (or, named {@link #DEFAULT}, every app without its own) this quota; returns what the app has now. */
    public AppQuota set(String app, AppQuota quota) {
        checkName(app);
        SqlTransactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_quota (app_name, max_lines, max_bytes,"
                    + " max_checkpoints, max_calls_per_second) VALUES (?, ?, ?, ?, ?) ON CONFLICT (app_name) DO UPDATE SET"
                    + " max_lines = excluded.max_lines, max_bytes = excluded.max_bytes,"
                    + " max_checkpoints = excluded.max_checkpoints, max_calls_per_second = excluded.max_calls_per_second")) {
                ps.setString(1, app);
                ps.setLong(2, quota.maxLines());
                ps.setLong(3, quota.maxBytes());
                ps.setInt(4, quota.maxCheckpoints());
                ps.setInt(5, quota.maxCallsPerSecond());
                ps.executeUpdate();
            }
            return null;
        });
        return forget(app);
    }

    /** Removes the app's own quota (it takes the default again; the default: none); returns what the app has now. */
    public AppQuota clear(String app) {
        checkName(app);
        SqlTransactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM app_quota WHERE app_name = ?")) {
                ps.setString(1, app);
                ps.executeUpdate();
            }
            return null;
        });
        return forget(app);
    }

    /** Every quota set, by app name; {@link #DEFAULT} first when there is one. */
    public Map<String, AppQuota> list() {
        return SqlTransactions.withConnection(dataSource, c -> {
            Map<String, AppQuota> all = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT app_name, max_lines, max_bytes, max_checkpoints,"
                    + " max_calls_per_second FROM app_quota");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.put(rs.getString(1), quota(rs, 2));
                }
            }
            return all;
        });
    }

    /** The app's quota as the transaction on {@code c} sees it: its own, else the default, else none. */
    static AppQuota effective(Connection c, String app) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max_lines, max_bytes, max_checkpoints,"
                + " max_calls_per_second FROM app_quota WHERE app_name IN (?, '') ORDER BY app_name DESC LIMIT 1")) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? quota(rs, 1) : AppQuota.NONE;
            }
        }
    }

    /** Drops what this server cached (every app's when the default changed) and reads the app's quota again. */
    private AppQuota forget(String app) {
        if (app.equals(DEFAULT)) {
            cache.clear();
        } else {
            cache.remove(app);
        }
        return of(app);
    }

    private static AppQuota quota(ResultSet rs, int first) throws SQLException {
        return new AppQuota(rs.getLong(first), rs.getLong(first + 1), rs.getInt(first + 2), rs.getInt(first + 3));
    }

    private static void checkName(String app) {
        if (!app.equals(DEFAULT)) {
            HeapNames.checkApp(app);
        }
    }
}
