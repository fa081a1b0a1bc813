package org.vheap.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.PathQuery;
import org.vheap.proto.v1.PathStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "path", mixinStandardHelpOptions = true, description = "The shortest path to an object from a root"
        + " (a class's statics, a thread's frame, an interned string, ...): what keeps it alive.")
final class InspectPathCommand implements Callable<Integer> {
    @ParentCommand
    InspectCommand inspect;

    @Mixin
    StoreTarget target;

    @Parameters(paramLabel = "ADDRESS", description = "the object's address, 0x and hex digits (from inspect objects)")
    String address;

    @Option(names = "--json", description = "print the answer as JSON (vheap.v1.HeapInspection's fields) for tools")
    boolean json;

    @Override
    public Integer call() {
        long at = InspectCommand.address(address);
        HeapInspection a = inspect.ask(target, q -> q.setPath(PathQuery.newBuilder().setAddress(at)));
        PrintWriter out = target.out();
        if (json) {
            out.println(InspectCommand.json(a));
            return 0;
        }
        if (a.getPathCount() == 0) {
            out.println("0x" + Long.toHexString(at) + " is unreachable: no root leads to it (a collection would free it)");
            return 0;
        }
        PathStep root = a.getPath(0);
        out.println("root: " + root.getRootKind() + " " + root.getRootHolder());
        for (PathStep s : a.getPathList()) {
            out.printf("  %s0x%x %s%n", s.getVia().isEmpty() ? "" : "." + s.getVia() + " -> ", s.getAddress(), s.getClassName());
        }
        return 0;
    }
}
