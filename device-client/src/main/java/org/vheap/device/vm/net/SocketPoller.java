package org.vheap.device.vm.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.vheap.device.vm.thread.Scheduler;
import org.vheap.device.vm.thread.VmThread;

/**
 * Green threads waiting for their sockets, over one host {@link Selector}. A thread that would block on a socket
 * ({@code Net.poll}: a read with nothing to read, an accept with nobody connecting) is put to sleep on the scheduler
 * and recorded here; the VM's run loop asks the poller to look ({@link #poll}) between quanta, and blocks the host in
 * the selector instead of a plain sleep when every thread waits ({@link #idle}), so a ready socket wakes its thread at
 * once and never costs a busy loop. An interrupt wakes a waiting thread, which looks again and waits on (a classic
 * socket read is not interruptible; a channel's interrupt closes the channel, and a close wakes its waiters).
 *
 * <p>Only the VM's interpreter host thread uses it.
 */
final class SocketPoller {
    /** A wait with no timeout: far enough in the future never to come. */
    private static final long FOREVER = Long.MAX_VALUE / 4;

    private record Wait(HostSocket socket, int ops) {
    }

    private final Scheduler scheduler;
    private final Map<VmThread, Wait> waits = new HashMap<>();
    private Selector selector;

    SocketPoller(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** The selection ops that mean "ready for {@code events}" (poll bits) on this socket; 0 when none applies. */
    static int ops(HostSocket s, int events) {
        int ops = 0;
        if ((events & HostSockets.POLLIN) != 0) {
            ops |= s.listening() ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        }
        if ((events & HostSockets.POLLOUT) != 0 && s.channel != null) {
            ops |= s.channel.isConnectionPending() ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
        }
        return ops;
    }

    private static int pollBits(int readyOps) {
        int bits = 0;
        if ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            bits |= HostSockets.POLLIN;
        }
        if ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            bits |= HostSockets.POLLOUT;
        }
        return bits;
    }

    /** The poll bits of {@code events} the socket is ready for now (0 when none), looking without waiting. */
    int readyNow(HostSocket s, int events) {
        int ops = ops(s, events);
        if (ops == 0) {
            return 0;
        }
        SelectionKey key = register(s, ops);
        boolean selected = select(-1).contains(key);
        int ready = !key.isValid() ? HostSockets.POLLNVAL : selected ? pollBits(key.readyOps() & ops) : 0;
        interest(s);
        return ready;
    }

    /** Puts {@code t} to sleep until the socket is ready for {@code events}, it is closed, or {@code nanos} pass (< 0: no timeout). */
    void await(VmThread t, HostSocket s, int events, long nanos) {
        waits.put(t, new Wait(s, ops(s, events)));
        interest(s);
        scheduler.sleep(t, nanos < 0 ? FOREVER : nanos);
        t.blockedIn = VmThread.IN_IO;
    }

    /** Forgets {@code t}'s wait (it runs again, whatever woke it). */
    void cancel(VmThread t) {
        Wait w = waits.remove(t);
        if (w != null) {
            interest(w.socket());
        }
    }

    /** Whether a thread waits for a socket. */
    boolean waiting() {
        return !waits.isEmpty();
    }

    /** Wakes the threads whose sockets are ready, without waiting. */
    void poll() {
        if (!waits.isEmpty()) {
            select(-1);
        }
    }

    /**
     * Blocks the host until a waited-for socket is ready or {@code nanos} pass (every green thread waits), and wakes
     * the threads whose sockets are ready; false when no thread waits for a socket (the caller sleeps as it would).
     */
    boolean idle(long nanos) {
        if (waits.isEmpty()) {
            return false;
        }
        if (Thread.interrupted()) {   // a selector returns at once on an interrupted thread: the device is stopping
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the device was interrupted");
        }
        select(Math.max(1, nanos / 1_000_000));
        return true;
    }

    /** Selects now, which releases the host sockets of keys cancelled since (closed channels). */
    void flush() {
        if (selector != null) {
            select(-1);
        }
    }

    /** The socket was closed: its waiters wake (and find it closed). */
    void closed(HostSocket s) {
        for (Iterator<Map.Entry<VmThread, Wait>> it = waits.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<VmThread, Wait> e = it.next();
            if (e.getValue().socket() == s) {
                it.remove();
                scheduler.wake(e.getKey());
            }
        }
        if (s.key != null) {
            s.key.cancel();
            s.key = null;
        }
    }

    /** Closes the selector (the app stopped running here). */
    void close() {
        waits.clear();
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing of the app's is left to tell
            }
            selector = null;
        }
    }

    /**
     * Selects ({@code millis} < 0: now; else waits up to that), wakes each waiter whose socket is ready, and returns the
     * keys this selection found ready (their ready ops are this selection's).
     */
    private Set<SelectionKey> select(long millis) {
        try {
            Selector sel = selector();
            if (millis < 0) {
                sel.selectNow();
            } else {
                sel.select(millis);
            }
            Set<SelectionKey> ready = new HashSet<>(sel.selectedKeys());
            sel.selectedKeys().clear();
            for (Iterator<Map.Entry<VmThread, Wait>> it = waits.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<VmThread, Wait> e = it.next();
                SelectionKey key = e.getValue().socket().key;
                if (key == null || !key.isValid() || ready.contains(key) && (key.readyOps() & e.getValue().ops()) != 0) {
                    it.remove();
                    scheduler.wake(e.getKey());
                }
            }
            for (SelectionKey key : sel.keys()) {
                if (key.isValid()) {
                    interest((HostSocket) key.attachment());
                }
            }
            return ready;
        } catch (IOException e) {
            throw new UncheckedIOException("the device's socket poller failed", e);
        }
    }

    private SelectionKey register(HostSocket s, int ops) {
        try {
            SelectableChannel ch = s.selectable();
            if (s.key == null || !s.key.isValid()) {
                s.key = ch.register(selector(), ops, s);
            } else {
                s.key.interestOps(s.key.interestOps() | ops);
            }
            return s.key;
        } catch (IOException | CancelledKeyException e) {
            throw new UncheckedIOException("cannot watch " + s.describe(), e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** Sets the socket's interest to what its waiters wait for. */
    private void interest(HostSocket s) {
        int ops = 0;
        for (Wait w : waits.values()) {
            if (w.socket() == s) {
                ops |= w.ops();
            }
        }
        if (ops != 0) {
            register(s, ops);
            s.key.interestOps(ops);
        } else if (s.key != null && s.key.isValid()) {
            s.key.interestOps(0);
        }
    }

    private Selector selector() throws IOException {
        if (selector == null) {
            selector = Selector.open();
        }
        return selector;
    }
}
