package org.vheap.device.vm.loader;

import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Host classes made from guest code (the tier's translations of hot methods), by the bytes of their class files:
 * the same bytes define one hidden class per host process, so a VM that translates a method another VM of the process
 * translated the same way (the JDK's library, an app run or resumed again on this device) runs code the host JIT has
 * already compiled instead of making and compiling it again. Part of the code cache ({@link ParsedClasses}).
 *
 * <p>Contract: {@link #define} returns a class whose bytes are exactly those given and whose lookup class is the one
 * given; equal bytes give the same class. That is sound only for classes whose behaviour is their bytes: no state of
 * their own (a translation has none; its runtime and constants are arguments of each call). Thread-safe: the VMs of a
 * device run on threads of their own.
 *
 * <p>Bounds: at most {@link #MAX_CLASSES} classes are held (by default), the least recently asked for given up first. A class
 * given up stays usable by whoever holds it, and is unloaded by the host when nobody does (hidden classes are not
 * strongly tied to their loader), so the cache never holds memory beyond that bound.
 */
public final class HostClasses {
    /** Classes held at most by default. */
    static final int MAX_CLASSES = 2048;

    private record Key(Class<?> lookupClass, ByteBuffer bytes) {
    }

    private final Map<Key, Class<?>> byBytes;
    private long defined;
    private long reused;

    public HostClasses() {
        this(MAX_CLASSES);
    }

    /** Holding at most {@code maxClasses} classes. */
    HostClasses(int maxClasses) {
        if (maxClasses < 1) {
            throw new IllegalArgumentException("maxClasses must be at least 1: " + maxClasses);
        }
        this.byBytes = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Class<?>> eldest) {
                return size() > maxClasses;
            }
        };
    }

    /**
     * The hidden class with these bytes in {@code lookup}'s package, defined once (initialized); {@code bytes} must not
     * change afterwards.
     */
    public Class<?> define(MethodHandles.Lookup lookup, byte[] bytes) throws IllegalAccessException {
        Key key = new Key(lookup.lookupClass(), ByteBuffer.wrap(bytes));
        synchronized (byBytes) {
            Class<?> c = byBytes.get(key);
            if (c != null) {
                reused++;
                return c;
            }
        }
        Class<?> c = lookup.defineHiddenClass(bytes, true).lookupClass();
        synchronized (byBytes) {
            Class<?> raced = byBytes.putIfAbsent(key, c);
            if (raced != null) {
                reused++;
                return raced;
            }
            defined++;
            return c;
        }
    }

    /** Classes defined so far. */
    public long defined() {
        synchronized (byBytes) {
            return defined;
        }
    }

    /** Times a class was asked for that was already defined. */
    public long reused() {
        synchronized (byBytes) {
            return reused;
        }
    }

    /** Classes held. */
    public int size() {
        synchronized (byBytes) {
            return byBytes.size();
        }
    }
}
