package org.vheap.server.cli;

import java.util.concurrent.Callable;
import org.vheap.proto.v1.DeleteCheckpointRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "delete-checkpoint", mixinStandardHelpOptions = true, description = "Delete one checkpoint of an app.")
final class DeleteCheckpointCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;


    @Option(names = "--app", required = true, paramLabel = "NAME")
    String app;

    @Option(names = "--checkpoint", required = true, paramLabel = "ID")
    long checkpoint;

    @Override
    public Integer call() {
        return target.call(app, stub -> {
            stub.deleteCheckpoint(DeleteCheckpointRequest.newBuilder().setApp(app)
                    .setCheckpointId(checkpoint).build());
            target.out().println("deleted checkpoint " + checkpoint + " of app '" + app + "'");
            return 0;
        });
    }
}
