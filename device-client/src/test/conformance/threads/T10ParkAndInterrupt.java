// LockSupport.park and interrupts, as on HotSpot: an interrupt wakes a parked thread without an exception and
// leaves its status set; park with the status set returns at once; unpark before park lets the next park return;
// unpark of a sleeping thread does not wake it (it only leaves a permit); a sleep far in the future is not cut
// short by an overflowing deadline; interrupting a thread blocked entering a monitor leaves it blocked. Thread
// states are polled with Thread.getState().
import java.util.concurrent.locks.LockSupport;

public class T10ParkAndInterrupt {
    static final Object lock = new Object();

    static void awaitState(Thread t, Thread.State state) {
        while (t.getState() != state) {
            Thread.yield();
        }
        System.out.println(t.getName() + " is " + state);
    }

    public static void main(String[] args) throws Exception {
        Thread parked = new Thread(() -> {
            LockSupport.park();
            System.out.println("park returned, status " + Thread.currentThread().isInterrupted());
            LockSupport.park();
            System.out.println("park with the status set returned at once, status " + Thread.interrupted());
        }, "parked");
        parked.start();
        awaitState(parked, Thread.State.WAITING);
        parked.interrupt();
        parked.join();

        Thread permitted = new Thread(() -> {
            LockSupport.unpark(Thread.currentThread());
            LockSupport.park();
            System.out.println("park after unpark returned");
        }, "permitted");
        System.out.println("before start: " + permitted.getState());
        permitted.start();
        permitted.join();
        System.out.println("after join: " + permitted.getState());

        StringBuilder order = new StringBuilder();
        Thread sleeper = new Thread(() -> {
            try {
                Thread.sleep(300);
                synchronized (order) {
                    order.append("sleeper woke; ");
                }
                LockSupport.park(); // the permit unpark left
                synchronized (order) {
                    order.append("park used the permit; ");
                }
            } catch (InterruptedException e) {
                System.out.println("sleeper interrupted");
            }
        }, "sleeper");
        sleeper.start();
        awaitState(sleeper, Thread.State.TIMED_WAITING);
        LockSupport.unpark(sleeper);
        Thread.sleep(50);
        synchronized (order) {
            order.append("main after unpark; ");
        }
        sleeper.join();
        System.out.println(order.toString().trim());

        Thread longSleeper = new Thread(() -> {
            try {
                Thread.sleep(Long.MAX_VALUE / 2);
                System.out.println("long sleep ended early");
            } catch (InterruptedException e) {
                System.out.println("long sleep interrupted");
            }
        }, "long sleeper");
        longSleeper.start();
        awaitState(longSleeper, Thread.State.TIMED_WAITING);
        longSleeper.interrupt();
        longSleeper.join();

        Thread entering = new Thread(() -> {
            synchronized (lock) {
                System.out.println("entered, status " + Thread.currentThread().isInterrupted());
            }
        }, "entering");
        synchronized (lock) {
            entering.start();
            awaitState(entering, Thread.State.BLOCKED);
            entering.interrupt();
            Thread.sleep(50);
            System.out.println("still blocked: " + entering.getState());
        }
        entering.join();
        System.out.println("done");
    }
}
