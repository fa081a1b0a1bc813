package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One compose project of {@code deploy/compose*.yaml}, run with {@code docker-compose} as a user runs it: the files
 * it reads, the environment it is given (ports, images), its logs, and a {@code down -v} that must leave no
 * container. Used by the compose tests; each names its files and its environment.
 */
final class ComposeStack {
    static final Duration UP = Duration.ofMinutes(4);

    record Run(int exit, String output) {
    }

    private final Path work;
    private final String project = "vheapit" + ProcessHandle.current().pid();
    private final List<String> files;
    private final Map<String, String> env = new HashMap<>();
    private boolean up;

    /** A project of these files of {@code deploy/}, in order; command logs go to {@code work}. */
    ComposeStack(Path work, String... files) {
        this.work = work;
        this.files = List.of(files);
    }

    ComposeStack env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** A free loopback port, given to the stack as the variable {@code name}. */
    int port(String name) throws Exception {
        int port = VheapProcesses.freePort();
        env(name, Integer.toString(port));
        return port;
    }

    /** {@code docker-compose up -d}: every service started, those others wait for healthy or done. */
    void up() throws Exception {
        up = true;
        Run started = compose(UP, "up", "-d");
        if (started.exit() != 0) {
            throw new AssertionError("docker-compose up failed (exit " + started.exit() + "):\n" + started.output()
                    + diagnostics());
        }
    }

    /**
     * What a failed {@code up} leaves to go on: each container's state and its health check's last outputs, and
     * the tail of every service's log.
     */
    private String diagnostics() throws Exception {
        StringBuilder out = new StringBuilder("\ncontainers:");
        Run ids = command(Duration.ofSeconds(30), "docker", "ps", "-aq", "--filter",
                "label=com.docker.compose.project=" + project);
        for (String id : ids.output().strip().split("\\s+")) {
            if (!id.isEmpty()) {
                out.append('\n').append(command(Duration.ofSeconds(30), "docker", "inspect", "--format",
                        "{{.Name}} {{.State.Status}} exit {{.State.ExitCode}}{{if .State.Health}} health"
                                + " {{.State.Health.Status}}:{{range .State.Health.Log}} [{{.ExitCode}}] {{.Output}}"
                                + "{{end}}{{end}}", id).output().strip());
            }
        }
        out.append("\nlogs:\n").append(VheapProcesses.tail(
                compose(Duration.ofSeconds(60), "logs", "--no-color", "--tail", "40").output()));
        return out.toString();
    }

    /** {@code docker-compose down -v}, then no container of the project is left; nothing when it never came up. */
    void down() throws Exception {
        if (!up) {
            return;
        }
        up = false;
        Run down = compose(Duration.ofMinutes(3), "down", "-v", "--timeout", "30");
        assertThat(down.exit()).as(down.output()).isZero();
        Run left = command(Duration.ofSeconds(30), "docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + project);
        assertThat(left.output().strip()).as("containers left by the stack").isEmpty();
    }

    Run command(Duration timeout, String... cmd) throws Exception {
        Path log = Files.createTempFile(work, "cmd-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", cmd) + " did not end within " + timeout + ":\n"
                    + VheapProcesses.tail(Files.readString(log, StandardCharsets.UTF_8)));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    Run compose(Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "-p", project));
        for (String file : files) {
            cmd.addAll(List.of("-f", VheapProcesses.ROOT.resolve("deploy").resolve(file).toString()));
        }
        cmd.addAll(List.of(args));
        return command(timeout, cmd.toArray(new String[0]));
    }

    String logs(String service) throws Exception {
        return compose(Duration.ofSeconds(60), "logs", "--no-color", service).output();
    }

    void awaitLogs(String service, Predicate<String> condition, String what) throws Exception {
        long deadline = System.nanoTime() + UP.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = logs(service);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(service + ": no " + what + " within " + UP + ":\n" + VheapProcesses.tail(last));
    }

    /** The numbers a compose counter printed ("device-1_1  | 17"), in order. */
    static List<Long> numbers(String logs) {
        List<Long> n = new ArrayList<>();
        for (String line : logs.lines().toList()) {
            int bar = line.indexOf('|');
            String text = bar < 0 ? line.strip() : line.substring(bar + 1).strip();
            if (text.matches("\\d{1,9}")) {
                n.add(Long.parseLong(text));
            }
        }
        return n;
    }
}
