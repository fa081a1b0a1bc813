package org.vheap.fuzz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of a fuzz target under Jazzer (libFuzzer for the JVM, {@code com.code-intelligence:jazzer}), in a child JVM
 * on this process's class path: {@code com.code_intelligence.jazzer.Jazzer --target_class=T -runs=N}, coverage taken of
 * vheap's own classes ({@code org.vheap.**}). The target is a
 * class with {@code public static void fuzzerTestOneInput(byte[])} (and optionally {@code fuzzerInitialize()}); an
 * input it throws on, that makes it run out of memory (2 GiB resident) or that takes more than 30 s is a failure,
 * written to the work directory as a reproducer.
 *
 * <p>Jazzer's first corpus directory is the run's own ({@code WORK/corpus}, where it keeps what it found); the seed
 * corpus (in the repository, never written) is read as a second. What a run reports comes from libFuzzer's status
 * lines ({@code #N DONE cov: C ft: F corp: K/...}): the inputs run, the code edges covered, the features, the corpus
 * entries kept.
 */
public final class JazzerRun {
    private static final Pattern STATUS = Pattern.compile("^#(\\d+)\\s+(\\w+)\\s+cov: (\\d+) ft: (\\d+) corp: (\\d+)/");
    /**
     * Jazzer's bug detectors for web services, off: the targets connect to their own PostgreSQL and heap server on
     * loopback and start PostgreSQL's programs (which its SSRF and command-injection detectors report), and its SQL
     * injection detector's hook breaks pgjdbc's bytecode (a VerifyError in {@code PgStatement.executeWithFlags}).
     */
    private static final List<String> DISABLED_HOOKS = List.of(
            "com.code_intelligence.jazzer.sanitizers.ServerSideRequestForgery",
            "com.code_intelligence.jazzer.sanitizers.OsCommandInjection",
            "com.code_intelligence.jazzer.sanitizers.SqlInjection");
    private static final Pattern ARTIFACT = Pattern.compile("Test unit written to (\\S+)");

    /**
     * What a run did.
     *
     * @param inputs   inputs run
     * @param coverage code edges covered (libFuzzer's {@code cov})
     * @param features coverage features ({@code ft})
     * @param corpus   corpus entries at the end
     * @param failure  the failure's first lines, {@code null} when none
     * @param artifact the input that failed, written by libFuzzer; {@code null} when none
     */
    public record Result(long inputs, long coverage, long features, long corpus, String failure, Path artifact) {
    }

    private JazzerRun() {
    }

    private static List<String> covered(List<String> alsoCovered) {
        List<String> all = new ArrayList<>(List.of("org.vheap.**"));
        all.addAll(alsoCovered);
        return all;
    }

    /**
     * Runs {@code targetClass} for {@code runs} inputs or {@code maxTime}, whichever ends first, from the seed corpus
     * {@code seeds}, working under {@code work}; every line Jazzer prints goes to {@code log}.
     */
    public static Result run(String targetClass, Path seeds, Path work, long runs, Duration maxTime, Consumer<String> log)
            throws IOException, InterruptedException {
        return run(targetClass, List.of(), seeds, work, runs, maxTime, log);
    }

    /**
     * libFuzzer's bound on the whole process's memory: the JVM's heap ({@code -Xmx1536m}) and its native memory beside
     * it (Jazzer's, the classes', the JIT's: about 0.8 GB) must fit under it, or a run fails with no input to blame (one
     * did, at 2387 MB with a bound of 2048). An input that makes the target allocate without bound still fails: the heap
     * runs out first.
     */
    static final int RSS_LIMIT_MB = 3072;

    /**
     * As {@link #run(String, Path, Path, long, Duration, Consumer)}, with the packages {@code alsoCovered} (such as
     * {@code org.objectweb.asm.**}) instrumented for coverage besides vheap's own.
     */
    public static Result run(String targetClass, List<String> alsoCovered, Path seeds, Path work, long runs, Duration maxTime,
                             Consumer<String> log) throws IOException, InterruptedException {
        if (!Files.isDirectory(seeds)) {
            throw new IllegalArgumentException("no seed corpus at " + seeds);
        }
        Path corpus = Files.createDirectories(work.resolve("corpus"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx1536m", "-cp",
                System.getProperty("java.class.path"), "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + targetClass, "--instrumentation_includes=" + String.join(":", covered(alsoCovered)),
                "--disabled_hooks=" + String.join(":", DISABLED_HOOKS),
                "--reproducer_path=" + work, "-artifact_prefix=" + work + "/",
                "-runs=" + runs, "-max_total_time=" + Math.max(1, maxTime.toSeconds()),
                "-rss_limit_mb=" + RSS_LIMIT_MB,
                "-timeout=30", "-print_final_stats=1", corpus.toString(), seeds.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long inputs = 0;
        long coverage = 0;
        long features = 0;
        long entries = 0;
        StringBuilder failure = null;
        Path artifact = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                log.accept(line);
                Matcher m = STATUS.matcher(line);
                if (m.find()) {
                    inputs = Long.parseLong(m.group(1));
                    coverage = Long.parseLong(m.group(3));
                    features = Long.parseLong(m.group(4));
                    entries = Long.parseLong(m.group(5));
                }
                if (failure == null && (line.startsWith("== Java Exception") || line.contains("ERROR: libFuzzer")
                        || line.startsWith("==") && line.contains("ERROR"))) {
                    failure = new StringBuilder(line);
                } else if (failure != null && failure.length() < 2000 && line.startsWith("\tat ")) {
                    failure.append('\n').append(line);
                }
                Matcher a = ARTIFACT.matcher(line);
                if (a.find()) {
                    artifact = Path.of(a.group(1));
                }
            }
        }
        int exit = p.waitFor();
        if (failure == null && exit != 0) {
            failure = new StringBuilder("Jazzer exited with " + exit);
        }
        return new Result(inputs, coverage, features, entries, failure == null ? null : failure.toString(), artifact);
    }
}
