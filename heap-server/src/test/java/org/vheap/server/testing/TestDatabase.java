package org.vheap.server.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.vheap.server.store.HeapDatabase;
import org.vheap.server.store.PgHeapStore;
import org.vheap.server.store.StoreSettings;

/**
 * A JUnit extension giving a test class the run's embedded PostgreSQL, migrated: started by the first class
 * that asks, shared by every class of the test run (apps are told apart by {@link TestHeaps#app} names),
 * stopped and deleted when the run ends.
 * {@code @RegisterExtension static final TestDatabase DB = new TestDatabase();}
 */
public final class TestDatabase implements BeforeAllCallback {
    private volatile Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        running = running(context);
    }

    /** The run's database, started if this is the first to ask. */
    static Running running(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent("vheap-embedded-postgres", k -> new Running(), Running.class);
    }

    public DataSource dataSource() {
        return running.database.dataSource();
    }

    /**
     * A new, empty database on the run's PostgreSQL, named {@code prefix} and a number: another store's (its own
     * heaps, sequences and blobs) once a {@link HeapDatabase} migrates it. Returns its JDBC URL; {@link #user} connects.
     */
    public String createDatabase(String prefix) {
        String name = prefix + System.nanoTime();
        try (Connection c = dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            return c.getMetaData().getURL().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    /** The user the run's databases are reached as (no password). */
    public String user() {
        return running.urlAndUser()[1];
    }

    /** A store on the database that reclaims before each call returns, so tests see the result. */
    public PgHeapStore store(Clock clock, StoreSettings settings) {
        return new PgHeapStore(dataSource(), clock, settings, Runnable::run);
    }

    /** The embedded PostgreSQL of the run; closed by JUnit when the run ends. */
    static final class Running implements AutoCloseable {
        final Path dir = TestHeaps.tempDir("vheap-test-db");
        final HeapDatabase database = HeapDatabase.embedded(dir, 8);

        /** Its JDBC URL and user, for a server that opens a pool of its own to it ({@code --db-url}). */
        String[] urlAndUser() {
            try (Connection c = database.dataSource().getConnection()) {
                return new String[] {c.getMetaData().getURL(), c.getMetaData().getUserName()};
            } catch (SQLException e) {
                throw new IllegalStateException("the test database does not answer", e);
            }
        }

        @Override
        public void close() {
            database.close();
            TestHeaps.deleteRecursively(dir);
        }
    }
}
