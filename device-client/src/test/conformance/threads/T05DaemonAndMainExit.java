// Daemon threads do not keep the program alive; main ends while a non-daemon thread still runs, and the program
// ends when that thread finishes (its output comes after main's last line).
public class T05DaemonAndMainExit {
    public static void main(String[] args) {
        Thread daemon = new Thread(() -> {
            while (true) {
                try { Thread.sleep(50); } catch (InterruptedException e) { return; }
            }
        }, "forever-daemon");
        daemon.setDaemon(true);
        daemon.start();
        System.out.println("daemon started: " + daemon.isDaemon());
        Thread worker = new Thread(() -> {
            try { Thread.sleep(300); } catch (InterruptedException e) { return; }
            long s = 0;
            for (int i = 0; i < 1000; i++) s += i;
            System.out.println("worker finished after main, sum " + s + ", daemon alive " + daemon.isAlive());
        }, "late-worker");
        worker.start();
        Thread child = new Thread(() -> { }, "child");
        System.out.println("child inherits daemon=false: " + !child.isDaemon());
        System.out.println("main ends");
    }
}
