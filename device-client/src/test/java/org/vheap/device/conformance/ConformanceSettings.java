package org.vheap.device.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The harness's knobs, all system properties (pass them to Maven with {@code -D}; surefire forwards them). A
 * selection that makes no test fails the run (see {@link ProgramCatalog} and {@link ConformanceSuite#nodes}):
 * <ul>
 *   <li>{@code conformance.areas}, {@code conformance.only}, {@code conformance.dir} — see {@link ProgramCatalog}</li>
 *   <li>{@code conformance.hotspot.timeout} — seconds per HotSpot run (default 60)</li>
 *   <li>{@code conformance.device.timeout} — seconds per device run (default 600: an interpreter is slow)</li>
 *   <li>{@code conformance.modes} — device modes to run: {@code resident,tier,paging,tier-paging,flash,grpc} (default
 *       all six; {@code tier} translates every method at its first call, {@code tier-paging} too while paging;
 *       {@code flash} pages over the device's flash store;
 *       grpc runs only for
 *       {@link ConformanceStores#GRPC_SUBSET}); an unknown mode is an error</li>
 *   <li>{@code conformance.grpc.target} — host:port of a running heap server for the grpc mode (default: an
 *       embedded heap server started for the run)</li>
 *   <li>{@code conformance.selfcheck.xint} — the harness self-test compares every selected program on HotSpot
 *       against HotSpot {@code -Xint} (default true; false runs only the harness's plumbing tests)</li>
 * </ul>
 */
public final class ConformanceSettings {
    private ConformanceSettings() {
    }

    public static Duration hotspotTimeout() {
        return Duration.ofSeconds(Long.getLong("conformance.hotspot.timeout", 60));
    }

    public static Duration deviceTimeout() {
        return Duration.ofSeconds(Long.getLong("conformance.device.timeout", 600));
    }

    /** The device modes, in the order the suite runs them. */
    public static final List<String> MODES = List.of("resident", "tier", "paging", "tier-paging", "flash", "grpc");

    public static boolean modeEnabled(String mode) {
        return modes(System.getProperty("conformance.modes")).contains(mode);
    }

    /** The modes a {@code conformance.modes} value selects (all when it is null or blank); an unknown name is an error. */
    static Set<String> modes(String value) {
        Set<String> modes = ProgramCatalog.csv(value);
        for (String m : modes) {
            if (!MODES.contains(m)) {
                throw new IllegalArgumentException("conformance.modes names '" + m + "', which is no mode (there are " + MODES + ")");
            }
        }
        return modes.isEmpty() ? Set.copyOf(MODES) : modes;
    }

    public static String grpcTarget() {
        return System.getProperty("conformance.grpc.target", "");
    }

    public static boolean selfCheckAgainstXint() {
        return Boolean.parseBoolean(System.getProperty("conformance.selfcheck.xint", "true"));
    }
}
