package org.vheap.server.fleet;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the fleet's devices saw, one interval at a time: calls by kind, fault latencies, lines written, errors (with
 * the first few messages). {@link #take} ends an interval and starts the next; thread-safe.
 */
final class FleetStats {
    /** One interval's figures. */
    record Interval(long nanos, Map<FleetDevice.Call, Long> calls, long faultP50Nanos, long faultP99Nanos, long errors) {
        long totalCalls() {
            return calls.values().stream().mapToLong(Long::longValue).sum();
        }

        double perSecond(long n) {
            return n * 1e9 / nanos;
        }
    }

    private final Map<FleetDevice.Call, LongAdder> calls = new EnumMap<>(FleetDevice.Call.class);
    private volatile ConcurrentLinkedQueue<Long> faults = new ConcurrentLinkedQueue<>();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong totalErrors = new AtomicLong();
    private final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
    private long intervalStart;

    FleetStats(long nowNanos) {
        for (FleetDevice.Call c : FleetDevice.Call.values()) {
            calls.put(c, new LongAdder());
        }
        intervalStart = nowNanos;
    }

    void called(FleetDevice.Call call, long nanos) {
        calls.get(call).increment();
        if (call == FleetDevice.Call.FAULT) {
            faults.add(nanos);
        }
    }

    void failed(String what) {
        errors.increment();
        if (totalErrors.incrementAndGet() <= 5) {
            firstErrors.add(what);
        }
    }

    long totalErrors() {
        return totalErrors.get();
    }

    Iterable<String> firstErrors() {
        return firstErrors;
    }

    /** Ends the interval at {@code nowNanos}: its figures. */
    synchronized Interval take(long nowNanos) {
        ConcurrentLinkedQueue<Long> f = faults;
        faults = new ConcurrentLinkedQueue<>();
        long[] sorted = f.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<FleetDevice.Call, Long> counts = new EnumMap<>(FleetDevice.Call.class);
        calls.forEach((c, n) -> counts.put(c, n.sumThenReset()));
        Interval i = new Interval(nowNanos - intervalStart, counts, percentile(sorted, 0.50), percentile(sorted, 0.99),
                errors.sumThenReset());
        intervalStart = nowNanos;
        return i;
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
