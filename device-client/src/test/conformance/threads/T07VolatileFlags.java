// Volatile flags for stop signalling and handshakes; ConcurrentHashMap, CountDownLatch, CyclicBarrier, ExecutorService
// with futures (results printed in submission order).
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class T07VolatileFlags {
    static volatile boolean stop;
    static volatile int stage;

    public static void main(String[] args) throws Exception {
        Thread spinner = new Thread(() -> {
            long spins = 0;
            while (!stop) { spins++; if (spins % 1000 == 0) Thread.yield(); }
            System.out.println("spinner saw stop");
        });
        spinner.start();
        Thread.sleep(50);
        stop = true;
        spinner.join();
        Thread stager = new Thread(() -> {
            while (stage != 1) Thread.onSpinWait();
            System.out.println("stager: stage 1 seen");
            stage = 2;
        });
        stager.start();
        stage = 1;
        while (stage != 2) Thread.yield();
        stager.join();
        System.out.println("main: stage 2 seen");
        ConcurrentHashMap<String, Integer> chm = new ConcurrentHashMap<>();
        CountDownLatch latch = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            new Thread(() -> {
                for (int i = 0; i < 1000; i++) chm.merge("k" + (i % 10), 1, Integer::sum);
                latch.countDown();
            }).start();
        }
        latch.await();
        System.out.println(new TreeMap<>(chm));
        CyclicBarrier barrier = new CyclicBarrier(3, () -> System.out.println("barrier tripped"));
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                try { barrier.await(); } catch (Exception e) { throw new RuntimeException(e); }
            });
            ts.add(t);
            t.start();
        }
        for (Thread t : ts) t.join();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Long>> fs = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            int n = i * 1000;
            fs.add(pool.submit(() -> {
                long s = 0;
                for (int k = 1; k <= n; k++) s += k;
                return s;
            }));
        }
        for (Future<Long> f : fs) System.out.println("future " + f.get());
        Future<?> failing = pool.submit(() -> { throw new IllegalStateException("task failed"); });
        try {
            failing.get();
        } catch (java.util.concurrent.ExecutionException e) {
            System.out.println("ExecutionException cause: " + e.getCause());
        }
        pool.shutdown();
        System.out.println("terminated " + pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS));
    }
}
