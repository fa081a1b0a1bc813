package org.vheap.server.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.vheap.store.StoreException;

/** Turns JDBC failures into {@link StoreException}s that say what happened, by SQLSTATE class. */
final class SqlErrors {
    private SqlErrors() {
    }

    static RuntimeException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException || state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
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

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
