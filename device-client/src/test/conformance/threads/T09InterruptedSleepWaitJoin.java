// Thread.interrupt() of a thread blocked in Thread.sleep, Object.wait and Thread.join: each throws
// InterruptedException (with the blocking native on top of its stack trace) and clears the interrupt status; an
// interrupt before the call makes it throw at once; a wait interrupted while the interrupter holds the monitor
// throws only once it has the monitor back; a wait that was notified before the interrupt returns normally with the
// status set; Thread.interrupted() reads and clears. The main thread waits for each target to block by polling
// Thread.getState(), as tests of interrupts often do.
public class T09InterruptedSleepWaitJoin {
    static final Object lock = new Object();
    static final StringBuilder log = new StringBuilder();

    static void report(String what, InterruptedException e) {
        System.out.println(what + ": " + e.getMessage() + ", status " + Thread.currentThread().isInterrupted());
        e.printStackTrace(System.out);
    }

    static Thread started(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        return t;
    }

    static void awaitState(Thread t, Thread.State state) {
        while (t.getState() != state) {
            Thread.yield();
        }
        System.out.println(t.getName() + " is " + state);
    }

    public static void main(String[] args) throws Exception {
        // sleep, interrupted: the exception, status cleared (interrupted once: a second interrupt could land on HotSpot
        // before or after the sleeper clears the status, so what it printed would depend on the race)
        Thread sleeper = started("sleeper", () -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
                System.out.println("sleep returned");
            } catch (InterruptedException e) {
                report("sleep", e);
            }
        });
        awaitState(sleeper, Thread.State.TIMED_WAITING);
        sleeper.interrupt();
        sleeper.join();

        // wait, interrupted while the interrupter holds the monitor
        Thread waiter = started("waiter", () -> {
            synchronized (lock) {
                try {
                    lock.wait();
                    System.out.println("wait returned");
                } catch (InterruptedException e) {
                    log.append("waiter got the exception, holds the lock: ").append(Thread.holdsLock(lock));
                    report("wait", e);
                }
            }
        });
        awaitState(waiter, Thread.State.WAITING);
        synchronized (lock) {
            waiter.interrupt();
            Thread.sleep(50);
            System.out.println("interrupter still owns the lock, waiter logged: '" + log + "'");
        }
        waiter.join();
        System.out.println("after: " + log);

        // a timed wait, interrupted
        Thread timed = started("timed", () -> {
            synchronized (lock) {
                try {
                    lock.wait(Long.MAX_VALUE);
                    System.out.println("timed wait returned");
                } catch (InterruptedException e) {
                    report("timed wait", e);
                }
            }
        });
        awaitState(timed, Thread.State.TIMED_WAITING);
        timed.interrupt();
        timed.join();

        // join, interrupted by another thread
        Thread forever = started("forever", () -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                System.out.println("forever ends");
            }
        });
        Thread main = Thread.currentThread();
        awaitState(forever, Thread.State.TIMED_WAITING);
        Thread interrupter = started("interrupter", () -> {
            awaitState(main, Thread.State.WAITING);
            main.interrupt();
        });
        try {
            forever.join();
            System.out.println("join returned");
        } catch (InterruptedException e) {
            report("join", e);
        }
        interrupter.join();

        // an interrupt before the call: sleep, wait and join throw at once
        Thread.currentThread().interrupt();
        try {
            Thread.sleep(10_000);
        } catch (InterruptedException e) {
            report("sleep with the status set", e);
        }
        Thread.currentThread().interrupt();
        try {
            synchronized (lock) {
                lock.wait();
            }
        } catch (InterruptedException e) {
            report("wait with the status set", e);
        }
        Thread.currentThread().interrupt();
        try {
            forever.join();
        } catch (InterruptedException e) {
            report("join with the status set", e);
        }
        Thread.currentThread().interrupt();
        try {
            Thread.sleep(0);
            System.out.println("sleep(0) returned");
        } catch (InterruptedException e) {
            report("sleep(0) with the status set", e);
        }
        Thread.currentThread().interrupt();
        System.out.println("interrupted(): " + Thread.interrupted() + ", again: " + Thread.interrupted());
        forever.interrupt();
        forever.join();

        // notified, then interrupted before it has the monitor back: wait returns, the status stays set
        Thread notified = started("notified", () -> {
            synchronized (lock) {
                try {
                    lock.wait();
                    System.out.println("notified wait returned, status " + Thread.currentThread().isInterrupted());
                } catch (InterruptedException e) {
                    report("notified wait", e);
                }
            }
        });
        awaitState(notified, Thread.State.WAITING);
        synchronized (lock) {
            lock.notify();
            notified.interrupt();
        }
        notified.join();
        System.out.println("done");
    }
}
