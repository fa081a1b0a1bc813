package org.vheap.server.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vheap.cli.SizeFormat;
import org.vheap.proto.v1.CollectHeapRequest;
import org.vheap.proto.v1.CollectHeapResponse;
import org.vheap.proto.v1.CollectedHeap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gc", mixinStandardHelpOptions = true, description = {
        "Collect a suspended app's heap on the server, with no device: keep what its checkpoint's roots reach, delete the"
                + " lines nothing reachable lies in, and with --compact move the reachable objects together (breadth"
                + " first from the roots) so that what is reached together shares lines. Writes a new checkpoint, the"
                + " app's newest (a fork when --checkpoint names an older one); the old ones stay. Refused while a"
                + " device holds the app. Needs the admin token."})
final class GcCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;

    @Option(names = "--app", required = true, paramLabel = "NAME", description = "the app")
    String app;

    @Option(names = "--checkpoint", defaultValue = "0", paramLabel = "ID",
            description = "the checkpoint to collect (default: the newest; see ./vheap checkpoints)")
    long checkpoint;

    @Option(names = "--compact", description = "move the reachable objects together, breadth first from the roots")
    boolean compact;

    @Option(names = "--json", description = "print what it made as JSON (vheap.v1.CollectedHeap's fields) for tools")
    boolean json;

    @Override
    public Integer call() {
        CheckpointsCommand.requireId(app, checkpoint);
        CollectedHeap c = target.heapTool(app, "gc", stub -> stub.collectHeap(CollectHeapRequest.newBuilder().setApp(app)
                .setCheckpointId(checkpoint).setCompact(compact).build()), r -> r.hasDone() ? null : r.getProgress(),
                CollectHeapResponse::getDone);
        PrintWriter out = target.out();
        if (json) {
            out.println(InspectCommand.json(c));
            return 0;
        }
        out.printf(Locale.ROOT, "collected checkpoint %d of app '%s'%s into checkpoint %d%s%n", c.getFromCheckpointId(), app,
                compact ? " and compacted it" : "", c.getCheckpoint().getCheckpointId(), c.getForked()
                        ? " (a fork: checkpoint " + c.getFromCheckpointId() + " was not the newest)" : "");
        out.printf(Locale.ROOT, "  %,d reachable objects (%s) kept, %s freed%s%n", c.getObjects(),
                SizeFormat.bytes(c.getLiveBytes()), SizeFormat.bytes(c.getFreedBytes()),
                compact ? String.format(Locale.ROOT, ", %,d moved", c.getMovedObjects()) : "");
        out.printf(Locale.ROOT, "  lines: %,d before, %,d after (%,d written, %,d deleted); allocation pointer 0x%x -> 0x%x%n",
                c.getLinesBefore(), c.getCheckpoint().getLineCount(), c.getLinesWritten(), c.getLinesDeleted(),
                c.getTopBefore(), c.getTopAfter());
        return 0;
    }
}
