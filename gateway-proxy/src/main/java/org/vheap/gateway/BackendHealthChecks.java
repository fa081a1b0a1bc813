package org.vheap.gateway;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks each backend with {@code grpc.health.v1.Health/Check} (the whole server, service "") every
 * interval, each check bounded by the interval (at least 2 s, at most 10 s), at most one in flight per
 * backend. SERVING marks it up; NOT_SERVING or UNAVAILABLE (no connection) marks it down at once; any other
 * failure (no answer in time: a server busy with a burst of calls) marks it down only after
 * {@value #FAILURES_BEFORE_DOWN} in a row, so load alone does not take every backend out at once. A backend
 * without a health service (UNIMPLEMENTED) answered, so it counts as up, as grpc-java's own client-side
 * health checking does. A down backend's channel has its reconnect backoff reset before each check, so a
 * server that came back is seen within one interval. One daemon thread; {@link #close()} stops it.
 */
final class BackendHealthChecks implements AutoCloseable {
    static final int FAILURES_BEFORE_DOWN = 3;

    private final List<Backend> backends;
    private final Duration interval;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vheap-gateway-health");
        t.setDaemon(true);
        return t;
    });
    private final Map<Backend, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Map<Backend, Integer> failures = new ConcurrentHashMap<>();

    BackendHealthChecks(List<Backend> backends, Duration interval) {
        this.backends = backends;
        this.interval = interval;
        this.timeout = Duration.ofMillis(Math.min(10_000, Math.max(2_000, interval.toMillis())));
    }

    BackendHealthChecks start() {
        scheduler.scheduleWithFixedDelay(this::checkAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void checkAll() {
        for (Backend b : backends) {
            if (inFlight.putIfAbsent(b, Boolean.TRUE) == null) {
                check(b);
            }
        }
    }

    private void check(Backend b) {
        try {
            b.resetConnectBackoff();   // every lane waiting to reconnect tries now (calls use all lanes, checks lane 0)
            Futures.addCallback(HealthGrpc.newFutureStub(b.channel())
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()), new FutureCallback<HealthCheckResponse>() {
                        @Override
                        public void onSuccess(HealthCheckResponse r) {
                            inFlight.remove(b);
                            failures.remove(b);
                            if (r.getStatus() == ServingStatus.SERVING) {
                                b.markUp();
                            } else {
                                b.markDown("health " + r.getStatus());
                            }
                        }

                        @Override
                        public void onFailure(Throwable t) {
                            inFlight.remove(b);
                            Status s = Status.fromThrowable(t);
                            if (s.getCode() == Status.Code.UNIMPLEMENTED) {
                                failures.remove(b);
                                b.markUp();
                            } else if (s.getCode() == Status.Code.UNAVAILABLE
                                    || failures.merge(b, 1, Integer::sum) >= FAILURES_BEFORE_DOWN) {
                                b.markDown("health check " + s.getCode()
                                        + (s.getDescription() == null ? "" : ": " + s.getDescription()));
                            }
                        }
                    }, MoreExecutors.directExecutor());
        } catch (RuntimeException e) {
            inFlight.remove(b);
            b.markDown("health check failed: " + e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
