package org.vheap.device.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the conformance programs under a root ({@code src/test/conformance}) and selects them:
 * <ul>
 *   <li>{@code -Dconformance.areas=basics,strings} — only these areas (default: all)</li>
 *   <li>{@code -Dconformance.only=B06Switches,strings/S02Format} — only these programs, by name or area/name</li>
 *   <li>{@code -Dconformance.dir=...} — another root (default {@code src/test/conformance}, relative to the module)</li>
 * </ul>
 * A selection that names an area or a program that is not there, or selects nothing, is an error (the run fails).
 * Areas come in the order of {@link #AREA_ORDER} (basic to hard), unknown areas after them alphabetically; the
 * programs of an area in the order of their names (their two-digit prefixes order them basic to hard).
 */
public final class ProgramCatalog {
    public static final List<String> AREA_ORDER =
            List.of("basics", "objects", "arrays", "strings", "exceptions", "lambdas", "collections", "files", "net", "threads", "exit", "errors", "gc");

    private ProgramCatalog() {
    }

    /** The root from {@code conformance.dir}, else {@code src/test/conformance} under the working directory. */
    public static Path root() {
        String dir = System.getProperty("conformance.dir");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        Path here = Path.of("src/test/conformance");
        if (Files.isDirectory(here)) {
            return here;
        }
        return Path.of("device-client/src/test/conformance"); // run from the repository root (an IDE)
    }

    /** The programs selected by the system properties. */
    public static List<ConformanceProgram> selected() {
        return select(root(), csv(System.getProperty("conformance.areas")), csv(System.getProperty("conformance.only")));
    }

    /** The programs under {@code root} in the given areas (all when empty) and with the given names (all when empty). */
    public static List<ConformanceProgram> select(Path root, Set<String> areas, Set<String> only) {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("no conformance programs at " + root.toAbsolutePath());
        }
        List<ConformanceProgram> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> areaDirs = dirs.filter(Files::isDirectory)
                    .filter(d -> areas.isEmpty() || areas.contains(d.getFileName().toString()))
                    .sorted(Comparator.comparing(ProgramCatalog::areaRank).thenComparing(d -> d.getFileName().toString()))
                    .toList();
            for (Path dir : areaDirs) {
                String area = dir.getFileName().toString();
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".java"))
                            .sorted(Comparator.comparing(f -> f.getFileName().toString()))
                            .map(f -> ConformanceProgram.load(area, f))
                            .filter(p -> only.isEmpty() || only.contains(p.name()) || only.contains(p.id()))
                            .forEach(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!areas.isEmpty()) {
            Set<String> found = out.stream().map(ConformanceProgram::area).collect(Collectors.toSet());
            for (String a : areas) {
                if (!found.contains(a) && only.isEmpty()) {
                    throw new IllegalArgumentException("no programs in area '" + a + "' under " + root.toAbsolutePath());
                }
            }
        }
        // a filter that selects nothing is a mistake (a typo), never a green run with no test
        for (String name : only) {
            if (out.stream().noneMatch(p -> p.name().equals(name) || p.id().equals(name))) {
                throw new IllegalArgumentException("conformance.only names '" + name + "', which is no program under "
                        + root.toAbsolutePath() + (areas.isEmpty() ? "" : " in the areas of conformance.areas " + new TreeSet<>(areas)));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no conformance programs selected under " + root.toAbsolutePath());
        }
        return out;
    }

    private static int areaRank(Path dir) {
        int i = AREA_ORDER.indexOf(dir.getFileName().toString());
        return i < 0 ? AREA_ORDER.size() : i;
    }

    static Set<String> csv(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
