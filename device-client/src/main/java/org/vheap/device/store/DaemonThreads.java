package org.vheap.device.store;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The single background threads of a device's stores (a session's writer, a flash store's cleaner, a flash session's
 * shipper and lease renewer): daemon threads, so a device that exits is not held by them, each named for what it does
 * (and, where it serves one app, for which: {@code vheap-ROLE-APP}) as thread dumps show them.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** An executor of one daemon thread named {@code name}. */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(named(name));
    }

    /** A scheduled executor of one daemon thread named {@code name}. */
    public static ScheduledExecutorService scheduled(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
