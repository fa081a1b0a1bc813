package org.vheap.metrics;

import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Metrics of every call a gRPC server takes, as a stream tracer ({@code ServerBuilder.addStreamTracerFactory}):
 * calls by method and status code, message bytes in and out, duration, under {@code vheap.grpc.server}
 * (see {@link CallMeters}). A tracer sees every call, also the ones an interceptor or the server itself
 * (unknown method, no capacity) ends. The clock is passed in ({@code System::nanoTime} in production).
 */
public final class ServerCallMetrics extends ServerStreamTracer.Factory {
    private final CallMeters meters;
    private final LongSupplier nanoTime;

    public ServerCallMetrics(MeterRegistry registry, LongSupplier nanoTime) {
        this.meters = new CallMeters(registry, "vheap.grpc.server");
        this.nanoTime = nanoTime;
    }

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        long start = nanoTime.getAsLong();
        AtomicLong in = new AtomicLong();
        AtomicLong out = new AtomicLong();
        return new ServerStreamTracer() {
            @Override
            public void inboundUncompressedSize(long bytes) {
                in.addAndGet(bytes);
            }

            @Override
            public void outboundUncompressedSize(long bytes) {
                out.addAndGet(bytes);
            }

            @Override
            public void streamClosed(Status status) {
                meters.record(fullMethodName, status.getCode(), nanoTime.getAsLong() - start, in.get(), out.get());
            }
        };
    }
}
