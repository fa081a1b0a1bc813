/**
 * Metrics shared by the heap server and the gateway (Micrometer, Prometheus text format): the meters of gRPC
 * calls ({@link org.vheap.metrics.CallMeters}), a server stream tracer recording every call
 * ({@link org.vheap.metrics.ServerCallMetrics}) and the {@code GET /metrics} endpoint
 * ({@link org.vheap.metrics.MetricsEndpoint}). Micrometer is an optional dependency of this module: devices
 * never load these classes; the heap server and the gateway depend on micrometer-registry-prometheus.
 */
package org.vheap.metrics;
