package org.vheap.server.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vheap.cli.SizeFormat;
import org.vheap.proto.v1.HeapProblem;
import org.vheap.proto.v1.HeapVerdict;
import org.vheap.proto.v1.VerifyHeapRequest;
import org.vheap.proto.v1.VerifyHeapResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Check an app's committed checkpoint for damage with no device: its lines, the class files it needs, the heap"
                + " header and class table, every root and every reference of every reachable object, and where objects"
                + " lie. Names what is wrong. Exit code 0: sound; 3: damaged; 1: the check itself failed. Needs the"
                + " admin token."})
final class VerifyCommand implements Callable<Integer> {
    /** The exit code of a damaged heap. */
    static final int DAMAGED = 3;

    @Mixin
    StoreTarget target;

    @Option(names = "--app", required = true, paramLabel = "NAME", description = "the app")
    String app;

    @Option(names = "--checkpoint", defaultValue = "0", paramLabel = "ID",
            description = "the checkpoint (default: the newest; see ./vheap checkpoints)")
    long checkpoint;

    @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "name at most N problems (all are"
            + " counted; default ${DEFAULT-VALUE}, at most 10000)")
    int limit;

    @Option(names = "--json", description = "print the verdict as JSON (vheap.v1.HeapVerdict's fields) for tools")
    boolean json;

    @Override
    public Integer call() {
        CheckpointsCommand.requireId(app, checkpoint);
        InspectStringsCommand.checkLimit(limit);
        HeapVerdict v = target.heapTool(app, "verify", stub -> stub.verifyHeap(VerifyHeapRequest.newBuilder().setApp(app)
                .setCheckpointId(checkpoint).setLimit(limit).build()), r -> r.hasDone() ? null : r.getProgress(),
                VerifyHeapResponse::getDone);
        PrintWriter out = target.out();
        if (json) {
            out.println(InspectCommand.json(v));
        } else {
            out.printf(Locale.ROOT, "app '%s', checkpoint %d: %s (%,d reachable objects, %s, %d roots)%n", app,
                    v.getCheckpoint().getCheckpointId(), v.getSound() ? "sound"
                            : String.format(Locale.ROOT, "DAMAGED, %,d problems", v.getProblemsFound()),
                    v.getObjects(), SizeFormat.bytes(v.getLiveBytes()), v.getRoots());
            for (HeapProblem p : v.getProblemsList()) {
                out.println("  " + p.getKind() + ": " + p.getWhere() + ": " + p.getWhat());
            }
            if (v.getProblemsFound() > v.getProblemsCount()) {
                out.println("  ... " + (v.getProblemsFound() - v.getProblemsCount()) + " more (--limit names more)");
            }
        }
        return v.getSound() ? 0 : DAMAGED;
    }
}
