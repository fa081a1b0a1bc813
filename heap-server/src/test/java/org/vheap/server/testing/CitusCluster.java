package org.vheap.server.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.vheap.server.store.HeapDatabase;

/**
 * A JUnit extension giving a test class the run's Citus cluster: a coordinator and two workers, each a PostgreSQL 15
 * with the {@code citus} extension on a free loopback port, run as the {@code postgres} user when the tests run as
 * root (PostgreSQL refuses root), in a directory of its own; the workers added to the coordinator. Started by the first
 * class that asks, shared by the run (apps are told apart by {@link TestHeaps#app} names), stopped and deleted when
 * the run ends. Fsync is off: these clusters are for routing and semantics, not for crashes.
 *
 * <p>Citus is not packaged by Debian: {@code ../shared/citus/build.sh} builds it into Debian's PostgreSQL 15 (CI runs
 * it). Without it the classes that ask are skipped with one line; with {@code VHEAP_CITUS_TESTS=required} (CI) that is
 * a failure instead. {@code -Dvheap.citus.bin=DIR} names another PostgreSQL's {@code bin} directory.
 * {@code @RegisterExtension static final CitusCluster CITUS = new CitusCluster();}
 */
public final class CitusCluster implements BeforeAllCallback {
    static final Path BIN = Path.of(System.getProperty("vheap.citus.bin", "/usr/lib/postgresql/15/bin"));
    static final String HOW = "as root: ../shared/citus/build.sh (Citus 13.2.2 into Debian's PostgreSQL 15)";
    private static final int WORKERS = 2;
    /** PostgreSQL refuses to run as root: its programs then run as the {@code postgres} user. */
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final String name;
    private volatile Running running;

    /** The run's shared cluster. */
    public CitusCluster() {
        this("shared");
    }

    /**
     * A cluster of the test class's own, named {@code name} (stopped when the class ends): for a class that changes
     * its cluster (adds a worker, kills one).
     */
    public CitusCluster(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String why = whyUnavailable();
        if (why != null) {
            System.out.println(context.getDisplayName() + " skipped: " + why);
            if ("required".equals(System.getenv("VHEAP_CITUS_TESTS"))) {
                throw new AssertionError("VHEAP_CITUS_TESTS=required, but " + why);
            }
            Assumptions.abort(why);
        }
        ExtensionContext owner = name.equals("shared") ? context.getRoot() : context;
        running = owner.getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent("vheap-citus-cluster-" + name, k -> new Running(), Running.class);
    }

    /** The coordinator's JDBC URL (database {@code postgres}, user {@code postgres}, no password). */
    public String url() {
        return running.nodes.get(0).url();
    }

    public String user() {
        return "postgres";
    }

    /** The coordinator's port. */
    public int port() {
        return running.nodes.get(0).port();
    }

    /** The ports of every node, the coordinator first. */
    public List<Integer> nodePorts() {
        return running.nodes.stream().map(Node::port).toList();
    }

    /**
     * The run's heap database on the coordinator ({@link HeapDatabase#external}): migrated once, so distributed by the
     * store's own migration; closed with the cluster.
     */
    public DataSource dataSource() {
        return running.database().dataSource();
    }

    /** Starts one more worker and adds it to the cluster (it holds no shards until a rebalance); returns its port. */
    public int addWorker() throws Exception {
        return running.addWorker();
    }

    /**
     * Kills the node on {@code port} with SIGKILL, its postmaster and every child at once, as a crash of the machine's
     * processes would (what they wrote stays in the OS's cache: fsync is off here, so this is not a power loss).
     */
    public void kill(int port) throws Exception {
        running.kill(port);
    }

    /** Starts the killed node on {@code port} again; returns once it accepts connections (after its recovery). */
    public void restart(int port) throws Exception {
        running.restart(port);
    }

    /**
     * What every node is doing, for a test's failure message: each client backend's state, wait event and query, and
     * the node's prepared transactions (those of a two-phase commit a crash left behind).
     */
    public String activity() {
        StringBuilder out = new StringBuilder();
        for (Node n : List.copyOf(running.nodes)) {
            out.append("\nnode ").append(n.port()).append(':');
            Properties props = new Properties();
            props.setProperty("user", user());
            props.setProperty("connectTimeout", "5");
            props.setProperty("socketTimeout", "10");   // a node that is stuck does not stall the message
            try (Connection c = DriverManager.getConnection(n.url(), props);
                 Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT pid, state, wait_event_type, wait_event,"
                        + " round(extract(epoch FROM now() - query_start)), left(query, 160) FROM pg_stat_activity"
                        + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                    while (rs.next()) {
                        out.append("\n  pid ").append(rs.getInt(1)).append(' ').append(rs.getString(2))
                                .append(" waits ").append(rs.getString(3)).append('/').append(rs.getString(4))
                                .append(" for ").append(rs.getString(5)).append(" s: ").append(rs.getString(6));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT gid, prepared FROM pg_prepared_xacts")) {
                    while (rs.next()) {
                        out.append("\n  prepared ").append(rs.getString(1)).append(" at ").append(rs.getString(2));
                    }
                }
            } catch (SQLException e) {
                out.append(" unreachable: ").append(e.getMessage());
            }
        }
        return out.toString();
    }

    /** A new connection to the coordinator, as its superuser. */
    public Connection coordinator() throws SQLException {
        return DriverManager.getConnection(url(), user(), "");
    }

    private static String whyUnavailable() {
        Path lib = BIN.getParent().resolve("lib").resolve("citus.so");
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            return "no PostgreSQL 15 in " + BIN + " (" + HOW + ")";
        }
        if (!Files.isRegularFile(lib)) {
            return "no Citus in " + lib.getParent() + " (" + HOW + ")";
        }
        if (ROOT && !postgresUserExists()) {
            return "the tests run as root and there is no postgres user to run PostgreSQL as (" + HOW + ")";
        }
        return null;
    }

    private static boolean postgresUserExists() {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("postgres:"));
        } catch (IOException e) {
            return false;
        }
    }

    /** One PostgreSQL of the cluster. */
    record Node(Path dir, int port) {
        String url() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        }
    }

    /** The cluster of the run; closed by JUnit when the run ends. */
    static final class Running implements AutoCloseable {
        final Path dir = TestHeaps.tempDir("vheap-citus");
        final List<Node> nodes = new ArrayList<>();
        private HeapDatabase database;

        Running() {
            try {
                if (ROOT) {
                    exec(List.of("chown", "-R", "postgres", dir.toString()));   // the postgres user's from here
                }
                for (int i = 0; i <= WORKERS; i++) {
                    nodes.add(startNode(i));
                }
                try (Connection c = DriverManager.getConnection(nodes.get(0).url(), "postgres", "");
                     Statement s = c.createStatement()) {
                    s.execute("SELECT citus_set_coordinator_host('127.0.0.1', " + nodes.get(0).port() + ")");
                    for (Node worker : nodes.subList(1, nodes.size())) {
                        s.execute("SELECT citus_add_node('127.0.0.1', " + worker.port() + ")");
                    }
                }
            } catch (IOException | SQLException | InterruptedException | RuntimeException e) {
                close();
                throw new IllegalStateException("the Citus cluster did not start: " + e.getMessage(), e);
            }
        }

        synchronized int addWorker() throws IOException, InterruptedException, SQLException {
            Node worker = startNode(nodes.size());
            nodes.add(worker);
            try (Connection c = DriverManager.getConnection(nodes.get(0).url(), "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("SELECT citus_add_node('127.0.0.1', " + worker.port() + ")");
            }
            return worker.port();
        }

        void kill(int port) throws IOException, InterruptedException {
            Node n = node(port);
            long postmaster = Long.parseLong(Files.readAllLines(n.dir().resolve("postmaster.pid")).get(0).trim());
            ProcessHandle pm = ProcessHandle.of(postmaster).orElseThrow();
            List<ProcessHandle> victims = new ArrayList<>(pm.descendants().toList());
            victims.add(pm);
            // pg_ctl starts the postmaster in a session of its own: one signal to its process group kills it and
            // every child at once, also one it forks meanwhile; otherwise each process listed
            List<String> kill = new ArrayList<>(List.of("kill", "-KILL", "--"));
            if (processGroup(postmaster) == postmaster) {
                kill.add("-" + postmaster);
            } else {
                victims.forEach(p -> kill.add(Long.toString(p.pid())));
            }
            new ProcessBuilder(kill).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            for (ProcessHandle p : victims) {
                try {
                    p.onExit().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IOException("process " + p.pid() + " of the Citus node on port " + port
                            + " still runs 30 s after " + kill);
                }
            }
        }

        /** The process group of a process ({@code /proc/PID/stat}'s fifth field), or -1 when unknown. */
        private static long processGroup(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(after[2]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        void restart(int port) throws IOException, InterruptedException {
            Node n = node(port);
            run(List.of(BIN.resolve("pg_ctl").toString(), "-D", n.dir().toString(), "-l",
                    n.dir().resolveSibling(n.dir().getFileName() + ".log").toString(), "-w", "-t", "120", "start"));
        }

        private Node node(int port) {
            return nodes.stream().filter(n -> n.port() == port).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no Citus node on port " + port));
        }

        private Node startNode(int i) throws IOException, InterruptedException, SQLException {
            Path data = dir.resolve("node" + i);
            int port = freePort();
            run(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                    "--no-sync", "-E", "UTF8"));
            Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                    "shared_preload_libraries = 'citus'",
                    "listen_addresses = '127.0.0.1'",
                    "port = " + port,
                    "unix_socket_directories = '" + dir + "'",
                    "max_connections = 200",
                    "fsync = off",
                    "citus.shard_count = 8",
                    // PgHeapStoreTest makes the database fail midway with a trigger on line_version
                    "citus.enable_unsafe_triggers = on",
                    // shards move by logical replication (a rebalance while apps write)
                    "wal_level = logical",
                    ""), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("node" + i + ".log")
                    .toString(), "-w", "-t", "120", "start"));
            Node node = new Node(data, port);
            try (Connection c = DriverManager.getConnection(node.url(), "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION citus");
            }
            return node;
        }

        synchronized HeapDatabase database() {
            if (database == null) {
                database = HeapDatabase.external(nodes.get(0).url(), "postgres", "", 8);
            }
            return database;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (database != null) {
                    database.close();
                }
            }
            for (Node n : nodes) {
                try {
                    run(List.of(BIN.resolve("pg_ctl").toString(), "-D", n.dir().toString(), "-m", "immediate", "-w",
                            "stop"));
                } catch (IOException | InterruptedException | RuntimeException e) {
                    System.err.println("could not stop the Citus node on port " + n.port() + ": " + e.getMessage());
                }
            }
            TestHeaps.deleteRecursively(dir);
        }

        /** Runs a PostgreSQL program as the {@code postgres} user when this JVM is root; fails with its output. */
        private static void run(List<String> command) throws IOException, InterruptedException {
            List<String> full = new ArrayList<>();
            if (ROOT) {
                full.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            full.addAll(command);
            exec(full);
        }

        /** Runs {@code full} as this JVM's user; fails with its output if it fails or runs over 180 s. */
        private static void exec(List<String> full) throws IOException, InterruptedException {
            Path log = Files.createTempFile("vheap-citus-command", ".log");
            try {
                Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                boolean ended = p.waitFor(180, TimeUnit.SECONDS);
                if (!ended || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IOException(String.join(" ", full) + (ended ? " failed: " : " ran over 180 s: ")
                            + Files.readString(log, StandardCharsets.UTF_8).strip());
                }
            } finally {
                Files.deleteIfExists(log);
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }
}
