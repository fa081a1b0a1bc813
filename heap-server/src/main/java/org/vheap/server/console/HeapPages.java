package org.vheap.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Iterator;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.ClassDiffRow;
import org.vheap.proto.v1.ClassHistogramRow;
import org.vheap.proto.v1.DiffQuery;
import org.vheap.proto.v1.FieldValue;
import org.vheap.proto.v1.GetHeapSummaryRequest;
import org.vheap.proto.v1.HeapDiff;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.HeapSummary;
import org.vheap.proto.v1.HistogramQuery;
import org.vheap.proto.v1.InspectHeapRequest;
import org.vheap.proto.v1.InspectHeapResponse;
import org.vheap.proto.v1.ObjectQuery;
import org.vheap.proto.v1.ObjectSummary;
import org.vheap.proto.v1.ObjectsQuery;
import org.vheap.proto.v1.PathQuery;
import org.vheap.proto.v1.PathStep;
import org.vheap.proto.v1.StackFrame;
import org.vheap.proto.v1.StringsQuery;
import org.vheap.proto.v1.ThreadSummary;

/**
 * A look inside one checkpoint's heap with no device, through the server's InspectHeap and GetHeapSummary:
 * {@code /apps/A/checkpoints/N/heap} (the summary, threads and their stacks, the class histogram with retained
 * sizes), {@code .../objects?class=C} (a class's objects), {@code .../objects/ADDR} (one object: its fields, each
 * reference a link, and its path from a root), {@code .../strings?grep=R}, and {@code /apps/A/diff?from=N&to=M}.
 */
final class HeapPages {
    private static final int HISTOGRAM_TOP = 60;
    /** The objects or strings a list shows at most. */
    private static final int LISTED = 200;

    void routes(RoutesConfig routes) {
        routes.get("/apps/{app}/checkpoints/{id}/heap", this::heap);
        routes.get("/apps/{app}/checkpoints/{id}/objects", this::objects);
        routes.get("/apps/{app}/checkpoints/{id}/objects/{address}", this::object);
        routes.get("/apps/{app}/checkpoints/{id}/strings", this::strings);
        routes.get("/apps/{app}/diff", this::diff);
    }

    private static HeapInspection inspect(ConsoleRequest r, String app, long checkpoint, InspectHeapRequest.Builder q) {
        Iterator<InspectHeapResponse> responses = r.calls().store().withInterceptors(VheapHeaders.forApp(app))
                .inspectHeap(q.setApp(app).setCheckpointId(checkpoint).build());
        HeapInspection done = null;
        while (responses.hasNext()) {   // drained: an error after progress surfaces here
            InspectHeapResponse x = responses.next();
            if (x.hasDone()) {
                done = x.getDone();
            }
        }
        if (done == null) {
            throw new IllegalStateException("the server ended InspectHeap without an answer");
        }
        return done;
    }

    private static String base(String app, long checkpoint) {
        return AppPage.appPath(app) + "/checkpoints/" + checkpoint;
    }

    private static String objectLink(String app, long checkpoint, long address, String label) {
        return "<a class=\"ref\" href=\"" + base(app, checkpoint) + "/objects/" + Html.address(address) + "\">"
                + Html.text(label) + "</a>";
    }

    private void heap(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        long id = ConsoleParams.checkpoint(ctx.pathParam("id"), false);
        HeapSummary s = r.calls().store().withInterceptors(VheapHeaders.forApp(app))
                .getHeapSummary(GetHeapSummaryRequest.newBuilder().setApp(app).setCheckpointId(id).build());
        Page page = r.page("Heap of " + app + " at checkpoint " + id, "apps");
        page.raw("<p><a href=\"").raw(AppPage.appPath(app)).raw("\">").text(app).raw("</a> · made on device ")
                .text(s.getCheckpoint().getDevice()).raw(" at ").text(Html.time(s.getCheckpoint().getCreatedAt())).raw("</p>");
        if (!s.getDeviceState()) {
            page.raw("<p class=\"flash error\">This checkpoint's VM state is not a device VM's: there is no heap to look into.</p>");
            ctx.html(page.finish());
            return;
        }
        page.raw("<dl class=\"facts\" id=\"summary\">");
        fact(page, "Lines", s.getCheckpoint().getLineCount() + " of " + Html.bytes(s.getLineSize()));
        fact(page, "Heap in use", Html.bytes(s.getBytesInUse()) + " (peak " + Html.bytes(s.getPeakHeapBytes()) + ")");
        fact(page, "Classes", s.getClasses() + " (" + s.getAppClasses() + " the app's, " + s.getInitializedClasses() + " initialized)");
        fact(page, "Interned strings", Integer.toString(s.getInternedStrings()));
        fact(page, "Collections", Long.toString(s.getCollections()));
        fact(page, "Bytecodes run", Long.toString(s.getBytecodes()));
        page.raw("</dl>");
        page.raw("<form method=\"get\" class=\"inline\" action=\"").raw(base(app, id)).raw("/strings\">")
                .raw("<label>Strings matching <input name=\"grep\" id=\"grep\" required></label> <button>Find</button></form> ")
                .raw("<form method=\"get\" class=\"inline\" action=\"").raw(base(app, id)).raw("/objects\">")
                .raw("<label>Objects of class <input name=\"class\" id=\"class\" required></label> <button>List</button></form>");
        page.raw("<h2>Threads</h2><div id=\"threads\">");
        for (ThreadSummary t : s.getThreadsList()) {
            page.raw("<details><summary>").text("#" + t.getId() + " '" + t.getName() + "' " + t.getState()
                    + (t.getDaemon() ? " (daemon)" : "")).raw("</summary><ol class=\"stack\">");
            for (StackFrame f : t.getStackList()) {
                page.raw("<li>").text(f.getClassName().replace('/', '.') + "." + f.getMethod()
                        + (f.getLine() > 0 ? ":" + f.getLine() : "")).raw("</li>");
            }
            page.raw("</ol></details>");
        }
        page.raw("</div>");
        HeapInspection h = inspect(r, app, id, InspectHeapRequest.newBuilder()
                .setHistogram(HistogramQuery.newBuilder().setTop(HISTOGRAM_TOP).setRetained(true)));
        page.raw("<h2>Classes</h2><p>").text(h.getObjects() + " reachable objects, " + Html.bytes(h.getLiveBytes())
                + " in " + h.getClasses() + " classes" + (h.getClasses() > h.getHistogramCount() ? "; the "
                + h.getHistogramCount() + " that retain most" : "")).raw("</p>");
        page.raw("<table id=\"histogram\" class=\"sortable\"><thead><tr><th>Class</th><th data-type=\"number\">Instances</th>"
                + "<th data-type=\"number\">Bytes</th><th data-type=\"number\">Retained</th></tr></thead><tbody>");
        for (ClassHistogramRow c : h.getHistogramList()) {
            page.raw("<tr><td><a href=\"").raw(base(app, id)).raw("/objects?class=").raw(Html.url(c.getClassName())).raw("\">")
                    .text(c.getClassName()).raw("</a></td><td data-value=\"").raw(Long.toString(c.getInstances())).raw("\">")
                    .raw(Long.toString(c.getInstances())).raw("</td><td data-value=\"").raw(Long.toString(c.getBytes())).raw("\">")
                    .text(Html.bytes(c.getBytes())).raw("</td><td data-value=\"").raw(Long.toString(c.getRetainedBytes()))
                    .raw("\">").text(Html.bytes(c.getRetainedBytes())).raw("</td></tr>");
        }
        ctx.html(page.raw("</tbody></table>").finish());
    }

    private static void fact(Page page, String name, String value) {
        page.raw("<dt>").text(name).raw("</dt><dd>").text(value).raw("</dd>");
    }

    private void objects(Context ctx) {
        String cls = ConsoleParams.required(ctx, "class", "a class name, such as java.util.HashMap or int[]");
        objectList(ctx, "Objects of " + cls, InspectHeapRequest.newBuilder()
                        .setObjects(ObjectsQuery.newBuilder().setClassName(cls).setLimit(LISTED)),
                h -> h.getMatches() + " reachable, the first " + h.getObjectsFoundCount() + " by address");
    }

    private void strings(Context ctx) {
        String grep = ConsoleParams.required(ctx, "grep", "what the strings must contain (a regular expression)");
        objectList(ctx, "Strings matching " + grep, InspectHeapRequest.newBuilder()
                .setStrings(StringsQuery.newBuilder().setRegex(grep).setLimit(LISTED)), h -> h.getMatches() + " found");
    }

    /** A page listing the objects {@code query} finds in the request's checkpoint, under {@code summary} of the answer. */
    private static void objectList(Context ctx, String title, InspectHeapRequest.Builder query,
                                   java.util.function.Function<HeapInspection, String> summary) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        long id = ConsoleParams.checkpoint(ctx.pathParam("id"), false);
        HeapInspection h = inspect(r, app, id, query);
        Page page = r.page(title, "apps");
        page.raw("<p><a href=\"").raw(base(app, id)).raw("/heap\">Heap of ").text(app).raw(" at checkpoint ")
                .raw(Long.toString(id)).raw("</a> · ").text(summary.apply(h)).raw("</p>");
        objectTable(page, app, id, h);
        ctx.html(page.finish());
    }

    private static void objectTable(Page page, String app, long id, HeapInspection h) {
        page.raw("<table id=\"objects\"><thead><tr><th>Address</th><th>Class</th><th>Bytes</th><th>Text</th></tr></thead><tbody>");
        for (ObjectSummary o : h.getObjectsFoundList()) {
            page.raw("<tr><td>").raw(objectLink(app, id, o.getAddress(), Html.address(o.getAddress()))).raw("</td><td>")
                    .text(o.getClassName() + (o.getArrayLength() >= 0 ? " [" + o.getArrayLength() + "]" : ""))
                    .raw("</td><td>").raw(Long.toString(o.getBytes())).raw("</td><td>").text(o.getText()).raw("</td></tr>");
        }
        page.raw("</tbody></table>");
    }

    private void object(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        long id = ConsoleParams.checkpoint(ctx.pathParam("id"), false);
        long address = ConsoleParams.address(ctx.pathParam("address"));
        HeapInspection h = inspect(r, app, id, InspectHeapRequest.newBuilder()
                .setObject(ObjectQuery.newBuilder().setAddress(address)));
        ObjectSummary o = h.getObject().getObject();
        Page page = r.page(o.getClassName() + " at " + Html.address(address), "apps");
        page.raw("<p><a href=\"").raw(base(app, id)).raw("/heap\">Heap of ").text(app).raw(" at checkpoint ")
                .raw(Long.toString(id)).raw("</a> · ").text(o.getBytes() + " bytes"
                        + (o.getArrayLength() >= 0 ? ", length " + o.getArrayLength() : "")
                        + (o.getText().isEmpty() ? "" : ", \"" + o.getText() + "\"")
                        + (h.getObject().getReachable() ? "" : " · unreachable: dead bytes a collection has not reused yet"))
                .raw("</p><table id=\"fields\"><thead><tr><th>Field</th><th>Type</th><th>Value</th></tr></thead><tbody>");
        for (FieldValue f : h.getObject().getFieldsList()) {
            page.raw("<tr><td>").text(f.getName()).raw("</td><td>").text(f.getTypeDescriptor()).raw("</td><td>")
                    .raw(f.getAddress() != 0 ? objectLink(app, id, f.getAddress(), f.getValue()) : Html.text(f.getValue()))
                    .raw("</td></tr>");
        }
        page.raw("</tbody></table>");
        HeapInspection path = inspect(r, app, id, InspectHeapRequest.newBuilder()
                .setPath(PathQuery.newBuilder().setAddress(address)));
        page.raw("<h2>Path from a root</h2><ol id=\"path\">");
        for (PathStep step : path.getPathList()) {
            page.raw("<li>");
            if (!step.getRootKind().isEmpty()) {
                page.raw("<span class=\"tag\">").text(step.getRootKind()).raw("</span> ").text(step.getRootHolder()).raw(" → ");
            } else {
                page.raw("<code>").text(step.getVia()).raw("</code> → ");
            }
            page.raw(objectLink(app, id, step.getAddress(), step.getClassName() + " " + Html.address(step.getAddress())))
                    .raw("</li>");
        }
        if (path.getPathCount() == 0) {
            page.raw("<li>none: no root reaches it</li>");
        }
        ctx.html(page.raw("</ol>").finish());
    }

    private void diff(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String app = ctx.pathParam("app");
        long from = ConsoleParams.checkpoint(ctx.queryParam("from"), false);
        long to = ConsoleParams.checkpoint(ctx.queryParam("to"), true);
        HeapDiff d = inspect(r, app, to, InspectHeapRequest.newBuilder()
                .setDiff(DiffQuery.newBuilder().setFromCheckpointId(from).setTop(HISTOGRAM_TOP))).getDiff();
        Page page = r.page("Diff of " + app + ": " + from + " → " + (to == 0 ? "newest" : Long.toString(to)), "apps");
        page.raw("<p><a href=\"").raw(AppPage.appPath(app)).raw("\">").text(app).raw("</a></p><dl class=\"facts\" id=\"diff-summary\">");
        fact(page, "Lines", d.getLinesChanged() + " changed, " + d.getLinesAdded() + " added, " + d.getLinesRemoved() + " removed");
        fact(page, "Classes changed", Long.toString(d.getClassesChanged()));
        fact(page, "Threads begun", String.join(", ", d.getThreadsAddedList()));
        fact(page, "Threads ended", String.join(", ", d.getThreadsRemovedList()));
        page.raw("</dl><table id=\"diff-classes\" class=\"sortable\"><thead><tr><th>Class</th><th data-type=\"number\">Added</th>"
                + "<th data-type=\"number\">Bytes added</th><th data-type=\"number\">Removed</th>"
                + "<th data-type=\"number\">Bytes removed</th></tr></thead><tbody>");
        for (ClassDiffRow c : d.getClassesList()) {
            page.raw("<tr><td>").text(c.getClassName()).raw("</td><td>").raw(Long.toString(c.getInstancesAdded()))
                    .raw("</td><td data-value=\"").raw(Long.toString(c.getBytesAdded())).raw("\">").text(Html.bytes(c.getBytesAdded()))
                    .raw("</td><td>").raw(Long.toString(c.getInstancesRemoved())).raw("</td><td data-value=\"")
                    .raw(Long.toString(c.getBytesRemoved())).raw("\">").text(Html.bytes(c.getBytesRemoved())).raw("</td></tr>");
        }
        ctx.html(page.raw("</tbody></table>").finish());
    }
}
