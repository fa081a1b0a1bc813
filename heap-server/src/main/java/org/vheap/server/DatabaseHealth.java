package org.vheap.server;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the heap database answers, checked every interval by a bounded {@link Probe} (by default a
 * {@code SELECT 1} through the pool, {@link #select1}) on a scheduler passed in. It tells its {@link Listener}
 * only of transitions, logging one WARN line (with the reason) when the database stops answering and one INFO
 * line when it answers again. It starts believing the database is up (the server has just migrated it).
 * {@link #suspect()} asks for a check at once, e.g. after a store call met an unavailable database; checks
 * run one at a time on the scheduler and suspicions coalesce.
 */
final class DatabaseHealth {
    private static final Logger log = LoggerFactory.getLogger(DatabaseHealth.class);

    /** How long the default probe lets the database take to answer once it has a connection. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** One check of the database; returns when it answered, throws (the reason) when it did not. */
    @FunctionalInterface
    interface Probe {
        void check() throws Exception;
    }

    /** Told of each transition: {@code false} when the database stopped answering, {@code true} when it answers again. */
    @FunctionalInterface
    interface Listener {
        void databaseAnswers(boolean up);
    }

    private final Probe probe;
    private final Listener listener;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final AtomicBoolean suspectPending = new AtomicBoolean();
    private final Object lock = new Object();
    private boolean up = true;   // guarded by lock
    private ScheduledFuture<?> periodic;   // guarded by lock

    DatabaseHealth(Probe probe, Listener listener, ScheduledExecutorService scheduler, Duration interval) {
        this.probe = probe;
        this.listener = listener;
        this.scheduler = scheduler;
        this.interval = interval;
    }

    /**
     * A {@code SELECT 1} on a connection from the pool: waiting for the connection is bounded by the pool's
     * connection timeout, the statement by {@code timeout} (at the socket, so a database that accepts but never
     * answers cannot hold the check). A failure is tried once more on another connection, so one pooled
     * connection that died (the database restarted, an idle connection cut) does not count as an outage.
     */
    static Probe select1(DataSource dataSource, Duration timeout) {
        int millis = (int) Math.max(1, timeout.toMillis());
        int seconds = (int) Math.max(1, timeout.toSeconds());
        Executor direct = Runnable::run;
        Probe once = () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setNetworkTimeout(direct, millis);   // the pool restores the connection's own when it is returned
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(seconds);
                    s.execute("SELECT 1");
                }
            } catch (SQLException e) {
                if (!busy(e)) {
                    throw e;
                }
                // busy, not down: load alone must not take the server out of its gateway's rotation
            }
        };
        return () -> {
            try {
                once.check();
            } catch (SQLException first) {
                try {
                    once.check();
                } catch (SQLException second) {
                    second.addSuppressed(first);
                    throw second;
                }
            }
        };
    }

    /**
     * Whether a failed probe only met a busy database: every pooled connection in use and none failing to
     * open (the pool's timeout without a cause; with the database away it carries the connection failure), or
     * the statement cancelled by its timeout (the server answered the cancel).
     */
    static boolean busy(SQLException e) {
        return (e instanceof SQLTransientConnectionException && e.getCause() == null) || "57014".equals(e.getSQLState());
    }

    /** Checks every interval from now on (the first after one interval). */
    DatabaseHealth start() {
        synchronized (lock) {
            if (periodic == null) {
                long ms = interval.toMillis();
                periodic = scheduler.scheduleWithFixedDelay(this::checkQuietly, ms, ms, TimeUnit.MILLISECONDS);
            }
        }
        return this;
    }

    /** Checks at once, on the scheduler, unless a check asked for this way is already waiting to run. */
    void suspect() {
        if (suspectPending.compareAndSet(false, true)) {
            try {
                scheduler.execute(() -> {
                    suspectPending.set(false);
                    checkQuietly();
                });
            } catch (RejectedExecutionException e) {
                suspectPending.set(false);   // the scheduler is shutting down with the server
            }
        }
    }

    /** Stops the periodic checks (a check running finishes; the scheduler's owner shuts it down). */
    void stop() {
        synchronized (lock) {
            if (periodic != null) {
                periodic.cancel(false);
            }
        }
    }

    /** Whether the database answered the newest check. */
    boolean up() {
        synchronized (lock) {
            return up;
        }
    }

    /** Runs one check on the calling thread and tells the listener if the state changed; returns the state. */
    boolean checkNow() {
        String reason = null;
        try {
            probe.check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (lock) {
                return up;   // stopped: no verdict
            }
        } catch (Exception e) {
            reason = reason(e);
        }
        boolean answered = reason == null;
        synchronized (lock) {
            if (answered == up) {
                return up;
            }
            up = answered;
            if (answered) {
                log.info("the heap database answers again; gRPC health is SERVING");
            } else {
                log.warn("the heap database is unavailable ({}); gRPC health is NOT_SERVING until it answers", reason);
            }
            listener.databaseAnswers(answered);
            return up;
        }
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (RuntimeException e) {   // a listener's failure must not end the periodic checks
            log.error("database health check failed", e);
        }
    }

    /** The exception's first line, and its root cause's when that says more (the pool wraps the driver's). */
    static String reason(Throwable e) {
        String top = firstLine(e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e && e instanceof SQLException sql && sql.getNextException() != null) {
            root = sql.getNextException();
        }
        String bottom = firstLine(root);
        return root == e || top.contains(bottom) ? top : top + ": " + bottom;
    }

    private static String firstLine(Throwable t) {
        String s = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
