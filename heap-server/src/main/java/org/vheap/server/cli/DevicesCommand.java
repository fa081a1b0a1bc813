package org.vheap.server.cli;

import java.util.concurrent.Callable;
import org.vheap.cli.SizeFormat;
import org.vheap.cli.TextTable;
import org.vheap.cli.TimestampFormat;
import org.vheap.proto.v1.DeviceInfo;
import org.vheap.proto.v1.ListDevicesRequest;
import org.vheap.proto.v1.ListDevicesResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the devices attached to a heap server, with their memory, resources and running apps.")
final class DevicesCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;


    @Override
    public Integer call() {
        return target.control(stub -> {
            ListDevicesResponse r = stub.listDevices(ListDevicesRequest.getDefaultInstance());
            if (r.getDevicesCount() == 0) {
                target.out().println("no devices attached to " + target.server);
                return 0;
            }
            TextTable t = new TextTable("DEVICE", "MEMORY", "RESOURCES", "APPS", "CONNECTED SINCE");
            for (DeviceInfo d : r.getDevicesList()) {
                t.row(d.getDevice(), SizeFormat.bytes(d.getMemoryBytes()), list(d.getResourcesList()),
                        list(d.getAppsRunningList()), TimestampFormat.seconds(d.getConnectedSince()));
            }
            t.print(target.out());
            return 0;
        });
    }

    private static String list(java.util.List<String> items) {
        return items.isEmpty() ? "-" : String.join(",", items);
    }
}
