package org.vheap.device.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * A heap session whose writes and commits run one at a time, in the order they were asked for, on one writer
 * thread — so a device can pre-flush dirty lines in the background ({@link #flushInBackground}) while the VM
 * goes on, and a later flush or checkpoint of the same lines can never be overtaken by the older background
 * write. Synchronous writes and commits wait for their turn (after any background write asked for earlier);
 * reads and lease renewals go straight through (a line in a background write is still resident on the device,
 * so it is not read from the store meanwhile).
 */
public final class OrderedWrites extends ForwardingSession {
    private final ExecutorService writer;

    public OrderedWrites(HeapSession inner, String app) {
        super(inner);
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vheap-writer-" + app);
            t.setDaemon(true);
            return t;
        });
    }

    /** Writes these lines (uncommitted, like any flush) on the writer thread; the future ends when stored. */
    public Future<Void> flushInBackground(List<LineImage> writes) {
        return writer.submit(() -> {
            inner.flush(writes, new long[0]);
            return null;
        });
    }

    @Override
    public void flush(List<LineImage> writes, long[] deletes) {
        inTurn(() -> {
            inner.flush(writes, deletes);
            return null;
        });
    }

    @Override
    public long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata) {
        return inTurn(() -> inner.commit(writes, deletes, vmState, metadata));
    }

    private <T> T inTurn(java.util.concurrent.Callable<T> op) {
        Future<T> f = writer.submit(op);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "interrupted waiting to write app '" + app() + "'", e);
        }
    }

    /** Lets queued writes finish (bounded), then closes the session. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.shutdownNow();
        inner.close();
    }
}
