package org.vheap.server.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.vheap.store.StoreException;

/** Turns JDBC failures into {@link StoreException}s that say what happened, by SQLSTATE class. */
final class SqlErrors {
    private SqlErrors() {
    }

    static RuntimeException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException || state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03") || isLostNode(e)) {
            return new StoreException(StoreException.Reason.UNAVAILABLE,
                    "the heap database is unavailable: " + firstLine(e.getMessage()), e);
        }
        if (state.equals("57014")) {
            return new StoreException(StoreException.Reason.UNAVAILABLE, "a database statement ran over the server's limit of "
                    + HeapDatabase.STATEMENT_TIMEOUT.toSeconds() + " s and was cancelled; retry later: " + firstLine(e.getMessage()), e);
        }
        if (state.equals("40001") || state.equals("40P01") || isUniqueViolation(e)) {
            return new StoreException(StoreException.Reason.ABORTED,
                    "a concurrent change to the same heap won; retry: " + firstLine(e.getMessage()), e);
        }
        return new IllegalStateException("database error " + state + ": " + firstLine(e.getMessage()), e);
    }

    /**
     * Whether a statement met a row with its key (unique_violation, 23505). Citus relays a worker's such error in a
     * {@code COPY} to a distributed table as an internal error (XX000) with the worker's message, which names the
     * shard's primary key ({@code line_version_pkey_102008}) in any language: that counts too.
     */
    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) || ("XX000".equals(e.getSQLState()) && e.getMessage() != null
                && e.getMessage().contains("line_version_pkey_"));
    }

    /**
     * Libpq's words for a connection that broke, as Citus relays them when a worker it was talking to went away
     * mid-statement or mid-commit: as an internal error (XX000) with libpq's message, "while executing command on
     * host:port"; and a worker's own last words to its backends as its postmaster dies or shuts down ("terminating
     * connection due to unexpected postmaster exit", "... due to administrator command", "terminating connection
     * because of crash of another server process"), relayed the same way. Such a call's outcome is unknown (a commit
     * may have landed on the worker), as with a lost connection to the database itself (08006): the caller retries as
     * for that.
     */
    private static final List<String> LOST_CONNECTION = List.of("server closed the connection unexpectedly",
            "connection not open", "no connection to the server", "invalid socket", "could not receive data from server",
            "could not send data to server", "SSL SYSCALL error", "SSL connection has been closed unexpectedly",
            "SSL error: unexpected eof", "terminating connection due to",
            "terminating connection because of crash of another server process");

    /** Whether Citus lost a node mid-call ({@link #LOST_CONNECTION}); English messages only, as libpq's are by default. */
    static boolean isLostNode(SQLException e) {
        return "XX000".equals(e.getSQLState()) && e.getMessage() != null
                && LOST_CONNECTION.stream().anyMatch(e.getMessage()::contains);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
