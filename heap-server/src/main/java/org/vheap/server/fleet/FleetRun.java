package org.vheap.server.fleet;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.vheap.client.HeapStoreClient;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.DeleteAppRequest;

/**
 * A fleet of {@link FleetDevice}s against one address (a heap server or a gateway) for a time: each device steps,
 * thinks, steps again, on a pool of threads; every {@code interval} the figures of the interval go to {@code rows}
 * with the server's resident memory. Devices share {@code connections} channels (a real device has one: give as many
 * as devices). At the end every app the run made is deleted.
 */
public final class FleetRun {
    /** How big and how long. */
    public record Options(int devices, int threads, int connections, FleetWorkload work, Duration duration,
                          Duration interval) {
    }

    /** One printed row: an interval's figures and the server's resident bytes at its end (-1: not known). */
    public record Row(double secondsIn, double callsPerSecond, double faultP50Millis, double faultP99Millis,
                      double checkpointsPerSecond, long errors, long serverResidentBytes) {
    }

    /** The whole run: its rows, the lines the devices wrote, the errors and the first few of them. */
    public record Report(List<Row> rows, long calls, long linesWritten, double seconds, long errors, List<String> firstErrors) {
    }

    private final LongSupplier nanoTime;

    public FleetRun(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Runs the fleet against {@code target}; {@code serverRss} reads the server's resident bytes (or -1). */
    public Report run(String target, String runName, Options o, LongSupplier serverRss, Consumer<Row> rows)
            throws InterruptedException {
        List<ManagedChannel> channels = new ArrayList<>();
        List<FleetDevice> devices = new ArrayList<>();
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(o.threads(), r -> {
            Thread t = new Thread(r, "fleet-device");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < o.connections(); i++) {
                channels.add(ManagedChannelBuilder.forTarget(target).usePlaintext().build());
            }
            for (int i = 0; i < o.devices(); i++) {
                String app = runName + "-" + i;
                String name = "fleet-" + i;
                HeapStoreClient client = new HeapStoreClient(ClientInterceptors.intercept(channels.get(i % channels.size()),
                        VheapHeaders.interceptor(app, name)), 30_000);
                devices.add(new FleetDevice(app, name, client, o.work(), i));
            }
            long start = nanoTime.getAsLong();
            FleetStats stats = new FleetStats(start);
            long thinkNanos = o.work().think().toNanos();
            for (FleetDevice d : devices) {
                pool.scheduleWithFixedDelay(() -> step(d, stats), ThreadLocalRandom.current().nextLong(thinkNanos + 1),
                        thinkNanos, TimeUnit.NANOSECONDS);
            }
            List<Row> all = new ArrayList<>();
            long end = start + o.duration().toNanos();
            long calls = 0;
            while (nanoTime.getAsLong() < end) {
                long next = Math.min(end, nanoTime.getAsLong() + o.interval().toNanos());
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - nanoTime.getAsLong()));
                long now = nanoTime.getAsLong();
                FleetStats.Interval i = stats.take(now);
                calls += i.totalCalls();
                Row row = new Row((now - start) / 1e9, i.perSecond(i.totalCalls()), i.faultP50Nanos() / 1e6,
                        i.faultP99Nanos() / 1e6, i.perSecond(i.calls().get(FleetDevice.Call.CHECKPOINT)), i.errors(),
                        serverRss.getAsLong());
                all.add(row);
                rows.accept(row);
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            double seconds = (nanoTime.getAsLong() - start) / 1e9;
            long lines = devices.stream().mapToLong(FleetDevice::linesWritten).sum();
            List<String> first = new ArrayList<>();
            stats.firstErrors().forEach(first::add);
            return new Report(all, calls, lines, seconds, stats.totalErrors(), first);
        } finally {   // also when interrupted: no device left calling, no app left in the store
            pool.shutdownNow();
            if (!channels.isEmpty()) {
                deleteApps(devices, channels.get(0));
            }
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private void step(FleetDevice d, FleetStats stats) {
        long t0 = nanoTime.getAsLong();
        try {
            FleetDevice.Call c = d.step(t0);
            stats.called(c, nanoTime.getAsLong() - t0);
        } catch (RuntimeException e) {
            stats.failed(d.app() + ": " + e.getMessage());
        }
    }

    private static void deleteApps(List<FleetDevice> devices, ManagedChannel channel) {
        for (FleetDevice d : devices) {
            try {
                new HeapStoreClient(ClientInterceptors.intercept(channel, VheapHeaders.interceptor(d.app(), "fleet")), 30_000)
                        .blocking().deleteApp(DeleteAppRequest.newBuilder().setApp(d.app()).setForce(true).build());
            } catch (RuntimeException e) {
                // never made, or already gone
            }
        }
    }
}
