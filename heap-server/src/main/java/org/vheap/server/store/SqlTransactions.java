package org.vheap.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.vheap.store.StoreException;

/**
 * Units of SQL work on the store's database: in one transaction, in one read-only snapshot, or on an
 * auto-committing connection. Every {@link SQLException} leaves as the {@link StoreException} (or unchecked
 * exception) {@link SqlErrors} makes of it, after the transaction rolled back.
 */
final class SqlTransactions {
    private SqlTransactions() {
    }

    /** Work on one connection; it may throw {@link SQLException}s. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    static <T> T inTransaction(DataSource dataSource, SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** A read-only REPEATABLE READ transaction: every statement of {@code work} sees one snapshot. */
    static <T> T inSnapshot(DataSource dataSource, SqlWork<T> work) {
        return inTransaction(dataSource, c -> {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            return work.run(c);
        });
    }

    /** Runs {@code work} on an auto-committing connection: each statement is its own transaction. */
    static <T> T withConnection(DataSource dataSource, SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
