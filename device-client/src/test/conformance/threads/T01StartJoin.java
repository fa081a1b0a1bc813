// Thread start/join, results collected per thread and printed after join, thread names, currentThread, isAlive.
public class T01StartJoin {
    static class Worker extends Thread {
        final int from, to; long sum;
        Worker(String name, int from, int to) { super(name); this.from = from; this.to = to; }
        @Override public void run() { for (int i = from; i < to; i++) sum += (long) i * i; }
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("main thread: " + Thread.currentThread().getName());
        Worker[] ws = new Worker[4];
        for (int i = 0; i < ws.length; i++) ws[i] = new Worker("worker-" + i, i * 25000, (i + 1) * 25000);
        for (Worker w : ws) System.out.println(w.getName() + " alive before start: " + w.isAlive() + " state " + w.getState());
        for (Worker w : ws) w.start();
        long total = 0;
        for (Worker w : ws) {
            w.join();
            total += w.sum;
            System.out.println(w.getName() + " sum " + w.sum + " alive after join: " + w.isAlive() + " state " + w.getState());
        }
        System.out.println("total " + total);
        String[] seen = new String[3];
        Thread[] ts = new Thread[3];
        for (int i = 0; i < 3; i++) {
            int idx = i;
            ts[i] = new Thread(() -> seen[idx] = Thread.currentThread().getName());
        }
        Thread named = new Thread(() -> { }, "custom-name");
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join();
        System.out.println(String.join(",", seen) + " " + named.getName());
        named.setName("renamed");
        named.start();
        named.join();
        System.out.println(named.getName() + " daemon=" + named.isDaemon() + " priority=" + named.getPriority() + " main prio=" + Thread.currentThread().getPriority());
        Thread self = Thread.currentThread();
        System.out.println("interrupted? " + Thread.interrupted());
        self.interrupt();
        System.out.println("interrupted after interrupt: " + self.isInterrupted() + " " + Thread.interrupted() + " " + self.isInterrupted());
        Thread sleeper = new Thread(() -> {
            try {
                Thread.sleep(10_000);
                System.out.println("woke normally");
            } catch (InterruptedException e) {
                System.out.println("sleeper interrupted: " + e.getMessage());
            }
        });
        sleeper.start();
        sleeper.interrupt();
        sleeper.join();
        try {
            sleeper.start();
        } catch (IllegalThreadStateException e) {
            System.out.println("restart: IllegalThreadStateException");
        }
        System.out.println("done");
    }
}
