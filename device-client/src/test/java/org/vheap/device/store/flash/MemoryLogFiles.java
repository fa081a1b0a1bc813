package org.vheap.device.store.flash;

/** A flash store's logs in memory, on {@link FaultyFlashMedium}s: {@link #current} is what a crash would keep. */
final class MemoryLogFiles implements FlashLogFiles {
    private FaultyFlashMedium current;
    private final FaultyFlashMedium blobs;
    private FaultyFlashMedium next;
    private int installs;
    private long peak;
    private boolean nextFails;
    final java.util.List<byte[]> cuts = new java.util.ArrayList<>();

    /** The heap's log on {@code current}, the blobs' on a new medium. */
    MemoryLogFiles(FaultyFlashMedium current) {
        this(current, new FaultyFlashMedium());
    }

    MemoryLogFiles(FaultyFlashMedium current, FaultyFlashMedium blobs) {
        this.current = current;
        this.blobs = blobs;
    }

    /** The logs as a crash leaves them: what was synced of each, then maybe torn bytes ({@link FaultyFlashMedium#crash}). */
    MemoryLogFiles crashed(java.util.Random random) {
        return new MemoryLogFiles(current.crash(random), blobs.crash(random));
    }

    /** The logs again, as a store opened after this one was closed finds them. */
    MemoryLogFiles reopened() {
        return new MemoryLogFiles(current, blobs);
    }

    @Override
    public FaultyFlashMedium blobs() {
        return blobs;
    }

    @Override
    public FaultyFlashMedium current() {
        return current;
    }

    @Override
    public FlashMedium next() throws java.io.IOException {
        if (nextFails) {
            throw new java.io.IOException("no room for a compacted log (a test's fault)");
        }
        next = new FaultyFlashMedium();
        return next;
    }

    @Override
    public void keepCut(boolean blobs, long from, byte[] tail) {
        cuts.add(tail);
    }

    /** Whether making a compacted log fails, as a full medium does. */
    void nextFails(boolean fails) {
        nextFails = fails;
    }

    @Override
    public void dropNext() {
        next = null;
    }

    @Override
    public void install() {
        if (next.synced() != next.size()) {
            throw new IllegalStateException("a compacted log installed before it was synced");
        }
        peak = Math.max(peak, current.size() + next.size());
        current = next;
        installs++;
    }

    /** The most bytes the old log and a compacted one took together, when the compacted one was installed. */
    long peak() {
        return peak;
    }

    /** How many compacted logs took the old one's place. */
    int installs() {
        return installs;
    }

    @Override
    public void close() {
    }
}
