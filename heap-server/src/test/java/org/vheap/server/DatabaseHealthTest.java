package org.vheap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.TestDatabase;

/** The database check: its probe on a real pool, its state (transitions only, the reason kept), checks coalesced. */
class DatabaseHealthTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** A pool whose next {@code failures} connections fail (as a dead pooled connection would), then DB's. */
    private static DataSource failingFirst(AtomicInteger failures) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && failures.getAndDecrement() > 0) {
                        throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
                    }
                    try {
                        return method.invoke(DB.dataSource(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void theSelect1ProbeAnswersAndForgivesOneDeadConnectionButNotTwo() throws Exception {
        DatabaseHealth.select1(DB.dataSource(), Duration.ofSeconds(2)).check();
        DatabaseHealth.select1(failingFirst(new AtomicInteger(1)), Duration.ofSeconds(2)).check();
        assertThatThrownBy(() -> DatabaseHealth.select1(failingFirst(new AtomicInteger(2)), Duration.ofSeconds(2)).check())
                .isInstanceOf(SQLException.class).hasMessageContaining("I/O error");
    }

    @Test
    void tellsOnlyTransitions() {
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Boolean> told = new CopyOnWriteArrayList<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            DatabaseHealth h = new DatabaseHealth(() -> {
                if (failure.get() != null) {
                    throw failure.get();
                }
            }, told::add, scheduler, Duration.ofHours(1));
            assertThat(h.up()).isTrue();
            assertThat(h.checkNow()).isTrue();
            assertThat(told).isEmpty();

            failure.set(new SQLTransientConnectionException("vheap-db - Connection is not available",
                    new java.net.ConnectException("Connection refused")));
            assertThat(h.checkNow()).isFalse();
            assertThat(h.checkNow()).isFalse();
            assertThat(told).containsExactly(false);

            failure.set(null);
            assertThat(h.checkNow()).isTrue();
            assertThat(h.checkNow()).isTrue();
            assertThat(told).containsExactly(false, true);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void theReasonNamesTheRootCause() {
        Exception e = new SQLTransientConnectionException("vheap-db - Connection is not available, request timed out after 3000ms.",
                new RuntimeException("Connection to 127.0.0.1:5432 refused.\nmore"));
        assertThat(DatabaseHealth.reason(e))
                .isEqualTo("vheap-db - Connection is not available, request timed out after 3000ms.: Connection to 127.0.0.1:5432 refused.");
        assertThat(DatabaseHealth.reason(new IllegalStateException("alone"))).isEqualTo("alone");
    }

    @Test
    void checksPeriodicallyAndOnSuspicionUntilStopped() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            DatabaseHealth h = new DatabaseHealth(() -> {
                checks.incrementAndGet();
                throw new SQLTransientConnectionException("down");
            }, up -> { }, scheduler, Duration.ofMillis(100)).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (checks.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(checks.get()).isGreaterThanOrEqualTo(3);
            assertThat(h.up()).isFalse();

            h.stop();
            scheduler.submit(() -> { }).get(5, TimeUnit.SECONDS);   // a check running has finished
            int after = checks.get();
            Thread.sleep(300);
            assertThat(checks.get()).isEqualTo(after);

            h.suspect();
            scheduler.submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertThat(checks.get()).isEqualTo(after + 1);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aBusyDatabaseIsNotADownOne() {
        // the pool's timeout without a connection failure behind it: every connection in use
        assertThat(DatabaseHealth.busy(new java.sql.SQLTransientConnectionException("Connection is not available"))).isTrue();
        // the same timeout caused by connections that cannot be opened: down
        assertThat(DatabaseHealth.busy(new java.sql.SQLTransientConnectionException("Connection is not available",
                "08001", new java.sql.SQLException("Connection refused", "08001")))).isFalse();
        assertThat(DatabaseHealth.busy(new java.sql.SQLException("canceling statement due to statement timeout", "57014"))).isTrue();
        assertThat(DatabaseHealth.busy(new java.sql.SQLException("the connection attempt failed", "08001"))).isFalse();
    }
}
