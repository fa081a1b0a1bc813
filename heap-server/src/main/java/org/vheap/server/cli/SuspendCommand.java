package org.vheap.server.cli;

import java.util.concurrent.Callable;
import org.vheap.proto.v1.SuspendAppRequest;
import org.vheap.proto.v1.SuspendAppResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "suspend", mixinStandardHelpOptions = true,
        description = "Suspend an app on the device running it: it commits a checkpoint, stops and releases the heap.")
final class SuspendCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;


    @Option(names = "--app", required = true, paramLabel = "NAME")
    String app;

    @Override
    public Integer call() {
        return target.control(stub -> {
            SuspendAppResponse r = stub.suspendApp(SuspendAppRequest.newBuilder().setApp(app).build());
            target.out().println("suspended app '" + app + "' on device '" + r.getDevice()
                    + "' at checkpoint " + r.getCheckpointId());
            return 0;
        });
    }
}
