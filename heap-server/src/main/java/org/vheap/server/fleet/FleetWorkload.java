package org.vheap.server.fleet;

import java.time.Duration;

/**
 * What each synthetic device does: a heap of {@code heapLines} lines of {@code lineSize} bytes; per step one call:
 * a fault of {@code readLines} lines ({@code faultShare} of the steps), else a counted flush of {@code writeLines} lines;
 * every {@code checkpointEvery} steps a checkpoint instead (the lines written since the last, streamed again as a
 * device's last dirty lines); a lease renewal when a third of {@code lease} has passed; {@code think} between steps.
 */
public record FleetWorkload(int lineSize, int heapLines, int readLines, int writeLines, double faultShare,
                            int checkpointEvery, Duration lease, Duration think) {
    /** A small device: 128 lines of 1 KiB, faults of 4 lines, flushes of 4, a checkpoint every 20 steps, 5 steps a second. */
    public static FleetWorkload defaults() {
        return new FleetWorkload(1024, 128, 4, 4, 0.6, 20, Duration.ofSeconds(30), Duration.ofMillis(200));
    }

    public FleetWorkload withThink(Duration d) {
        return new FleetWorkload(lineSize, heapLines, readLines, writeLines, faultShare, checkpointEvery, lease, d);
    }
}
