package org.vheap.device.vm.thread;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Green threads and monitors. Round-robin over runnable threads; a thread that blocks (monitor, wait,
 * sleep, join, park) leaves the run queue until another thread or the clock wakes it; of the threads the clock
 * wakes at once, the one due first runs first ({@link #pick}). Monitors are kept
 * per object reference; a thread woken from {@code wait} re-acquires its monitor with its old recursion
 * count before it runs again.
 *
 * <p>Only the interpreter host thread calls this. The clock is passed in (nanoseconds).
 */
public final class Scheduler {
    private final List<VmThread> threads = new ArrayList<>();
    private final MonitorTable monitors = new MonitorTable();
    private final LongSupplier nanoClock;
    private int next;
    /** The timed waiters the current {@link #pick} woke. */
    private final List<VmThread> wokenNow = new ArrayList<>();

    public Scheduler(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    public void add(VmThread t) {
        threads.add(t);
    }

    public List<VmThread> threads() {
        return threads;
    }

    /** Threads not yet terminated. */
    public int liveCount() {
        int n = 0;
        for (VmThread t : threads) {
            if (t.state != ThreadState.TERMINATED) {
                n++;
            }
        }
        return n;
    }

    /**
     * The next thread to run, or null when none can run now, round-robin. Wakes sleepers whose time has come and lets
     * notified waiters re-acquire their monitors. When the turn falls to a timed waiter this pick woke and another it
     * woke was due earlier, the earlier one runs in that turn and the round robin goes on from the later one, which
     * runs next: a thread that ran long (its first calls translated, a collection) must not let a 200 ms sleeper print
     * before a 100 ms one only because it comes next in turn. No thread loses its turn; one may gain one.
     */
    public VmThread pick() {
        long now = nanoClock.getAsLong();
        int n = threads.size();
        wokenNow.clear();
        for (VmThread t : threads) {
            if (t.state == ThreadState.TIMED_WAITING && now - t.wakeAt >= 0) {
                wake(t);
                wokenNow.add(t);
            }
        }
        for (int k = 0; k < n; k++) {
            VmThread t = threads.get((next + k) % n);
            if (t.state != ThreadState.RUNNABLE) {
                continue;
            }
            VmThread earlier = wokenNow.contains(t) ? dueBefore(t) : null;
            if (earlier != null && reacquire(earlier)) {
                next = (next + k) % n;   // t's turn is next
                return earlier;
            }
            if (reacquire(t)) {
                next = (next + k + 1) % n;
                return t;
            }
        }
        return null;
    }

    /** Of the runnable threads this pick woke, the one due first if it was due before {@code t}; else null. */
    private VmThread dueBefore(VmThread t) {
        VmThread first = null;
        for (VmThread w : wokenNow) {
            if (w.state == ThreadState.RUNNABLE && w.wakeAt - t.wakeAt < 0 && (first == null || w.wakeAt - first.wakeAt < 0)) {
                first = w;
            }
        }
        return first;
    }

    /** Nanos until the earliest timed waiter wakes, or -1 when none is timed. */
    public long nanosUntilNextWake() {
        long now = nanoClock.getAsLong();
        long best = -1;
        for (VmThread t : threads) {
            if (t.state == ThreadState.TIMED_WAITING) {
                long d = Math.max(0, t.wakeAt - now);
                best = best < 0 ? d : Math.min(best, d);
            }
        }
        return best;
    }

    /** A thread back from wait must own its monitor again before running; false if it must block. */
    private boolean reacquire(VmThread t) {
        if (t.savedMonitorCount == 0) {
            return true;
        }
        Monitor m = monitor(t.monitorObject);
        if (m.owner == null) {
            m.owner = t;
            m.count = t.savedMonitorCount;
            t.savedMonitorCount = 0;
            t.monitorObject = 0;
            return true;
        }
        t.state = ThreadState.BLOCKED;
        if (!m.entrants.contains(t)) {
            m.entrants.add(t);
        }
        return false;
    }

    private Monitor monitor(int obj) {
        return monitors.getOrCreate(obj);
    }

    /** monitorenter: true when {@code t} owns the monitor now; false when it blocked (retry when it runs again). */
    public boolean enter(VmThread t, int obj) {
        Monitor m = monitor(obj);
        if (take(t, m)) {
            return true;
        }
        t.state = ThreadState.BLOCKED;
        t.monitorObject = obj;
        if (!m.entrants.contains(t)) {
            m.entrants.add(t);
        }
        return false;
    }

    /**
     * monitorenter if it need not block: true when {@code t} owns the monitor now; false, changing nothing, when another
     * thread owns it (translated code then hands the instruction to the interpreter, whose {@link #enter} blocks).
     */
    public boolean tryEnter(VmThread t, int obj) {
        return take(t, monitor(obj));
    }

    /** Takes a free monitor, or enters again one {@code t} owns: false, changing nothing, when another thread owns it. */
    private static boolean take(VmThread t, Monitor m) {
        if (m.owner == null) {
            m.owner = t;
            m.count = 1;
            m.entrants.remove(t);
            return true;
        }
        if (m.owner == t) {
            m.count++;
            return true;
        }
        return false;
    }

    /** monitorexit: false when {@code t} does not own the monitor (IllegalMonitorStateException). */
    public boolean exit(VmThread t, int obj) {
        Monitor m = monitors.get(obj);
        if (m == null || m.owner != t) {
            return false;
        }
        if (--m.count == 0) {
            m.owner = null;
            wakeEntrant(m);
            if (m.idle()) {
                monitors.remove(obj);
            }
        }
        return true;
    }

    private void wakeEntrant(Monitor m) {
        VmThread e = m.entrants.poll();
        if (e != null) {
            e.state = ThreadState.RUNNABLE;
            if (e.savedMonitorCount == 0) {
                e.monitorObject = 0;
            }
        }
    }

    public boolean holds(VmThread t, int obj) {
        Monitor m = monitors.get(obj);
        return m != null && m.owner == t;
    }

    /**
     * Object.wait: releases the monitor fully and parks {@code t} in the wait set; false when {@code t} does not
     * own it. {@code timeoutNanos} 0 waits until notified.
     */
    public boolean await(VmThread t, int obj, long timeoutNanos) {
        Monitor m = monitors.get(obj);
        if (m == null || m.owner != t) {
            return false;
        }
        t.savedMonitorCount = m.count;
        t.monitorObject = obj;
        t.notified = false;
        m.owner = null;
        m.count = 0;
        m.waiters.add(t);
        if (timeoutNanos > 0) {
            t.state = ThreadState.TIMED_WAITING;
            t.wakeAt = nanoClock.getAsLong() + timeoutNanos;
        } else {
            t.state = ThreadState.WAITING;
        }
        wakeEntrant(m);
        return true;
    }

    /** Object.notify / notifyAll: false when {@code t} does not own the monitor. */
    public boolean notify(VmThread t, int obj, boolean all) {
        Monitor m = monitors.get(obj);
        if (m == null || m.owner != t) {
            return false;
        }
        do {
            VmThread w = m.waiters.poll();
            if (w == null) {
                break;
            }
            w.notified = true;
            w.state = ThreadState.RUNNABLE; // re-acquires in pick()
        } while (all);
        return true;
    }

    /** Wakes every thread waiting on {@code obj} without owning its monitor (the VM ending a thread wakes joiners). */
    public void wakeAllWaiters(int obj) {
        Monitor m = monitors.get(obj);
        if (m == null) {
            return;
        }
        for (VmThread w; (w = m.waiters.poll()) != null; ) {
            w.notified = true;
            w.state = ThreadState.RUNNABLE;
        }
    }

    /** Thread.sleep. */
    public void sleep(VmThread t, long nanos) {
        t.state = ThreadState.TIMED_WAITING;
        t.wakeAt = nanoClock.getAsLong() + nanos;
    }

    /** Wakes a waiting or sleeping thread early (interrupt); it leaves any wait set. */
    public void wake(VmThread t) {
        if (t.state == ThreadState.WAITING || t.state == ThreadState.TIMED_WAITING) {
            if (t.monitorObject != 0 && t.savedMonitorCount > 0) {
                Monitor m = monitors.get(t.monitorObject);
                if (m != null) {
                    m.waiters.remove(t);
                }
            }
            t.state = ThreadState.RUNNABLE;
        }
    }

    /**
     * Applies a collector's root operator to every object whose monitor is in use: they stay alive, and a monitor
     * whose object moved (promoted out of the nursery) is found under the object's new reference.
     */
    public void visitMonitorObjects(java.util.function.IntUnaryOperator roots) {
        monitors.rekey(roots);
    }

    /**
     * A monitor in use, as a checkpoint saves it: the object, its owner (or null), the recursion count, the
     * threads blocked entering it and the threads in its wait set, in queue order.
     */
    public record MonitorState(int object, VmThread owner, int count, List<VmThread> entrants, List<VmThread> waiters) {
    }

    /** Every monitor in use, for a checkpoint. */
    public List<MonitorState> monitorStates() {
        List<MonitorState> states = new ArrayList<>();
        for (int obj : monitors.objects()) {
            Monitor m = monitors.get(obj);
            states.add(new MonitorState(obj, m.owner, m.count, List.copyOf(m.entrants), List.copyOf(m.waiters)));
        }
        return states;
    }

    /** Puts back a monitor a checkpoint saved (resume; before any thread runs). */
    public void restoreMonitor(MonitorState state) {
        Monitor m = monitor(state.object());
        m.owner = state.owner();
        m.count = state.count();
        m.entrants.addAll(state.entrants());
        m.waiters.addAll(state.waiters());
    }

    /** Where the round robin goes on (a checkpoint saves it so a resumed app is scheduled as it would have been). */
    public int nextIndex() {
        return next;
    }

    public void setNextIndex(int index) {
        this.next = index;
    }
}
