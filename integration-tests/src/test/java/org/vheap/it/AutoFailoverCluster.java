package org.vheap.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * PostgreSQL with automatic failover, from Debian's pg_auto_failover ({@code postgresql-15-auto-failover},
 * {@code pg-auto-failover-cli}, on Debian's PostgreSQL 15): a monitor, a primary and a secondary on loopback, with
 * synchronous replication (pg_auto_failover's default with a secondary: {@code synchronous_standby_names = 'ANY 1 (...)'},
 * so a commit returns once the secondary has it). Each node is one {@code pg_autoctl} process tree in a session of its
 * own, which {@link #killNode} kills whole with SIGKILL (a machine lost); the monitor then promotes the other. The
 * monitor's health checks are tightened (1 s checks, unhealthy after 3 s, demoted after 5 s) so a failover takes
 * seconds. Runs its processes as the {@code postgres} user when the test runs as root (PostgreSQL refuses root).
 *
 * <p>Without {@code pg_autoctl} the test that asks is skipped with one line; with {@code VHEAP_FAILOVER_TESTS=required}
 * (CI, which installs the packages) that is a failure. Closing kills every process and deletes the directory.
 */
final class AutoFailoverCluster implements AutoCloseable {
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Duration STATE_WAIT = Duration.ofMinutes(3);

    private final Path dir;
    private final int monitorPort;
    private final int[] nodePorts;
    private final List<Process> sessions = new ArrayList<>();
    private final Process[] nodes = new Process[2];

    private AutoFailoverCluster(Path dir, int monitorPort, int[] nodePorts) {
        this.dir = dir;
        this.monitorPort = monitorPort;
        this.nodePorts = nodePorts;
    }

    /** Skips the calling test (fails it under {@code VHEAP_FAILOVER_TESTS=required}) without pg_auto_failover. */
    static void requireInstalled() {
        String why = null;
        if (!Files.isExecutable(Path.of("/usr/bin/pg_autoctl"))) {
            why = "pg_auto_failover is not installed (apt-get install postgresql-15-auto-failover pg-auto-failover-cli)";
        } else if (!Files.isExecutable(BIN.resolve("postgres"))) {
            why = "Debian's PostgreSQL 15 is not installed (" + BIN + ")";
        }
        if (why != null) {
            if ("required".equals(System.getenv("VHEAP_FAILOVER_TESTS"))) {
                throw new AssertionError("VHEAP_FAILOVER_TESTS=required, but " + why);
            }
            Assumptions.abort(why);
        }
    }

    /** A monitor and two nodes, the first the primary, the second its synchronous secondary, on free loopback ports. */
    static AutoFailoverCluster start() throws Exception {
        Path dir = Files.createTempDirectory("vheap-failover-");
        AutoFailoverCluster c = new AutoFailoverCluster(dir, VheapProcesses.freePort(),
                new int[] {VheapProcesses.freePort(), VheapProcesses.freePort()});
        try {
            if (isRoot()) {
                must(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            }
            must(c.asOwner(List.of("pg_autoctl", "create", "monitor", "--pgdata", dir.resolve("monitor").toString(),
                    "--pgport", Integer.toString(c.monitorPort), "--hostname", "127.0.0.1", "--auth", "trust", "--no-ssl")));
            c.sessions.add(c.session("monitor", List.of("pg_autoctl", "run", "--pgdata", dir.resolve("monitor").toString())));
            c.awaitSql(c.monitorPort, "pg_auto_failover", "SELECT 1");
            c.tightenHealthChecks();
            for (int n = 0; n < 2; n++) {
                c.nodes[n] = c.session("node" + n, List.of("pg_autoctl", "create", "postgres", "--pgdata",
                        dir.resolve("node" + n).toString(), "--pgport", Integer.toString(c.nodePorts[n]), "--hostname",
                        "127.0.0.1", "--auth", "trust", "--no-ssl", "--monitor", c.monitorUri(), "--run"));
                c.sessions.add(c.nodes[n]);
                c.awaitStates(n == 0 ? Map.of(n, "single") : Map.of(0, "primary", 1, "secondary"));
            }
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The heap server's URL: both nodes, pgjdbc connecting to whichever is the primary. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + nodePorts[0] + ",127.0.0.1:" + nodePorts[1]
                + "/postgres?targetServerType=primary";
    }

    /** Node {@code n}'s whole process tree killed with SIGKILL, its PostgreSQL with it. */
    void killNode(int n) throws Exception {
        Path pid = dir.resolve("node" + n).resolve("postmaster.pid");
        long postmaster = Files.exists(pid) ? Long.parseLong(Files.readAllLines(pid).get(0).trim()) : -1;
        killSession(nodes[n]);
        if (postmaster > 0) {
            ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The ids of the app's checkpoints in node {@code n}'s database (it must be the primary now). */
    List<Long> checkpointsOnPrimary(int n, String app) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + nodePorts[n] + "/postgres",
                "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.checkpoint_id FROM checkpoint c JOIN heap_name n"
                     + " ON n.heap_id = c.heap_id WHERE n.app_name = '" + app.replace("'", "''") + "' ORDER BY 1")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** Waits until the monitor reports these nodes in these states (its {@code reportedstate}, goal reached). */
    void awaitStates(Map<Integer, String> states) throws Exception {
        long deadline = System.nanoTime() + STATE_WAIT.toNanos();
        Map<Integer, String> seen = Map.of();
        while (System.nanoTime() < deadline) {
            seen = states();
            boolean all = true;
            for (var e : states.entrySet()) {
                all &= (e.getValue() + "/" + e.getValue()).equals(seen.get(e.getKey()));
            }
            if (all) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the monitor did not report " + states + " within " + STATE_WAIT + "; it reports " + seen
                + " (reported/goal)");
    }

    /** Each node's reported and goal state, by node (0, 1), as the monitor has them. */
    Map<Integer, String> states() {
        Map<Integer, String> states = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + monitorPort + "/pg_auto_failover",
                "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT nodeport, reportedstate, goalstate FROM pgautofailover.node")) {
            while (rs.next()) {
                int port = rs.getInt(1);
                states.put(port == nodePorts[0] ? 0 : 1, rs.getString(2) + "/" + rs.getString(3));
            }
        } catch (SQLException e) {
            states.put(-1, e.getMessage());
        }
        return states;
    }

    @Override
    public void close() throws IOException {
        for (Process p : sessions) {
            killSession(p);
        }
        for (String d : List.of("monitor", "node0", "node1")) {
            Path pid = dir.resolve(d).resolve("postmaster.pid");
            try {
                if (Files.exists(pid)) {
                    ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (IOException | NumberFormatException e) {
                // gone already
            }
        }
        try {
            must(List.of("rm", "-rf", dir.toString()));
        } catch (Exception e) {
            throw new IOException("cannot delete " + dir, e);
        }
    }

    private void tightenHealthChecks() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + monitorPort + "/pg_auto_failover",
                "postgres", ""); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET pgautofailover.health_check_period = '1s'");
            s.execute("ALTER SYSTEM SET pgautofailover.health_check_timeout = '1s'");
            s.execute("ALTER SYSTEM SET pgautofailover.health_check_retry_delay = '1s'");
            s.execute("ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = '3s'");
            s.execute("ALTER SYSTEM SET pgautofailover.primary_demote_timeout = '5s'");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private String monitorUri() {
        return "postgres://autoctl_node@127.0.0.1:" + monitorPort + "/pg_auto_failover?sslmode=disable";
    }

    private void awaitSql(int port, String db, String sql) throws Exception {
        long deadline = System.nanoTime() + STATE_WAIT.toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute(sql);
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("PostgreSQL on port " + port + " did not answer within " + STATE_WAIT, e);
                }
                Thread.sleep(250);
            }
        }
    }

    /** {@code command} as the data directories' owner, with PostgreSQL 15's tools first on the path. */
    private List<String> asOwner(List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of("env", "PATH=" + BIN + ":/usr/bin:/bin", "XDG_CONFIG_HOME=" + dir.resolve("config"),
                "XDG_DATA_HOME=" + dir.resolve("state")));
        full.addAll(command);
        return full;
    }

    /** Starts {@code command} in a session of its own (its process group: {@link #killSession}), logging to a file. */
    private Process session(String name, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("setsid"));
        full.addAll(asOwner(command));
        return new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    private static void killSession(Process p) {
        if (p == null) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void must(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + VheapProcesses.tail(output));
        }
    }
}
