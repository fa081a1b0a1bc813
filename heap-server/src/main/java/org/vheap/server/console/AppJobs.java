package org.vheap.server.console;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.StatusRuntimeException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.vheap.client.HeapImageTransfer;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.AppInfo;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.CollectHeapRequest;
import org.vheap.proto.v1.CollectHeapResponse;
import org.vheap.proto.v1.CollectedHeap;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.MigrateAppRequest;
import org.vheap.proto.v1.MigrateAppResponse;

/**
 * An app's long actions, each a {@link ConsoleJob} whose page shows its progress live:
 * <ul>
 * <li>migrate: the server's MigrateApp, watched while it runs: the suspend's checkpoint as it commits (its lines
 *     and bytes written), the lease passing to the target, then the outcome with the suspend's and resume's times;</li>
 * <li>export: ExportHeap into a temporary file, offered as a download once whole;</li>
 * <li>collect: CollectHeap (an offline collection, compacting if asked) with its phases.</li>
 * </ul>
 */
final class AppJobs {
    /** How often a migration's watcher asks the store how far it has come. */
    private static final long WATCH_MILLIS = 50;

    private final ConsoleJobs jobs;

    AppJobs(ConsoleJobs jobs) {
        this.jobs = jobs;
    }

    void routes(RoutesConfig routes) {
        routes.post("/apps/{app}/migrate", this::migrate);
        routes.post("/apps/{app}/checkpoints/{id}/export", this::export);
        routes.post("/apps/{app}/checkpoints/{id}/collect", this::collect);
    }

    private void migrate(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        String to = ConsoleParams.required(ctx, "device", "the device to migrate to");
        ConsoleJob job = jobs.start("Migrate " + app + " to " + to, AppPage.appPath(app), j -> {
            ConsoleCalls calls = r.calls();
            AppInfo before = app(calls, app);
            long newestBefore = before.hasNewestCheckpoint() ? before.getNewestCheckpoint().getCheckpointId() : 0;
            String from = before.hasLease() ? before.getLease().getHolder() : "";
            j.progress(from.isEmpty() ? "app '" + app + "' is not running: resuming it on " + to
                    : "suspending app '" + app + "' on device '" + from + "'", 0, 0);
            ListenableFuture<MigrateAppResponse> call = calls.controlAsync().withDeadlineAfter(ConsoleCalls.DEADLINE_SECONDS,
                    TimeUnit.SECONDS).migrateApp(MigrateAppRequest.newBuilder().setApp(app).setToDevice(to).build());
            long lines = 0;
            long bytes = 0;
            boolean committed = from.isEmpty();
            boolean leased = false;
            while (!call.isDone()) {
                AppInfo now = app(calls, app);
                CheckpointInfo newest = now.getNewestCheckpoint();
                if (!committed && newest.getCheckpointId() > newestBefore) {
                    committed = true;
                    lines = newest.getLinesWritten();
                    bytes = lines * now.getLineSize() + newest.getVmStateBytes();
                    j.progress("checkpoint " + newest.getCheckpointId() + " committed on '" + from + "': " + lines
                            + " lines written, " + Html.bytes(bytes) + " with the VM state; resuming on '" + to + "'", lines, bytes);
                }
                if (!leased && now.hasLease() && now.getLease().getHolder().equals(to)) {
                    leased = true;
                    j.progress("device '" + to + "' holds the app's lease: it is reading the checkpoint", lines, bytes);
                }
                try {
                    call.get(WATCH_MILLIS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
                    // still running: look again; or ended, said below
                }
            }
            MigrateAppResponse done;
            try {
                done = call.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof StatusRuntimeException s ? s : e;
            }
            if (!committed || lines == 0) {
                CheckpointInfo resumedFrom = checkpoint(calls, app, done.getCheckpointId());
                lines = resumedFrom.getLinesWritten();
                bytes = lines * before.getLineSize() + resumedFrom.getVmStateBytes();
            }
            j.done(done.getFromDevice().isEmpty()
                    ? "resumed app '" + app + "' on device '" + to + "' from checkpoint " + done.getCheckpointId()
                            + " (resume " + done.getResumeMillis() + " ms)"
                    : "migrated app '" + app + "' from device '" + done.getFromDevice() + "' to device '" + to
                            + "' through checkpoint " + done.getCheckpointId() + " (suspend " + done.getSuspendMillis()
                            + " ms, resume " + done.getResumeMillis() + " ms)", lines, bytes);
        });
        ctx.redirect("/jobs/" + job.id, HttpStatus.SEE_OTHER);
    }

    private static AppInfo app(ConsoleCalls calls, String app) {
        return calls.store().listApps(ListAppsRequest.getDefaultInstance()).getAppsList().stream()
                .filter(a -> a.getApp().equals(app)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no app '" + app + "' in this store"));
    }

    private static CheckpointInfo checkpoint(ConsoleCalls calls, String app, long id) {
        return calls.store().listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app).build()).getCheckpointsList()
                .stream().filter(c -> c.getCheckpointId() == id).findFirst().orElse(CheckpointInfo.getDefaultInstance());
    }

    private void export(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        long id = ConsoleParams.checkpoint(ctx.pathParam("id"), false);
        ConsoleJob job = jobs.start("Export checkpoint " + id + " of " + app, AppPage.appPath(app), j -> {
            Path file = Files.createTempFile("vheap-console-export", ".vheap");
            j.attach(file, app + "-" + id + ".vheap");   // deleted with the job
            long bytes;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                bytes = HeapImageTransfer.export(r.calls().channel(), app, id, out, JobPages.progressTo(j));
            }
            j.done("exported checkpoint " + id + " of app '" + app + "': " + Html.bytes(bytes), 0, bytes);
        });
        ctx.redirect("/jobs/" + job.id, HttpStatus.SEE_OTHER);
    }

    private void collect(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        long id = ConsoleParams.checkpoint(ctx.pathParam("id"), false);
        boolean compact = "true".equals(ctx.formParam("compact"));
        ConsoleJob job = jobs.start((compact ? "Compact" : "Collect") + " checkpoint " + id + " of " + app,
                AppPage.appPath(app), j -> {
                    Iterator<CollectHeapResponse> responses = HeapStoreGrpc.newBlockingStub(r.calls().channel())
                            .withInterceptors(VheapHeaders.forApp(app))
                            .collectHeap(CollectHeapRequest.newBuilder().setApp(app).setCheckpointId(id).setCompact(compact).build());
                    var progress = JobPages.progressTo(j);
                    while (responses.hasNext()) {
                        CollectHeapResponse c = responses.next();
                        if (c.hasProgress()) {
                            progress.accept(c.getProgress());
                        } else {
                            CollectedHeap d = c.getDone();
                            j.done("collected checkpoint " + id + " into checkpoint " + d.getCheckpoint().getCheckpointId()
                                    + (d.getForked() ? " (a fork: it was not the newest)" : "") + ": " + d.getObjects()
                                    + " objects kept (" + Html.bytes(d.getLiveBytes()) + "), " + Html.bytes(d.getFreedBytes())
                                    + " freed" + (compact ? ", " + d.getMovedObjects() + " objects moved" : "") + "; "
                                    + d.getLinesBefore() + " lines before, " + d.getCheckpoint().getLineCount() + " after",
                                    d.getLinesWritten(), d.getLinesWritten() * (d.getCheckpoint().getLineCount() == 0 ? 0
                                            : d.getCheckpoint().getSizeBytes() / d.getCheckpoint().getLineCount()));
                        }
                    }
                });
        ctx.redirect("/jobs/" + job.id, HttpStatus.SEE_OTHER);
    }
}
