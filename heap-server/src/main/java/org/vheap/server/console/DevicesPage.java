package org.vheap.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.vheap.proto.v1.DeviceInfo;
import org.vheap.proto.v1.ListDevicesRequest;

/** {@code /devices}: the devices attached to this server now, their memory, resources and the apps they run. */
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
                + "<th>Resources</th><th>Apps running</th><th>Attached since</th></tr></thead><tbody>");
        for (DeviceInfo d : devices) {
            page.raw("<tr id=\"").text(d.getDevice()).raw("\"><td>").text(d.getDevice()).raw("</td><td data-value=\"")
                    .raw(Long.toString(d.getMemoryBytes())).raw("\">").text(Html.bytes(d.getMemoryBytes())).raw("</td><td>")
                    .text(String.join(", ", d.getResourcesList())).raw("</td><td>");
            for (String app : d.getAppsRunningList()) {
                page.raw("<a href=\"").raw(AppPage.appPath(app)).raw("\">").text(app).raw("</a> ");
            }
            page.raw("</td><td>").text(Html.time(d.getConnectedSince())).raw("</td></tr>");
        }
        ctx.html(page.raw("</tbody></table>").finish());
    }
}
