// wait/notify producer-consumer with a bounded buffer; items are tagged by producer and consumed checksums are
// totalled, so the output does not depend on the interleaving. Also notifyAll waking several waiters.
import java.util.ArrayDeque;
import java.util.Arrays;

public class T03ProducerConsumer {
    static class BoundedBuffer {
        private final ArrayDeque<Integer> items = new ArrayDeque<>();
        private final int capacity;
        int maxSeen;
        BoundedBuffer(int capacity) { this.capacity = capacity; }

        synchronized void put(int v) throws InterruptedException {
            while (items.size() == capacity) wait();
            items.addLast(v);
            maxSeen = Math.max(maxSeen, items.size());
            notifyAll();
        }

        synchronized int take() throws InterruptedException {
            while (items.isEmpty()) wait();
            int v = items.removeFirst();
            notifyAll();
            return v;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        BoundedBuffer buf = new BoundedBuffer(4);
        int producers = 3, consumers = 2, perProducer = 2000;
        long[] consumedSum = new long[consumers];
        int[] consumedCount = new int[consumers];
        Thread[] ps = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            ps[p] = new Thread(() -> {
                try {
                    for (int i = 1; i <= perProducer; i++) buf.put(id * 100_000 + i);
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            }, "producer-" + p);
        }
        int total = producers * perProducer;
        Thread[] cs = new Thread[consumers];
        for (int c = 0; c < consumers; c++) {
            int id = c;
            cs[c] = new Thread(() -> {
                try {
                    while (true) {
                        int v = buf.take();
                        if (v < 0) break;
                        consumedSum[id] += v;
                        consumedCount[id]++;
                    }
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            }, "consumer-" + c);
        }
        for (Thread t : cs) t.start();
        for (Thread t : ps) t.start();
        for (Thread t : ps) t.join();
        for (int c = 0; c < consumers; c++) buf.put(-1);
        for (Thread t : cs) t.join();
        System.out.println("consumed " + Arrays.stream(consumedCount).sum() + " of " + total + ", checksum " + Arrays.stream(consumedSum).sum()
                + ", buffer never exceeded capacity: " + (buf.maxSeen <= 4));

        Object gate = new Object();
        boolean[] open = {false};
        int[] woken = {0};
        Thread[] waiters = new Thread[5];
        for (int i = 0; i < waiters.length; i++) {
            waiters[i] = new Thread(() -> {
                synchronized (gate) {
                    while (!open[0]) {
                        try { gate.wait(); } catch (InterruptedException e) { return; }
                    }
                    woken[0]++;
                }
            });
            waiters[i].start();
        }
        synchronized (gate) {
            open[0] = true;
            gate.notifyAll();
        }
        for (Thread t : waiters) t.join();
        System.out.println("notifyAll woke " + woken[0]);

        // ping-pong: strict alternation through wait/notify gives a deterministic sequence
        StringBuilder seq = new StringBuilder();
        Object m = new Object();
        int[] turn = {0};
        Thread[] pp = new Thread[2];
        for (int i = 0; i < 2; i++) {
            int me = i;
            pp[i] = new Thread(() -> {
                for (int k = 0; k < 5; k++) {
                    synchronized (m) {
                        while (turn[0] != me) {
                            try { m.wait(); } catch (InterruptedException e) { return; }
                        }
                        seq.append(me == 0 ? "ping " : "pong ");
                        turn[0] = 1 - me;
                        m.notifyAll();
                    }
                }
            });
        }
        pp[1].start();
        pp[0].start();
        pp[0].join();
        pp[1].join();
        System.out.println(seq.toString().trim());
    }
}
