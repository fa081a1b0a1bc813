package org.vheap.device.vm.heap.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.ManualClock;
import org.vheap.store.StoreException;

/** {@link StoreRetry} on a clock the test owns: the backoff sequence, its cap, and where it gives up — no real waiting. */
class StoreRetryTest {
    private static final long MS = 1_000_000L;
    private final ManualClock clock = new ManualClock();
    /** What the retry told its device, one line per report. */
    private final List<String> reports = new java.util.ArrayList<>();
    private final StoreWaits waits = new StoreWaits() {
        @Override
        public void storeWaiting(String what, String why, Duration retryFor) {
            reports.add("waiting: " + what + ": " + why + " for " + retryFor);
        }

        @Override
        public void storeBack(String what, long waitedNanos) {
            reports.add("back: " + what + " after " + waitedNanos / MS + " ms");
        }
    };

    private static PagingConfig config(int attempts, Duration backoff, Duration retryFor) {
        return new PagingConfig().setStoreRetryAttempts(attempts).setStoreRetryBackoff(backoff).setStoreRetryFor(retryFor);
    }

    /** A store call that fails {@code failures} times with {@code reason}, then answers "ok". */
    private static Supplier<String> failing(int failures, StoreException.Reason reason, AtomicInteger calls) {
        return () -> {
            if (calls.incrementAndGet() <= failures) {
                throw new StoreException(reason, "test: refused (" + reason + ")");
            }
            return "ok";
        };
    }

    @Test
    void aRetryableFailureIsRetriedWithDoublingPausesUntilTheStoreAnswers() {
        StoreRetry retry = new StoreRetry("app-a", config(4, Duration.ofMillis(100), Duration.ZERO), clock, () -> 0, waits);
        AtomicInteger calls = new AtomicInteger();
        assertThat(retry.call(() -> "read lines [1]", failing(3, StoreException.Reason.UNAVAILABLE, calls))).isEqualTo("ok");
        assertThat(calls.get()).isEqualTo(4);
        assertThat(clock.sleeps()).containsExactly(100 * MS, 200 * MS, 400 * MS);
        assertThat(retry.retries()).isEqualTo(3);

        AtomicInteger again = new AtomicInteger();
        assertThat(retry.call(() -> "flush lines [2]", failing(1, StoreException.Reason.ABORTED, again))).isEqualTo("ok");
        assertThat(clock.sleeps()).hasSize(4).endsWith(100 * MS);   // each call starts again from the first pause
        assertThat(retry.retries()).isEqualTo(4);
        // the device heard once that the app waits, and once that it goes on; a lost race retried at once is no news
        assertThat(reports).containsExactly("waiting: read lines [1]: test: refused (UNAVAILABLE) for PT0S",
                "back: read lines [1] after 700 ms");
    }

    @Test
    void aThrottledAppWaitsSaysSoAtOnceAndIsToldApartWhenItGivesUp() {
        StoreRetry retry = new StoreRetry("app-a", config(3, Duration.ofMillis(100), Duration.ZERO), clock, () -> 0, waits);
        assertThat(retry.call(() -> "flush lines [1]", failing(1, StoreException.Reason.THROTTLED, new AtomicInteger())))
                .isEqualTo("ok");
        assertThat(reports).containsExactly("waiting: flush lines [1]: test: refused (THROTTLED) for PT0S",
                "back: flush lines [1] after 100 ms");
        assertThatThrownBy(() -> retry.call(() -> "read lines [2]", failing(100, StoreException.Reason.THROTTLED,
                new AtomicInteger()))).isInstanceOf(HeapStoreUnreachableException.class)
                .hasMessage("app 'app-a': could not read lines [2] after 3 attempts in 0 s, the store kept throttling the app"
                        + " (THROTTLED: over its quota of calls per second): test: refused (THROTTLED)");
    }

    @Test
    void thePausesAreCappedAtTheMaximumBackoff() {
        StoreRetry retry = new StoreRetry("app-a", config(7, Duration.ofSeconds(2), Duration.ZERO), clock, () -> 0, waits);
        retry.call(() -> "read lines [1]", failing(6, StoreException.Reason.UNAVAILABLE, new AtomicInteger()));
        assertThat(clock.sleeps()).containsExactly(2000 * MS, 4000 * MS, 5000 * MS, 5000 * MS, 5000 * MS, 5000 * MS);
        assertThat(PagingConfig.MAX_BACKOFF).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void withoutARetryTimeItGivesUpWhenTheAttemptsAreUsedUpAndSaysWhatWasLost() {
        StoreRetry retry = new StoreRetry("app-a", config(4, Duration.ofMillis(100), Duration.ZERO), clock, () -> 3, waits);
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call(() -> "flush lines [0, 1]", failing(100, StoreException.Reason.UNAVAILABLE, calls)))
                .isInstanceOf(HeapStoreUnreachableException.class)
                .hasMessage("app 'app-a': could not flush lines [0, 1] after 4 attempts in 0 s, the store is unavailable:"
                        + " test: refused (UNAVAILABLE) (dirty lines stay in device memory)")
                .hasCauseInstanceOf(StoreException.class);
        assertThat(calls.get()).isEqualTo(4);
        assertThat(clock.sleeps()).containsExactly(100 * MS, 200 * MS, 400 * MS);

        // a store that answers but keeps losing a database race is not called unavailable
        assertThatThrownBy(() -> retry.call(() -> "flush lines [4]", failing(100, StoreException.Reason.ABORTED, new AtomicInteger())))
                .isInstanceOf(HeapStoreUnreachableException.class)
                .hasMessage("app 'app-a': could not flush lines [4] after 4 attempts in 0 s, the store kept aborting it (ABORTED):"
                        + " test: refused (ABORTED) (dirty lines stay in device memory)");
    }

    /**
     * With a retry time of 20 s it goes on past the attempts: pauses of 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, then 5 s
     * (capped) — at 16.3 s it tries again, at 21.3 s it is past 20 s and gives up, after 10 attempts.
     */
    @Test
    void aRetryTimeKeepsItTryingPastTheAttemptsUntilThatTimeIsOver() {
        StoreRetry retry = new StoreRetry("app-a", config(4, Duration.ofMillis(100), Duration.ofSeconds(20)), clock, () -> 0, waits);
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call(() -> "read lines [5]", failing(100, StoreException.Reason.UNAVAILABLE, calls)))
                .isInstanceOf(HeapStoreUnreachableException.class)
                .hasMessageStartingWith("app 'app-a': could not read lines [5] after 10 attempts in 21 s")
                .hasMessageNotContaining("dirty lines");
        assertThat(calls.get()).isEqualTo(10);
        assertThat(clock.sleeps()).containsExactly(100 * MS, 200 * MS, 400 * MS, 800 * MS, 1600 * MS, 3200 * MS,
                5000 * MS, 5000 * MS, 5000 * MS);
        assertThat(retry.retries()).isEqualTo(9);

        AtomicInteger back = new AtomicInteger();   // a store back within the time is reached, attempts or not
        assertThat(retry.call(() -> "read lines [5]", failing(7, StoreException.Reason.UNAVAILABLE, back))).isEqualTo("ok");
        assertThat(back.get()).isEqualTo(8);
        assertThat(reports).containsExactly("waiting: read lines [5]: test: refused (UNAVAILABLE) for PT20S",
                "waiting: read lines [5]: test: refused (UNAVAILABLE) for PT20S", "back: read lines [5] after 11300 ms");
    }

    /** A store that keeps aborting is waited for once the attempts are used up and only the retry time goes on. */
    @Test
    void aLostRaceIsReportedAsAWaitOnlyOnceTheAttemptsAreUsedUp() {
        StoreRetry retry = new StoreRetry("app-a", config(3, Duration.ofMillis(100), Duration.ofSeconds(20)), clock, () -> 0, waits);
        assertThat(retry.call(() -> "flush lines [2]", failing(2, StoreException.Reason.ABORTED, new AtomicInteger()))).isEqualTo("ok");
        assertThat(reports).isEmpty();
        assertThat(retry.call(() -> "flush lines [2]", failing(3, StoreException.Reason.ABORTED, new AtomicInteger()))).isEqualTo("ok");
        assertThat(reports).containsExactly("waiting: flush lines [2]: test: refused (ABORTED) for PT20S",
                "back: flush lines [2] after 700 ms");
    }

    @Test
    void fencedIsNeverRetriedAndOtherFailuresPassThroughUnchanged() {
        StoreRetry retry = new StoreRetry("app-a", config(4, Duration.ofMillis(100), Duration.ofSeconds(20)), clock, () -> 1, waits);
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call(() -> "flush lines [3]", failing(1, StoreException.Reason.FENCED, calls)))
                .isInstanceOf(HeapFencedException.class).hasMessageContaining("app 'app-a' was taken over")
                .hasMessageContaining("could not flush lines [3]");
        for (StoreException.Reason other : List.of(StoreException.Reason.CONFLICT, StoreException.Reason.INVALID_ARGUMENT,
                StoreException.Reason.NOT_FOUND, StoreException.Reason.DENIED)) {
            assertThatThrownBy(() -> retry.call(() -> "read lines [1]", failing(1, other, new AtomicInteger())))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(other));
        }
        assertThat(clock.sleeps()).isEmpty();
        assertThat(retry.retries()).isZero();
        assertThat(reports).isEmpty();
    }

    @Test
    void anInterruptWhilePausingEndsTheCallAndKeepsTheInterrupt() {
        StoreRetry retry = new StoreRetry("app-a", config(4, Duration.ofMillis(100), Duration.ZERO), clock, () -> 0, waits);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> retry.call(() -> "read lines [1]", failing(1, StoreException.Reason.UNAVAILABLE, new AtomicInteger())))
                    .isInstanceOf(HeapStoreUnreachableException.class).hasMessageContaining("interrupted while waiting to retry");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
