package org.vheap.device.vm.loader;

import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Host classes made from guest code (the tier's translations of hot methods), by the bytes of their class files: a VM
 * that translates a method exactly as another VM sharing this cache did (the same quickened code, class ids and
 * constants' places: often the JDK's methods, and an app run or resumed again on the device) gets the class the other
 * defined, whose code the host JIT has already compiled, instead of defining a new one and waiting for the JIT to
 * compile it again. Part of the code cache ({@link ParsedClasses}).
 *
 * <p>Contract: {@link #define} returns a class whose bytes are exactly those given and whose lookup class is the one
 * given; equal bytes give the same class while it is held (two VMs defining the same bytes at once may each define
 * one; one is kept). That is sound only for classes whose behaviour is their bytes: no state of their own (a
 * translation has none; its runtime and constants are arguments of each call). Thread-safe: the VMs of a device run
 * on threads of their own.
 *
 * <p>Bounds: at most {@link #MAX_CLASSES} classes are held (by default), the least recently asked for given up first.
 * A class given up stays usable by whoever holds it, and is unloaded by the host when nobody does (hidden classes are
 * not strongly tied to their loader), so the cache never holds memory beyond that bound.
 *
 * <p>Risk: the host JIT keeps one history of traps and recompilations per method, and stops compiling a method that
 * was recompiled too often ({@code PerMethodRecompilationCutoff}). A class shared by every VM of a long-lived device
 * would gather the traps of all of them, so a class is handed out at most {@link #MAX_SHARES} times; the next ask
 * defines a fresh copy from the same bytes, with a history of its own.
 */
public final class HostClasses {
    /** Classes held at most by default. */
    static final int MAX_CLASSES = 2048;
    /** Times one class is handed out before a fresh copy replaces it. */
    static final int MAX_SHARES = 256;

    private record Key(Class<?> lookupClass, ByteBuffer bytes) {
    }

    /** A class held, and how often it was handed out. */
    private static final class Held {
        final Class<?> c;
        int shares = 1;

        Held(Class<?> c) {
            this.c = c;
        }
    }

    private final Map<Key, Held> byBytes;
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
            protected boolean removeEldestEntry(Map.Entry<Key, Held> eldest) {
                return size() > maxClasses;
            }
        };
    }

    /**
     * The hidden class with these bytes in {@code lookup}'s package, defined once (initialized) and handed out up to
     * {@link #MAX_SHARES} times; {@code bytes} must not change afterwards. {@code lookup} must have full privilege
     * access, as {@link MethodHandles.Lookup#defineHiddenClass} asks, also when the class is already held.
     */
    public Class<?> define(MethodHandles.Lookup lookup, byte[] bytes) throws IllegalAccessException {
        if (!lookup.hasFullPrivilegeAccess()) {
            throw new IllegalAccessException(lookup + " does not have full privilege access");
        }
        Key key = new Key(lookup.lookupClass(), ByteBuffer.wrap(bytes));
        synchronized (byBytes) {
            Held held = byBytes.get(key);
            if (held != null && held.shares < MAX_SHARES) {
                held.shares++;
                reused++;
                return held.c;
            }
        }
        Class<?> c = lookup.defineHiddenClass(bytes, true).lookupClass();
        synchronized (byBytes) {
            defined++;
            Held held = byBytes.get(key);
            if (held == null || held.shares >= MAX_SHARES) {
                byBytes.put(key, new Held(c));
            }
            return c;
        }
    }

    /** Classes defined so far (a copy after {@link #MAX_SHARES}, and both of a race, count). */
    public long defined() {
        synchronized (byBytes) {
            return defined;
        }
    }

    /** Times a class held was handed out again instead of defining one. */
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
