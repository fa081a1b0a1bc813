package org.vheap.server.cli;

import java.util.concurrent.Callable;
import org.vheap.proto.v1.DeleteAppRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "delete-app", mixinStandardHelpOptions = true, description = "Delete an app's whole heap and its checkpoints.")
final class DeleteAppCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;


    @Option(names = "--app", required = true, paramLabel = "NAME")
    String app;

    @Option(names = "--force", description = "also while a device holds the app's lease")
    boolean force;

    @Override
    public Integer call() {
        return target.call(app, stub -> {
            stub.deleteApp(DeleteAppRequest.newBuilder().setApp(app).setForce(force).build());
            target.out().println("deleted app '" + app + "'");
            return 0;
        });
    }
}
