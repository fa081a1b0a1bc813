package org.vheap.server.cli;

import java.util.concurrent.Callable;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.ObjectsQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "objects", mixinStandardHelpOptions = true, description = "The reachable objects of one class, in"
        + " address order: their addresses (for inspect object and inspect path), sizes, and a string's text or an"
        + " array's length.")
final class InspectObjectsCommand implements Callable<Integer> {
    @ParentCommand
    InspectCommand inspect;

    @Mixin
    StoreTarget target;

    @Option(names = "--class", required = true, paramLabel = "CLASS", description = "the class: java.util.HashMap,"
            + " Main$Node, int[] (or an internal name)")
    String className;

    @Option(names = "--limit", defaultValue = "100", paramLabel = "L", description = "list at most L (default"
            + " ${DEFAULT-VALUE}, at most 10000)")
    int limit;

    @Option(names = "--json", description = "print the answer as JSON (vheap.v1.HeapInspection's fields) for tools")
    boolean json;

    @Override
    public Integer call() {
        InspectStringsCommand.checkLimit(limit);
        HeapInspection a = inspect.ask(target, q -> q.setObjects(ObjectsQuery.newBuilder().setClassName(className)
                .setLimit(limit)));
        InspectStringsCommand.print(target.out(), a, json, "objects of " + className);
        return 0;
    }
}
