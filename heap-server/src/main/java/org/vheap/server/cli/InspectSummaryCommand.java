package org.vheap.server.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vheap.cli.SizeFormat;
import org.vheap.cli.TimestampFormat;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.GetHeapSummaryRequest;
import org.vheap.proto.v1.HeapSummary;
import org.vheap.proto.v1.StackFrame;
import org.vheap.proto.v1.ThreadSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "summary", mixinStandardHelpOptions = true, description = "A checkpoint's heap (lines, bytes, the"
        + " allocator), its VM (classes, interned strings, monitors, system blobs) and its threads with their stacks.")
final class InspectSummaryCommand implements Callable<Integer> {
    @ParentCommand
    InspectCommand inspect;

    @Mixin
    StoreTarget target;

    @Option(names = "--json", description = "print the summary as JSON (vheap.v1.HeapSummary's fields) for tools")
    boolean json;

    @Override
    public Integer call() throws InvalidProtocolBufferException {
        CheckpointsCommand.requireId(inspect.app, inspect.checkpoint);
        HeapSummary s = target.call(inspect.app, stub -> stub.getHeapSummary(GetHeapSummaryRequest.newBuilder()
                .setApp(inspect.app).setCheckpointId(inspect.checkpoint).build()));
        PrintWriter out = target.out();
        if (json) {
            out.println(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(s));
            return 0;
        }
        CheckpointInfo cp = s.getCheckpoint();
        out.println("app '" + s.getApp() + "', checkpoint " + cp.getCheckpointId()
                + (cp.getParentCheckpointId() == 0 ? "" : " (parent " + cp.getParentCheckpointId() + ")")
                + ", committed " + TimestampFormat.seconds(cp.getCreatedAt()) + " by " + cp.getDevice());
        out.println("heap: " + cp.getLineCount() + " lines of " + s.getLineSize() + " bytes ("
                + SizeFormat.bytes(cp.getSizeBytes()) + "), VM state " + SizeFormat.bytes(cp.getVmStateBytes()));
        if (!s.getDeviceState()) {
            out.println("its VM state is not a device VM's (a store client of its own wrote it): nothing more to say");
            return 0;
        }
        out.println("allocator: " + SizeFormat.bytes(s.getAllocatedBytes()) + " allocated, "
                + SizeFormat.bytes(s.getBytesInUse()) + " in use, " + SizeFormat.bytes(s.getLiveAfterLastCollection())
                + " live after the last collection, peak " + SizeFormat.bytes(s.getPeakHeapBytes()));
        out.printf(Locale.ROOT, "VM: %,d bytecodes run, %d collections%n", s.getBytecodes(), s.getCollections());
        out.println("classes: " + s.getClasses() + " (" + s.getAppClasses() + " from the app's class path, "
                + s.getHiddenClasses() + " hidden), " + s.getInitializedClasses() + " initialized; system blobs needed: "
                + s.getSystemBlobs());
        out.println("roots: the statics of " + s.getMirrors() + " class mirrors, " + s.getInternedStrings()
                + " interned strings, the frames of " + s.getThreadsCount() + " threads; monitors in use: "
                + s.getMonitorsInUse());
        for (ThreadSummary t : s.getThreadsList()) {
            out.println("thread " + t.getId() + " '" + t.getName() + "' " + t.getState() + (t.getDaemon() ? " (daemon)" : ""));
            for (StackFrame f : t.getStackList()) {
                out.println("    at " + f.getClassName().replace('/', '.') + "." + f.getMethod() + f.getMethodDescriptor()
                        + (f.getLine() > 0 ? " line " + f.getLine() : "") + (f.getInitializing().isEmpty() ? "" : " (initializing " + f.getInitializing() + ")"));
            }
        }
        return 0;
    }
}
