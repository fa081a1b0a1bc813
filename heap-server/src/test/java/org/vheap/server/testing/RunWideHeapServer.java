package org.vheap.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;

/**
 * A JUnit extension giving a test class the run's heap server: a {@link HeapServerInstance}, started as
 * {@code vheap server} starts one, on {@code 127.0.0.1} (a free port) over the run's embedded PostgreSQL
 * ({@link TestDatabase}); started by the first class that asks and stopped when the run ends. For clients
 * that dial {@code host:port} as a device does. Its clock is a {@link MutableClock}: tests that move it must
 * do so only forward and only past leases of their own apps.
 * {@code @RegisterExtension static final RunWideHeapServer SERVER = new RunWideHeapServer();}
 */
public final class RunWideHeapServer implements BeforeAllCallback {
    private volatile Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        TestDatabase.Running database = TestDatabase.running(context);
        running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent("vheap-run-wide-heap-server", k -> new Running(database), Running.class);
    }

    /** {@code 127.0.0.1:port}. */
    public String target() {
        return running.server.address();
    }

    public int port() {
        return running.server.port();
    }

    public MutableClock clock() {
        return running.clock;
    }

    /** The server's database, for tests that run more servers over it (a restart on a port of their own). */
    public DataSource dataSource() {
        return running.server.dataSource();
    }

    /** Closed by JUnit when the run ends (before the database it uses: it was stored after it). */
    private static final class Running implements AutoCloseable {
        final MutableClock clock = new MutableClock();
        final HeapServerInstance server;

        Running(TestDatabase.Running database) {
            String[] urlAndUser = database.urlAndUser();
            try {
                server = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0)
                        .setDbUrl(urlAndUser[0]).setDbUser(urlAndUser[1]).setPoolSize(8), clock);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
