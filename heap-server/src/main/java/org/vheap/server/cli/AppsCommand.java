package org.vheap.server.cli;

import java.util.concurrent.Callable;
import org.vheap.cli.SizeFormat;
import org.vheap.cli.TextTable;
import org.vheap.cli.TimestampFormat;
import org.vheap.proto.v1.AppInfo;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ListAppsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "apps", mixinStandardHelpOptions = true, description = "List the apps (virtual heaps) of a heap server.")
final class AppsCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;


    @Override
    public Integer call() {
        return target.call(stub -> {
            ListAppsResponse r = stub.listApps(ListAppsRequest.getDefaultInstance());
            if (r.getAppsCount() == 0) {
                target.out().println("no apps on " + target.server);
                return 0;
            }
            TextTable t = new TextTable("APP", "LINE SIZE", "CHECKPOINTS", "NEWEST", "LINES", "SIZE", "LEASE HOLDER", "TOKEN", "LEASE EXPIRES");
            for (AppInfo a : r.getAppsList()) {
                boolean cp = a.hasNewestCheckpoint();
                t.row(a.getApp(), a.getLineSize(), a.getCheckpointCount(),
                        cp ? a.getNewestCheckpoint().getCheckpointId() : "-",
                        cp ? a.getNewestCheckpoint().getLineCount() : 0,
                        SizeFormat.bytes(cp ? a.getNewestCheckpoint().getSizeBytes() : 0),
                        a.hasLease() ? a.getLease().getHolder() : "-",
                        a.hasLease() ? a.getLease().getFencingToken() : "-",
                        a.hasLease() ? TimestampFormat.seconds(a.getLease().getExpiresAt()) : "-");
            }
            t.print(target.out());
            return 0;
        });
    }
}
