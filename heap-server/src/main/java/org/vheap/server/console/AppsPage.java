package org.vheap.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.vheap.client.HeapImageTransfer;
import org.vheap.proto.v1.AppInfo;
import org.vheap.proto.v1.ImportedHeap;
import org.vheap.proto.v1.ListAppsRequest;

/**
 * {@code /apps}: every app of the store with its lease (holder and expiry), newest checkpoint and size, sortable
 * by any column and filtered as one types; and the import of a heap image file, which runs as a job.
 */
final class AppsPage {
    private final ConsoleJobs jobs;
    private final long maxUploadBytes;

    AppsPage(ConsoleJobs jobs, long maxUploadBytes) {
        this.jobs = jobs;
        this.maxUploadBytes = maxUploadBytes;
    }

    void routes(RoutesConfig routes) {
        routes.get("/apps", this::show);
        routes.post("/apps/import", this::importFile);
    }

    private void show(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        var apps = r.calls().store().listApps(ListAppsRequest.getDefaultInstance()).getAppsList();
        Page page = r.page("Apps", "apps");
        page.raw("<p><input type=\"search\" id=\"filter\" data-filter=\"apps\" placeholder=\"filter apps\"> ")
                .text(apps.size() + (apps.size() == 1 ? " app" : " apps")).raw("</p>");
        page.raw("<table id=\"apps\" class=\"sortable\"><thead><tr><th>App</th><th>Device</th><th>Lease expires</th>"
                + "<th data-type=\"number\">Newest checkpoint</th><th data-type=\"number\">Size</th>"
                + "<th data-type=\"number\">Checkpoints</th><th>Created</th></tr></thead><tbody>");
        for (AppInfo a : apps) {
            long size = a.hasNewestCheckpoint() ? a.getNewestCheckpoint().getSizeBytes() + a.getNewestCheckpoint().getVmStateBytes() : 0;
            page.raw("<tr data-app=\"").text(a.getApp()).raw("\"><td><a href=\"/apps/").raw(Html.url(a.getApp())).raw("\">")
                    .text(a.getApp()).raw("</a></td><td>").text(a.hasLease() ? a.getLease().getHolder() : "")
                    .raw("</td><td>").text(a.hasLease() ? Html.time(a.getLease().getExpiresAt()) : "").raw("</td>")
                    .raw("<td data-value=\"").raw(Long.toString(a.hasNewestCheckpoint() ? a.getNewestCheckpoint().getCheckpointId() : 0))
                    .raw("\">").text(a.hasNewestCheckpoint() ? Long.toString(a.getNewestCheckpoint().getCheckpointId()) : "none")
                    .raw("</td><td data-value=\"").raw(Long.toString(size)).raw("\">").text(Html.bytes(size))
                    .raw("</td><td data-value=\"").raw(Integer.toString(a.getCheckpointCount())).raw("\">")
                    .raw(Integer.toString(a.getCheckpointCount())).raw("</td><td>").text(Html.time(a.getCreatedAt()))
                    .raw("</td></tr>");
        }
        page.raw("</tbody></table>");
        page.raw("<h2>Import a heap image</h2><form method=\"post\" action=\"/apps/import\" enctype=\"multipart/form-data\""
                + " id=\"import\">").raw(page.csrfField())
                .raw("<label>File <input type=\"file\" name=\"file\" id=\"import-file\" required></label> "
                        + "<label>As app <input name=\"app\" id=\"import-app\" placeholder=\"the name in the file\"></label> "
                        + "<label><input type=\"checkbox\" name=\"replace\" value=\"true\"> replace an app of that name</label> "
                        + "<button id=\"import-button\">Import</button> <span class=\"hint\">at most ")
                .text(Html.bytes(maxUploadBytes)).raw("</span></form>");
        ctx.html(page.finish());
    }

    /** Saves the upload to a temporary file, then imports it as a job (the server checks the whole file first). */
    private void importFile(Context ctx) throws IOException {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        UploadedFile upload = ctx.uploadedFile("file");
        if (upload == null || upload.size() == 0) {
            throw new ConsoleRefusal(400, "choose a heap image file to import (one written by Export or ./vheap export)");
        }
        String app = ctx.formParam("app") == null || ctx.formParam("app").isBlank() ? "" : ConsoleParams.name(ctx, "app",
                "the name to import as");
        boolean replace = "true".equals(ctx.formParam("replace"));
        Path file = Files.createTempFile("vheap-console-import", ".vheap");   // the job's from here: deleted with it
        try (InputStream in = upload.content()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        String name = upload.filename();
        long total = Files.size(file);
        JobPages.redirect(ctx, jobs.start("Import " + name + (app.isEmpty() ? "" : " as " + app), "/apps", null, file, j -> {
            try (InputStream in = Files.newInputStream(file)) {
                j.progress("importing " + Html.bytes(total), 0, 0);
                ImportedHeap done = HeapImageTransfer.importFile(r.calls().channel(), app, replace, in,
                        JobPages.progressTo(j));
                // its new app token is not shown: job pages are kept and streamed; ./vheap token --app NAME --reset issues one
                j.done("imported app '" + done.getApp() + "' as checkpoint " + done.getCheckpoint().getCheckpointId()
                                + " (" + done.getCheckpoint().getLineCount() + " lines, " + done.getBlobsAdded() + " of "
                                + done.getBlobs() + " system blobs new" + (done.getReplaced() ? "; the old app replaced" : "")
                                + "); a device running it needs its token: ./vheap token --app " + done.getApp() + " --reset",
                        done.getCheckpoint().getLineCount(), total);
            }
        }));
    }
}
