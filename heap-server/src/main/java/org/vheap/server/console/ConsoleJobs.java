package org.vheap.server.console;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's long actions, each on a thread of its own (at most {@link #RUNNING} at once; more wait their turn),
 * and the last {@link #KEPT} of them for their pages. A job's file (an export) is deleted when the job is forgotten
 * or the console closes. A job that throws ends failed with the server's message.
 */
final class ConsoleJobs implements AutoCloseable {
    static final int RUNNING = 4;
    static final int KEPT = 50;
    private static final Logger log = LoggerFactory.getLogger(ConsoleJobs.class);

    /** The work of a job: says its progress on the job and ends it with {@link ConsoleJob#done}. */
    interface Work {
        void run(ConsoleJob job) throws Exception;
    }

    private final Map<String, ConsoleJob> jobs = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService threads = Executors.newFixedThreadPool(RUNNING, r -> {
        Thread t = new Thread(r, "vheap-console-job");
        t.setDaemon(true);
        return t;
    });

    /** Starts {@code work} as a new job; returns it at once. */
    ConsoleJob start(String title, String returnTo, Work work) {
        ConsoleJob job = new ConsoleJob(Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()),
                title, returnTo);
        synchronized (jobs) {
            jobs.put(job.id, job);
            while (jobs.size() > KEPT) {
                ConsoleJob oldest = jobs.values().iterator().next();
                jobs.remove(oldest.id);
                deleteFile(oldest);
            }
        }
        job.progress("waiting for a turn", 0, 0);
        threads.execute(() -> {
            try {
                work.run(job);
                if (!job.finished()) {
                    job.done("done", 0, 0);
                }
            } catch (StatusRuntimeException e) {
                job.failed(ConsoleErrors.message(e));
            } catch (Exception e) {
                log.warn("console job '{}' failed", title, e);
                job.failed(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        });
        return job;
    }

    /** The job of this id; null when there is none (or it was forgotten). */
    ConsoleJob find(String id) {
        synchronized (jobs) {
            return jobs.get(id);
        }
    }

    private static void deleteFile(ConsoleJob job) {
        Path f = job.file();
        if (f != null) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                log.warn("could not delete {}: {}", f, e.toString());
            }
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (jobs) {
            jobs.values().forEach(ConsoleJobs::deleteFile);
            jobs.clear();
        }
    }
}
