package org.vheap.device.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestReporter;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceStats;
import org.vheap.device.conformance.ProgramCompiler.CompiledProgram;

/**
 * Builds the dynamic tests: one container per area, one per program, one test per mode. Every test compiles the
 * program (cached), runs it on the reference (cached per program for the run), runs it in its mode and asserts
 * the same stdout, stderr and exit code.
 */
public final class ConformanceSuite {
    /** A way of running programs under test. */
    public interface Mode {
        String name();

        default boolean appliesTo(ConformanceProgram program) {
            return true;
        }

        /** Runs the program in this mode. */
        RunResult run(CompiledProgram program) throws Exception;
    }

    /** A mode that runs every program with one runner. */
    public static Mode mode(ProgramRunner runner) {
        return mode(runner, p -> true);
    }

    public static Mode mode(ProgramRunner runner, Predicate<ConformanceProgram> applies) {
        return new Mode() {
            public String name() {
                return runner.name();
            }

            public boolean appliesTo(ConformanceProgram program) {
                return applies.test(program);
            }

            public RunResult run(CompiledProgram program) throws Exception {
                return runner.run(program);
            }
        };
    }

    private static final Map<String, RunResult> EXPECTED = new ConcurrentHashMap<>();

    private final ProgramRunner reference;
    private final List<Mode> modes;
    private final TestReporter reporter;
    private final ProgramCompiler compiler;
    private final Map<String, RunResult> expected;

    /**
     * @param reference the reference runner (HotSpot); its results are cached per run in a shared map only for
     *                  {@link HotSpotRunner#reference()}-like runners named "hotspot"
     */
    public ConformanceSuite(ProgramRunner reference, List<Mode> modes, TestReporter reporter) {
        this.reference = reference;
        this.modes = List.copyOf(modes);
        this.reporter = reporter;
        this.compiler = ProgramCompiler.shared();
        this.expected = reference.name().equals("hotspot") ? EXPECTED : new ConcurrentHashMap<>();
    }

    /**
     * The tests of these programs in this suite's modes, by area and program.
     *
     * @throws IllegalArgumentException when they make no test (no program, or no mode applies to any): a selection
     *                                  that runs nothing fails rather than passes
     */
    public Stream<DynamicNode> nodes(List<ConformanceProgram> programs) {
        if (programs.stream().noneMatch(p -> modes.stream().anyMatch(m -> m.appliesTo(p)))) {
            throw new IllegalArgumentException("the selection makes no test: " + programs.size() + " programs, modes "
                    + modes.stream().map(Mode::name).toList() + ", none of which applies to any of them");
        }
        Map<String, List<ConformanceProgram>> byArea = new LinkedHashMap<>();
        for (ConformanceProgram p : programs) {
            byArea.computeIfAbsent(p.area(), a -> new ArrayList<>()).add(p);
        }
        return byArea.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue().stream().map(this::programNode)));
    }

    private DynamicNode programNode(ConformanceProgram p) {
        Stream<DynamicTest> tests = modes.stream().filter(m -> m.appliesTo(p))
                .map(m -> DynamicTest.dynamicTest(p.id() + " [" + m.name() + "]", p.source().toUri(), () -> check(p, m)));
        return DynamicContainer.dynamicContainer(p.name(), p.source().toUri(), tests);
    }

    /** Runs {@code p} on the reference and in {@code mode}, and asserts they behaved the same. */
    public void check(ConformanceProgram p, Mode mode) throws Exception {
        CompiledProgram compiled = compiler.compile(p);
        RunResult want = expectedResult(compiled);
        RunResult got = mode.run(compiled);
        StringBuilder report = new StringBuilder();
        report.append(reference.name()).append(' ').append(want.elapsed().toMillis()).append(" ms, ")
                .append(mode.name()).append(' ').append(got.elapsed().toMillis()).append(" ms");
        got.stats().ifPresent(s -> report.append(", ").append(describe(s)));
        reporter.publishEntry(p.id() + " " + mode.name(), report.toString());
        Comparison.assertSame(p, want, reference.name(), got, mode.name());
    }

    public RunResult expectedResult(CompiledProgram compiled) throws Exception {
        String key = compiled.program().id();
        RunResult r = expected.get(key);
        if (r == null) {
            r = reference.run(compiled);
            expected.put(key, r);
        }
        return r;
    }

    static String describe(DeviceStats s) {
        return "bytecodes " + s.bytecodes() + ", translated methods " + s.methodsTranslated() + ", misses " + s.misses() + ", flushed " + s.linesFlushed() + ", evictions " + s.evictions()
                + ", peak heap " + s.peakHeapBytes() + ", collections " + s.collections() + " (" + s.minorCollections() + " minor, "
                + s.workingSetCollections() + " of a working set, " + s.collectionPauseNanos().length + " full)";
    }

    /** The line size the device modes use (the device's default for a new heap). */
    static int lineSize() {
        return new DeviceConfig().lineSize();
    }
}
