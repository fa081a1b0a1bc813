package org.vheap.server;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.server.store.StoreRehearsal;
import org.vheap.server.store.StoreSettings;

/**
 * A heap server's warm-up, once at start on a thread of its own: a {@link StoreRehearsal} (rolled back: nothing is
 * stored) and the contract's message descriptors built, so that the first real calls, often a migration's, find their
 * code compiled. It says when it is done, or why it stopped; it never fails the server.
 */
final class ServerWarmUp {
    private static final Logger log = LoggerFactory.getLogger(ServerWarmUp.class);

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Thread thread;

    private ServerWarmUp(DataSource pool, Clock clock, StoreSettings settings) {
        thread = new Thread(() -> {
            long start = System.nanoTime();
            try {
                org.vheap.proto.v1.HeapStoreProto.getDescriptor();
                if (StoreRehearsal.run(pool, clock, settings, stopping::get)) {
                    log.info("warmed up in {} ms (a device's run and resume rehearsed in a transaction rolled back)",
                            (System.nanoTime() - start) / 1_000_000);
                }
            } catch (RuntimeException | LinkageError e) {
                if (!stopping.get()) {
                    log.info("the warm-up stopped (the first calls compile their code themselves): {}", e.toString());
                }
            }
        }, "vheap-warm-up");
        thread.setDaemon(true);
    }

    /** Starts the warm-up over {@code pool}. */
    static ServerWarmUp start(DataSource pool, Clock clock, StoreSettings settings) {
        ServerWarmUp w = new ServerWarmUp(pool, clock, settings);
        w.thread.start();
        return w;
    }

    /** Asks it to stop after its current step and waits at most {@code wait} for it (an interrupt ends the wait). */
    void stop(Duration wait) {
        stopping.set(true);
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
