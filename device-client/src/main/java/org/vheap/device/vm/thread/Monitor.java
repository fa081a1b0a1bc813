package org.vheap.device.vm.thread;

import java.util.ArrayDeque;

/** An object's monitor (JVMS 2.11.10): owner, recursion count, threads waiting to enter, and the wait set. */
final class Monitor {
    VmThread owner;
    int count;
    final ArrayDeque<VmThread> entrants = new ArrayDeque<>();
    final ArrayDeque<VmThread> waiters = new ArrayDeque<>();

    boolean idle() {
        return owner == null && entrants.isEmpty() && waiters.isEmpty();
    }
}
