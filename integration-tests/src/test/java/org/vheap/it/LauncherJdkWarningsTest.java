package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts through {@code ./vheap} print no JVM warning, on the JDK that runs the build (17) and on a newer one:
 * from JDK 24 on the JVM warns on stderr, four lines, when a library calls {@code sun.misc.Unsafe}'s memory-access
 * methods (JEP 471, JEP 498), which Netty does, unless the launcher allows them. A heap server, a gateway in front of
 * it and a device attached through the gateway are started with {@code JAVA} set to that JDK's {@code java}, and
 * stopped; none of their stderr may hold a {@code WARNING:} line or mention {@code sun.misc.Unsafe}.
 *
 * <p>The newer JDK is {@code VHEAP_TEST_NEWER_JDK} (a JDK's directory or its {@code bin/java}), else the newest JDK
 * 24 or later under {@code /usr/lib/jvm}; without one the test fails, saying so (it never skips).
 */
class LauncherJdkWarningsTest {
    private static final Path JVMS = Path.of("/usr/lib/jvm");
    private static final int WARNING_JDK = 24;
    @TempDir
    Path work;

    @Test
    void startsOnTheBuildsJdkPrintNoWarning() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThat(startAndStopEverything(java)).isEmpty();
    }

    @Test
    void startsOnANewerJdkThatWarnsAboutUnsafePrintNoWarning() throws Exception {
        Path java = newerJdk().orElseThrow(() -> new AssertionError("no JDK " + WARNING_JDK + " or newer: set"
                + " VHEAP_TEST_NEWER_JDK to one (its directory or bin/java), or install one under " + JVMS
                + " (.ci/run says how); this test checks that starts on it print no sun.misc.Unsafe warning"));
        assertThat(startAndStopEverything(java)).isEmpty();
    }

    @Test
    void aDeviceRunOnANewerJdkIsRefusedInOneLineSayingWhichJdkItNeeds() throws Exception {
        Path java = newerJdk().orElseThrow(() -> new AssertionError("no JDK " + WARNING_JDK + " or newer: set"
                + " VHEAP_TEST_NEWER_JDK to one (its directory or bin/java), or install one under " + JVMS));
        try (VheapProcesses vheap = new VheapProcesses(work, Map.of("JAVA", java.toString()))) {
            VheapProcesses.Result r = vheap.vheap("device", "run", "--app", "jdk-check", "--store", "memory",
                    VheapProcesses.ROOT.resolve("samples").toString(), "Counter", "1", "1");
            assertThat(r.exit()).as(r.output()).isEqualTo(1);
            assertThat(r.output().strip().lines().filter(l -> !l.startsWith("vheap: building")).toList())
                    .containsExactly("vheap device run: the device VM runs the host JDK's own class library, which must"
                            + " be JDK 17's; this is JDK " + feature(java) + ": start the device with a JDK 17"
                            + " (JAVA=/path/to/jdk-17/bin/java ./vheap device ...)");
        }
    }

    /**
     * Runs a heap server, a gateway and a device with {@code JAVA=java}, stops them, and returns the warning lines
     * they printed on stderr (each prefixed with its process).
     */
    private List<String> startAndStopEverything(Path java) throws Exception {
        List<String> warnings = new ArrayList<>();
        try (VheapProcesses vheap = new VheapProcesses(work, Map.of("JAVA", java.toString()))) {
            VheapProcesses.Server server = vheap.server(0);
            VheapProcesses.Server gateway = vheap.gateway("--backend", server.address());
            VheapProcesses.Started device = vheap.start("device", "start", "--server", gateway.address(), "--device",
                    "jdk-" + feature(java));
            device.awaitErrors("attached to " + gateway.address(), Duration.ofMinutes(5));
            device.send("quit");
            assertThat(device.awaitExit(Duration.ofMinutes(1))).as(device.errors()).isZero();
            for (VheapProcesses.Server s : List.of(gateway, server)) {
                s.started().process().destroy();   // SIGTERM: a graceful stop
                s.started().awaitExit(Duration.ofMinutes(1));
            }
            warnings.addAll(warnings("server", server.started().errors()));
            warnings.addAll(warnings("gateway", gateway.started().errors()));
            warnings.addAll(warnings("device", device.errors()));
        }
        return warnings;
    }

    private static List<String> warnings(String who, String stderr) {
        return stderr.lines().filter(l -> l.contains("WARNING:") || l.contains("sun.misc.Unsafe"))
                .map(l -> who + ": " + l).toList();
    }

    /** {@code VHEAP_TEST_NEWER_JDK}, else the newest JDK {@value #WARNING_JDK}+ under {@code /usr/lib/jvm}. */
    private static Optional<Path> newerJdk() throws IOException {
        String given = System.getenv("VHEAP_TEST_NEWER_JDK");
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            Path java = Files.isDirectory(p) ? p.resolve("bin").resolve("java") : p;
            assertThat(feature(java)).as("the JDK of VHEAP_TEST_NEWER_JDK=%s", given).isGreaterThanOrEqualTo(WARNING_JDK);
            return Optional.of(java);
        }
        if (!Files.isDirectory(JVMS)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(JVMS)) {
            return homes.map(h -> h.resolve("bin").resolve("java"))
                    .filter(Files::isExecutable)
                    .filter(j -> feature(j) >= WARNING_JDK)
                    .max(Comparator.comparingInt(LauncherJdkWarningsTest::feature));
        }
    }

    /** The feature release (17, 25) of the JDK a {@code bin/java} belongs to, from its release file; 0 unknown. */
    private static int feature(Path java) {
        Path release = java.toAbsolutePath().getParent().getParent().resolve("release");
        try {
            for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not a JDK with a release file
        }
        return 0;
    }
}
