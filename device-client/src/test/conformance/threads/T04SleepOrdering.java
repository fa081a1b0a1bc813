// Sleepers with clearly different durations print in duration order; sleep(0); timed wait returns after timeout.
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

public class T04SleepOrdering {
    public static void main(String[] args) throws InterruptedException {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        int[] durations = {300, 100, 500, 0, 200};
        List<Thread> ts = new ArrayList<>();
        for (int d : durations) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(d);
                } catch (InterruptedException e) {
                    return;
                }
                System.out.println("slept " + d);
                order.add("s" + d);
            }, "sleeper-" + d);
            ts.add(t);
        }
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join();
        System.out.println(order);
        Object o = new Object();
        synchronized (o) {
            o.wait(50);
        }
        System.out.println("timed wait returned");
        Thread.sleep(0);
        Thread.sleep(1, 500);
        try {
            Thread.sleep(-1);
        } catch (IllegalArgumentException e) {
            System.out.println("IAE " + e.getMessage());
        }
        Thread late = new Thread(() -> {
            try { Thread.sleep(150); } catch (InterruptedException e) { return; }
            System.out.println("late thread done");
        });
        late.start();
        late.join(20);
        System.out.println("join with timeout returned first, alive=" + late.isAlive());
        late.join();
        System.out.println("end");
    }
}
