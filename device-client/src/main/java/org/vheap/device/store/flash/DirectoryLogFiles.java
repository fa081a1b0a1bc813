package org.vheap.device.store.flash;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.vheap.store.StoreException;

/**
 * A flash store's logs in a directory of its own: the heap log's segments {@code heap-POSITION.log} (the position of
 * the segment's first byte in the log, 16 hexadecimal digits), a cleaning's snapshot segment written to
 * {@code heap.next} and renamed to its segment's name (then the directory synced), the system blobs in
 * {@code blobs.log}, what recoveries cut off a log's end in {@code heap.log.cut-at-POSITION} (or
 * {@code blobs.log.cut-at-POSITION}), and a {@code lock} file that one process holds while it has the store open.
 * A store made before segments has its heap log in {@code heap.log}: it becomes the segment at 0 by a rename.
 */
final class DirectoryLogFiles implements FlashLogFiles {
    private static final Pattern SEGMENT = Pattern.compile("heap-([0-9a-f]{16})\\.log");
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
    public NavigableMap<Long, FlashMedium> segments() throws IOException {
        Files.deleteIfExists(dir.resolve("heap.next"));
        Files.deleteIfExists(dir.resolve("heap.log.next"));   // an older store's compaction, never installed
        Path single = dir.resolve("heap.log");
        if (Files.exists(single)) {   // an older store's one log: the segment at 0
            Files.move(single, segmentPath(0), StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
        }
        NavigableMap<Long, FlashMedium> segments = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = SEGMENT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    segments.put(Long.parseUnsignedLong(m.group(1), 16), new FileFlashMedium(p));
                }
            }
        } catch (IOException | RuntimeException e) {
            for (FlashMedium m : segments.values()) {
                m.close();
            }
            throw e;
        }
        return segments;
    }

    @Override
    public FlashMedium segment(long base) throws IOException {
        FileFlashMedium segment = new FileFlashMedium(segmentPath(base));
        syncDirectory();   // its name durable before anything is committed in it
        return segment;
    }

    @Override
    public void drop(long base) throws IOException {
        Files.deleteIfExists(segmentPath(base));
        syncDirectory();
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
        Files.deleteIfExists(dir.resolve("heap.next"));
        return new FileFlashMedium(dir.resolve("heap.next"));
    }

    @Override
    public void dropNext() throws IOException {
        Files.deleteIfExists(dir.resolve("heap.next"));
    }

    @Override
    public void install(long base) throws IOException {
        Files.move(dir.resolve("heap.next"), segmentPath(base), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();   // the rename itself durable
    }

    private Path segmentPath(long base) {
        return dir.resolve(String.format("heap-%016x.log", base));
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
