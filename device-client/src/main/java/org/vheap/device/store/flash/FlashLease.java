package org.vheap.device.store.flash;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.device.store.DaemonThreads;
import org.vheap.device.store.HeapSession;
import org.vheap.store.StoreException;

/**
 * The server's lease as a {@link FlashFrontedSession} keeps it: reads of lines the flash holds and flushes do not
 * reach the server, so the session stops them itself once the lease may have ended. It lasts its length (as the server
 * granted it; from a server that does not say, the length asked for, or {@link FlashFrontedSession#UNKNOWN_LEASE}
 * when that was the server's default) from before the call that last asked for it (a read or a commit the server
 * answered does not extend it). A thread of its own ({@code vheap-lease-APP}) may renew it at a third of its length, so
 * a device that makes no call for a while (booting the JDK, a long collection) keeps it.
 *
 * <p>Thread-safe, and never takes the session's monitor: a renewal waits neither for a server away nor for a fault or
 * a checkpoint.
 */
final class FlashLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlashLease.class);

    private final HeapSession remote;
    private final HeapSession local;
    private final Clock clock;
    /** The lease's length when the server does not say what it granted: what was asked for, else the default's. */
    private final Duration asked;
    /** Before the server last granted or renewed the lease: it lasts at least until then plus its length. */
    private volatile Instant from;
    /** Guards moving {@link #from} on (the lease is read without it) and the renewing thread. */
    private final Object moving = new Object();
    /** Renews the lease in the background, or null. Guarded by {@link #moving}. */
    private ScheduledExecutorService renewer;
    /** Guarded by {@link #moving}. */
    private boolean closed;

    /**
     * The lease of {@code remote} (renewed with {@code local}'s), granted or renewed last before {@code from}; asked for
     * {@code asked}.
     */
    FlashLease(HeapSession remote, HeapSession local, Duration asked, Instant from, Clock clock) {
        this.remote = remote;
        this.local = local;
        this.asked = asked;
        this.from = from;
        this.clock = clock;
    }

    /**
     * Renews it from now on, at a third of its length, on a daemon thread, until a renewal is refused for good or it is
     * closed; once.
     */
    void renewInBackground() {
        long millis = Math.max(50, granted().toMillis() / 3);
        ScheduledExecutorService thread;
        synchronized (moving) {
            if (closed || renewer != null) {
                return;
            }
            thread = DaemonThreads.scheduled("vheap-lease-" + remote.app());
            renewer = thread;
        }
        thread.scheduleWithFixedDelay(() -> {
            try {
                renew();
            } catch (StoreException e) {
                if (!e.reason().retryable()) {
                    thread.shutdown();   // fenced, or the lease ended: the device's next call says so
                }
            } catch (RuntimeException e) {
                LOG.debug("app '{}': renewing the lease failed: {}", remote.app(), e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The server's lease as it granted it, or as the session takes it when the server does not say. */
    Duration granted() {
        return remote.leaseGranted().isZero() ? asked : remote.leaseGranted();
    }

    /** Fails as fenced once the lease may have ended unrenewed: another device may hold the app. */
    void requireHeld() {
        Instant now = clock.instant();
        Duration lease = granted();
        Instant since = from;
        if (now.isAfter(since.plus(lease))) {
            throw new StoreException(StoreException.Reason.FENCED, "app '" + remote.app() + "': the heap server last"
                    + " granted or renewed its lease " + Duration.between(since, now).toSeconds() + " s ago, past the "
                    + lease.toSeconds() + " s lease; another device may hold it by now, so the flash copy serves this"
                    + " device no longer");
        }
    }

    /** Milliseconds until the lease may end, unless renewed (negative: it may have). */
    long left() {
        return Duration.between(clock.instant(), from.plus(granted())).toMillis();
    }

    /** Renews it on the server, then in the flash; it lasts from before the server was asked. */
    void renew() {
        requireHeld();
        Instant askedAt = clock.instant();
        remote.renewLease();
        synchronized (moving) {
            if (askedAt.isAfter(from)) {
                from = askedAt;
            }
        }
        local.renewLease();
    }

    /** Stops renewing it in the background, waiting a little for a renewal under way (the sessions close next). */
    @Override
    public void close() {
        ScheduledExecutorService thread;
        synchronized (moving) {
            closed = true;
            thread = renewer;
        }
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
