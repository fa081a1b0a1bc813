// @exit 5
// System.exit inside a finally block, while an exception is propagating: the exception is never reported.
public class X04ExitInFinally {
    static void work() {
        try {
            System.out.println("working");
            throw new IllegalStateException("lost on exit");
        } finally {
            System.out.println("finally exits");
            System.err.println("err before exit");
            System.exit(5);
        }
    }

    public static void main(String[] args) {
        work();
    }
}
