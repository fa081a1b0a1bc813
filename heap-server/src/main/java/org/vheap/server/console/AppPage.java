package org.vheap.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vheap.proto.v1.AppInfo;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.DeleteCheckpointRequest;
import org.vheap.proto.v1.DeviceInfo;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.ListDevicesRequest;
import org.vheap.proto.v1.ResumeAppRequest;
import org.vheap.proto.v1.SuspendAppRequest;
import org.vheap.proto.v1.SuspendAppResponse;

/**
 * {@code /apps/NAME}: one app, where it runs and its checkpoint timeline (parents, forks, sizes, lines written, VM
 * state); and what can be done to it: suspend, resume on a chosen device from a chosen checkpoint (an older one
 * forks), migrate, delete a checkpoint or the app. Quick actions answer with the app's page saying what happened
 * (or the server's refusal); long ones (migrate, export, collect) run as jobs ({@link AppJobs}).
 */
final class AppPage {
    void routes(RoutesConfig routes) {
        routes.get("/apps/{app}", this::show);
        routes.post("/apps/{app}/suspend", this::suspend);
        routes.post("/apps/{app}/resume", this::resume);
        routes.post("/apps/{app}/delete", this::deleteApp);
        routes.post("/apps/{app}/checkpoints/{id}/delete", this::deleteCheckpoint);
    }

    static String appPath(String app) {
        return "/apps/" + Html.url(app);
    }

    /** The app as ListApps tells it (there is no call for one app); a refusal (404) when the store has none of that name. */
    static AppInfo app(ConsoleCalls calls, String app) {
        return calls.store().listApps(ListAppsRequest.getDefaultInstance()).getAppsList().stream()
                .filter(a -> a.getApp().equals(app)).findFirst()
                .orElseThrow(() -> new ConsoleRefusal(404, "no app '" + app + "' in this store"));
    }

    private void show(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        List<CheckpointInfo> checkpoints = r.calls().store().listCheckpoints(ListCheckpointsRequest.newBuilder()
                .setApp(app).build()).getCheckpointsList();   // NOT_FOUND for no such app
        AppInfo info = app(r.calls(), app);
        List<DeviceInfo> devices = r.calls().control().listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList();
        String base = appPath(app);
        Page page = r.page("App " + app, "apps");
        String holder = info.hasLease() ? info.getLease().getHolder() : null;
        page.raw("<section class=\"facts\" id=\"lease\">");
        if (holder != null) {
            page.raw("<p>Running on device <a href=\"/devices#").text(holder).raw("\">").text(holder)
                    .raw("</a>; its lease expires ").text(Html.time(info.getLease().getExpiresAt()))
                    .raw(" (fencing token ").raw(Long.toString(info.getLease().getFencingToken())).raw(").</p>");
        } else {
            page.raw("<p>Suspended: no device holds it.</p>");
        }
        page.raw("<p>Line size ").text(Html.bytes(info.getLineSize())).raw("; created ").text(Html.time(info.getCreatedAt()))
                .raw("; ").raw(Integer.toString(checkpoints.size())).raw(" checkpoints.</p></section>");

        page.raw("<section class=\"actions\">");
        if (holder != null) {
            page.raw(page.button(base + "/suspend", "Suspend", null));
            page.raw("<form method=\"post\" class=\"inline\" id=\"migrate\" action=\"").raw(base).raw("/migrate\">")
                    .raw(page.csrfField()).raw("<label>Migrate to ").raw(deviceSelect(devices, holder, "migrate-to"))
                    .raw("</label> <button id=\"migrate-button\">Migrate</button></form>");
        } else {
            page.raw("<form method=\"post\" class=\"inline\" id=\"resume\" action=\"").raw(base).raw("/resume\">")
                    .raw(page.csrfField()).raw("<label>Resume on ").raw(deviceSelect(devices, null, "resume-on"))
                    .raw("</label> <label>from ").raw(checkpointSelect(checkpoints, "checkpoint", "resume-from", true))
                    .raw("</label> <button id=\"resume-button\">Resume</button></form>");
        }
        page.raw("<form method=\"post\" class=\"inline danger\" action=\"").raw(base).raw("/delete\" data-confirm=\"Delete app ")
                .text(app).raw(" and all its checkpoints?\">").raw(page.csrfField())
                .raw("<label><input type=\"checkbox\" name=\"force\" value=\"true\"> even while a device holds it</label> ")
                .raw("<button id=\"delete-app\">Delete app</button></form></section>");

        page.raw("<h2>Checkpoints</h2>");
        if (checkpoints.size() > 1) {
            page.raw("<form method=\"get\" class=\"inline\" id=\"diff\" action=\"").raw(base).raw("/diff\">")
                    .raw("<label>Diff from ").raw(checkpointSelect(checkpoints.subList(1, checkpoints.size()), "from", "diff-from", false))
                    .raw("</label> <label>to ").raw(checkpointSelect(checkpoints, "to", "diff-to", false))
                    .raw("</label> <button id=\"diff-button\">Diff</button></form>");
        }
        page.raw("<table id=\"checkpoints\" class=\"timeline\"><thead><tr><th>Checkpoint</th><th>Parent</th><th>Created</th>"
                + "<th>Device</th><th>Lines</th><th>Size</th><th>Lines written</th><th>VM state</th><th></th></tr></thead><tbody>");
        Set<Long> children = new HashSet<>();
        for (int i = 0; i < checkpoints.size(); i++) {
            CheckpointInfo c = checkpoints.get(i);
            long older = i + 1 < checkpoints.size() ? checkpoints.get(i + 1).getCheckpointId() : 0;
            boolean fork = c.getParentCheckpointId() != 0 && (c.getParentCheckpointId() != older
                    || !children.add(c.getParentCheckpointId()));
            String cp = base + "/checkpoints/" + c.getCheckpointId();
            page.raw("<tr id=\"checkpoint-").raw(Long.toString(c.getCheckpointId())).raw("\"").raw(fork ? " class=\"fork\"" : "")
                    .raw("><td><a href=\"").raw(cp).raw("/heap\">").raw(Long.toString(c.getCheckpointId())).raw("</a>")
                    .raw(i == 0 ? " <span class=\"tag\">newest</span>" : "").raw(fork ? " <span class=\"tag\">fork</span>" : "")
                    .raw("</td><td>").raw(c.getParentCheckpointId() == 0 ? "" : Long.toString(c.getParentCheckpointId()))
                    .raw("</td><td>").text(Html.time(c.getCreatedAt())).raw("</td><td>").text(c.getDevice())
                    .raw("</td><td>").raw(Long.toString(c.getLineCount())).raw("</td><td>").text(Html.bytes(c.getSizeBytes()))
                    .raw("</td><td>").raw(Long.toString(c.getLinesWritten())).raw("</td><td>").text(Html.bytes(c.getVmStateBytes()))
                    .raw("</td><td class=\"row-actions\"><a href=\"").raw(cp).raw("/heap\">heap</a> ");
            if (c.getParentCheckpointId() != 0) {
                page.raw("<a href=\"").raw(base).raw("/diff?from=").raw(Long.toString(c.getParentCheckpointId()))
                        .raw("&amp;to=").raw(Long.toString(c.getCheckpointId())).raw("\">diff</a> ");
            }
            page.raw(page.button(cp + "/export", "Export", null))
                    .raw(page.button(cp + "/collect", "Collect", null))
                    .raw(page.button(cp + "/collect", "Compact", null, "compact", "true"))
                    .raw(page.button(cp + "/delete", "Delete", "Delete checkpoint " + c.getCheckpointId() + "?"))
                    .raw("</td></tr>");
        }
        page.raw("</tbody></table>");
        ctx.html(page.finish());
    }

    private static String deviceSelect(List<DeviceInfo> devices, String except, String id) {
        StringBuilder b = new StringBuilder("<select name=\"device\" id=\"").append(id).append("\" required>");
        for (DeviceInfo d : devices) {
            if (!d.getDevice().equals(except)) {
                b.append("<option>").append(Html.text(d.getDevice())).append("</option>");
            }
        }
        return b.append("</select>").toString();
    }

    private static String checkpointSelect(List<CheckpointInfo> checkpoints, String name, String id, boolean newest) {
        StringBuilder b = new StringBuilder("<select name=\"").append(name).append("\" id=\"").append(id).append("\">");
        if (newest) {
            b.append("<option value=\"0\">the newest</option>");
        }
        for (CheckpointInfo c : checkpoints) {
            b.append("<option value=\"").append(c.getCheckpointId()).append("\">").append(c.getCheckpointId())
                    .append(" (").append(Html.text(Html.time(c.getCreatedAt()))).append(")</option>");
        }
        return b.append("</select>").toString();
    }

    private void suspend(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        SuspendAppResponse s = r.calls().control().suspendApp(SuspendAppRequest.newBuilder().setApp(app).build());
        r.session().flash("suspended app '" + app + "' on device '" + s.getDevice() + "': checkpoint " + s.getCheckpointId(), false);
        ctx.redirect(appPath(app), HttpStatus.SEE_OTHER);
    }

    private void resume(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        String device = ConsoleParams.name(ctx, "device", "the device to resume on (attach one first)");
        long checkpoint = ConsoleParams.checkpoint(ctx.formParam("checkpoint"), true);
        r.calls().control().resumeApp(ResumeAppRequest.newBuilder().setApp(app).setDevice(device)
                .setCheckpointId(checkpoint).build());
        r.session().flash("resumed app '" + app + "' on device '" + device + "' from "
                + (checkpoint == 0 ? "its newest checkpoint" : "checkpoint " + checkpoint), false);
        ctx.redirect(appPath(app), HttpStatus.SEE_OTHER);
    }

    private void deleteApp(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        r.calls().store().deleteApp(DeleteAppRequest.newBuilder().setApp(app)
                .setForce("true".equals(ctx.formParam("force"))).build());
        r.session().flash("deleted app '" + app + "' and its checkpoints", false);
        ctx.redirect("/apps", HttpStatus.SEE_OTHER);
    }

    private void deleteCheckpoint(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        long id = ConsoleParams.checkpoint(ctx.pathParam("id"), false);
        r.calls().store().deleteCheckpoint(DeleteCheckpointRequest.newBuilder().setApp(app).setCheckpointId(id).build());
        r.session().flash("deleted checkpoint " + id + " of app '" + app + "'", false);
        ctx.redirect(appPath(app), HttpStatus.SEE_OTHER);
    }
}
