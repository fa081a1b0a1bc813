package org.vheap.server.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident memory, from Linux's {@code /proc/PID/status} ({@code VmRSS}). */
public final class ProcessMemory {
    private final Path status;

    public ProcessMemory(long pid) {
        this.status = Path.of("/proc", Long.toString(pid), "status");
    }

    /** Resident bytes now; -1 when the process is gone or this is not Linux. */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.substring(6).trim().split("\\s+");   // "123456 kB"
                    return Long.parseLong(f[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
