package org.vheap.server.torture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.vheap.bench.ChildHeapServer;
import org.vheap.cli.VheapHome;

/**
 * The heap server the matrix crashes: {@code ./vheap server} on 127.0.0.1 with its embedded PostgreSQL under a data
 * directory of the matrix's own, started again on the same port after each crash, so that devices that retried
 * through it go on. Two crashes: {@link #crash} kills the server's JVM and every PostgreSQL process at once (the
 * machine's processes dying together: the next start waits for PostgreSQL's crash recovery); {@link #crashBackend}
 * kills one PostgreSQL backend serving the server, and PostgreSQL, seeing a backend die, ends every other and recovers
 * in place, while the heap server's pool reconnects.
 */
final class TortureServer implements AutoCloseable {
    /** A start includes PostgreSQL's crash recovery, however long it takes. */
    private static final Duration START = Duration.ofMinutes(10);

    private final VheapHome home;
    private final Path data;
    private ChildProcess process;
    private int port;
    private int starts;

    private TortureServer(VheapHome home, Path data) {
        this.home = home;
        this.data = data;
    }

    /** Starts a server on a free port with its data under {@code data}. */
    static TortureServer start(VheapHome home, Path data) throws IOException, InterruptedException {
        TortureServer s = new TortureServer(home, data);
        s.startProcess();
        return s;
    }

    /** HOST:PORT, the same after every restart. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL to the server's JVM, the postmaster and each of its children in one go; returns once they are gone. */
    void crash() throws IOException, InterruptedException {
        long postmaster = postmasterPid();
        List<ProcessHandle> victims = new ArrayList<>();
        ProcessHandle.of(postmaster).ifPresent(pm -> {
            victims.addAll(pm.descendants().toList());
            victims.add(pm);
        });
        List<String> kill = new ArrayList<>(List.of("kill", "-KILL", "--", Long.toString(process.pid())));
        victims.forEach(p -> kill.add(Long.toString(p.pid())));
        new ProcessBuilder(kill).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        for (ProcessHandle p : victims) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new TortureFailure("PostgreSQL process " + p.pid() + " did not end after SIGKILL");
            }
        }
        process.awaitExit(Duration.ofSeconds(30));
    }

    /** Starts the server again after {@link #crash}, on its port; returns once it listens. */
    void restart() throws IOException, InterruptedException {
        startProcess();
    }

    /**
     * SIGKILL to one PostgreSQL backend serving a client (one of the heap server's pool, picked by {@code random}, a busy
     * one if any is); returns its title as {@code ps} shows it, or {@code null} when no backend was there to kill.
     */
    String crashBackend(Random random) throws IOException {
        ProcessHandle pm = ProcessHandle.of(postmasterPid()).orElse(null);
        if (pm == null) {
            return null;
        }
        List<ProcessHandle> busy = new ArrayList<>();
        List<ProcessHandle> idle = new ArrayList<>();
        for (ProcessHandle p : pm.children().toList()) {
            String title = title(p);
            if (title.contains("(") && title.contains(")")) {   // "postgres: USER DB HOST(PORT) STATE": a client's
                (title.endsWith(" idle") ? idle : busy).add(p);
            }
        }
        List<ProcessHandle> pick = busy.isEmpty() ? idle : busy;
        if (pick.isEmpty()) {
            return null;
        }
        ProcessHandle victim = pick.get(random.nextInt(pick.size()));
        String title = title(victim);
        victim.destroyForcibly();
        return title;
    }

    private static String title(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";   // it ended
        }
    }

    private long postmasterPid() throws IOException {
        Path pid = data.resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(pid)) {
            return -1;
        }
        return Long.parseLong(Files.readAllLines(pid).get(0).strip());
    }

    private void startProcess() throws IOException, InterruptedException {
        starts++;
        process = ChildProcess.start("heap server" + (starts > 1 ? " (start " + starts + ")" : ""),
                List.of(home.launcher().toString(), "server", "--host", "127.0.0.1", "--port", Integer.toString(port),
                        "--data", data.toAbsolutePath().toString()), home.root());
        int at = process.awaitErr("it listened", 0, l -> ChildHeapServer.listeningAddress(l) != null, START);
        String address = ChildHeapServer.listeningAddress(process.err().get(at));
        port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** SIGTERM, the server's graceful stop (it stops its PostgreSQL); everything killed if it does not end in a minute. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null && process.isAlive() && !process.stop(Duration.ofMinutes(1))) {
            crash();
        }
    }
}
