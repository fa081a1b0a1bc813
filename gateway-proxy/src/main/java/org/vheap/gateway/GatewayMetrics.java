package org.vheap.gateway;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vheap.metrics.CallMeters;

/**
 * The gateway's own meters (the calls it takes are metered by {@code ServerCallMetrics}, under
 * {@code vheap.grpc.server}):
 * <ul>
 * <li>{@code vheap_gateway_backend_calls_total{backend,method,code}}, {@code ..._received_bytes_total},
 *     {@code ..._sent_bytes_total}, {@code ..._duration_seconds}: calls forwarded to each backend
 *     ({@link CallMeters} tagged {@code backend=HOST:PORT});</li>
 * <li>{@code vheap_gateway_backend_up{backend}}: 1 while the backend is up, 0 while down;</li>
 * <li>{@code vheap_gateway_system_cache_hits_total}, {@code ..._misses_total} (blobs),
 *     {@code ..._corrupt_total} (blobs whose SHA-256 did not match, not cached),
 *     {@code vheap_gateway_system_cache_bytes}, {@code vheap_gateway_system_cache_blobs};</li>
 * <li>{@code vheap_gateway_rejected_total{reason}}: calls refused at the gateway ({@code rate},
 *     {@code inflight}).</li>
 * </ul>
 */
final class GatewayMetrics {
    private final Map<Backend, CallMeters> backendCalls = new HashMap<>();
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter cacheCorrupt;
    private final Counter rejectedRate;
    private final Counter rejectedInflight;

    GatewayMetrics(MeterRegistry registry, List<Backend> backends, SystemBlobCache cache) {
        for (Backend b : backends) {
            String tag = b.address().toString();
            backendCalls.put(b, new CallMeters(registry, "vheap.gateway.backend", "backend", tag));
            Gauge.builder("vheap.gateway.backend.up", b, x -> x.isUp() ? 1 : 0).tag("backend", tag).register(registry);
        }
        cacheHits = Counter.builder("vheap.gateway.system.cache.hits").description("system blobs served from the cache").register(registry);
        cacheMisses = Counter.builder("vheap.gateway.system.cache.misses").description("system blobs asked of a backend").register(registry);
        cacheCorrupt = Counter.builder("vheap.gateway.system.cache.corrupt").description("blobs whose SHA-256 did not match").register(registry);
        if (cache != null) {
            Gauge.builder("vheap.gateway.system.cache.bytes", cache, SystemBlobCache::bytes).baseUnit("bytes").register(registry);
            Gauge.builder("vheap.gateway.system.cache.blobs", cache, SystemBlobCache::size).register(registry);
        }
        rejectedRate = Counter.builder("vheap.gateway.rejected").tag("reason", "rate").register(registry);
        rejectedInflight = Counter.builder("vheap.gateway.rejected").tag("reason", "inflight").register(registry);
    }

    void backendCall(Backend backend, String method, Status.Code code, long nanos, long bytesIn, long bytesOut) {
        backendCalls.get(backend).record(method, code, nanos, bytesIn, bytesOut);
    }

    void cacheHits(int n) {
        cacheHits.increment(n);
    }

    void cacheMisses(int n) {
        cacheMisses.increment(n);
    }

    void cacheCorrupt() {
        cacheCorrupt.increment();
    }

    void rejectedRate() {
        rejectedRate.increment();
    }

    void rejectedInflight() {
        rejectedInflight.increment();
    }
}
