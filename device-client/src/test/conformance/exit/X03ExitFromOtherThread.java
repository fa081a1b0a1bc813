// @exit 7
// System.exit from another thread while main sleeps; main never wakes to print.
public class X03ExitFromOtherThread {
    public static void main(String[] args) throws InterruptedException {
        Thread killer = new Thread(() -> {
            try { Thread.sleep(100); } catch (InterruptedException e) { return; }
            System.out.println("killer exits the VM");
            System.exit(7);
        }, "killer");
        killer.start();
        System.out.println("main sleeps");
        Thread.sleep(60_000);
        System.out.println("main woke up: not reached");
    }
}
