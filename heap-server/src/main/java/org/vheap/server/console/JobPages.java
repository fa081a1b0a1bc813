package org.vheap.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.vheap.proto.v1.HeapToolProgress;

/**
 * A job's page ({@code /jobs/ID}: its events so far, then live), its event stream ({@code /jobs/ID/events}:
 * server-sent events {@code progress}, then {@code done} or {@code failed}, each a JSON object with the text and
 * the lines and bytes moved so far) and an export's file ({@code /jobs/ID/file}).
 */
final class JobPages {
    /** How long an event stream waits for the next event before it sends a comment (keeping proxies from closing it). */
    private static final long HEARTBEAT_MILLIS = 10_000;
    /** A heap tool's progress reaches the page at most this often (phase changes always). */
    private static final long PROGRESS_MILLIS = 100;

    private final ConsoleJobs jobs;

    JobPages(ConsoleJobs jobs) {
        this.jobs = jobs;
    }

    void routes(RoutesConfig routes) {
        routes.get("/jobs/{id}", this::show);
        routes.before("/jobs/{id}/events", this::job);   // an unknown job: 404 before the stream starts
        routes.sse("/jobs/{id}/events", this::events);
        routes.get("/jobs/{id}/file", this::file);
    }

    private ConsoleJob job(Context ctx) {
        ConsoleJob job = jobs.find(ctx.pathParam("id"));
        if (job == null) {
            throw new ConsoleRefusal(404, "no such job (the console keeps the last " + ConsoleJobs.KEPT
                    + " and forgets them when the server restarts)");
        }
        return job;
    }

    private void show(Context ctx) {
        ConsoleJob job = job(ctx);
        Page page = ConsoleRequest.of(ctx).page(job.title, "");
        List<ConsoleJob.Event> events = job.events();
        ConsoleJob.Event last = events.get(events.size() - 1);
        page.raw("<section id=\"job\" data-events=\"/jobs/").raw(job.id).raw("/events\" data-seen=\"")
                .raw(Integer.toString(events.size())).raw("\">")
                .raw("<p>Status: <strong id=\"job-status\" class=\"").raw(last.kind()).raw("\">")
                .text(job.finished() ? last.kind() : "running").raw("</strong> · <span id=\"job-moved\">")
                .text(moved(last)).raw("</span></p><progress id=\"job-progress\"")
                .raw(job.finished() ? " value=\"1\" max=\"1\"" : "").raw("></progress>")
                .raw("<p id=\"job-outcome\" class=\"").raw(last.kind()).raw("\">").text(job.finished() ? last.text() : "")
                .raw("</p><ol id=\"job-events\">");
        for (ConsoleJob.Event e : events) {
            page.raw("<li class=\"").raw(e.kind()).raw("\">").text(e.text()).raw("</li>");
        }
        if (job.fileName != null) {   // shown once the job is done (by the script, when it ends on this page)
            page.raw("</ol><p id=\"job-file\"").raw(job.download() != null ? "" : " hidden")
                    .raw("><a id=\"download\" href=\"/jobs/").raw(job.id).raw("/file\" download>Download ")
                    .text(job.fileName).raw("</a>");
            if (job.finished() && job.download() == null && last.kind().equals("done")) {
                page.raw(" (no more: only the newest " + ConsoleJobs.FILES_KEPT + " exports are kept)");
            }
            page.raw("</p>");
        } else {
            page.raw("</ol>");
        }
        page.raw("<p><a href=\"").raw(job.returnTo)
                .raw("\" id=\"back\">Back</a></p></section>");
        ctx.html(page.finish());
    }

    /** Answers an action that started {@code job} with the job's page. */
    static void redirect(Context ctx, ConsoleJob job) {
        ctx.redirect("/jobs/" + job.id, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    static String moved(ConsoleJob.Event e) {
        return e.lines() + " lines, " + Html.bytes(e.bytes());
    }

    /**
     * Streams the job's events from the first (or from {@code ?from=N}, or after the {@code Last-Event-ID} a
     * reconnecting browser sends) until its last, then ends. It holds one of the server's threads meanwhile.
     */
    private void events(SseClient client) {
        ConsoleJob job = job(client.ctx());
        int next = 0;
        String from = client.ctx().queryParam("from");
        String lastSeen = client.ctx().header("Last-Event-ID");
        if (lastSeen != null && lastSeen.matches("\\d{1,6}")) {
            next = Integer.parseInt(lastSeen) + 1;
        } else if (from != null && from.matches("\\d{1,6}")) {
            next = Integer.parseInt(from);
        }
        try {
            while (!client.terminated()) {
                List<ConsoleJob.Event> events = job.eventsFrom(next, HEARTBEAT_MILLIS);
                if (events.isEmpty()) {
                    if (job.finished()) {
                        break;
                    }
                    client.sendComment("still running");
                    continue;
                }
                for (ConsoleJob.Event e : events) {
                    client.sendEvent(e.kind(), e.json(), Integer.toString(e.seq()));
                    next = e.seq() + 1;
                }
                if (events.get(events.size() - 1).last()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }

    private void file(Context ctx) throws IOException {
        ConsoleJob job = job(ctx);
        Path file = job.download();
        if (file == null || !Files.exists(file)) {
            throw new ConsoleRefusal(404, "this job has no file to download: not an export, not done, failed, or"
                    + " older than the newest " + ConsoleJobs.FILES_KEPT + " exports");
        }
        ctx.header("Content-Disposition", "attachment; filename=\"" + job.fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Length", Long.toString(Files.size(file)));
        InputStream in = Files.newInputStream(file);
        ctx.result(in);   // Javalin closes it once sent
    }

    /** A heap tool's progress as the job's events: at most one each {@link #PROGRESS_MILLIS}, every phase change. */
    static Consumer<HeapToolProgress> progressTo(ConsoleJob job) {
        return new Consumer<>() {
            private String phase = "";
            private long sent;

            @Override
            public void accept(HeapToolProgress p) {
                long now = System.nanoTime();
                if (p.getPhase().equals(phase) && now - sent < PROGRESS_MILLIS * 1_000_000) {
                    return;
                }
                phase = p.getPhase();
                sent = now;
                String of = p.getLinesTotal() > 0 ? p.getLinesDone() + " of " + p.getLinesTotal() + " lines"
                        : p.getObjectsDone() > 0 ? p.getObjectsDone() + " objects" : p.getLinesDone() + " lines";
                job.progress(p.getPhase() + ": " + of + ", " + Html.bytes(p.getBytesDone()), p.getLinesDone(), p.getBytesDone());
            }
        };
    }
}
