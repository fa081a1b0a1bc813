package org.vheap.device.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.vheap.device.conformance.ProgramCompiler.CompiledProgram;

/**
 * Tests of the harness itself, with a fake device: HotSpot again, in a subprocess, in interpreter mode
 * ({@code -Xint}). It proves the comparison, markers, diff, stdin, arguments and exit-code plumbing work, that a
 * mismatch fails with a readable diff, and (the factory) that every program is deterministic on HotSpot across
 * execution modes.
 */
class HarnessSelfTest {
    private static final HotSpotRunner XINT = new HotSpotRunner("hotspot-Xint", List.of("-Xint"), ConformanceSettings.hotspotTimeout());

    @TempDir
    Path dir;

    private final List<String> published = new ArrayList<>();
    private final TestReporter reporter = map -> published.add(map.toString());

    /** Every selected program behaves the same on HotSpot's interpreter as on HotSpot's default (JIT) mode. */
    @TestFactory
    Stream<DynamicNode> programsAreDeterministicOnHotSpot(TestReporter reporter) {
        Assumptions.assumeTrue(ConformanceSettings.selfCheckAgainstXint(), "conformance.selfcheck.xint=false");
        return new ConformanceSuite(HotSpotRunner.reference(), List.of(ConformanceSuite.mode(XINT)), reporter).nodes(ProgramCatalog.selected());
    }

    private ConformanceProgram program(String area, String name, String source) throws IOException {
        Path file = Files.createDirectories(dir.resolve(area)).resolve(name + ".java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        return ConformanceProgram.load(area, file);
    }

    private static final String ECHO = """
            // @args 3 two   words
            // @stdin first line
            // @stdin   indented second
            // @exit 3
            import java.io.*;
            public class Echo {
                public static void main(String[] args) throws IOException {
                    System.out.println("args " + String.join("|", args));
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
                    for (String line; (line = in.readLine()) != null; ) System.out.println("stdin [" + line + "]");
                    System.err.println("to stderr: héllo ☃");
                    System.exit(Integer.parseInt(args[0]));
                }
            }
            """;

    @Test
    void argumentsStdinStderrAndExitCodeReachTheProgram() throws Exception {
        ConformanceProgram p = program("plumbing", "Echo", ECHO);
        assertThat(p.markers().args()).containsExactly("3", "two", "words");
        RunResult r = HotSpotRunner.reference().run(ProgramCompiler.shared().compile(p));
        assertThat(r.stdout()).isEqualTo("args 3|two|words\nstdin [first line]\nstdin [  indented second]\n");
        assertThat(r.stderr()).isEqualTo("to stderr: héllo ☃\n");
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void sameBehaviourPasses() throws Exception {
        ConformanceProgram p = program("plumbing", "Echo", ECHO);
        new ConformanceSuite(HotSpotRunner.reference(), List.of(ConformanceSuite.mode(XINT)), reporter).check(p, ConformanceSuite.mode(XINT));
        assertThat(published).hasSize(1);
        assertThat(published.get(0)).contains("plumbing/Echo hotspot-Xint");
    }

    /** A runner that runs on HotSpot and then changes what the program did, like a buggy device would. */
    private static ProgramRunner tampering(UnaryOperator<RunResult> change) {
        return new ProgramRunner() {
            public String name() {
                return "tampered";
            }

            public RunResult run(CompiledProgram program) throws Exception {
                return change.apply(XINT.run(program));
            }
        };
    }

    private void assertMismatch(ConformanceProgram p, UnaryOperator<RunResult> change, String... expectedInMessage) {
        ConformanceSuite suite = new ConformanceSuite(HotSpotRunner.reference(), List.of(), reporter);
        assertThatThrownBy(() -> suite.check(p, ConformanceSuite.mode(tampering(change))))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("plumbing/Echo")
                .hasMessageContaining("behaves differently on tampered than on hotspot")
                .satisfies(e -> {
                    for (String s : expectedInMessage) {
                        assertThat(e.getMessage()).contains(s);
                    }
                });
    }

    @Test
    void differentStdoutFailsWithUnifiedDiff() throws Exception {
        ConformanceProgram p = program("plumbing", "Echo", ECHO);
        assertMismatch(p, r -> new RunResult(r.stdout().replace("[first line]", "[first lime]"), r.stderr(), r.exitCode(), r.elapsed(), Optional.empty()),
                "stdout differs:", "--- hotspot stdout", "+++ tampered stdout", "@@ -1,3 +1,3 @@", "-stdin [first line]", "+stdin [first lime]",
                " args 3|two|words");
    }

    @Test
    void differentStderrFails() throws Exception {
        ConformanceProgram p = program("plumbing", "Echo", ECHO);
        assertMismatch(p, r -> new RunResult(r.stdout(), r.stderr() + "Exception in thread \"main\" oops", r.exitCode(), r.elapsed(), Optional.empty()),
                "stderr differs:", "+Exception in thread \"main\" oops", "\\ No newline at end of file");
    }

    @Test
    void differentExitCodeFails() throws Exception {
        ConformanceProgram p = program("plumbing", "Echo", ECHO);
        assertMismatch(p, r -> new RunResult(r.stdout(), r.stderr(), 4, r.elapsed(), Optional.empty()), "exit code: hotspot 3, tampered 4");
    }

    @Test
    void deleteClassMarkerRemovesTheClassFile() throws Exception {
        ConformanceProgram p = program("plumbing", "UsesGone", """
                // @delete-class Gone
                // @delete-class UsesGone$Inner
                public class UsesGone {
                    static class Inner { }
                    public static void main(String[] args) {
                        try { new Inner(); } catch (NoClassDefFoundError e) { System.out.println("inner " + e.getMessage()); }
                        System.out.println(Gone.hello());
                    }
                }
                class Gone { static String hello() { return "hi"; } }
                """);
        CompiledProgram c = ProgramCompiler.shared().compile(p);
        assertThat(c.classDir().resolve("Gone.class")).doesNotExist();
        assertThat(c.classDir().resolve("UsesGone.class")).exists();
        RunResult r = HotSpotRunner.reference().run(c);
        assertThat(r.stdout()).isEqualTo("inner UsesGone$Inner\n");
        assertThat(r.stderr()).startsWith("Exception in thread \"main\" java.lang.NoClassDefFoundError: Gone\n");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void heapMarkerSetsXmx() throws Exception {
        ConformanceProgram p = program("plumbing", "Heap", """
                // @heap 48m
                public class Heap {
                    public static void main(String[] args) {
                        System.out.println(Runtime.getRuntime().maxMemory() <= (48L << 20));
                    }
                }
                """);
        assertThat(p.markers().heapBytes()).hasValue(48L << 20);
        assertThat(HotSpotRunner.reference().run(ProgramCompiler.shared().compile(p)).stdout()).isEqualTo("true\n");
    }

    @Test
    void packagedProgramRunsWithItsBinaryName() throws Exception {
        ConformanceProgram p = program("plumbing", "Packaged", """
                package demo.pkg;
                public class Packaged {
                    public static void main(String[] args) { System.out.println(Packaged.class.getName()); }
                }
                """);
        assertThat(p.mainClass()).isEqualTo("demo.pkg.Packaged");
        assertThat(HotSpotRunner.reference().run(ProgramCompiler.shared().compile(p)).stdout()).isEqualTo("demo.pkg.Packaged\n");
    }

    @Test
    void compileErrorsAreReported() throws Exception {
        ConformanceProgram p = program("plumbing", "Broken", "public class Broken { void f() { int x = \"s\"; } }\n");
        assertThatThrownBy(() -> ProgramCompiler.shared().compile(p)).hasMessageContaining("javac failed for plumbing/Broken")
                .hasMessageContaining("incompatible types");
    }

    @Test
    void aHangingProgramTimesOut() throws Exception {
        ConformanceProgram p = program("plumbing", "Hang", """
                public class Hang {
                    public static void main(String[] args) throws Exception { Thread.sleep(60_000); }
                }
                """);
        HotSpotRunner quick = new HotSpotRunner("hotspot", List.of(), Duration.ofSeconds(2));
        assertThatThrownBy(() -> quick.run(ProgramCompiler.shared().compile(p))).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("plumbing/Hang did not finish");
    }

    @Test
    void pagingMemoryIsATenthOfThePeakInWholeLinesAndAtLeastSixteenLines() {
        assertThat(DeviceRunner.pagingMemory(100L << 20, 4096, 1L << 30)).isEqualTo(((100L << 20) / 10 + 4095) / 4096 * 4096);
        assertThat(DeviceRunner.pagingMemory(1000, 4096, 1L << 30)).isEqualTo(16 * 4096);
        assertThat(DeviceRunner.pagingMemory(0, 4096, 1L << 30)).isEqualTo(16 * 4096);
        assertThat(DeviceRunner.pagingMemory(1L << 40, 4096, 64L << 20)).isEqualTo(64L << 20);
    }

    /**
     * The device runner builds a valid configuration for every memory mode (resident, paging, a small @heap) and
     * reaches {@code Device.run}; a failure of the device itself is reported as such, not as a mismatch. The stub
     * store fails every call, so this stays true once the interpreter lands (it cannot open the heap).
     */
    @Test
    void deviceRunnerReachesTheDeviceAndReportsItsFailure() throws Exception {
        ConformanceProgram p = program("plumbing", "Small", """
                // @heap 16m
                public class Small { public static void main(String[] args) { System.out.println("hi"); } }
                """);
        CompiledProgram c = ProgramCompiler.shared().compile(p);
        for (long memory : new long[] {DeviceRunner.residentMemory(c), DeviceRunner.pagingMemory(1 << 20, ConformanceSuite.lineSize(), DeviceRunner.maxHeap(c))}) {
            DeviceRunner runner = new DeviceRunner("stub", StubStore::new, x -> memory, Duration.ofSeconds(30));
            assertThatThrownBy(() -> runner.run(c)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("the device VM itself failed running plumbing/Small (stub)")
                    .hasCauseInstanceOf(RuntimeException.class);
        }
        assertThat(DeviceRunner.residentMemory(c)).isEqualTo(16L << 20);
    }

    /** A store that refuses everything. */
    private static final class StubStore implements org.vheap.device.store.HeapStore {
        public org.vheap.device.store.HeapSession openHeap(org.vheap.device.store.OpenRequest request) {
            throw new IllegalStateException("stub store: no heaps here");
        }

        public org.vheap.device.store.SystemBlobStore systemBlobs(String app) {
            throw new IllegalStateException("stub store: no system blobs");
        }

        public void close() {
        }
    }

    @Test
    void everyAreaHasPrograms() {
        List<ConformanceProgram> all = ProgramCatalog.select(ProgramCatalog.root(), java.util.Set.of(), java.util.Set.of());
        assertThat(all).extracting(ConformanceProgram::area).containsAll(ProgramCatalog.AREA_ORDER);
        assertThat(all.stream().map(ConformanceProgram::area).distinct().toList()).isEqualTo(ProgramCatalog.AREA_ORDER);
        assertThat(all).hasSizeGreaterThanOrEqualTo(60);
        for (String id : ConformanceStores.GRPC_SUBSET) {
            assertThat(all).extracting(ConformanceProgram::id).contains(id);
        }
    }

    @Test
    void selectionByAreaAndName() {
        Path root = ProgramCatalog.root();
        assertThat(ProgramCatalog.select(root, java.util.Set.of("exit"), java.util.Set.of())).allMatch(p -> p.area().equals("exit")).isNotEmpty();
        assertThat(ProgramCatalog.select(root, java.util.Set.of(), java.util.Set.of("B06Switches", "strings/S02Format")))
                .extracting(ConformanceProgram::id).containsExactly("basics/B06Switches", "strings/S02Format");
        assertThatThrownBy(() -> ProgramCatalog.select(root, java.util.Set.of("nosuch"), java.util.Set.of())).hasMessageContaining("nosuch");
    }

    /** A filter that selects nothing fails the run instead of passing with no test (a typo must not look green). */
    @Test
    void aFilterMatchingNoProgramFails() {
        Path root = ProgramCatalog.root();
        assertThatThrownBy(() -> ProgramCatalog.select(root, java.util.Set.of(), java.util.Set.of("B06Swtiches")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conformance.only").hasMessageContaining("B06Swtiches");
        // each name must match: one typo among good names fails too
        assertThatThrownBy(() -> ProgramCatalog.select(root, java.util.Set.of(), java.util.Set.of("B06Switches", "strings/S02Fromat")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strings/S02Fromat");
        // a program outside the selected areas matches nothing
        assertThatThrownBy(() -> ProgramCatalog.select(root, java.util.Set.of("exit"), java.util.Set.of("B06Switches")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B06Switches").hasMessageContaining("exit");
    }

    @Test
    void anUnknownModeFails() {
        assertThat(ConformanceSettings.modes("resident, grpc")).containsExactlyInAnyOrder("resident", "grpc");
        assertThat(ConformanceSettings.modes(null)).containsExactlyInAnyOrder("resident", "tier", "paging", "tier-paging", "flash", "grpc");
        assertThatThrownBy(() -> ConformanceSettings.modes("residnt")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conformance.modes").hasMessageContaining("residnt");
    }

    /** Programs and modes that give no test together (e.g. a mode that applies to none of them) fail as well. */
    @Test
    void aSelectionThatRunsNoTestFails() throws IOException {
        ConformanceProgram p = program("plumbing", "Echo", ECHO);
        ConformanceSuite suite = new ConformanceSuite(HotSpotRunner.reference(), List.of(ConformanceSuite.mode(XINT, x -> false)), reporter);
        assertThatThrownBy(() -> suite.nodes(List.of(p)).toList()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no test");
        assertThatThrownBy(() -> suite.nodes(List.of()).toList()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no test");
    }
}
