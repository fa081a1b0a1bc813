package org.vheap.server.cli;

import java.util.concurrent.Callable;
import org.vheap.proto.v1.ResumeAppRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Resume a suspended app on an attached device, from a checkpoint.")
final class ResumeCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;


    @Option(names = "--app", required = true, paramLabel = "NAME")
    String app;

    @Option(names = "--on", required = true, paramLabel = "DEVICE", description = "the device to run it on")
    String device;

    @Option(names = "--checkpoint", defaultValue = "0", paramLabel = "ID",
            description = "the checkpoint to resume from (default: the newest)")
    long checkpoint;

    @Override
    public Integer call() {
        CheckpointsCommand.requireId(app, checkpoint);
        return target.control(stub -> {
            long start = System.nanoTime();
            stub.resumeApp(ResumeAppRequest.newBuilder().setApp(app).setDevice(device).setCheckpointId(checkpoint).build());
            target.out().printf("resumed app '%s' on device '%s' from %s (%d ms)%n", app, device,
                    checkpoint == 0 ? "its newest checkpoint" : "checkpoint " + checkpoint,
                    (System.nanoTime() - start) / 1_000_000);
            return 0;
        });
    }
}
