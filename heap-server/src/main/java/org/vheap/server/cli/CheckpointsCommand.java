package org.vheap.server.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.vheap.cli.SizeFormat;
import org.vheap.cli.TextTable;
import org.vheap.cli.TimestampFormat;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.ListCheckpointsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "checkpoints", mixinStandardHelpOptions = true, description = "List an app's retained checkpoints, newest first.")
final class CheckpointsCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;


    @Option(names = "--app", required = true, paramLabel = "NAME", description = "the app")
    String app;

    @Override
    public Integer call() {
        return target.call(app, stub -> {
            ListCheckpointsResponse r = stub
                    .listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app).build());
            if (r.getCheckpointsCount() == 0) {
                target.out().println("app '" + app + "' has no checkpoints");
                return 0;
            }
            table(r.getCheckpointsList()).print(target.out());
            return 0;
        });
    }

    /**
     * Checks a {@code --checkpoint ID} of {@code app} (resume, migrate): 0, the commands' default, or an id this
     * command lists; a negative one is bad usage.
     */
    static void requireId(String app, long checkpoint) {
        if (checkpoint < 0) {
            throw new IllegalArgumentException("--checkpoint must be a checkpoint id (see: ./vheap checkpoints --app "
                    + app + "), got " + checkpoint);
        }
    }

    /**
     * The checkpoints as this command prints them (also used by the demo); PINNED UNTIL: kept beyond --retain
     * until then for its device's copies of the lines (the server's --copy-pin).
     */
    static TextTable table(List<CheckpointInfo> checkpoints) {
        TextTable t = new TextTable("ID", "PARENT", "TIME", "DEVICE", "LINES", "SIZE", "WRITTEN", "VM STATE",
                "PINNED UNTIL");
        for (CheckpointInfo c : checkpoints) {
            t.row(c.getCheckpointId(), c.getParentCheckpointId() == 0 ? "-" : c.getParentCheckpointId(),
                    TimestampFormat.seconds(c.getCreatedAt()), c.getDevice(), c.getLineCount(), SizeFormat.bytes(c.getSizeBytes()),
                    c.getLinesWritten(), SizeFormat.bytes(c.getVmStateBytes()),
                    c.hasPinnedUntil() ? TimestampFormat.seconds(c.getPinnedUntil()) : "-");
        }
        return t;
    }
}
