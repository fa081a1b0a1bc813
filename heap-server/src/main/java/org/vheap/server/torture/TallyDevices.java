package org.vheap.server.torture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vheap.cli.VheapHome;

/**
 * Real devices running {@link TallyApp} against a heap server: {@code ./vheap device run} processes, for a bench that
 * wants real VMs beside synthetic load ({@code ./vheap bench fleet --vms N}). The app checks its own heap at every count
 * and commits a checkpoint after each; {@link #problems} says which device died or found its heap broken.
 */
public final class TallyDevices implements AutoCloseable {
    private final List<ChildProcess> devices;

    private TallyDevices(List<ChildProcess> devices) {
        this.devices = devices;
    }

    /**
     * Builds the device module if needed (through the launcher), then compiles the app against the app API into
     * {@code work/app}; returns the class path to run it with.
     */
    public static String prepare(VheapHome home, Path work) throws IOException, InterruptedException {
        ChildProcess build = ChildProcess.start("device build", List.of(home.launcher().toString(), "device", "--help"),
                home.root());
        build.awaitExit(Duration.ofMinutes(15));
        Path api = home.resolve("vheap-api/target/classes");
        if (!Files.isDirectory(api)) {
            throw new TortureFailure("no app API classes in " + api + " after building the device (" + build.tail() + ")");
        }
        Path classes = work.resolve("app");
        TallyApp.compile(classes, api);
        return classes + ":" + api;
    }

    /** One device per app, each running the app (counts without end, {@code pauseMillis} apart) on {@code server}. */
    public static TallyDevices start(VheapHome home, String classPath, String server, List<String> apps, int pauseMillis)
            throws IOException {
        List<ChildProcess> started = new ArrayList<>();
        for (String app : apps) {
            started.add(ChildProcess.start("device " + app, List.of(home.launcher().toString(), "device", "run", "--app", app,
                    "--server", server, "--device", app, "--memory", "256k", "--store-retry", "2m", classPath,
                    TallyApp.CLASS, "100000000", Integer.toString(pauseMillis), "50"), home.root()));
        }
        return new TallyDevices(started);
    }

    /** The checkpoints the devices committed so far, all told. */
    public long commits() {
        return devices.stream().mapToLong(d -> TallyApp.commits(String.join("\n", d.out()))).sum();
    }

    /** What went wrong: a device that ended, or whose app found its heap broken; empty when nothing did. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (ChildProcess d : devices) {
            if (d.out().stream().anyMatch(l -> l.startsWith("CORRUPT"))) {
                problems.add(d.name() + ": its heap is broken (" + d.tail() + ")");
            } else if (!d.isAlive()) {
                problems.add(d.name() + " ended: " + d.tail());
            }
        }
        return problems;
    }

    /** Stops every device (SIGTERM, then SIGKILL after 20 s). */
    @Override
    public void close() throws InterruptedException {
        for (ChildProcess d : devices) {
            if (!d.stop(Duration.ofSeconds(20))) {
                d.kill();
            }
        }
    }
}
