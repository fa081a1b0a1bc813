package org.vheap.server.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vheap.cli.SizeFormat;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.ObjectSummary;
import org.vheap.proto.v1.StringsQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "strings", mixinStandardHelpOptions = true, description = "The reachable strings in which a regular"
        + " expression is found, in address order, with their addresses.")
final class InspectStringsCommand implements Callable<Integer> {
    /** Characters of a string a table shows. */
    private static final int SHOWN = 100;

    @ParentCommand
    InspectCommand inspect;

    @Mixin
    StoreTarget target;

    @Option(names = "--grep", required = true, paramLabel = "REGEX", description = "a java.util.regex pattern, found"
            + " anywhere in a string ('^item-' for a prefix)")
    String regex;

    @Option(names = "--limit", defaultValue = "100", paramLabel = "L", description = "list at most L (default"
            + " ${DEFAULT-VALUE}, at most 10000)")
    int limit;

    @Option(names = "--json", description = "print the answer as JSON (vheap.v1.HeapInspection's fields) for tools")
    boolean json;

    @Override
    public Integer call() {
        checkLimit(limit);
        HeapInspection a = inspect.ask(target, q -> q.setStrings(StringsQuery.newBuilder().setRegex(regex).setLimit(limit)));
        print(target.out(), a, json, "strings matching " + regex);
        return 0;
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("--limit " + limit + ": give 1 to 10000");
        }
    }

    /** Prints what a search found: a table of objects, then how many matched in all. */
    static void print(PrintWriter out, HeapInspection a, boolean json, String what) {
        if (json) {
            out.println(InspectCommand.json(a));
            return;
        }
        out.printf(Locale.ROOT, "%-14s %10s  %s%n", "address", "bytes", "class");
        for (ObjectSummary o : a.getObjectsFoundList()) {
            String detail = !o.getText().isEmpty() ? "  \"" + InspectCommand.shown(o.getText(), SHOWN) + "\""
                    : o.getArrayLength() >= 0 ? "  length " + o.getArrayLength() : "";
            out.printf(Locale.ROOT, "0x%-12x %10s  %s%s%n", o.getAddress(), SizeFormat.bytes(o.getBytes()),
                    o.getClassName(), detail);
        }
        out.printf(Locale.ROOT, "%,d %s%s%n", a.getMatches(), what, a.getMatches() > a.getObjectsFoundCount()
                ? " (the first " + a.getObjectsFoundCount() + " shown: --limit shows more)" : "");
        out.println(InspectCommand.totals(a));
    }
}
