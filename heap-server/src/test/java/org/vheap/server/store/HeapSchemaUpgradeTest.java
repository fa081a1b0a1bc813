package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestDatabase;

/**
 * A store of schema 7 (names unique in {@code heap}) holding apps, started by this build: the migrations move every
 * name into {@code heap_name} with its heap id, and the store serves the old apps by name and names new ones after
 * them, refusing a name twice.
 */
class HeapSchemaUpgradeTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @Test
    void aStoreOfSchema7WithAppsIsMigratedAndServesThemByName() throws SQLException {
        String database = "vheap_upgrade_" + System.nanoTime();
        String url;
        String user;
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            url = c.getMetaData().getURL().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
            user = c.getMetaData().getUserName();
        }
        try {
            PGSimpleDataSource old = new PGSimpleDataSource();
            old.setUrl(url);
            old.setUser(user);
            Flyway.configure().dataSource(old).locations("classpath:db/migration").target("7").load().migrate();
            Map<String, Long> ids = new TreeMap<>();
            try (Connection c = old.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("INSERT INTO heap (app_name, line_size, created_at) VALUES"
                         + " ('old-a', 64, now()), ('old-b', 128, now()) RETURNING app_name, heap_id")) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getLong(2));
                }
            }

            try (HeapDatabase upgraded = HeapDatabase.external(url, user, "", 2)) {
                Map<String, Long> names = new TreeMap<>();
                try (Connection c = upgraded.dataSource().getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT app_name, heap_id FROM heap_name")) {
                    while (rs.next()) {
                        names.put(rs.getString(1), rs.getLong(2));
                    }
                }
                assertThat(names).isEqualTo(ids);
                PgHeapStore store = new PgHeapStore(upgraded.dataSource(), new MutableClock(), StoreSettings.defaults(),
                        Runnable::run);
                OpenResult a = store.open(new PgHeapStore.OpenRequest("old-a", "dev", true, 0, 0, 0, false));
                assertThat(a.created()).isFalse();
                assertThat(a.heapId()).isEqualTo(ids.get("old-a"));
                assertThat(store.app("old-b").lineSize()).isEqualTo(128);
                OpenResult c = store.open(new PgHeapStore.OpenRequest("new-c", "dev", true, 64, 0, 0, false));
                assertThat(c.created()).isTrue();
                assertThat(c.heapId()).isGreaterThan(ids.get("old-b"));
                store.deleteApp("old-b", true);
                assertThat(store.listApps()).extracting(AppRecord::app).containsExactly("new-c", "old-a");
            }
        } finally {
            try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }
}
