package org.vheap.server.console;

import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
    /** Export files kept for download: the newest this many (each is a whole heap); older ones are deleted. */
    static final int FILES_KEPT = 4;
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

    /**
     * Starts {@code work} as a new job; returns it at once. {@code fileName}: what its file is downloaded as (an
     * export), or null. {@code file}: a file the job owns from the start (an upload), deleted with it, or null.
     */
    ConsoleJob start(String title, String returnTo, String fileName, Path file, Work work) {
        ConsoleJob job = new ConsoleJob(Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()),
                title, returnTo, fileName);
        if (file != null) {
            job.attach(file);
        }
        synchronized (jobs) {
            jobs.put(job.id, job);
            while (jobs.size() > KEPT) {
                ConsoleJob oldest = jobs.values().iterator().next();
                jobs.remove(oldest.id);
                oldest.forget();
            }
            if (fileName != null) {   // a new export: the oldest files beyond the newest FILES_KEPT go
                List<ConsoleJob> exports = jobs.values().stream().filter(j -> j.fileName != null).toList();
                exports.subList(0, Math.max(0, exports.size() - FILES_KEPT)).forEach(ConsoleJob::deleteFile);
            }
        }
        job.progress("waiting for a turn", 0, 0);
        try {
            threads.execute(() -> run(job, work));
        } catch (RejectedExecutionException e) {   // closing
            job.failed("the console is stopping");
            job.forget();
        }
        return job;
    }

    private static void run(ConsoleJob job, Work work) {
        try {
            work.run(job);
            if (!job.finished()) {
                job.done("done", 0, 0);
            }
        } catch (StatusRuntimeException e) {
            job.failed(ConsoleErrors.message(e));
        } catch (Exception e) {
            log.warn("console job '{}' failed", job.title, e);
            job.failed("the console failed (its log says why): " + e.getClass().getSimpleName());
        } finally {
            if (job.download() == null) {
                job.deleteFile();   // an import's upload, a failed export's part: no page offers them
            }
        }
    }

    /** The job of this id; null when there is none (or it was forgotten). */
    ConsoleJob find(String id) {
        synchronized (jobs) {
            return jobs.get(id);
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
            jobs.values().forEach(ConsoleJob::forget);
            jobs.clear();
        }
    }
}
