// An uncaught exception in a non-main thread: HotSpot prints 'Exception in thread "Thread-0" ...' on stderr and the
// program goes on; exit code stays 0. Also an UncaughtExceptionHandler, and a named thread.
public class T06UncaughtInThread {
    static void fail(int depth) {
        if (depth == 0) throw new IllegalStateException("worker failed");
        fail(depth - 1);
    }

    public static void main(String[] args) throws InterruptedException {
        Thread t = new Thread(() -> fail(2));
        t.start();
        t.join();
        System.out.println("main continues after " + t.getName() + " died, alive=" + t.isAlive());
        Thread named = new Thread(() -> { throw new ArithmeticException("in named thread"); }, "calc");
        named.start();
        named.join();
        Thread handled = new Thread(() -> { throw new UnsupportedOperationException("handled"); }, "handled");
        handled.setUncaughtExceptionHandler((th, ex) -> System.out.println("handler got " + ex + " from " + th.getName()));
        handled.start();
        handled.join();
        Thread err = new Thread(() -> { throw new StackOverflowError(); });
        err.start();
        err.join();
        System.out.println("main done");
    }
}
