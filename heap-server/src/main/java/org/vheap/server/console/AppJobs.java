package org.vheap.server.console;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.StatusRuntimeException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
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
    private static final long WATCH_MILLIS = 100;

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
        String to = ConsoleParams.name(ctx, "device", "the device to migrate to");
        JobPages.redirect(ctx, jobs.start("Migrate " + app + " to " + to, AppPage.appPath(app), null, null,
                j -> watchMigration(j, r.calls(), app, to)));
    }

    /**
     * Runs MigrateApp and tells its phases as the store shows them: a newer checkpoint of the app (the suspend's,
     * or one its device took meanwhile), then the lease held by the target; then the outcome, its lines and bytes
     * those of the checkpoint the migration went through. A phase too quick for the looks (every 100 ms) is told when the
     * call returns, in its order. A look that fails is skipped: the migration goes on.
     */
    private static void watchMigration(ConsoleJob j, ConsoleCalls calls, String app, String to) throws Exception {
        AppInfo before = AppPage.app(calls, app);
        long newestBefore = before.hasNewestCheckpoint() ? before.getNewestCheckpoint().getCheckpointId() : 0;
        String from = before.hasLease() ? before.getLease().getHolder() : "";
        j.progress(from.isEmpty() ? "app '" + app + "' is not running: resuming it on '" + to + "'"
                : "suspending app '" + app + "' on device '" + from + "'", 0, 0);
        ListenableFuture<MigrateAppResponse> call = calls.controlAsync().withDeadlineAfter(ConsoleCalls.DEADLINE_SECONDS,
                TimeUnit.SECONDS).migrateApp(MigrateAppRequest.newBuilder().setApp(app).setToDevice(to).build());
        long lines = 0;
        long bytes = 0;
        boolean committed = from.isEmpty();
        boolean leased = false;
        while (!call.isDone()) {
            try {
                AppInfo now = AppPage.app(calls, app);
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
            } catch (RuntimeException lookFailed) {
                // the store did not answer this look; the migration's own outcome is what counts
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
        CheckpointInfo through = checkpoint(calls, app, done.getCheckpointId());
        lines = through.getLinesWritten();
        bytes = lines * before.getLineSize() + through.getVmStateBytes();
        // phases too quick for a look to see are told now, in their order, so every migration's page tells them all
        if (!committed) {
            j.progress("checkpoint " + done.getCheckpointId() + " committed on '" + from + "': " + lines + " lines written, "
                    + Html.bytes(bytes) + " with the VM state; resuming on '" + to + "'", lines, bytes);
        }
        if (!leased) {
            j.progress("device '" + to + "' holds the app's lease: it is reading the checkpoint", lines, bytes);
        }
        j.done(done.getFromDevice().isEmpty()
                ? "resumed app '" + app + "' on device '" + to + "' from checkpoint " + done.getCheckpointId()
                        + " (resume " + done.getResumeMillis() + " ms)"
                : "migrated app '" + app + "' from device '" + done.getFromDevice() + "' to device '" + to
                        + "' through checkpoint " + done.getCheckpointId() + " (" + lines + " lines written by its epoch;"
                        + " suspend " + done.getSuspendMillis() + " ms, resume " + done.getResumeMillis() + " ms)", lines, bytes);
    }

    private static CheckpointInfo checkpoint(ConsoleCalls calls, String app, long id) {
        return calls.store().listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app).build()).getCheckpointsList()
                .stream().filter(c -> c.getCheckpointId() == id).findFirst().orElse(CheckpointInfo.getDefaultInstance());
    }

    private void export(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        long id = ConsoleParams.checkpoint(ctx.pathParam("id"), false);
        JobPages.redirect(ctx, jobs.start("Export checkpoint " + id + " of " + app, AppPage.appPath(app),
                app + "-" + id + ".vheap", null, j -> {
            Path file = Files.createTempFile("vheap-console-export", ".vheap");
            j.attach(file);   // deleted with the job, or at once if it fails
            long bytes;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                bytes = HeapImageTransfer.export(r.calls().channel(), app, id, out, JobPages.progressTo(j));
            }
            j.done("exported checkpoint " + id + " of app '" + app + "': " + Html.bytes(bytes), 0, bytes);
        }));
    }

    private void collect(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        long id = ConsoleParams.checkpoint(ctx.pathParam("id"), false);
        boolean compact = "true".equals(ctx.formParam("compact"));
        JobPages.redirect(ctx, jobs.start((compact ? "Compact" : "Collect") + " checkpoint " + id + " of " + app,
                AppPage.appPath(app), null, null, j -> {
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
                }));
    }
}
