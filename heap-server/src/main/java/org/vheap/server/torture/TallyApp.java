package org.vheap.server.torture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The app the matrix kills under: it counts, keeps every number it counted and a ballast of arrays it writes into,
 * checks both against their sums on every step (its heap-consistency check: "CORRUPT at N" and exit 3 if a value is
 * lost or torn), makes garbage for the collector, and commits a checkpoint after every count ({@code Checkpoint.now()})
 * saying so: {@code count N}, then {@code committed N ID}. Its arguments: counts, pause between them (ms), and optionally
 * small objects made and dropped per count. A run resumed from the checkpoint of count N starts by
 * saying {@code committed N ID} again (the call returns in the resumed app), then counts on from N + 1.
 */
public final class TallyApp {
    static final String CLASS = "Tally";

    /** Its arguments: counts, pause between them (ms), small objects made and dropped per count. */
    static final List<String> ARGS = List.of("100000000", "5", "300");

    /** Its source ({@code Tally.java}); the end-to-end kill tests run it too. */
    public static final String SOURCE = """
            import java.util.*;
            import org.vheap.api.Checkpoint;
            public class Tally {
                public static void main(String[] a) throws Exception {
                    long n = Long.parseLong(a[0]);
                    long pause = Long.parseLong(a[1]);
                    int young = a.length > 2 ? Integer.parseInt(a[2]) : 0;
                    List<Long> seen = new ArrayList<>();
                    List<long[]> ballast = new ArrayList<>();
                    long ballastSum = 0;
                    for (long i = 1; i <= n; i++) {
                        seen.add(i);
                        if (ballast.size() < 400) ballast.add(new long[512]);
                        ballast.get((int) (i * 7 % ballast.size()))[(int) (i % 512)] += i;
                        ballastSum += i;
                        List<int[]> garbage = new ArrayList<>();
                        for (int g = 0; g < young; g++) garbage.add(new int[6]);
                        if (young > 0) {
                            garbage.get((int) (i % young))[0] = (int) i;
                            if (garbage.get((int) (i % young))[0] != (int) i) System.exit(4);
                        }
                        long sum = 0;
                        for (long v : seen) sum += v;
                        long check = 0;
                        for (long[] b : ballast) for (long v : b) check += v;
                        if (sum != i * (i + 1) / 2 || check != ballastSum) {
                            System.out.println("CORRUPT at " + i);
                            System.exit(3);
                        }
                        System.out.println("count " + i);
                        long id = Checkpoint.now();
                        System.out.println("committed " + i + " " + id);
                        Thread.sleep(pause);
                    }
                    System.out.println("finished");
                }
            }
            """;

    /** A line the app prints after each checkpoint: {@code committed COUNT CHECKPOINT-ID}. */
    private static final java.util.regex.Pattern COMMITTED = java.util.regex.Pattern.compile("(?m)^committed (\\d+) (\\d+)$");

    private TallyApp() {
    }

    /** The count of the first commit an output of the app printed (where a resumed run started); -1: none. */
    public static long firstCommitted(String output) {
        java.util.regex.Matcher m = COMMITTED.matcher(output);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The count of the last commit an output of the app printed; 0: none. */
    public static long lastCommitted(String output) {
        java.util.regex.Matcher m = COMMITTED.matcher(output);
        long last = 0;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    /** The checkpoint ids an output of the app printed, in order. */
    public static java.util.List<Long> checkpointIds(String output) {
        return COMMITTED.matcher(output).results().map(r -> Long.parseLong(r.group(2))).toList();
    }

    /** How many commits an output of the app printed. */
    public static long commits(String output) {
        return COMMITTED.matcher(output).results().count();
    }

    /** Compiles the app into {@code classes} against the app API's classes {@code api}. */
    static void compile(Path classes, Path api) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new TortureFailure("no Java compiler in " + System.getProperty("java.home")
                    + " (a JRE?); run it with a Java 17 JDK (set JAVA to its bin/java)");
        }
        Path source = classes.resolve(CLASS + ".java");
        Files.createDirectories(classes);
        Files.writeString(source, SOURCE);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, errors, "--release", "17", "-cp", api.toString(), "-d", classes.toString(),
                source.toString());
        if (rc != 0) {
            throw new TortureFailure("cannot compile the torture app: " + errors.toString(StandardCharsets.UTF_8));
        }
    }
}
