// Interrupts: a sleeping thread gets InterruptedException("sleep interrupted") with its status cleared; a
// thread in Object.wait gets it with the monitor held again; a wait with the status already set throws at
// once; a synchronized run() started while start() holds the Thread's monitor still runs holding it.
public class T08Interrupts {
    static final Object lock = new Object();

    static class Sync extends Thread {
        @Override
        public synchronized void run() {
            System.out.println("sync run holds its monitor: " + Thread.holdsLock(this));
        }
    }

    public static void main(String[] args) throws Exception {
        Thread sleeper = new Thread(() -> {
            try {
                Thread.sleep(10_000);
                System.out.println("woke normally");
            } catch (InterruptedException e) {
                System.out.println("sleep interrupted: " + e.getMessage() + ", status " + Thread.currentThread().isInterrupted());
            }
        });
        sleeper.start();
        Thread.sleep(50);
        sleeper.interrupt();
        sleeper.join();
        Thread waiter = new Thread(() -> {
            synchronized (lock) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    System.out.println("wait interrupted, holds the lock: " + Thread.holdsLock(lock));
                }
            }
        });
        waiter.start();
        Thread.sleep(50);
        waiter.interrupt();
        waiter.join();
        Thread.currentThread().interrupt();
        try {
            synchronized (lock) {
                lock.wait();
            }
        } catch (InterruptedException e) {
            System.out.println("a wait with the status set throws at once");
        }
        Thread s = new Sync();
        s.start();
        s.join();
        System.out.println("done");
    }
}
