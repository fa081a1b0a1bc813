package org.vheap.device.control;

import java.util.List;
import java.util.Objects;

/**
 * What a device tells the heap server about itself when it attaches.
 *
 * @param device      its name, as it takes heap leases (letters, digits and {@code . _ : -})
 * @param memoryBytes memory for app heaps
 * @param resources   host resources it can lease to apps (e.g. {@code file:/data})
 */
public record DeviceRegistration(String device, long memoryBytes, List<String> resources) {
    public DeviceRegistration {
        Objects.requireNonNull(device, "device");
        if (device.isBlank()) {
            throw new IllegalArgumentException("device name is empty");
        }
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memory must not be negative, got " + memoryBytes);
        }
        resources = List.copyOf(resources);
    }
}
