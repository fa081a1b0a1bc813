package org.vheap.server.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the embedded PostgreSQL and waits for it for as long as it is alive. After an unclean stop (the server
 * and its database killed, an out-of-memory kill of the process group, a power loss) PostgreSQL replays its
 * write-ahead log before it takes a connection, which takes as long as there is log to replay; zonky alone gives
 * up after a fixed wait (10 s) and the heap server then refused to start while the recovery ran.
 *
 * <p>How: zonky gets a wait it never reaches and starts the database on a thread of its own, while this class
 * watches the processes: zonky's {@code pg_ctl} (and the other tools it runs on the cluster, children of this
 * JVM) and the postmaster named in the cluster's {@code postmaster.pid} (a new one: a crash leaves the old pid
 * there). The start fails as soon as they are all gone before the database answered (the postmaster exited: its
 * reason is in PostgreSQL's log), or when none of them shows up within {@link #APPEAR} (nothing could be started
 * at all). A start after an unclean stop says so in one log line before it waits, and how long it took after.
 */
final class EmbeddedPostgresStart {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresStart.class);
    /** zonky's own wait, never reached: the watch below decides when to give up. */
    private static final Duration ZONKY_WAIT = Duration.ofDays(365);
    /** How long a start may take before any PostgreSQL process of it exists (unpacking the binaries, initdb). */
    static final Duration APPEAR = Duration.ofMinutes(2);
    /** How often the processes are looked at: often until the server's start is seen (a pg_ctl that fails lives
     * only about 100 ms), then less. */
    private static final long FIRST_POLL_MILLIS = 20;
    private static final long POLL_MILLIS = 100;
    /** Polls in a row with nothing alive before the start counts as failed (the pid file is rewritten meanwhile). */
    private static final int GONE_POLLS = 3;

    private EmbeddedPostgresStart() {
    }

    /** Starts {@code builder}'s database on {@code cluster} and returns once it answers a query. */
    static EmbeddedPostgres start(EmbeddedPostgres.Builder builder, Path cluster) throws IOException {
        long stale = postmasterPid(cluster);
        boolean recovering = stale != 0 && !alive(stale);
        if (recovering) {
            log.info("the embedded PostgreSQL under {} was not shut down cleanly (a crash, a kill or a power loss):"
                    + " it recovers from its write-ahead log before it takes connections; waiting for it, however long"
                    + " that takes", cluster);
        }
        long started = System.nanoTime();
        CompletableFuture<EmbeddedPostgres> start = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                start.complete(builder.setPGStartupWait(ZONKY_WAIT).start());
            } catch (Throwable e) {
                start.completeExceptionally(e);
            }
        }, "vheap-postgres-start");
        starter.setDaemon(true);
        starter.start();

        boolean serverSeen = false;   // pg_ctl or the new postmaster: the server's start has begun
        int gone = 0;
        while (true) {
            try {
                EmbeddedPostgres pg = start.get(serverSeen ? POLL_MILLIS : FIRST_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (recovering) {
                    log.info("the embedded PostgreSQL under {} recovered and started in {} s", cluster,
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                }
                return pg;
            } catch (TimeoutException e) {
                // still starting: look at its processes
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException(e.getCause().toString(), e.getCause());
            } catch (InterruptedException e) {
                abandon(starter, start);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the embedded PostgreSQL started", e);
            }
            long postmaster = postmasterPid(cluster);
            boolean postmasterAlive = postmaster != 0 && postmaster != stale && alive(postmaster);
            List<String> tools = toolsRunningOn(cluster);
            serverSeen |= postmasterAlive || tools.stream().anyMatch(c -> c.contains("pg_ctl"));
            gone = postmasterAlive || !tools.isEmpty() ? 0 : gone + 1;
            String failure = null;
            if (serverSeen && gone >= GONE_POLLS) {
                failure = "PostgreSQL exited while it started" + (recovering ? " (recovering after a crash)" : "");
            } else if (!serverSeen && System.nanoTime() - started > APPEAR.toNanos()) {
                failure = "no PostgreSQL server process started in " + APPEAR.toMinutes() + " min";
            }
            if (failure != null) {
                abandon(starter, start);
                if (stale != 0 && alive(stale)) {
                    failure += "; " + cluster.resolve("postmaster.pid") + " names process " + stale + ", which still"
                            + " runs: a PostgreSQL left running by an earlier heap server? Stop it first";
                }
                throw new IOException(failure);
            }
        }
    }

    /** Stops waiting for zonky: interrupted, its wait loop returns; what it started (a dead server) is closed. */
    private static void abandon(Thread starter, CompletableFuture<EmbeddedPostgres> start) {
        starter.interrupt();
        try {
            EmbeddedPostgres pg = start.get(10, TimeUnit.SECONDS);
            pg.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | IOException e) {
            // nothing was started, or it is gone already
        }
    }

    /** The pid in the cluster's {@code postmaster.pid} (first line), or 0 when there is none. */
    static long postmasterPid(Path cluster) {
        try {
            List<String> lines = Files.readAllLines(cluster.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
            return lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;   // none, or being written
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The command lines of this JVM's child processes that work on {@code cluster} (initdb, pg_ctl). */
    private static List<String> toolsRunningOn(Path cluster) {
        String dir = cluster.toString();
        return ProcessHandle.current().children()
                .map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(dir))
                .toList();
    }
}
