package org.vheap.server.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import org.vheap.cli.ProgressBar;
import org.vheap.cli.SizeFormat;
import org.vheap.client.HeapImageTransfer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true, description = {
        "Write one checkpoint of an app to a portable heap image file: its lines, its VM state and every system blob it"
                + " needs, compressed, with a checksum per section. `./vheap import` takes it into any store (another"
                + " database too) and the app resumes there exactly. The app may run meanwhile: the checkpoint is read"
                + " from one snapshot. Needs the admin token."})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;

    @Option(names = "--app", required = true, paramLabel = "NAME", description = "the app")
    String app;

    @Option(names = "--checkpoint", defaultValue = "0", paramLabel = "ID",
            description = "the checkpoint (default: the newest; see ./vheap checkpoints)")
    long checkpoint;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "the file to write (replaced only once the export is whole)")
    Path output;

    @Override
    public Integer call() throws IOException {
        CheckpointsCommand.requireId(app, checkpoint);
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("-o " + output + ": no such directory " + dir);
        }
        Path partial = Files.createTempFile(dir, "." + output.getFileName() + ".", ".partial");
        ProgressBar bar = target.progressBar("export");
        try {
            long bytes;
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20)) {
                bytes = target.transfer(ch -> HeapImageTransfer.export(ch, app, checkpoint, out,
                        StoreTarget.shownOn(bar)));
                channel.force(true);   // on disk before it takes the file's name
            }
            bar.done();
            Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            target.out().println("exported " + (checkpoint == 0 ? "the newest checkpoint" : "checkpoint " + checkpoint)
                    + " of app '" + app + "' to " + output + " (" + SizeFormat.bytes(bytes) + ")");
            return 0;
        } catch (UncheckedIOException e) {
            throw new IOException("cannot write " + output + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            bar.done();
            Files.deleteIfExists(partial);
        }
    }
}
