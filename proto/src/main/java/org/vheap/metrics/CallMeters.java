package org.vheap.metrics;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;

/**
 * The meters of gRPC calls under one name prefix, as Prometheus shows them ({@code PREFIX} e.g.
 * {@code vheap.grpc.server}):
 * <ul>
 * <li>{@code PREFIX_calls_total{method,code}}: ended calls by full method name and status code;</li>
 * <li>{@code PREFIX_received_bytes_total{method}}, {@code PREFIX_sent_bytes_total{method}}: message bytes
 *     (uncompressed) in and out;</li>
 * <li>{@code PREFIX_duration_seconds{method}}: a timer with a histogram (fixed buckets 1 ms .. 60 s).</li>
 * </ul>
 * Extra tags (the gateway's {@code backend}) are added to all of them. Method names outside the vheap
 * services and gRPC health are tagged {@code other}, so a caller inventing method names cannot grow the
 * number of time series. Thread-safe.
 */
public final class CallMeters {
    private static final Set<String> KNOWN = knownMethods();
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60)};

    private final MeterRegistry registry;
    private final String prefix;
    private final Tags tags;
    private final ConcurrentHashMap<String, MethodMeters> byMethod = new ConcurrentHashMap<>();

    /**
     * @param prefix the meter name prefix, dot-separated ({@code vheap.grpc.server})
     * @param tags   tags added to every meter, as key/value pairs
     */
    public CallMeters(MeterRegistry registry, String prefix, String... tags) {
        this.registry = registry;
        this.prefix = prefix;
        this.tags = Tags.of(tags);
    }

    /** Records one ended call. */
    public void record(String fullMethodName, io.grpc.Status.Code code, long nanos, long bytesIn, long bytesOut) {
        MethodMeters m = byMethod.computeIfAbsent(method(fullMethodName), MethodMeters::new);
        m.calls(code).increment();
        m.duration.record(nanos, TimeUnit.NANOSECONDS);
        if (bytesIn > 0) {
            m.received.increment(bytesIn);
        }
        if (bytesOut > 0) {
            m.sent.increment(bytesOut);
        }
    }

    /**
     * One method tag's meters, registered once (looking meters up in the registry on every call cost a
     * forwarded call several microseconds); the calls counter of each status code on its first use.
     */
    private final class MethodMeters {
        private final Tags tags;
        private final Timer duration;
        private final Counter received;
        private final Counter sent;
        private final AtomicReferenceArray<Counter> calls = new AtomicReferenceArray<>(io.grpc.Status.Code.values().length);

        MethodMeters(String method) {
            this.tags = CallMeters.this.tags.and("method", method);
            this.duration = Timer.builder(prefix + ".duration").tags(tags).serviceLevelObjectives(BUCKETS).register(registry);
            this.received = Counter.builder(prefix + ".received.bytes").baseUnit("bytes").tags(tags).register(registry);
            this.sent = Counter.builder(prefix + ".sent.bytes").baseUnit("bytes").tags(tags).register(registry);
        }

        Counter calls(io.grpc.Status.Code code) {
            Counter c = calls.get(code.ordinal());
            if (c == null) {
                // registering twice yields the same counter: a race here only repeats the lookup
                c = Counter.builder(prefix + ".calls").tags(tags).tag("code", code.name()).register(registry);
                calls.set(code.ordinal(), c);
            }
            return c;
        }
    }

    /** The method tag of a full method name: itself for a known method, {@code other} for the rest. */
    static String method(String fullMethodName) {
        return fullMethodName != null && (KNOWN.contains(fullMethodName) || fullMethodName.startsWith("grpc.health.v1.Health/"))
                ? fullMethodName : "other";
    }

    private static Set<String> knownMethods() {
        Set<String> names = new HashSet<>();
        for (ServiceDescriptor s : new ServiceDescriptor[] {HeapStoreGrpc.getServiceDescriptor(),
                DeviceControlGrpc.getServiceDescriptor()}) {
            for (MethodDescriptor<?, ?> m : s.getMethods()) {
                names.add(m.getFullMethodName());
            }
        }
        return Set.copyOf(names);
    }
}
