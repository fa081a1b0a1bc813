package org.vheap.device.vm.heap.paging;

import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.vheap.device.store.DeviceClock;
import org.vheap.store.StoreException;

/**
 * The paging layer's store retry: runs one store call (a line read, a flush, a system line's fetch) for a
 * {@link PagedHeap} and decides, failure by failure, whether to try it again.
 *
 * <ul>
 *   <li>A retryable failure ({@code UNAVAILABLE}: the store is unreachable; {@code ABORTED}: a lost database
 *       race; {@code THROTTLED}: the app is over its quota of calls per second) is tried again after a pause: the configured backoff, then twice that, and so on, capped at
 *       {@link PagingConfig#MAX_BACKOFF}. It gives up when both the configured attempts are used up and the
 *       retry time since the first failure is over (a heap server restarting, or its database coming back,
 *       takes seconds), with {@link HeapStoreUnreachableException} naming the call, the attempts and the time.</li>
 *   <li>{@code FENCED} (another device took the heap, or its lease ended) is never retried:
 *       {@link HeapFencedException} at once.</li>
 *   <li>Any other failure is rethrown as it is.</li>
 * </ul>
 *
 * <p>The first failure that makes a call wait ({@code UNAVAILABLE} and {@code THROTTLED} at once; {@code ABORTED} once the attempts are
 * used up and only the retry time keeps it going) is reported to the {@link StoreWaits}, and so is the call's success
 * after it: the device says why the app is paused, and when it goes on.
 *
 * <p>Time is the injected {@link DeviceClock}'s: the pauses are its sleeps and the retry time is measured on it, so a
 * test drives the whole sequence without waiting. Not thread-safe: it belongs to one {@link PagedHeap} (the
 * interpreter thread). A call blocks its caller for as long as the retries take.
 */
final class StoreRetry {
    private final String app;
    private final int attempts;
    private final long backoffNanos;
    private final long retryForNanos;
    private final DeviceClock clock;
    private final IntSupplier dirtyLines;
    private final StoreWaits waits;
    private long retries;

    /**
     * @param app        the app, for messages
     * @param config     attempts, backoff and retry time
     * @param clock      what the pauses sleep on and the retry time is measured on
     * @param dirtyLines how many dirty lines the heap holds, for the give-up message
     * @param waits      told when a call starts waiting for the store and when it goes through
     */
    StoreRetry(String app, PagingConfig config, DeviceClock clock, IntSupplier dirtyLines, StoreWaits waits) {
        this.app = app;
        this.attempts = config.storeRetryAttempts();
        this.backoffNanos = config.storeRetryBackoff().toNanos();
        this.retryForNanos = config.storeRetryFor().toNanos();
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        this.dirtyLines = dirtyLines;
        this.waits = java.util.Objects.requireNonNull(waits, "waits");
    }

    /** Runs {@code call} ({@code what} it does, for messages: "read lines [5]"), retrying as the class says. */
    <T> T call(Supplier<String> what, Supplier<T> call) {
        long backoff = backoffNanos;
        long firstFailure = 0;
        boolean waiting = false;
        for (int attempt = 1; ; attempt++) {
            try {
                T result = call.get();
                if (waiting) {
                    waits.storeBack(what.get(), clock.nanoTime() - firstFailure);
                }
                return result;
            } catch (StoreException e) {
                switch (e.reason()) {
                    case FENCED -> throw new HeapFencedException("app '" + app + "' was taken over by another device"
                            + " or its lease ended; could not " + what.get() + ": " + e.getMessage(), e);
                    case UNAVAILABLE, ABORTED, THROTTLED -> {
                        long now = clock.nanoTime();
                        if (attempt == 1) {
                            firstFailure = now;
                        }
                        if (attempt >= attempts && now - firstFailure >= retryForNanos) {
                            throw new HeapStoreUnreachableException("app '" + app + "': could not " + what.get()
                                    + " after " + attempt + " attempts in " + Duration.ofNanos(now - firstFailure).toSeconds()
                                    + " s, " + giveUpReason(e.reason())
                                    + ": " + e.getMessage()
                                    + (dirtyLines.getAsInt() > 0 ? " (dirty lines stay in device memory)" : ""), e);
                        }
                        if (!waiting && (e.reason() != StoreException.Reason.ABORTED || attempt >= attempts)) {
                            waiting = true;
                            waits.storeWaiting(what.get(), e.getMessage(), Duration.ofNanos(retryForNanos));
                        }
                    }
                    default -> throw e;
                }
                retries++;
                pause(backoff, e);
                backoff = Math.min(backoff * 2, PagingConfig.MAX_BACKOFF.toNanos());
            }
        }
    }

    private static String giveUpReason(StoreException.Reason reason) {
        return switch (reason) {
            case ABORTED -> "the store kept aborting it (ABORTED)";
            case THROTTLED -> "the store kept throttling the app (THROTTLED: over its quota of calls per second)";
            default -> "the store is unavailable";
        };
    }

    /** Store calls repeated after a retryable failure. */
    long retries() {
        return retries;
    }

    private void pause(long nanos, StoreException during) {
        try {
            clock.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeapStoreUnreachableException("app '" + app + "': interrupted while waiting to retry the store", during);
        }
    }
}
