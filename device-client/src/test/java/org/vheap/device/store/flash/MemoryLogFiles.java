package org.vheap.device.store.flash;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * A flash store's logs in memory, on {@link FaultyFlashMedium}s: the heap log's segments (what a crash would keep of
 * each), the blobs' log, and a cleaning's snapshot segment until it is installed.
 */
final class MemoryLogFiles implements FlashLogFiles {
    private final TreeMap<Long, FaultyFlashMedium> segments;
    private final FaultyFlashMedium blobs;
    private FaultyFlashMedium next;
    private int installs;
    private long peak;
    private boolean nextFails;
    /** Called after each change to which segments there are (one made, dropped, or installed): a crash point. */
    private Runnable onChange = () -> { };
    final List<byte[]> cuts = new ArrayList<>();

    /** No logs yet. */
    MemoryLogFiles() {
        this(new TreeMap<>(), new FaultyFlashMedium());
    }

    /** The heap's log on {@code log} (one segment, at 0: a log written by hand, or an older store's), the blobs' on a new medium. */
    MemoryLogFiles(FaultyFlashMedium log) {
        this(log, new FaultyFlashMedium());
    }

    MemoryLogFiles(FaultyFlashMedium log, FaultyFlashMedium blobs) {
        this(new TreeMap<>(Map.of(0L, log)), blobs);
    }

    private MemoryLogFiles(TreeMap<Long, FaultyFlashMedium> segments, FaultyFlashMedium blobs) {
        this.segments = segments;
        this.blobs = blobs;
    }

    /** The logs as a crash leaves them: what was synced of each medium, then maybe torn bytes ({@link FaultyFlashMedium#crash}). */
    MemoryLogFiles crashed(Random random) {
        TreeMap<Long, FaultyFlashMedium> after = new TreeMap<>();
        segments.forEach((base, s) -> after.put(base, s.crash(random)));
        return new MemoryLogFiles(after, blobs.crash(random));
    }

    /** The heap log as a crash leaves it, the blobs' log as {@code blobs}. */
    MemoryLogFiles withBlobs(FaultyFlashMedium blobs) {
        return new MemoryLogFiles(new TreeMap<>(segments), blobs);
    }

    /** The logs again, as a store opened after this one was closed finds them. */
    MemoryLogFiles reopened() {
        return new MemoryLogFiles(new TreeMap<>(segments), blobs);
    }

    @Override
    public NavigableMap<Long, FlashMedium> segments() {
        next = null;
        return new TreeMap<>(segments);
    }

    @Override
    public FlashMedium segment(long base) {
        FaultyFlashMedium s = new FaultyFlashMedium();
        segments.put(base, s);
        onChange.run();
        return s;
    }

    @Override
    public void drop(long base) {
        segments.remove(base);
        onChange.run();
    }

    /** Runs {@code hook} after each change to which segments there are, from now on. */
    void onChange(Runnable hook) {
        onChange = hook;
    }

    @Override
    public FaultyFlashMedium blobs() {
        return blobs;
    }

    @Override
    public FlashMedium next() throws IOException {
        if (nextFails) {
            throw new IOException("no room for a snapshot segment (a test's fault)");
        }
        next = new FaultyFlashMedium();
        return next;
    }

    @Override
    public void keepCut(boolean blobs, long from, byte[] tail) {
        cuts.add(tail);
    }

    /** Whether making a snapshot segment fails, as a full medium does. */
    void nextFails(boolean fails) {
        nextFails = fails;
    }

    @Override
    public void dropNext() {
        next = null;
    }

    @Override
    public void install(long base) {
        if (next.synced() != next.size()) {
            throw new IllegalStateException("a snapshot segment installed before it was synced");
        }
        peak = Math.max(peak, taken() + next.size());
        segments.put(base, next);
        next = null;
        installs++;
        onChange.run();
    }

    /** The bytes the heap log's segments take. */
    long taken() {
        return segments.values().stream().mapToLong(FaultyFlashMedium::size).sum();
    }

    /** The most bytes the heap log and a snapshot segment took together, when the snapshot segment was installed. */
    long peak() {
        return peak;
    }

    /** How many snapshot segments cleanings installed. */
    int installs() {
        return installs;
    }

    /** The heap log's segments, by where each begins. */
    NavigableMap<Long, FaultyFlashMedium> segmentMedia() {
        return segments;
    }

    /**
     * The heap log's records from where replaying it begins (the newest segment that begins a log), in order, format
     * record first.
     */
    List<byte[]> records(int blockSize) throws IOException {
        FlashSegments log = new FlashSegments(reopened(), Long.MAX_VALUE);
        long start = 0;
        for (long base : log.newestFirst()) {
            if (FlashLogFormat.beginsAt(log, base)) {
                start = base;
                break;
            }
        }
        List<byte[]> records = new ArrayList<>();
        FlashLogReader reader = FlashLogReader.from(log, blockSize, start);
        for (byte[] r = reader.next(); r != null; r = reader.next()) {
            records.add(r);
        }
        return records;
    }

    @Override
    public void close() {
    }
}
