package org.vheap.server.console;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's gRPC calls over the last {@link #KEEP} samples, one every {@link #EVERY_SECONDS} seconds, read off its
 * call timers ({@code vheap.grpc.server.duration}): calls per second and their mean latency in each interval, for
 * the server page's chart. Its own daemon thread; {@link #close} ends it.
 */
final class CallHistory implements AutoCloseable {
    static final int EVERY_SECONDS = 5;
    static final int KEEP = 120;   // ten minutes

    /** One interval: its end (epoch millis), calls per second, mean latency in milliseconds (0 with no calls). */
    record Sample(long atMillis, double callsPerSecond, double meanMillis) {
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private long lastCount;
    private double lastNanos;
    private long lastAt;

    private CallHistory(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vheap-console-calls");
            t.setDaemon(true);
            return t;
        });
    }

    static CallHistory start(MeterRegistry registry, Clock clock) {
        CallHistory h = new CallHistory(registry, clock);
        h.sample();
        h.thread.scheduleAtFixedRate(h::sample, EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
        return h;
    }

    synchronized void sample() {
        long count = 0;
        double nanos = 0;
        for (Timer t : registry.find("vheap.grpc.server.duration").timers()) {
            count += t.count();
            nanos += t.totalTime(TimeUnit.NANOSECONDS);
        }
        long now = clock.millis();
        if (lastAt != 0 && now > lastAt) {
            long calls = count - lastCount;
            samples.addLast(new Sample(now, calls * 1000.0 / (now - lastAt), calls == 0 ? 0 : (nanos - lastNanos) / calls / 1e6));
            while (samples.size() > KEEP) {
                samples.removeFirst();
            }
        }
        lastCount = count;
        lastNanos = nanos;
        lastAt = now;
    }

    synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    /** The samples as JSON: {"everySeconds":5,"samples":[{"at":...,"calls":...,"ms":...}, ...]}. */
    String json() {
        StringBuilder b = new StringBuilder("{\"everySeconds\":").append(EVERY_SECONDS).append(",\"samples\":[");
        List<Sample> all = samples();
        for (int i = 0; i < all.size(); i++) {
            Sample s = all.get(i);
            b.append(i == 0 ? "" : ",").append("{\"at\":").append(s.atMillis())
                    .append(",\"calls\":").append(String.format(java.util.Locale.ROOT, "%.3f", s.callsPerSecond()))
                    .append(",\"ms\":").append(String.format(java.util.Locale.ROOT, "%.3f", s.meanMillis())).append('}');
        }
        return b.append("]}").toString();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
