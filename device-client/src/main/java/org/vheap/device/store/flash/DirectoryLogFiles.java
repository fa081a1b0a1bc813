package org.vheap.device.store.flash;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.vheap.store.StoreException;

/**
 * A flash store's logs in a directory of its own: {@code heap.log}, a compaction written to {@code heap.log.next}
 * and renamed over it (then the directory synced), the system blobs in {@code blobs.log}, what recoveries cut off a
 * log's end in {@code heap.log.cut-at-POSITION} (or {@code blobs.log.cut-at-POSITION}), and a {@code lock} file that one process holds while it has the store open.
 */
final class DirectoryLogFiles implements FlashLogFiles {
    private final Path dir;
    private final FileChannel lockFile;

    /**
     * Takes the directory (made if missing) for this process.
     *
     * @throws StoreException {@code CONFLICT} when another process has it
     */
    DirectoryLogFiles(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null;
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
        if (held == null) {
            lockFile.close();
            throw new StoreException(StoreException.Reason.CONFLICT, "the flash store " + dir + " is in use by"
                    + " another device process: stop it, or give this device another --store flash:DIR");
        }
    }

    @Override
    public FlashMedium current() throws IOException {
        Files.deleteIfExists(dir.resolve("heap.log.next"));
        FileFlashMedium log = new FileFlashMedium(dir.resolve("heap.log"));
        syncDirectory();   // the log's own name durable before anything is committed in it
        return log;
    }

    @Override
    public FlashMedium blobs() throws IOException {
        FileFlashMedium log = new FileFlashMedium(dir.resolve("blobs.log"));
        syncDirectory();
        return log;
    }

    @Override
    public void keepCut(boolean blobs, long from, byte[] tail) throws IOException {
        for (int n = 1; ; n++) {
            Path kept = dir.resolve((blobs ? "blobs" : "heap") + ".log.cut-at-" + from + (n == 1 ? "" : "-" + n));
            if (!Files.exists(kept)) {
                Files.write(kept, tail, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.SYNC);
                syncDirectory();
                return;
            }
        }
    }

    @Override
    public FlashMedium next() throws IOException {
        Files.deleteIfExists(dir.resolve("heap.log.next"));
        return new FileFlashMedium(dir.resolve("heap.log.next"));
    }

    @Override
    public void dropNext() throws IOException {
        Files.deleteIfExists(dir.resolve("heap.log.next"));
    }

    @Override
    public void install() throws IOException {
        Files.move(dir.resolve("heap.log.next"), dir.resolve("heap.log"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();   // the rename itself durable
    }

    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        lockFile.close();
    }
}
