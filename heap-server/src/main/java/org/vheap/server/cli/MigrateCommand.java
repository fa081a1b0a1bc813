package org.vheap.server.cli;

import java.util.concurrent.Callable;
import org.vheap.proto.v1.MigrateAppRequest;
import org.vheap.proto.v1.MigrateAppResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Move an app to another device: suspend it where it runs (if it runs), resume it on the target.",
                "The target must be attached (see: vheap devices); that is checked before anything is suspended."})
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;


    @Option(names = "--app", required = true, paramLabel = "NAME")
    String app;

    @Option(names = "--to", required = true, paramLabel = "DEVICE", description = "the device to move it to")
    String to;

    @Option(names = "--checkpoint", defaultValue = "0", paramLabel = "ID",
            description = "resume from this checkpoint (default: the one the suspend commits, or the newest)")
    long checkpoint;

    @Override
    public Integer call() {
        CheckpointsCommand.requireId(app, checkpoint);
        return target.control(stub -> {
            MigrateAppResponse r = stub.migrateApp(MigrateAppRequest.newBuilder().setApp(app).setToDevice(to)
                    .setCheckpointId(checkpoint).build());
            if (r.getFromDevice().isEmpty()) {
                target.out().printf("app '%s' was not running: resumed on device '%s' from checkpoint %d"
                        + " (resume %d ms)%n", app, r.getToDevice(), r.getCheckpointId(), r.getResumeMillis());
            } else {
                target.out().printf("migrated app '%s' from device '%s' to device '%s' through checkpoint %d"
                                + " (suspend %d ms, resume %d ms)%n", app, r.getFromDevice(), r.getToDevice(),
                        r.getCheckpointId(), r.getSuspendMillis(), r.getResumeMillis());
            }
            return 0;
        });
    }
}
