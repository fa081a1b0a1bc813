package org.vheap.server.control;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.vheap.proto.v1.AppReport;
import org.vheap.proto.v1.DeviceInfo;

/**
 * The attached devices' own reports ({@code DeviceReport}, on their control streams) as meters of the server's
 * registry, so its {@code /metrics} shows them per device and app: {@code vheap_device_memory_used_bytes{device}},
 * {@code vheap_device_last_seen_age_seconds{device}}, and per app {@code vheap_device_app_faults},
 * {@code _lines_fetched}, {@code _lines_flushed}, {@code _collections}, {@code _gc_pause_total_seconds},
 * {@code _gc_pause_max_seconds}, {@code _heap_used_bytes}, {@code _resident_bytes},
 * {@code _checkpoint_age_seconds}, {@code _checkpoints_behind} (tags {@code device}, {@code app}). Refreshed every {@link #EVERY_SECONDS}
 * seconds on a daemon thread of its own: a device that detaches leaves the series then. {@link #close} ends it.
 */
public final class DeviceMeters implements AutoCloseable {
    static final int EVERY_SECONDS = 5;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeviceMeters.class);

    private record AppMeter(MultiGauge gauge, ToDoubleFunction<AppReport> value) {
    }

    private final Supplier<List<DeviceInfo>> devices;
    private final Clock clock;
    private final MultiGauge memoryUsed;
    private final MultiGauge lastSeenAge;
    private final List<AppMeter> apps = new ArrayList<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vheap-device-meters");
        t.setDaemon(true);
        return t;
    });

    private DeviceMeters(MeterRegistry registry, Supplier<List<DeviceInfo>> devices, Clock clock) {
        this.devices = devices;
        this.clock = clock;
        this.memoryUsed = MultiGauge.builder("vheap.device.memory.used").baseUnit("bytes")
                .description("device memory holding heap lines, as the device last reported").register(registry);
        this.lastSeenAge = MultiGauge.builder("vheap.device.last.seen.age").baseUnit("seconds")
                .description("time since the device's last message (a report, a result, a status)").register(registry);
        app(registry, "vheap.device.app.faults", null, "user-line faults since the app started or resumed here", AppReport::getFaults);
        app(registry, "vheap.device.app.lines.fetched", null, "lines read from the store", AppReport::getLinesFetched);
        app(registry, "vheap.device.app.lines.flushed", null, "dirty lines written to the store", AppReport::getLinesFlushed);
        app(registry, "vheap.device.app.collections", null, "garbage collections", AppReport::getCollections);
        app(registry, "vheap.device.app.gc.pause.total", "seconds", "collection pauses, summed", a -> a.getPauseNanosTotal() / 1e9);
        app(registry, "vheap.device.app.gc.pause.max", "seconds", "the longest collection pause", a -> a.getPauseNanosMax() / 1e9);
        app(registry, "vheap.device.app.heap.used", "bytes", "live and not yet collected objects", AppReport::getHeapBytesUsed);
        app(registry, "vheap.device.app.resident", "bytes", "frames holding the app's lines", AppReport::getResidentBytes);
        app(registry, "vheap.device.app.checkpoint.age", "seconds", "time since the app's newest checkpoint on the device",
                a -> a.getCheckpointAgeMillis() / 1e3);
        app(registry, "vheap.device.app.checkpoints.behind", null, "checkpoints committed on the device (a flash in front)"
                + " that the server does not have yet", AppReport::getCheckpointsBehind);
    }

    private void app(MeterRegistry registry, String name, String unit, String description, ToDoubleFunction<AppReport> value) {
        MultiGauge.Builder b = MultiGauge.builder(name).description(description);
        apps.add(new AppMeter((unit == null ? b : b.baseUnit(unit)).register(registry), value));
    }

    /** Meters of {@code devices} (asked every {@link #EVERY_SECONDS} s) in {@code registry}, refreshed until closed. */
    public static DeviceMeters start(MeterRegistry registry, Supplier<List<DeviceInfo>> devices, Clock clock) {
        DeviceMeters m = new DeviceMeters(registry, devices, clock);
        m.thread.scheduleAtFixedRate(() -> {
            try {
                m.refresh();
            } catch (RuntimeException e) {   // the next refresh tries again: a failure must not end the schedule
                log.warn("device meters not refreshed: {}", e.toString());
            }
        }, 0, EVERY_SECONDS, TimeUnit.SECONDS);
        return m;
    }

    /** The meters, refreshed only by {@link #refresh} calls (for tests). */
    static DeviceMeters unscheduled(MeterRegistry registry, Supplier<List<DeviceInfo>> devices, Clock clock) {
        return new DeviceMeters(registry, devices, clock);
    }

    /** Sets every series from the devices' last reports (and removes those of devices gone). */
    void refresh() {
        List<DeviceInfo> all = devices.get();
        List<MultiGauge.Row<?>> memory = new ArrayList<>();
        List<MultiGauge.Row<?>> age = new ArrayList<>();
        List<List<MultiGauge.Row<?>>> perApp = new ArrayList<>();
        apps.forEach(a -> perApp.add(new ArrayList<>()));
        double now = clock.millis() / 1e3;
        for (DeviceInfo d : all) {
            if (!d.hasReport()) {
                continue;
            }
            Tags device = Tags.of("device", d.getDevice());
            memory.add(MultiGauge.Row.of(device, d.getReport().getMemoryBytesUsed()));
            age.add(MultiGauge.Row.of(device, Math.max(0, now - d.getLastSeen().getSeconds() - d.getLastSeen().getNanos() / 1e9)));
            for (AppReport a : d.getReport().getAppsList()) {
                Tags tags = device.and("app", a.getApp());
                for (int i = 0; i < apps.size(); i++) {
                    perApp.get(i).add(MultiGauge.Row.of(tags, apps.get(i).value().applyAsDouble(a)));
                }
            }
        }
        memoryUsed.register(memory, true);
        lastSeenAge.register(age, true);
        for (int i = 0; i < apps.size(); i++) {
            apps.get(i).gauge().register(perApp.get(i), true);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
