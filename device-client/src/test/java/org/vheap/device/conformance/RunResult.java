package org.vheap.device.conformance;

import java.time.Duration;
import java.util.Optional;
import org.vheap.device.DeviceStats;

/**
 * What one run of a program did, as the comparison sees it.
 *
 * @param stdout   standard output, decoded as UTF-8
 * @param stderr   standard error, decoded as UTF-8
 * @param exitCode the process exit code (0..255 on HotSpot; the device returns the same convention)
 * @param elapsed  wall time of the run
 * @param stats    the device's statistics (empty for HotSpot)
 */
public record RunResult(String stdout, String stderr, int exitCode, Duration elapsed, Optional<DeviceStats> stats) {
}
