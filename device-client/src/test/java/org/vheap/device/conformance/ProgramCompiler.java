package org.vheap.device.conformance;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.vheap.cli.TempDirs;

/**
 * Compiles conformance programs with the JDK's own compiler ({@code --release 17}, javac's default debug info:
 * source file and line numbers, no local variable names — exactly what {@code javac --release 17} writes) into a
 * temporary directory per program, applies {@code @delete-class}, {@code @truncate-class} and {@code @patch-class}, and caches the result for the rest of the run.
 */
public final class ProgramCompiler {
    /** A compiled program: its class directory holds exactly what the program runs with. */
    public record CompiledProgram(ConformanceProgram program, Path classDir) {
    }

    private static final ProgramCompiler SHARED = new ProgramCompiler();

    private final Map<Path, CompiledProgram> cache = new ConcurrentHashMap<>();
    private volatile Path root;

    /** The compiler whose cache lives for the whole test run (the JVM). */
    public static ProgramCompiler shared() {
        return SHARED;
    }

    public CompiledProgram compile(ConformanceProgram program) {
        return cache.computeIfAbsent(program.source().toAbsolutePath().normalize(), k -> doCompile(program));
    }

    private CompiledProgram doCompile(ConformanceProgram program) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the tests on a JDK, not a JRE");
        }
        try {
            Path dir = Files.createDirectories(root().resolve(program.area()).resolve(program.name()));
            StringWriter diagnostics = new StringWriter();
            try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
                Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(program.source().toFile());
                List<String> options = List.of("--release", "17", "-encoding", "UTF-8", "-proc:none", "-d", dir.toString());
                boolean ok = javac.getTask(diagnostics, files, null, options, null, units).call();
                if (!ok) {
                    throw new IllegalStateException("javac failed for " + program.id() + ":\n" + diagnostics);
                }
            }
            for (String binaryName : program.markers().deleteClasses()) {
                Path classFile = dir.resolve(binaryName.replace('.', '/') + ".class");
                if (!Files.deleteIfExists(classFile)) {
                    throw new IllegalStateException(program.id() + ": @delete-class " + binaryName + " but javac wrote no " + classFile);
                }
            }
            for (ClassFileEdit edit : program.markers().classEdits()) {
                Path classFile = dir.resolve(edit.binaryName().replace('.', '/') + ".class");
                if (!Files.exists(classFile)) {
                    throw new IllegalStateException(program.id() + ": " + edit + " but javac wrote no " + classFile);
                }
                Files.write(classFile, edit.apply(Files.readAllBytes(classFile)));
            }
            return new CompiledProgram(program, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path root() throws IOException {
        Path r = root;
        if (r == null) {
            synchronized (this) {
                if (root == null) {
                    root = Files.createTempDirectory("vheap-conformance-");
                    Path created = root;
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created), "conformance-cleanup"));
                }
                r = root;
            }
        }
        return r;
    }

    static void deleteTree(Path dir) {
        try {
            TempDirs.deleteTree(dir);
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
