package org.vheap.device;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.vheap.device.control.DeviceControlHandler;
import org.vheap.device.store.HeapStore;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.proto.v1.AppReport;
import org.vheap.proto.v1.DeviceReport;

/**
 * A device process that runs several apps, each on its own VM (a {@link Device}) and its own host thread,
 * sharing the process's parsed class files: an app can be suspended, another run, and the first resumed,
 * without starting a new process. The server's control stream (it is a {@link DeviceControlHandler}) and the
 * device's prompt both drive it.
 *
 * <p>Each app gets the device's configuration with its own name. An app that ends, is suspended or fails
 * leaves the table; {@code onAppEnded} hears how (exit code, {@link Device#SUSPENDED}, or the failure).
 * Thread-safe.
 */
public final class DeviceAgent implements AutoCloseable, DeviceControlHandler {
    /** How long a suspend or a resume may take before the caller is told it failed. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final DeviceConfig base;
    private final HeapStore store;
    private final DeviceConsole console;
    private final DeviceEvents events;
    private final ParsedClasses parsed = new ParsedClasses();
    private final DeviceResources resources;
    private final org.vheap.device.store.LineCache lineCache;
    private final BiConsumer<String, String> onAppEnded;
    private final Map<String, Running> apps = new LinkedHashMap<>();

    private record Running(Device device, CompletableFuture<Integer> exit) {
    }

    /**
     * @param base       the device's configuration (its name, memory, resources, checkpoint policy); the app
     *                   name is set per app
     * @param onAppEnded told (app, how) when an app stops running: "exit N", "suspended at checkpoint N", or
     *                   "failed: why"
     */
    public DeviceAgent(DeviceConfig base, HeapStore store, DeviceConsole console, DeviceEvents events,
                       BiConsumer<String, String> onAppEnded) {
        this(base, store, console, events, onAppEnded, 64L << 20);
    }

    /** @param lineCacheBytes bytes of app lines kept after apps leave, so a returning app fetches only changes */
    public DeviceAgent(DeviceConfig base, HeapStore store, DeviceConsole console, DeviceEvents events,
                       BiConsumer<String, String> onAppEnded, long lineCacheBytes) {
        base.validate();
        this.base = base;
        this.store = Objects.requireNonNull(store, "store");
        this.console = Objects.requireNonNull(console, "console");
        this.events = Objects.requireNonNull(events, "events");
        this.onAppEnded = Objects.requireNonNull(onAppEnded, "onAppEnded");
        this.resources = new DeviceResources(base.deviceName(), base.resources());
        this.lineCache = new org.vheap.device.store.LineCache(lineCacheBytes);
    }

    /**
     * In the background, on a daemon thread: takes the device's memory ({@link DeviceResources#frameMemory()}), warms
     * the code cache up ({@link CodeCacheWarmUp}) and connects to the store. Apps that arrive meanwhile share the cache
     * as it fills. Completes with the classes it holds then; a failure loses only the warm-up.
     */
    public CompletableFuture<Integer> warmUp() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                reserveMemory();
                int classes = CodeCacheWarmUp.warmUp(parsed);
                try {
                    store.connect();   // after the boot: a server that does not answer delays nothing else
                } catch (RuntimeException e) {
                    // only a warm-up: the first real call connects (and says what is wrong)
                }
                done.complete(classes);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        }, "vheap-warm-up");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /**
     * Takes the device's memory from the host now rather than when the first app arrives: the size an app's heap of the
     * device's line size takes (an app whose heap has other lines takes its own). A failure loses only this.
     */
    private void reserveMemory() {
        long bytes = base.heapMemoryBytes(base.lineSize());
        if (bytes > org.vheap.device.vm.heap.paging.PagingConfig.MAX_MEMORY_BYTES) {
            return;   // no heap can take it: the app's open says why
        }
        try {
            resources.frameMemory().reserve((int) bytes);
        } catch (OutOfMemoryError e) {
            // the first app asks again, and fails then if the host has too little
        }
    }

    public String deviceName() {
        return base.deviceName();
    }

    /** Starts {@code app} fresh from a class path, on its own thread. */
    public void run(String app, List<Path> classpath, String mainClass, List<String> args) {
        start(app, device -> device.run(classpath, mainClass, args));
    }

    /** Starts {@code app} fresh, or resumes it from its newest checkpoint when it has a heap already. */
    public void runOrResume(String app, List<Path> classpath, String mainClass, List<String> args) {
        start(app, device -> device.runOrResume(classpath, mainClass, args));
    }

    /**
     * Resumes {@code app} from {@code checkpointId} (0: newest) on its own thread, and returns once it runs.
     *
     * @throws DeviceException when the app runs here already or cannot be resumed (with why)
     */
    @Override
    public void resume(String app, long checkpointId) {
        Running r = start(app, device -> device.resume(checkpointId));
        r.device().awaitRunning(COMMAND_TIMEOUT);
    }

    /**
     * Suspends a running app with a checkpoint and releases its heap; returns the checkpoint id.
     *
     * @throws DeviceException when the app does not run here or could not be suspended
     */
    @Override
    public long suspend(String app) {
        Running r = running(app);
        long id = r.device().suspend(COMMAND_TIMEOUT);
        try {
            r.exit().get(COMMAND_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new DeviceException("app " + app + " was checkpointed (" + id + ") but did not release its heap: " + e.getMessage(), e);
        }
        return id;
    }

    /** Stops a running app without a checkpoint (it can resume from its last one). */
    @Override
    public void stop(String app) {
        running(app).device().stop();
    }

    /** Asks a running app for a checkpoint. */
    public void checkpoint(String app) {
        running(app).device().checkpoint();
    }

    /**
     * What this device says about itself on its control stream: each running app's counters (sorted by name) and the
     * memory their frames hold. Any thread; an app whose report fails is left out of this one.
     */
    public DeviceReport report() {
        List<Map.Entry<String, Running>> now;
        synchronized (this) {
            now = new ArrayList<>(apps.entrySet());
        }
        now.sort(Map.Entry.comparingByKey());
        DeviceReport.Builder b = DeviceReport.newBuilder();
        long used = 0;
        for (Map.Entry<String, Running> e : now) {
            try {
                AppReport r = e.getValue().device().report();
                if (r != null) {
                    b.addApps(r);
                    used += r.getResidentBytes();
                }
            } catch (RuntimeException failed) {
                // a moment's race with the app's own thread: it is in the next report
            }
        }
        return b.setMemoryBytesUsed(used).build();
    }

    /** The apps running on this device now. */
    public synchronized List<String> runningApps() {
        return new ArrayList<>(apps.keySet());
    }

    private synchronized Running running(String app) {
        Running r = apps.get(app);
        if (r == null) {
            throw new DeviceException("app " + app + " is not running on device " + base.deviceName()
                    + (apps.isEmpty() ? "" : " (running: " + String.join(", ", apps.keySet()) + ")"));
        }
        return r;
    }

    private interface Body {
        int run(Device device);
    }

    private synchronized Running start(String app, Body body) {
        if (apps.containsKey(app)) {
            throw new DeviceException("app " + app + " already runs on device " + base.deviceName());
        }
        DeviceConfig config = base.copy().app(app);
        Device device = new Device(config, store, console, parsed, events.forApp(app), resources);
        device.setLineCache(lineCache);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Running r = new Running(device, exit);
        apps.put(app, r);
        Thread t = new Thread(() -> {
            String how;
            Integer code = null;
            Throwable failure = null;
            try {
                code = body.run(device);
                DeviceStats st = device.stats();
                String moved = " (" + st.bytesFetched() / 1024 + " KiB of lines fetched, " + st.linesUnchanged()
                        + " lines unchanged from this device's copies, " + st.linesPatched() + " patched)";
                how = (code == Device.SUSPENDED ? "suspended at checkpoint " + device.lastCheckpointId() : "exit " + code) + moved;
            } catch (RuntimeException | Error e) {
                failure = e;
                how = "failed: " + e.getMessage();
            }
            synchronized (this) {
                apps.remove(app, r);   // before the exit completes: whoever waits on it may start the app again
            }
            if (failure == null) {
                exit.complete(code);
            } else {
                exit.completeExceptionally(failure);
            }
            onAppEnded.accept(app, how);
        }, "vheap-app-" + app);
        t.start();
        return r;
    }

    /** Stops every app (without checkpoints) and waits a bounded time for them. */
    @Override
    public void close() {
        List<Running> all;
        synchronized (this) {
            all = new ArrayList<>(apps.values());
        }
        for (Running r : all) {
            r.device().stop();
        }
        for (Running r : all) {
            try {
                r.exit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported through onAppEnded
            }
        }
    }
}
