package org.vheap.device.store;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vheap.format.BlobHash;

/**
 * A device's local copies of the lines of the apps it ran, kept after an app leaves (the versioned delta):
 * when an app returns, a line is fetched with the hash of the copy, and the store sends its bytes only if it
 * changed meanwhile. Copies are never trusted without that check, so a copy that went stale (another device
 * ran the app, a flush was discarded) costs one line transfer, never a wrong read. Bounded by bytes, least
 * recently used first out. Thread-safe; shared by the apps of a device process.
 */
public final class LineCache {
    /** A copy of a line and its SHA-256. */
    record Copy(byte[] data, byte[] sha256) {
    }

    private final long capacityBytes;
    private final Map<String, LinkedHashMap<Long, Copy>> apps = new HashMap<>();
    private final LinkedHashMap<String, Boolean> appOrder = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    public LineCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("line cache capacity must be >= 0, got " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /** Whether it keeps any copy (a capacity above zero). */
    public boolean keepsCopies() {
        return capacityBytes > 0;
    }

    synchronized Copy get(String app, long line) {
        LinkedHashMap<Long, Copy> lines = apps.get(app);
        return lines == null ? null : lines.get(line);
    }

    synchronized void put(String app, long line, byte[] data) {
        if (capacityBytes == 0) {
            return;
        }
        byte[] copy = data.clone();
        Copy old = apps.computeIfAbsent(app, a -> new LinkedHashMap<>(256, 0.75f, true)).put(line, new Copy(copy, BlobHash.digest(copy).bytes()));
        appOrder.put(app, Boolean.TRUE);
        bytes += copy.length - (old == null ? 0 : old.data().length);
        trim();
    }

    synchronized void remove(String app, long line) {
        LinkedHashMap<Long, Copy> lines = apps.get(app);
        if (lines != null) {
            Copy old = lines.remove(line);
            if (old != null) {
                bytes -= old.data().length;
            }
        }
    }

    /** Forgets an app's copies (it was deleted, or runs elsewhere for good). */
    public synchronized void forget(String app) {
        LinkedHashMap<Long, Copy> lines = apps.remove(app);
        appOrder.remove(app);
        if (lines != null) {
            for (Copy c : lines.values()) {
                bytes -= c.data().length;
            }
        }
    }

    /** Bytes of copies held. */
    public synchronized long bytes() {
        return bytes;
    }

    private void trim() {
        Iterator<String> oldestApps = appOrder.keySet().iterator();
        while (bytes > capacityBytes && oldestApps.hasNext()) {
            String app = oldestApps.next();
            LinkedHashMap<Long, Copy> lines = apps.get(app);
            Iterator<Map.Entry<Long, Copy>> it = lines.entrySet().iterator();
            while (bytes > capacityBytes && it.hasNext()) {
                bytes -= it.next().getValue().data().length;
                it.remove();
            }
            if (lines.isEmpty()) {
                apps.remove(app);
                oldestApps.remove();
            }
        }
    }
}
