package org.vheap.server.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vheap.cli.SizeFormat;
import org.vheap.proto.v1.FieldValue;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.ObjectQuery;
import org.vheap.proto.v1.ObjectSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "object", mixinStandardHelpOptions = true, description = "One object: its class and size, its fields"
        + " by name with their values (references as addresses with their class, strings with their text), a class"
        + " mirror's statics, an array's length and first elements.")
final class InspectObjectCommand implements Callable<Integer> {
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
        HeapInspection a = inspect.ask(target, q -> q.setObject(ObjectQuery.newBuilder().setAddress(at)));
        PrintWriter out = target.out();
        if (json) {
            out.println(InspectCommand.json(a));
            return 0;
        }
        ObjectSummary o = a.getObject().getObject();
        out.printf(Locale.ROOT, "0x%x %s, %s%s%s%s%n", o.getAddress(), o.getClassName(), SizeFormat.bytes(o.getBytes()),
                o.getArrayLength() >= 0 ? ", length " + o.getArrayLength() : "",
                o.getText().isEmpty() ? "" : ": \"" + InspectCommand.shown(o.getText(), 200) + "\"",
                a.getObject().getReachable() ? "" : " (UNREACHABLE: dead bytes no collection has reused yet)");
        for (FieldValue f : a.getObject().getFieldsList()) {
            out.println("  " + f.getName() + " = " + f.getValue());
        }
        if (o.getArrayLength() > a.getObject().getFieldsCount()) {
            out.println("  ... " + (o.getArrayLength() - a.getObject().getFieldsCount()) + " more elements");
        }
        return 0;
    }
}
