package org.vheap.device.store.flash;

/** A flash store's log in memory, on {@link FaultyFlashMedium}s: {@link #current} is what a crash would keep. */
final class MemoryLogFiles implements FlashLogFiles {
    private FaultyFlashMedium current;
    private FaultyFlashMedium next;
    private int installs;

    MemoryLogFiles(FaultyFlashMedium current) {
        this.current = current;
    }

    @Override
    public FaultyFlashMedium current() {
        return current;
    }

    @Override
    public FlashMedium next() {
        next = new FaultyFlashMedium();
        return next;
    }

    @Override
    public void install() {
        if (next.synced() != next.size()) {
            throw new IllegalStateException("a compacted log installed before it was synced");
        }
        current = next;
        installs++;
    }

    /** How many compacted logs took the old one's place. */
    int installs() {
        return installs;
    }

    @Override
    public void close() {
    }
}
