package org.vheap.server.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vheap.cli.SizeFormat;
import org.vheap.proto.v1.ClassHistogramRow;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.HistogramQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "histogram", mixinStandardHelpOptions = true, description = "Reachable instances and their bytes per"
        + " class, most bytes first (objects reachable from the checkpoint's roots; garbage not yet collected is left out);"
        + " with --retained, what each class keeps alive.")
final class InspectHistogramCommand implements Callable<Integer> {
    @ParentCommand
    InspectCommand inspect;

    @Mixin
    StoreTarget target;

    @Option(names = "--top", defaultValue = "30", paramLabel = "K", description = "the K classes of most bytes"
            + " (default ${DEFAULT-VALUE}; 0: every class)")
    int top;

    @Option(names = "--retained", description = "also each class's retained bytes: what freeing its instances would"
            + " free at least (from the dominator tree; slower on a big heap), ordered by them")
    boolean retained;

    @Option(names = "--json", description = "print the answer as JSON (vheap.v1.HeapInspection's fields) for tools")
    boolean json;

    @Override
    public Integer call() {
        if (top < 0) {
            throw new IllegalArgumentException("--top " + top + ": give a count of classes, or 0 for every class");
        }
        HeapInspection a = inspect.ask(target, q -> q.setHistogram(HistogramQuery.newBuilder().setTop(top)
                .setRetained(retained)));
        PrintWriter out = target.out();
        if (json) {
            out.println(InspectCommand.json(a));
            return 0;
        }
        out.printf(Locale.ROOT, "%14s %12s%s  %s%n", "instances", "bytes", retained ? String.format(Locale.ROOT, " %12s",
                "retained") : "", "class");
        for (ClassHistogramRow r : a.getHistogramList()) {
            out.printf(Locale.ROOT, "%,14d %12s%s  %s%n", r.getInstances(), SizeFormat.bytes(r.getBytes()),
                    retained ? String.format(Locale.ROOT, " %12s", SizeFormat.bytes(r.getRetainedBytes())) : "",
                    r.getClassName());
        }
        if (a.getHistogramCount() < a.getClasses()) {
            out.println("(" + (a.getClasses() - a.getHistogramCount()) + " more classes: --top 0 shows every one)");
        }
        out.println(InspectCommand.totals(a) + " in " + a.getClasses() + " classes");
        return 0;
    }
}
