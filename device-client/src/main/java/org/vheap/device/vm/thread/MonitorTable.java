package org.vheap.device.vm.thread;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * The monitors in use, by object reference: an open-addressing table of {@code int} keys (linear probing, deletion by
 * shifting back, so no tombstones), and a pool of idle {@link Monitor}s, so an uncontended {@code monitorenter} /
 * {@code monitorexit} pair (every {@code synchronized} method and block the JDK runs) neither boxes a key nor
 * allocates. Reference 0 (null) is never a key: it marks an empty slot.
 *
 * <p>Only the interpreter host thread uses it (as the {@link Scheduler}).
 */
final class MonitorTable {
    /** Idle monitors kept for reuse at most: more than any app keeps locked at once in practice. */
    static final int POOL = 64;

    private int[] keys = new int[16];
    private Monitor[] values = new Monitor[16];
    private int size;
    private final Monitor[] pool = new Monitor[POOL];
    private int pooled;

    /** The monitor of {@code obj}, or null when none is in use. */
    Monitor get(int obj) {
        int mask = keys.length - 1;
        for (int i = slot(obj, mask); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == obj) {
                return values[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    /** The monitor of {@code obj}, made (an idle one reused) when none is in use. */
    Monitor getOrCreate(int obj) {
        int mask = keys.length - 1;
        int i = slot(obj, mask);
        for (int k; (k = keys[i]) != 0; i = (i + 1) & mask) {
            if (k == obj) {
                return values[i];
            }
        }
        Monitor m = pooled > 0 ? pool[--pooled] : new Monitor();
        pool[pooled] = null;
        keys[i] = obj;
        values[i] = m;
        if (++size * 2 > keys.length) {
            grow();
        }
        return m;
    }

    /** Forgets the monitor of {@code obj}, which is {@linkplain Monitor#idle() idle}, keeping it for reuse. */
    void remove(int obj) {
        int mask = keys.length - 1;
        int i = slot(obj, mask);
        while (keys[i] != obj) {
            if (keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        Monitor m = values[i];
        if (pooled < POOL) {
            m.count = 0;
            m.owner = null;
            pool[pooled++] = m;
        }
        size--;
        // shift back the entries of the probe run after i that may no longer be found past the hole
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            if (((j - home) & mask) >= ((j - i) & mask)) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = 0;
        values[i] = null;
    }

    /** The objects of the monitors in use, in ascending order of reference (a checkpoint's order does not vary). */
    int[] objects() {
        int[] out = new int[size];
        int n = 0;
        for (int k : keys) {
            if (k != 0) {
                out[n++] = k;
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Renames every key through {@code rename} (objects a collection moved); the monitors stay as they are. */
    void rekey(IntUnaryOperator rename) {
        int[] oldKeys = keys;
        Monitor[] oldValues = values;
        keys = new int[oldKeys.length];
        values = new Monitor[oldValues.length];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(rename.applyAsInt(oldKeys[i]), oldValues[i]);
            }
        }
    }

    private void put(int obj, Monitor m) {
        int mask = keys.length - 1;
        int i = slot(obj, mask);
        while (keys[i] != 0 && keys[i] != obj) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0) {
            size++;
        }
        keys[i] = obj;
        values[i] = m;
    }

    private void grow() {
        int[] oldKeys = keys;
        Monitor[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new Monitor[oldValues.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    int size() {
        return size;
    }

    /** Slot of a key: references are granule numbers, mixed so neighbours spread (Fibonacci hashing). */
    private static int slot(int obj, int mask) {
        return (obj * 0x9E3779B9 >>> 16 ^ obj * 0x9E3779B9) & mask;
    }

    @Override
    public String toString() {
        return "MonitorTable" + Arrays.toString(objects());
    }
}
