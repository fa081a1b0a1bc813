package org.vheap.device.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vheap.device.conformance.ProgramCompiler.CompiledProgram;

/**
 * Runs a program on HotSpot as a subprocess: {@code <java.home>/bin/java -Xshare:auto [-Xmx] [options] -cp dir Main
 * args}, its standard input fed from the {@code @stdin} marker and then closed.
 *
 * <p>The environment is pinned so the output does not depend on the machine: {@code LC_ALL=LANG=C.UTF-8} (the
 * default charset and locale), and the variables that make the JVM print "Picked up ..." ({@code JAVA_TOOL_OPTIONS},
 * {@code _JAVA_OPTIONS}, {@code JDK_JAVA_OPTIONS}) removed.
 */
public final class HotSpotRunner implements ProgramRunner {
    private final String name;
    private final List<String> jvmOptions;
    private final Duration timeout;

    public HotSpotRunner(String name, List<String> jvmOptions, Duration timeout) {
        this.name = name;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.timeout = timeout;
    }

    /** The reference: HotSpot with its default execution mode. */
    public static HotSpotRunner reference() {
        return new HotSpotRunner("hotspot", List.of(), ConformanceSettings.hotspotTimeout());
    }

    @Override
    public String name() {
        return name;
    }

    public static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    @Override
    public RunResult run(CompiledProgram compiled) throws IOException, InterruptedException, TimeoutException {
        ConformanceProgram program = compiled.program();
        List<String> command = new ArrayList<>();
        command.add(javaBinary().toString());
        command.add("-Xshare:auto");
        program.markers().xmx().ifPresent(command::add);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(compiled.classDir().toString());
        command.add(program.mainClass());
        command.addAll(program.markers().args());
        ProcessBuilder pb = new ProcessBuilder(command).directory(compiled.classDir().toFile());
        Map<String, String> env = pb.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        long start = System.nanoTime();
        Process process = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outPump = pump(process.getInputStream(), out, "stdout of " + program.id());
        Thread errPump = pump(process.getErrorStream(), err, "stderr of " + program.id());
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(program.markers().stdin().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the program exited without reading all of its input: fine
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new TimeoutException(program.id() + " did not finish on " + name + " within " + timeout);
        }
        outPump.join(10_000);
        errPump.join(10_000);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new RunResult(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), process.exitValue(), elapsed, Optional.empty());
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream to, String what) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(to);
            } catch (IOException e) {
                throw new UncheckedIOException(what, e);
            }
        }, "pump " + what);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
