package org.vheap.device.conformance;

import java.util.ArrayList;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/** Asserts that a run behaved exactly like the reference run: same stdout, same stderr, same exit code. */
public final class Comparison {
    private Comparison() {
    }

    /** The differences, or an empty list when the runs behaved the same. */
    public static List<String> differences(RunResult expected, String expectedName, RunResult actual, String actualName) {
        List<String> out = new ArrayList<>();
        if (expected.exitCode() != actual.exitCode()) {
            out.add("exit code: " + expectedName + " " + expected.exitCode() + ", " + actualName + " " + actual.exitCode());
        }
        String stdout = UnifiedDiff.diff(expected.stdout(), actual.stdout(), expectedName + " stdout", actualName + " stdout", 3);
        if (!stdout.isEmpty()) {
            out.add("stdout differs:\n" + stdout);
        }
        String stderr = UnifiedDiff.diff(expected.stderr(), actual.stderr(), expectedName + " stderr", actualName + " stderr", 3);
        if (!stderr.isEmpty()) {
            out.add("stderr differs:\n" + stderr);
        }
        return out;
    }

    public static void assertSame(ConformanceProgram program, RunResult expected, String expectedName, RunResult actual, String actualName) {
        List<String> diffs = differences(expected, expectedName, actual, actualName);
        if (!diffs.isEmpty()) {
            String message = program.id() + " (" + program.source() + ") behaves differently on " + actualName + " than on "
                    + expectedName + ":\n" + String.join("\n", diffs);
            throw new AssertionFailedError(message, render(expected), render(actual));
        }
    }

    /** One string per run, for IDEs that show expected/actual side by side. */
    static String render(RunResult r) {
        return "exit " + r.exitCode() + "\n--- stdout ---\n" + r.stdout() + "\n--- stderr ---\n" + r.stderr();
    }
}
