// N threads increment shared counters: synchronized methods, synchronized blocks, AtomicInteger, ReentrantLock;
// totals are exact. An unsynchronized counter is not printed (racy).
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

public class T02SynchronizedCounters {
    static int staticCounter;
    int instanceCounter;
    int blockCounter;
    final Object lock = new Object();
    final AtomicInteger atomic = new AtomicInteger();
    final AtomicLong atomicLong = new AtomicLong();
    final ReentrantLock rl = new ReentrantLock();
    long locked;

    static synchronized void incStatic() { staticCounter++; }
    synchronized void incInstance() { instanceCounter++; }

    public static void main(String[] args) throws InterruptedException {
        T02SynchronizedCounters c = new T02SynchronizedCounters();
        int threads = 8, iterations = 5000;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < iterations; i++) {
                    incStatic();
                    c.incInstance();
                    synchronized (c.lock) { c.blockCounter += 2; }
                    c.atomic.incrementAndGet();
                    c.atomicLong.addAndGet(id);
                    c.rl.lock();
                    try { c.locked += i; } finally { c.rl.unlock(); }
                    if (i % 500 == 0) Thread.yield();
                }
            });
        }
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join();
        System.out.println("static " + staticCounter + " instance " + c.instanceCounter + " block " + c.blockCounter + " atomic " + c.atomic.get()
                + " atomicLong " + c.atomicLong.get() + " locked " + c.locked);
        // reentrancy
        synchronized (c) { synchronized (c) { c.incInstance(); } }
        System.out.println("reentrant " + c.instanceCounter + " holdsLock " + Thread.holdsLock(c) + " " + Thread.holdsLock(c.lock));
        try {
            c.lock.notify();
        } catch (IllegalMonitorStateException e) {
            System.out.println("notify without monitor: IllegalMonitorStateException " + e.getMessage());
        }
        try {
            c.lock.wait(1);
        } catch (IllegalMonitorStateException e) {
            System.out.println("wait without monitor: IllegalMonitorStateException " + e.getMessage());
        }
        AtomicInteger cas = new AtomicInteger(5);
        System.out.println(cas.compareAndSet(5, 6) + " " + cas.compareAndSet(5, 7) + " " + cas.get() + " " + cas.getAndUpdate(x -> x * 10) + " " + cas.accumulateAndGet(3, Integer::sum));
    }
}
