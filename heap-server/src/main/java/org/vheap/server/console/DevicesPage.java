package org.vheap.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.vheap.proto.v1.AppReport;
import org.vheap.proto.v1.DeviceInfo;
import org.vheap.proto.v1.ListDevicesRequest;

/**
 * {@code /devices}: the devices attached to this server now (memory and how much of it holds lines, resources, the
 * apps they run, when they attached and were last heard from) and, from each device's last report, how its apps
 * run: faults, lines fetched and flushed, collections and their pauses, heap in use, memory held, the newest
 * checkpoint, its age and how many checkpoints a flash in front holds that the server does not have yet.
 */
final class DevicesPage {
    void routes(RoutesConfig routes) {
        routes.get("/devices", this::show);
    }

    private void show(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        var devices = r.calls().control().listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList();
        Page page = r.page("Devices", "devices");
        page.raw("<p>").text(devices.size() + (devices.size() == 1 ? " device" : " devices"))
                .raw(" attached to this server (a device attaches with <code>./vheap device start --server ...</code>).</p>");
        page.raw("<table id=\"devices\" class=\"sortable\"><thead><tr><th>Device</th><th data-type=\"number\">Memory</th>"
                + "<th data-type=\"number\">Holding lines</th><th>Resources</th><th>Apps running</th><th>Attached since</th>"
                + "<th>Last heard from</th></tr></thead><tbody>");
        for (DeviceInfo d : devices) {
            long used = d.getReport().getMemoryBytesUsed();
            page.raw("<tr id=\"").text(d.getDevice()).raw("\"><td>").text(d.getDevice()).raw("</td><td data-value=\"")
                    .raw(Long.toString(d.getMemoryBytes())).raw("\">").text(Html.bytes(d.getMemoryBytes())).raw("</td><td data-value=\"")
                    .raw(Long.toString(used)).raw("\">").text(d.hasReport() ? Html.bytes(used) : "no report yet").raw("</td><td>")
                    .text(String.join(", ", d.getResourcesList())).raw("</td><td>");
            for (String app : d.getAppsRunningList()) {
                page.raw("<a href=\"").raw(AppPage.appPath(app)).raw("\">").text(app).raw("</a> ");
            }
            page.raw("</td><td>").text(Html.time(d.getConnectedSince())).raw("</td><td>").text(Html.time(d.getLastSeen()))
                    .raw("</td></tr>");
        }
        page.raw("</tbody></table><h2>Apps on the devices</h2><p class=\"hint\">From each device's last report (every few"
                + " seconds); counters run from the app's start or resume on that device.</p>");
        page.raw("<table id=\"device-apps\" class=\"sortable\"><thead><tr><th>Device</th><th>App</th>"
                + "<th data-type=\"number\">Faults</th><th data-type=\"number\">Lines fetched</th>"
                + "<th data-type=\"number\">Lines flushed</th><th data-type=\"number\">Collections</th>"
                + "<th data-type=\"number\">Pauses (ms, total / longest)</th><th data-type=\"number\">Heap in use</th>"
                + "<th data-type=\"number\">Memory held</th><th data-type=\"number\">Newest checkpoint</th>"
                + "<th data-type=\"number\">Its age (s)</th><th data-type=\"number\">Not on the server yet</th></tr></thead><tbody>");
        for (DeviceInfo d : devices) {
            for (AppReport a : d.getReport().getAppsList()) {
                page.raw("<tr data-device-app=\"").text(d.getDevice() + "/" + a.getApp()).raw("\"><td>").text(d.getDevice())
                        .raw("</td><td><a href=\"").raw(AppPage.appPath(a.getApp())).raw("\">").text(a.getApp()).raw("</a></td>");
                number(page, a.getFaults(), Long.toString(a.getFaults()));
                number(page, a.getLinesFetched(), Long.toString(a.getLinesFetched()));
                number(page, a.getLinesFlushed(), Long.toString(a.getLinesFlushed()));
                number(page, a.getCollections(), Long.toString(a.getCollections()));
                number(page, a.getPauseNanosTotal(), String.format("%.1f / %.1f", a.getPauseNanosTotal() / 1e6,
                        a.getPauseNanosMax() / 1e6));
                number(page, a.getHeapBytesUsed(), Html.bytes(a.getHeapBytesUsed()));
                number(page, a.getResidentBytes(), Html.bytes(a.getResidentBytes()));
                number(page, a.getLastCheckpointId(), a.getLastCheckpointId() == 0 ? "none" : Long.toString(a.getLastCheckpointId()));
                number(page, a.getCheckpointAgeMillis(), String.format("%.1f", a.getCheckpointAgeMillis() / 1e3));
                number(page, a.getCheckpointsBehind(), Integer.toString(a.getCheckpointsBehind()));
                page.raw("</tr>");
            }
        }
        ctx.html(page.raw("</tbody></table>").finish());
    }

    private static void number(Page page, long value, String shown) {
        page.raw("<td data-value=\"").raw(Long.toString(value)).raw("\">").text(shown).raw("</td>");
    }
}
