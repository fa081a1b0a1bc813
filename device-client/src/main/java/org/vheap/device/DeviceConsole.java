package org.vheap.device;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Objects;

/**
 * The device's standard streams: what the program running on it sees as {@code System.in}, {@code System.out}
 * and {@code System.err}. Passed in, never taken from the host's globals, so tests capture them.
 */
public record DeviceConsole(InputStream in, PrintStream out, PrintStream err) {
    public DeviceConsole {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** The host process's own streams (the CLI's choice). */
    public static DeviceConsole host() {
        return new DeviceConsole(System.in, System.out, System.err);
    }
}
