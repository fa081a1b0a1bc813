package org.vheap.device;

/**
 * How a device runs an app. Setters reject impossible values at once; {@link #validate()} checks the
 * combinations before a run (HikariCP's two layers).
 */
public final class DeviceConfig {
    /** The smallest device memory: the VM needs a handful of frames to make progress. */
    public static final int MIN_FRAMES = 16;

    private String app = "app";
    private String deviceName = "device";
    private long memoryBytes = 512L << 10;
    private int lineSize = 4096;
    private long maxHeapBytes = 1L << 30;
    private int quantum = 10_000;

    public String app() {
        return app;
    }

    public DeviceConfig app(String app) {
        if (app == null || app.isBlank()) {
            throw new IllegalArgumentException("app name must not be empty");
        }
        this.app = app;
        return this;
    }

    public String deviceName() {
        return deviceName;
    }

    public DeviceConfig deviceName(String deviceName) {
        if (deviceName == null || deviceName.isBlank()) {
            throw new IllegalArgumentException("device name must not be empty");
        }
        this.deviceName = deviceName;
        return this;
    }

    /** Bytes of device memory for line frames: the bound on the resident part of the virtual heap. */
    public long memoryBytes() {
        return memoryBytes;
    }

    public DeviceConfig memoryBytes(long memoryBytes) {
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("memory must be positive, got " + memoryBytes);
        }
        this.memoryBytes = memoryBytes;
        return this;
    }

    /** Bytes per line for a new heap (an existing heap keeps its own). */
    public int lineSize() {
        return lineSize;
    }

    public DeviceConfig lineSize(int lineSize) {
        if (lineSize < 64 || lineSize > (1 << 20) || Integer.bitCount(lineSize) != 1) {
            throw new IllegalArgumentException("line size must be a power of two from 64 to 1 MiB, got " + lineSize);
        }
        this.lineSize = lineSize;
        return this;
    }

    /** The virtual heap's size limit: beyond it, allocation throws OutOfMemoryError in the app. */
    public long maxHeapBytes() {
        return maxHeapBytes;
    }

    public DeviceConfig maxHeapBytes(long maxHeapBytes) {
        if (maxHeapBytes < (1 << 20) || maxHeapBytes > (16L << 30)) {
            throw new IllegalArgumentException("max heap must be from 1 MiB to 16 GiB, got " + maxHeapBytes);
        }
        this.maxHeapBytes = maxHeapBytes;
        return this;
    }

    /** Bytecodes a green thread runs before the scheduler may switch to another. */
    public int quantum() {
        return quantum;
    }

    public DeviceConfig quantum(int quantum) {
        if (quantum < 1) {
            throw new IllegalArgumentException("quantum must be at least 1, got " + quantum);
        }
        this.quantum = quantum;
        return this;
    }

    /** Checks the combination of settings. */
    public void validate() {
        if (memoryBytes / lineSize < MIN_FRAMES) {
            throw new IllegalArgumentException("memory " + memoryBytes + " holds fewer than " + MIN_FRAMES
                    + " lines of " + lineSize + " bytes; give more memory or a smaller line size");
        }
        if (maxHeapBytes < memoryBytes) {
            throw new IllegalArgumentException("max heap " + maxHeapBytes + " is smaller than the device memory " + memoryBytes);
        }
    }
}
