package org.vheap.device;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vheap.device.vm.heap.paging.FrameMemory;

/**
 * The resources a device offers its apps ({@code console}, {@code sensor:temperature}) and who holds them: one
 * app exclusively, or any number of apps shared; and its memory, which each app's paged heap takes while it runs
 * ({@link FrameMemory}). Shared by the apps of one device process. Resources are
 * emulated: a {@code sensor:NAME} reads as a number that changes with each reading; other resources read as
 * their own name. Thread-safe.
 */
public final class DeviceResources {
    private final String device;
    private final List<String> names;
    private final Map<String, String> exclusive = new HashMap<>();
    private final Map<String, Set<String>> shared = new HashMap<>();
    private final Map<String, Long> readings = new HashMap<>();
    private final FrameMemory frameMemory;

    /** With memory kept between the device's apps ({@link FrameMemory#FrameMemory()}). */
    public DeviceResources(String device, List<String> names) {
        this(device, names, new FrameMemory());
    }

    public DeviceResources(String device, List<String> names, FrameMemory frameMemory) {
        this.device = device;
        this.names = List.copyOf(names);
        this.frameMemory = java.util.Objects.requireNonNull(frameMemory, "frameMemory");
    }

    public List<String> names() {
        return names;
    }

    /** The device memory its apps' paged heaps take and give back: held by the device between apps. */
    public FrameMemory frameMemory() {
        return frameMemory;
    }

    /** Takes the resource for {@code app}; null when granted, else why not. */
    synchronized String take(String resource, String app, boolean exclusively) {
        if (!names.contains(resource)) {
            return "device " + device + " has no resource " + resource + " (it has: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)) + ")";
        }
        String owner = exclusive.get(resource);
        if (owner != null && !owner.equals(app)) {
            return resource + " on device " + device + " is held exclusively by app " + owner;
        }
        Set<String> sharers = shared.getOrDefault(resource, Set.of());
        if (exclusively && (sharers.size() > 1 || (sharers.size() == 1 && !sharers.contains(app)))) {
            return resource + " on device " + device + " is shared by apps " + String.join(", ", sharers);
        }
        if (exclusively) {
            exclusive.put(resource, app);
        } else {
            shared.computeIfAbsent(resource, r -> new HashSet<>()).add(app);
        }
        return null;
    }

    synchronized void give(String resource, String app) {
        exclusive.remove(resource, app);
        Set<String> sharers = shared.get(resource);
        if (sharers != null) {
            sharers.remove(app);
        }
    }

    /** The resource's current value. */
    synchronized String read(String resource) {
        long n = readings.merge(resource, 1L, Long::sum);
        if (resource.startsWith("sensor:")) {
            return String.format(java.util.Locale.ROOT, "%.1f", 20.0 + (n * 7 % 50) / 10.0);
        }
        return resource + "@" + device;
    }
}
