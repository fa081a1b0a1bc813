package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vheap.store.StoreException;

/** Which database failures a caller may retry: by SQLSTATE, and by the words Citus relays from a lost worker. */
class SqlErrorsTest {

    @Test
    void aWorkerLostMidCommitIsUnavailableNotAnInternalError() {
        // as Citus 13 reported it when a worker was killed during COMMIT (CitusWorkerCrashTest)
        SQLException lost = new SQLException("ERROR: server closed the connection unexpectedly\n\tThis probably means"
                + " the server terminated abnormally\ninvalid socket\n  Where: while executing command on"
                + " 127.0.0.1:38579", "XX000");
        assertThat(reason(lost)).isEqualTo(StoreException.Reason.UNAVAILABLE);
        assertThat(SqlErrors.translate(lost).getMessage())
                .isEqualTo("the heap database is unavailable: ERROR: server closed the connection unexpectedly");
        for (String libpq : List.of("connection not open", "no connection to the server", "invalid socket",
                "could not receive data from server: Connection reset by peer", "could not send data to server",
                "SSL SYSCALL error: EOF detected", "SSL connection has been closed unexpectedly",
                "SSL error: unexpected eof while reading",
                // a worker's postmaster killed or stopped under its backends (CitusWorkerCrashTest, CI 2026-12-06)
                "terminating connection due to unexpected postmaster exit",
                "terminating connection due to administrator command",
                "terminating connection because of crash of another server process")) {
            assertThat(reason(new SQLException("ERROR: " + libpq + "\n  Where: while executing command on"
                    + " 127.0.0.1:5433", "XX000"))).as(libpq).isEqualTo(StoreException.Reason.UNAVAILABLE);
        }
    }

    @Test
    void otherInternalErrorsStayInternal() {
        RuntimeException e = SqlErrors.translate(new SQLException("ERROR: could not find shard placement", "XX000"));
        assertThat(e).isInstanceOf(IllegalStateException.class)
                .hasMessage("database error XX000: ERROR: could not find shard placement");
        assertThat(reason(new SQLException("ERROR: duplicate key value violates unique constraint"
                + " \"line_version_pkey_102008\"", "XX000"))).isEqualTo(StoreException.Reason.ABORTED);
    }

    @Test
    void connectionClassShutdownAndCancelAreUnavailableConflictsAborted() {
        assertThat(reason(new SQLException("I/O error", "08006"))).isEqualTo(StoreException.Reason.UNAVAILABLE);
        assertThat(reason(new SQLException("terminating connection", "57P01"))).isEqualTo(StoreException.Reason.UNAVAILABLE);
        assertThat(reason(new SQLException("canceling statement due to statement timeout", "57014")))
                .isEqualTo(StoreException.Reason.UNAVAILABLE);
        assertThat(reason(new SQLException("could not serialize access", "40001"))).isEqualTo(StoreException.Reason.ABORTED);
        assertThat(reason(new SQLException("deadlock detected", "40P01"))).isEqualTo(StoreException.Reason.ABORTED);
    }

    private static StoreException.Reason reason(SQLException e) {
        RuntimeException translated = SqlErrors.translate(e);
        assertThat(translated).isInstanceOf(StoreException.class);
        return ((StoreException) translated).reason();
    }
}
