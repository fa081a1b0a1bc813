package org.vheap.server.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vheap.cli.ProgressBar;
import org.vheap.client.HeapImageTransfer;
import org.vheap.format.HeapImageException;
import org.vheap.format.HeapImageReader;
import org.vheap.proto.v1.ImportedHeap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true, description = {
        "Take a heap image file (from ./vheap export) into this store as an app whose one checkpoint is the file's:"
                + " a device resumes it as it would have resumed the original. All or nothing: a truncated or altered"
                + " file, or a name taken (without --replace), changes nothing. Prints the app's new access token."
                + " Needs the admin token."})
final class ImportCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;

    @Parameters(index = "0", paramLabel = "FILE", description = "the heap image file")
    Path file;

    @Option(names = "--app", defaultValue = "", paramLabel = "NAME",
            description = "the name to import as (default: the app's name in the file)")
    String app;

    @Option(names = "--replace", description = "replace an app of that name (refused while a device holds it)")
    boolean replace;

    /** The app's name in the file's header; "" when the header cannot be read (the server then says why). */
    private String nameInFile() throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
             HeapImageReader reader = new HeapImageReader(in)) {
            return reader.header().app();
        } catch (HeapImageException e) {
            return "";
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        }
    }

    @Override
    public Integer call() throws IOException {
        ProgressBar bar = target.progressBar("import");
        ImportedHeap made;
        String name = app.isEmpty() ? nameInFile() : app;   // named, the call is routed by it (a gateway's)
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            made = target.transfer(ch -> HeapImageTransfer.importFile(ch, name, replace, in,
                    StoreTarget.shownOn(bar)));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } finally {
            bar.done();
        }
        target.out().println((made.getReplaced() ? "replaced" : "imported") + " app '" + made.getApp() + "' from "
                + file + ": checkpoint " + made.getCheckpoint().getCheckpointId() + ", "
                + made.getCheckpoint().getLineCount() + " lines, " + made.getBlobs() + " system blobs ("
                + made.getBlobsAdded() + " new to this store)");
        target.out().println("app token (keep it; the app's old tokens do not work here): " + made.getAppToken());
        return 0;
    }
}
