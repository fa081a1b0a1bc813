import java.util.ArrayDeque;

/**
 * A producer thread and the main thread hand numbers over through a bounded queue guarded by one monitor
 * (synchronized, wait, notifyAll): the multithreaded app that is checkpointed while threads wait on the monitor
 * and resumed elsewhere. The output does not depend on how the threads interleave. Arguments: N [pauseMillis].
 */
public class ProducerConsumer {
    static final Object lock = new Object();
    static final ArrayDeque<Integer> queue = new ArrayDeque<>();

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long pause = args.length > 1 ? Long.parseLong(args[1]) : 0;
        Thread producer = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                synchronized (lock) {
                    while (queue.size() >= 3) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            throw new RuntimeException(e);
                        }
                    }
                    queue.add(i);
                    lock.notifyAll();
                }
            }
        }, "producer");
        producer.start();
        long sum = 0;
        for (int i = 0; i < n; i++) {
            int v;
            synchronized (lock) {
                while (queue.isEmpty()) {
                    lock.wait();
                }
                v = queue.poll();
                lock.notifyAll();
            }
            sum += v;
            System.out.println("got " + v + " " + sum);
            if (pause > 0) {
                Thread.sleep(pause);
            }
        }
        producer.join();
        System.out.println("sum " + sum + " producer alive " + producer.isAlive());
    }
}
