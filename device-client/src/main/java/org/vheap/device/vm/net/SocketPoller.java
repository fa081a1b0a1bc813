package org.vheap.device.vm.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** What a thread waits for: any of these sockets ready for its ops, or (a selector's wait) its wake-up signalled. */
    private record Wait(Map<HostSocket, Integer> ops, WakeUp wakeUp) {
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
        return readyNow(Map.of(s, events)).getOrDefault(s, 0);
    }

    /**
     * The poll bits each socket is ready for now, of the events asked for it, in one look without waiting; a socket
     * ready for none is left out.
     */
    Map<HostSocket, Integer> readyNow(Map<HostSocket, Integer> events) {
        Map<HostSocket, Integer> ops = ops(events);
        for (Map.Entry<HostSocket, Integer> e : ops.entrySet()) {
            register(e.getKey(), e.getValue());
        }
        Set<SelectionKey> selected = select(-1);
        Map<HostSocket, Integer> ready = new LinkedHashMap<>();
        for (Map.Entry<HostSocket, Integer> e : ops.entrySet()) {
            SelectionKey key = e.getKey().key;
            int bits = key == null || !key.isValid() ? HostSockets.POLLNVAL
                    : selected.contains(key) ? pollBits(key.readyOps() & e.getValue()) : 0;
            if (bits != 0) {
                ready.put(e.getKey(), bits);
            }
            interest(e.getKey());
        }
        return ready;
    }

    /**
     * Puts {@code t} to sleep until one of the sockets is ready for its events (poll bits), one of them is closed,
     * {@code wakeUp} (if any) is signalled, or {@code nanos} pass (< 0: no timeout).
     */
    void await(VmThread t, Map<HostSocket, Integer> events, WakeUp wakeUp, long nanos) {
        Wait w = new Wait(ops(events), wakeUp);
        waits.put(t, w);
        w.ops().keySet().forEach(this::interest);
        scheduler.sleep(t, nanos < 0 ? FOREVER : nanos);
        t.blockedIn = VmThread.IN_IO;
    }

    private static Map<HostSocket, Integer> ops(Map<HostSocket, Integer> events) {
        Map<HostSocket, Integer> ops = new LinkedHashMap<>();
        for (Map.Entry<HostSocket, Integer> e : events.entrySet()) {
            int o = ops(e.getKey(), e.getValue());
            if (o != 0 && e.getKey().selectable() != null) {
                ops.put(e.getKey(), o);
            }
        }
        return ops;
    }

    /** The wake-up was signalled: the threads waiting on it wake. */
    void signalled(WakeUp wakeUp) {
        wakeWhere(w -> w.wakeUp() == wakeUp);
    }

    /** Forgets {@code t}'s wait (it runs again, whatever woke it). */
    void cancel(VmThread t) {
        Wait w = waits.remove(t);
        if (w != null) {
            w.ops().keySet().forEach(this::interest);
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
        wakeWhere(w -> w.ops().containsKey(s));
        if (s.key != null) {
            s.key.cancel();
            s.key = null;
        }
    }

    private void wakeWhere(java.util.function.Predicate<Wait> which) {
        List<Wait> woken = new ArrayList<>();
        for (Iterator<Map.Entry<VmThread, Wait>> it = waits.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<VmThread, Wait> e = it.next();
            if (which.test(e.getValue())) {
                it.remove();
                woken.add(e.getValue());
                scheduler.wake(e.getKey());
            }
        }
        for (Wait w : woken) {
            w.ops().keySet().forEach(this::interest);
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
            if (!ready.isEmpty()) {
                wakeWhere(w -> isReady(w, ready));
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

    private static boolean isReady(Wait w, Set<SelectionKey> ready) {
        for (Map.Entry<HostSocket, Integer> e : w.ops().entrySet()) {
            SelectionKey key = e.getKey().key;
            if (key == null || !key.isValid() || ready.contains(key) && (key.readyOps() & e.getValue()) != 0) {
                return true;
            }
        }
        return false;
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
            ops |= w.ops().getOrDefault(s, 0);
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
