package org.vheap.server.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.vheap.cli.SizeFormat;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.InspectHeapRequest;
import org.vheap.proto.v1.InspectHeapResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code ./vheap inspect --app A [--checkpoint N] WHAT}: a look inside a committed checkpoint with no device, from the
 * heap server. {@code --app} and {@code --checkpoint} may come before or after {@code WHAT}.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, subcommands = {InspectSummaryCommand.class,
        InspectHistogramCommand.class, InspectObjectsCommand.class, InspectObjectCommand.class, InspectPathCommand.class,
        InspectStringsCommand.class, InspectDiffCommand.class},
        description = "Look inside an app's committed checkpoint with no device running it (a suspended app, or a"
                + " checkpoint of one that runs). Needs the admin token.")
final class InspectCommand implements Callable<Integer> {
    @Option(names = "--app", required = true, paramLabel = "NAME", scope = ScopeType.INHERIT, description = "the app")
    String app;

    @Option(names = "--checkpoint", defaultValue = "0", paramLabel = "ID", scope = ScopeType.INHERIT,
            description = "the checkpoint (default: the newest; see ./vheap checkpoints)")
    long checkpoint;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "say what to inspect: summary, histogram, objects, object,"
                + " path, strings or diff");
    }

    /**
     * Asks the server one InspectHeap question about the checkpoint, for {@code target}'s command, showing the
     * server's progress (reading the checkpoint, walking it) on a terminal; returns the answer.
     */
    HeapInspection ask(StoreTarget target, Consumer<InspectHeapRequest.Builder> question) {
        CheckpointsCommand.requireId(app, checkpoint);
        InspectHeapRequest.Builder request = InspectHeapRequest.newBuilder().setApp(app).setCheckpointId(checkpoint);
        question.accept(request);
        return target.heapTool(app, "inspect", stub -> stub.inspectHeap(request.build()),
                r -> r.hasDone() ? null : r.getProgress(), InspectHeapResponse::getDone);
    }

    /** An answer as JSON (the message's fields, every one printed), for tools. */
    static String json(com.google.protobuf.MessageOrBuilder answer) {
        try {
            return JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(answer);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A string for a table: control characters escaped, cut at {@code max} characters. */
    static String shown(String s, int max) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '"' ? "\\\"" : c < 0x20 || c == 0x7F
                    ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
        return i < s.length() ? b + "…" : b.toString();
    }

    /** An object address as the user gave it: 0x and hex digits, an object start in the user heap. */
    static long address(String text) {
        return org.vheap.format.ObjectLayout.address(org.vheap.format.HeapObjects.parseAddress(text));
    }

    /** What the walk found, as the last line of a table. */
    static String totals(HeapInspection a) {
        return String.format(Locale.ROOT, "checkpoint %d: %,d reachable objects, %s%s%s", a.getCheckpoint().getCheckpointId(),
                a.getObjects(), SizeFormat.bytes(a.getLiveBytes()),
                a.getBrokenReferences() == 0 ? "" : String.format(Locale.ROOT, "; %,d BROKEN references (see ./vheap verify)",
                        a.getBrokenReferences()),
                a.getConservativeStacks() ? "; stack roots guessed (the checkpoint predates frame maps)" : "");
    }
}
