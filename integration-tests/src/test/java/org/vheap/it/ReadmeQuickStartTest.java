package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start, run the way a newcomer runs it. Every fenced block that follows the line
 * {@value #MARKER} in {@code README.md} is read command by command (a line ending in {@code \} goes on on the next;
 * {@code #} starts a comment), and each command is run by bash in a fresh directory laid out like a checkout: its
 * {@code vheap} is a symbolic link to the repository's launcher, which follows the link to its checkout (so it
 * builds and runs from the repository, while what a command writes, such as the demo's {@code vheap-data}, lands in
 * the fresh directory), and {@code samples/} is a copy. Every command must exit 0, and:
 * <ul>
 *   <li>{@code ./vheap demo} must tell the demo's whole story ({@link DemoStory}) and, without {@code --data}, keep
 *       its data in {@code vheap-data} of the directory it ran in, not in the repository;</li>
 *   <li>a {@code ./vheap device run ... CLASSPATH MAIN [ARGS]} must print exactly what HotSpot printed for the
 *       same program, run by an earlier {@code java -cp CLASSPATH MAIN [ARGS]} of the quick start;</li>
 *   <li>{@code ./mvnw ...} is not run (it is the build that runs this test): it must be exactly the command
 *       {@code .ci/run} runs.</li>
 * </ul>
 * The quick start must hold the two commands of a fresh machine ({@code ./vheap demo}, {@code ./mvnw -B verify})
 * and a {@code ./vheap device run}, so a lost marker fails here instead of passing with nothing run.
 */
class ReadmeQuickStartTest {
    /** The line before each fenced block of the README this test runs. */
    static final String MARKER = "<!-- quick-start: run by ReadmeQuickStartTest -->";
    private static final Path ROOT = VheapProcesses.ROOT;
    private static final long COMMAND_SECONDS = 300;   // the demo's first device start may build device-client

    private Path checkout;

    @BeforeEach
    void setUp() throws IOException {
        checkout = Files.createTempDirectory("vheap-newcomer");
        Files.createSymbolicLink(checkout.resolve("vheap"), ROOT.resolve("vheap"));
        Path samples = ROOT.resolve("samples");
        try (Stream<Path> s = Files.walk(samples)) {
            for (Path p : s.filter(p -> !p.startsWith(samples.resolve("out"))).toList()) {
                Path copy = checkout.resolve("samples").resolve(samples.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(p, copy);
                }
            }
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(checkout)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A command of the quick start: its README line (the first, for one that goes on) and its text, comment cut. */
    record Command(int line, String text) {
        List<String> words() {
            return List.of(text.split("\\s+"));
        }

        @Override
        public String toString() {
            return "README.md:" + line + ": " + text;
        }
    }

    private record Ran(int exit, String out, String err) {
    }

    @Test
    void theQuickStartHoldsTheTwoCommandsAndADeviceRun() throws IOException {
        List<String> commands = quickStart().stream().map(Command::text).toList();
        assertThat(commands).as("the quick-start blocks of README.md (each after %s)", MARKER)
                .contains("./vheap demo", "./mvnw -B verify")
                .anyMatch(c -> c.startsWith("./vheap device run "));
    }

    @Test
    void itsMavenCommandIsTheOneCiRuns() throws IOException {
        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run")).stream().map(ReadmeQuickStartTest::withoutComment)
                .filter(l -> l.startsWith("./mvnw")).toList();
        assertThat(ci).as(".ci/run's ./mvnw command").hasSize(1);
        List<Command> maven = quickStart().stream().filter(c -> c.text().startsWith("./mvnw")).toList();
        assertThat(maven).isNotEmpty();
        for (Command c : maven) {
            assertThat(c.text()).as("%s is what .ci/run runs", c).isEqualTo(ci.get(0));
        }
    }

    @Test
    void everyCommandWorksInAFreshCheckout() throws Exception {
        Path repositoryData = ROOT.resolve("vheap-data");
        Map<String, FileTime> repositoryDataBefore = directories(repositoryData);
        Map<String, String> onHotSpot = new LinkedHashMap<>();   // "CLASSPATH MAIN ARGS" of a java -cp: its stdout
        List<Command> commands = quickStart().stream().filter(c -> !c.text().startsWith("./mvnw")).toList();
        assertThat(commands).isNotEmpty();
        for (Command c : commands) {
            Ran r = run(c);
            assertThat(r.exit()).as("%s exits 0%s", c, shown(r)).isZero();
            List<String> words = c.words();
            if (words.size() > 2 && words.get(0).equals("java") && words.get(1).equals("-cp")) {
                onHotSpot.put(String.join(" ", words.subList(2, words.size())), r.out());
            } else if (c.text().startsWith("./vheap device run ")) {
                Optional<String> program = onHotSpot.keySet().stream().filter(p -> c.text().endsWith(" " + p)).findFirst();
                assertThat(program).as("%s: an earlier 'java -cp CLASSPATH MAIN [ARGS]' of the quick start runs the same"
                        + " program on HotSpot, whose output the device's must equal (quick-start commands seen: %s)",
                        c, onHotSpot.keySet()).isPresent();
                assertThat(r.out()).as("%s prints what HotSpot prints%s", c, shown(r)).isEqualTo(onHotSpot.get(program.get()));
            } else if (words.get(0).equals("./vheap") && words.size() > 1 && words.get(1).equals("demo")) {
                DemoStory.assertTold(r.out());
                if (!words.contains("--data")) {
                    assertThat(checkout.resolve("vheap-data/postgres")).as("the demo's data where it ran").isDirectory();
                }
            }
        }
        // the commands ran in a fresh checkout: the repository's own data directory (a developer's, or none) is as it
        // was: no directory in its first two levels appeared, went or had an entry added or removed (the demo's
        // database and a server's start both do)
        assertThat(directories(repositoryData)).as("the repository's own %s", repositoryData).isEqualTo(repositoryDataBefore);
    }

    /** The commands of every marked block of README.md, in order. */
    static List<Command> quickStart() throws IOException {
        return quickStart(Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8));
    }

    static List<Command> quickStart(List<String> readme) {
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (!readme.get(i).strip().equals(MARKER)) {
                continue;
            }
            int open = i + 1;
            while (open < readme.size() && readme.get(open).isBlank()) {
                open++;
            }
            assertThat(open < readme.size() && readme.get(open).startsWith("```"))
                    .as("README.md:%d: a fenced block follows %s", i + 1, MARKER).isTrue();
            int j = open + 1;
            StringBuilder pending = null;
            int pendingLine = 0;
            for (; j < readme.size() && !readme.get(j).startsWith("```"); j++) {
                String line = withoutComment(readme.get(j));
                if (pending == null) {
                    pendingLine = j + 1;
                    pending = new StringBuilder();
                }
                boolean goesOn = line.endsWith("\\");
                pending.append(goesOn ? line.substring(0, line.length() - 1).strip() + " " : line);
                if (!goesOn) {
                    String text = pending.toString().strip();
                    if (!text.isEmpty()) {
                        commands.add(new Command(pendingLine, text));
                    }
                    pending = null;
                }
            }
            assertThat(j).as("README.md:%d: the block after %s is closed", open + 1, MARKER).isLessThan(readme.size());
            i = j;
        }
        return commands;
    }

    /** The line without its comment (from a {@code #} at its start or after a blank), stripped. */
    static String withoutComment(String line) {
        int hash = line.startsWith("#") ? 0 : line.indexOf(" #");
        return (hash < 0 ? line : line.substring(0, hash)).strip();
    }

    private Ran run(Command c) throws Exception {
        Path out = Files.createTempFile("vheap-quick-start", ".out");
        Path err = Files.createTempFile("vheap-quick-start", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", c.text()).directory(checkout.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            // a newcomer's shell: the JDK on PATH (this build's, so javac is there too), no vheap settings
            Map<String, String> env = pb.environment();
            env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
            List.of("JAVA", "VHEAP_HOME", "VHEAP_JAVA_OPTS", "VHEAP_TOKEN").forEach(env::remove);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(c + " did not finish within " + COMMAND_SECONDS + " s"
                        + shown(new Ran(-1, Files.readString(out), Files.readString(err))));
            }
            return new Ran(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String shown(Ran r) {
        return "\n--- exit " + r.exit() + ", stdout:\n" + tail(r.out()) + "\n--- stderr:\n" + tail(r.err());
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
    }

    /** Each directory of the first two levels under {@code root} (and root), relative, with when it last changed; empty when none. */
    private static Map<String, FileTime> directories(Path root) throws IOException {
        Map<String, FileTime> times = new java.util.TreeMap<>();
        if (!Files.isDirectory(root)) {
            return times;
        }
        try (var walk = Files.walk(root, 2)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isDirectory)::iterator) {
                times.put(root.relativize(p).toString(), Files.getLastModifiedTime(p));
            }
        }
        return times;
    }
}
