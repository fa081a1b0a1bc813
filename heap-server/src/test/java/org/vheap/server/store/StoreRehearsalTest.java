package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestDatabase;

/** The server's warm-up rehearsal runs every step it names, and none of it is ever stored. */
class StoreRehearsalTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** Rows of the store's tables, and the rehearsal's heaps (none may stay). */
    private static List<Long> rows() throws SQLException {
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM heap), (SELECT count(*) FROM checkpoint),"
                     + " (SELECT count(*) FROM line_version),"
                     + " (SELECT count(*) FROM heap WHERE app_name LIKE 'vheap-rehearsal-%')")) {
            r.next();
            return List.of(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
        }
    }

    @Test
    void aRehearsalRunsEveryStepAndStoresNothing() throws Exception {
        List<Long> before = rows();
        assertThat(StoreRehearsal.run(DB.dataSource(), new MutableClock(), StoreSettings.defaults(), () -> false)).isTrue();
        assertThat(rows()).isEqualTo(before);
        assertThat(before.get(3)).isZero();
    }

    @Test
    void aRehearsalAskedToStopEndsEarlyAndStoresNothing() throws Exception {
        List<Long> before = rows();
        assertThat(StoreRehearsal.run(DB.dataSource(), new MutableClock(), StoreSettings.defaults(), () -> true)).isFalse();
        assertThat(rows()).isEqualTo(before);
    }
}
