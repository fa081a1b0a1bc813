package org.vheap.server.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vheap.cli.SizeFormat;
import org.vheap.proto.v1.ClassDiffRow;
import org.vheap.proto.v1.DiffQuery;
import org.vheap.proto.v1.HeapDiff;
import org.vheap.proto.v1.HeapInspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "diff", mixinStandardHelpOptions = true, description = "What changed between two checkpoints of the"
        + " app: per class, the reachable objects added and removed with their bytes (an object is the same when the"
        + " same address holds an object of its class and size in both); the lines whose bytes differ; threads begun and ended.")
final class InspectDiffCommand implements Callable<Integer> {
    @ParentCommand
    InspectCommand inspect;

    @Mixin
    StoreTarget target;

    @Option(names = "--from", required = true, paramLabel = "ID", description = "the older checkpoint")
    long from;

    @Option(names = "--to", paramLabel = "ID", description = "the newer checkpoint (default: --checkpoint, the newest)")
    Long to;

    @Option(names = "--top", defaultValue = "30", paramLabel = "K", description = "the K classes of most bytes changed"
            + " (default ${DEFAULT-VALUE}; 0: every class)")
    int top;

    @Option(names = "--json", description = "print the answer as JSON (vheap.v1.HeapInspection's fields) for tools")
    boolean json;

    @Override
    public Integer call() {
        CheckpointsCommand.requireId(inspect.app, from);
        if (from == 0) {
            throw new IllegalArgumentException("--from 0: give the older checkpoint's id (see ./vheap checkpoints)");
        }
        if (top < 0) {
            throw new IllegalArgumentException("--top " + top + ": give a count of classes, or 0 for every class");
        }
        long newer = to == null ? inspect.checkpoint : to;
        CheckpointsCommand.requireId(inspect.app, newer);
        HeapInspection a = inspect.ask(target, q -> q.setCheckpointId(newer)
                .setDiff(DiffQuery.newBuilder().setFromCheckpointId(from).setTop(top)));
        PrintWriter out = target.out();
        if (json) {
            out.println(InspectCommand.json(a));
            return 0;
        }
        HeapDiff d = a.getDiff();
        out.printf(Locale.ROOT, "from checkpoint %d (%,d objects, %s) to checkpoint %d (%,d objects, %s)%n",
                d.getFrom().getCheckpointId(), d.getFromObjects(), SizeFormat.bytes(d.getFromLiveBytes()),
                a.getCheckpoint().getCheckpointId(), a.getObjects(), SizeFormat.bytes(a.getLiveBytes()));
        out.printf(Locale.ROOT, "%12s %12s %12s %12s  %s%n", "added", "bytes", "removed", "bytes", "class");
        for (ClassDiffRow r : d.getClassesList()) {
            out.printf(Locale.ROOT, "%,12d %12s %,12d %12s  %s%n", r.getInstancesAdded(), SizeFormat.bytes(r.getBytesAdded()),
                    r.getInstancesRemoved(), SizeFormat.bytes(r.getBytesRemoved()), r.getClassName());
        }
        if (d.getClassesCount() < d.getClassesChanged()) {
            out.println("(" + (d.getClassesChanged() - d.getClassesCount()) + " more classes changed: --top 0 shows every one)");
        }
        out.printf(Locale.ROOT, "lines: %,d changed, %,d added, %,d removed%n", d.getLinesChanged(), d.getLinesAdded(),
                d.getLinesRemoved());
        out.println("threads: " + (d.getThreadsAddedCount() == 0 ? "none" : String.join(", ", d.getThreadsAddedList()))
                + " begun; " + (d.getThreadsRemovedCount() == 0 ? "none" : String.join(", ", d.getThreadsRemovedList()))
                + " ended");
        return 0;
    }
}
